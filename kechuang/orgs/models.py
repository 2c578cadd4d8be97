from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from kechuang.core.models import BaseModel, division_code_check
from kechuang.core.scoping import Scope, ScopedQuerySet
from kechuang.regions.models import Level


class OrgKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    UNIVERSITY = "university", "高校"
    INSTITUTE = "institute", "科研院所"
    HOSPITAL = "hospital", "医院"
    SERVICE_PROVIDER = "service_provider", "服务机构"
    OTHER = "other", "其他"


class Ownership(models.TextChoices):
    PRIVATE = "private", "民营"
    STATE = "state", "国有"
    FOREIGN = "foreign", "外资"
    HMT = "hmt", "港澳台资"
    COLLECTIVE = "collective", "集体"
    MIXED = "mixed", "混合所有制"


class HightechField(models.TextChoices):
    """国家重点支持的高新技术领域."""

    ELECTRONIC_INFO = "01", "电子信息"
    BIO_MEDICINE = "02", "生物与新医药"
    AEROSPACE = "03", "航空航天"
    NEW_MATERIALS = "04", "新材料"
    HIGHTECH_SERVICE = "05", "高技术服务"
    NEW_ENERGY = "06", "新能源与节能"
    RESOURCES_ENV = "07", "资源与环境"
    ADVANCED_MANUFACTURING = "08", "先进制造与自动化"


class Organization(BaseModel):
    SCOPE = Scope(division="division_code", zone="zone_id", organization="id")

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=200, db_index=True)
    kind = models.CharField("类型", max_length=20, choices=OrgKind.choices, default="enterprise")
    division_code = models.CharField("行政区划代码", max_length=6, db_index=True)
    zone = models.ForeignKey(
        "regions.Zone",
        verbose_name="所在园区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    ownership = models.CharField(
        "所有制", max_length=12, choices=Ownership.choices, default="private"
    )
    industry_code = models.CharField("国民经济行业代码", max_length=5, blank=True)
    hightech_field = models.CharField(
        "高新技术领域", max_length=2, choices=HightechField.choices, blank=True
    )
    founded_on = models.DateField("成立日期", null=True, blank=True)
    above_scale = models.BooleanField("规上企业", default=False)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["division_code", "name"]
        constraints = [
            division_code_check("org_division_code_six_digits"),
            models.CheckConstraint(
                condition=Q(uscc__regex=r"^[0-9A-HJ-NPQRTUWXY]{18}$"), name="org_uscc_charset"
            ),
        ]

    def __str__(self) -> str:
        return self.name


MONEY = {"max_digits": 18, "decimal_places": 2, "null": True, "blank": True}


class EnterpriseYear(BaseModel):
    """The facts an organization reports for one year (money in yuan)."""

    SCOPE = Scope(
        division="organization__division_code",
        zone="organization__zone_id",
        organization="organization_id",
    )

    organization = models.ForeignKey(
        Organization, verbose_name="机构", on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField("年度")
    employees = models.PositiveIntegerField("从业人员", null=True, blank=True)
    rd_staff = models.PositiveIntegerField("研发人员", null=True, blank=True)
    revenue = models.DecimalField("营业收入", **MONEY)
    rd_expense = models.DecimalField("研发费用", **MONEY)
    rd_expense_domestic = models.DecimalField("境内研发费用", **MONEY)
    hightech_revenue = models.DecimalField("高新技术产品（服务）收入", **MONEY)
    total_assets = models.DecimalField("资产总额", **MONEY)
    net_assets = models.DecimalField("净资产", **MONEY)
    total_cost = models.DecimalField("成本费用总额", **MONEY)
    tax_paid = models.DecimalField("实缴税金", **MONEY)
    value_added = models.DecimalField("工业增加值", **MONEY)
    land_area_mu = models.DecimalField(
        "用地面积（亩）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    energy_tce = models.DecimalField(
        "综合能耗（吨标准煤）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    class_i_ip = models.PositiveIntegerField("Ⅰ类知识产权", null=True, blank=True)
    class_ii_ip = models.PositiveIntegerField("Ⅱ类知识产权", null=True, blank=True)
    invention_patents = models.PositiveIntegerField("发明专利", null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    NON_NEGATIVE_MONEY = (
        "revenue",
        "rd_expense",
        "rd_expense_domestic",
        "hightech_revenue",
        "total_assets",
        "total_cost",
        "tax_paid",
        "land_area_mu",
        "energy_tce",
    )
    FACT_FIELDS = (
        "employees",
        "rd_staff",
        "revenue",
        "rd_expense",
        "rd_expense_domestic",
        "hightech_revenue",
        "total_assets",
        "net_assets",
        "total_cost",
        "tax_paid",
        "value_added",
        "land_area_mu",
        "energy_tce",
        "class_i_ip",
        "class_ii_ip",
        "invention_patents",
    )

    class Meta:
        verbose_name = "企业年度数据"
        verbose_name_plural = "企业年度数据"
        ordering = ["organization_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="enterprise_year_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=1949) & Q(year__lte=2100), name="enterprise_year_range"
            ),
            models.CheckConstraint(
                condition=Q(rd_staff__isnull=True)
                | Q(employees__isnull=True)
                | Q(rd_staff__lte=models.F("employees")),
                name="enterprise_year_rd_staff_le_employees",
            ),
            models.CheckConstraint(
                condition=Q(rd_expense_domestic__isnull=True)
                | Q(rd_expense__isnull=True)
                | Q(rd_expense_domestic__lte=models.F("rd_expense")),
                name="enterprise_year_domestic_le_rd",
            ),
            models.CheckConstraint(
                condition=Q(hightech_revenue__isnull=True)
                | Q(revenue__isnull=True)
                | Q(hightech_revenue__lte=models.F("revenue")),
                name="enterprise_year_hightech_le_revenue",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__gte": 0}),
                    name=f"enterprise_year_{f}_non_negative",
                )
                for f in (
                    "revenue",
                    "rd_expense",
                    "rd_expense_domestic",
                    "hightech_revenue",
                    "total_assets",
                    "total_cost",
                    "tax_paid",
                    "land_area_mu",
                    "energy_tce",
                )
            ],
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year} 年"


class QualificationKind(models.TextChoices):
    TECH_SME = "tech_sme", "科技型中小企业"
    HNTE = "hnte", "高新技术企业"
    GAZELLE = "gazelle", "瞪羚企业"
    LITTLE_GIANT = "little_giant", "专精特新“小巨人”企业"
    LEADING_INNOVATOR = "leading_innovator", "创新型领军企业"


class QualificationStatus(models.TextChoices):
    VALID = "valid", "有效"
    REVOKED = "revoked", "撤销"
    CANCELLED = "cancelled", "注销"


class Qualification(BaseModel):
    SCOPE = EnterpriseYear.SCOPE

    organization = models.ForeignKey(
        Organization, verbose_name="机构", on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.CharField("资质类型", max_length=20, choices=QualificationKind.choices)
    number = models.CharField("证书编号", max_length=64)
    level = models.CharField("级别", max_length=20, choices=Level.choices, blank=True)
    granted_on = models.DateField("认定日期")
    valid_until = models.DateField("有效期至")
    status = models.CharField(
        "状态", max_length=10, choices=QualificationStatus.choices, default="valid"
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "资质"
        verbose_name_plural = "资质"
        ordering = ["organization_id", "kind", "-granted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "number"], name="qualification_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("granted_on")),
                name="qualification_valid_after_granted",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status", "valid_until"], name="qualification_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def is_valid_on(self, day) -> bool:
        return (
            self.status == QualificationStatus.VALID and self.granted_on <= day <= self.valid_until
        )
