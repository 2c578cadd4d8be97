"""Innovation vouchers (科技创新券): schemes, providers, quotas (claims), uses, settlements.

A scheme is the policy; an enterprise claims a quota under it; staff approve the claim, which
opens the quota (``remaining`` = ``amount``, ``expires_on``); the enterprise spends it on service
contracts with approved providers (uses); each use is settled against documents, verified and
paid — to the enterprise (通用) or to the provider (通兑).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from kechuang.core.models import BaseModel, division_code_check
from kechuang.core.models import Placed as BasePlaced
from kechuang.core.scoping import Scope, ScopedQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}


class SchemeMode(models.TextChoices):
    GENERAL = "general", "通用（企业报销）"
    REDEEM = "redeem", "通兑（服务机构兑付）"


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    OPEN = "open", "申领中"
    CLOSED = "closed", "已关闭"


class VoucherScheme(BaseModel):
    """An issuing bureau's voucher policy for one year. Visible to every reader (a policy is
    public); only staff of the issuing division change it."""

    SCOPE = Scope(division="division_code")

    name = models.CharField("名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    division_code = models.CharField("发放单位行政区划", max_length=6, db_index=True)
    amount_per_claim = models.DecimalField("每次申领额度（元）", **MONEY)
    cap_per_enterprise = models.DecimalField("每家企业年度上限（元）", **MONEY)
    share = models.DecimalField("合同金额可用券比例", max_digits=5, decimal_places=4)
    expires_on = models.DateField("有效期至", null=True, blank=True)
    valid_months = models.PositiveSmallIntegerField("批准后有效月数", null=True, blank=True)
    mode = models.CharField("兑付方式", max_length=10, choices=SchemeMode.choices)
    budget = models.DecimalField("总预算（元）", **MONEY)
    status = models.CharField(
        "状态", max_length=10, choices=SchemeStatus.choices, default=SchemeStatus.OPEN
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "创新券方案"
        verbose_name_plural = "创新券方案"
        ordering = ["-year", "division_code", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=1), name="voucher_scheme_share_ratio"
            ),
            models.CheckConstraint(
                condition=Q(amount_per_claim__gt=0)
                & Q(cap_per_enterprise__gte=F("amount_per_claim"))
                & Q(budget__gte=F("amount_per_claim")),
                name="voucher_scheme_amounts",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=False) | Q(valid_months__gt=0),
                name="voucher_scheme_has_expiry",
            ),
            division_code_check("voucher_scheme_division_six_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class ProviderStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已入库"
    SUSPENDED = "suspended", "暂停"
    BLACKLISTED = "blacklisted", "黑名单"


class ServiceProvider(BaseModel):
    """A service organization registered to deliver voucher-paid services."""

    SCOPE = Scope(
        division="organization__division_code",
        zone="organization__zone_id",
        organization="organization_id",
    )

    organization = models.OneToOneField(
        "orgs.Organization",
        verbose_name="机构",
        on_delete=models.PROTECT,
        related_name="voucher_provider",
    )
    status = models.CharField(
        "状态", max_length=12, choices=ProviderStatus.choices, default=ProviderStatus.PENDING
    )
    contact = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "服务机构"
        verbose_name_plural = "服务机构"
        ordering = ["organization__division_code", "organization__name"]

    def __str__(self) -> str:
        return self.organization.name


class ServiceCategory(models.TextChoices):
    TESTING = "testing", "检验检测"
    RD_DESIGN = "rd_design", "研发设计"
    CONSULTING = "consulting", "技术咨询"
    IP = "ip", "知识产权"
    TRANSFER = "transfer", "成果转化"
    OTHER = "other", "其他"


class ServiceItem(BaseModel):
    """One entry of a provider's service catalogue."""

    provider = models.ForeignKey(
        ServiceProvider, verbose_name="服务机构", on_delete=models.CASCADE, related_name="items"
    )
    name = models.CharField("服务名称", max_length=200)
    category = models.CharField("类别", max_length=12, choices=ServiceCategory.choices)
    price = models.DecimalField("参考价格（元）", **MONEY)
    active = models.BooleanField("在售", default=True)

    class Meta:
        verbose_name = "服务项目"
        verbose_name_plural = "服务项目"
        ordering = ["provider", "category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="voucher_item_unique_name"),
            models.CheckConstraint(condition=Q(price__gte=0), name="voucher_item_price"),
        ]

    def __str__(self) -> str:
        return self.name


class Placed(BasePlaced):
    """The scheme's year and the enterprise's division and zone, copied onto claims, uses and
    settlements when they are made: scoped and counted without joins."""

    year = models.PositiveSmallIntegerField("年度", db_index=True)  # the scheme's

    class Meta:
        abstract = True


class ClaimStatus(models.TextChoices):
    APPLIED = "applied", "已申领"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "不予批准"
    WITHDRAWN = "withdrawn", "已撤回"


class VoucherClaim(Placed, BaseModel):
    """An enterprise's quota under a scheme: applied for, approved (then spendable), or not."""

    SCOPE = Scope(division="division_code", zone="zone_id", organization="enterprise_id")

    scheme = models.ForeignKey(
        VoucherScheme, verbose_name="方案", on_delete=models.PROTECT, related_name="claims"
    )
    enterprise = models.ForeignKey(
        "orgs.Organization",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="voucher_claims",
    )
    amount = models.DecimalField("额度（元）", **MONEY)
    remaining = models.DecimalField("剩余额度（元）", **MONEY)
    expires_on = models.DateField("有效期至", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.APPLIED
    )
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "创新券额度"
        verbose_name_plural = "创新券额度"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="voucher_claim_amount"),
            models.CheckConstraint(
                condition=Q(remaining__gte=0), name="voucher_claim_remaining_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(remaining__lte=F("amount")), name="voucher_claim_remaining_le_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.name} · {self.enterprise.name}"


class UseStatus(models.TextChoices):
    ACTIVE = "active", "已使用"
    SETTLED = "settled", "已兑付"


class VoucherUse(Placed, BaseModel):
    """Part of a quota spent on one service contract with an approved provider."""

    SCOPE = Scope(division="division_code", zone="zone_id", organization="enterprise_id")

    claim = models.ForeignKey(
        VoucherClaim, verbose_name="额度", on_delete=models.PROTECT, related_name="uses"
    )
    enterprise = models.ForeignKey(
        "orgs.Organization", verbose_name="企业", on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        ServiceProvider, verbose_name="服务机构", on_delete=models.PROTECT, related_name="uses"
    )
    item = models.ForeignKey(
        ServiceItem,
        verbose_name="服务项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contract_number = models.CharField("合同编号", max_length=64)
    signed_on = models.DateField("签订日期")
    contract_amount = models.DecimalField("合同金额（元）", **MONEY)
    amount = models.DecimalField("用券金额（元）", **MONEY)
    status = models.CharField(
        "状态", max_length=10, choices=UseStatus.choices, default=UseStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField("幂等键", max_length=100, blank=True)
    request_digest = models.CharField("请求摘要", max_length=64, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "用券记录"
        verbose_name_plural = "用券记录"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=F("contract_amount")),
                name="voucher_use_amount",
            ),
            models.UniqueConstraint(
                fields=["claim", "created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="voucher_use_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_number} · {self.amount} 元"


class SettlementStatus(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "退回补正"
    VERIFIED = "verified", "已审核"
    PAID = "paid", "已兑付"


def settlement_upload(instance, filename: str) -> str:
    return f"vouchers/settlements/{instance.use_id}/{filename}"


class VoucherSettlement(Placed, BaseModel):
    """A request to pay the voucher part of one use, with its documents."""

    SCOPE = Scope(division="division_code", zone="zone_id", organization="enterprise_id")

    use = models.OneToOneField(
        VoucherUse, verbose_name="用券记录", on_delete=models.PROTECT, related_name="settlement"
    )
    enterprise = models.ForeignKey(
        "orgs.Organization", verbose_name="企业", on_delete=models.PROTECT, related_name="+"
    )
    payee = models.ForeignKey(
        "orgs.Organization", verbose_name="收款单位", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField("兑付金额（元）", **MONEY)
    contract_file = models.FileField("技术服务合同", upload_to=settlement_upload)
    invoice_file = models.FileField("发票", upload_to=settlement_upload)
    payment_file = models.FileField("付款凭证", upload_to=settlement_upload)
    report_file = models.FileField("服务报告", upload_to=settlement_upload)
    status = models.CharField(
        "状态", max_length=10, choices=SettlementStatus.choices, default=SettlementStatus.SUBMITTED
    )
    paid_on = models.DateField("兑付日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "兑付申请"
        verbose_name_plural = "兑付申请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="voucher_settlement_amount"),
        ]

    def __str__(self) -> str:
        return f"兑付 {self.use}"
