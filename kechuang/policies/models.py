"""Policies as a bureau runs them: its own parameter values, experts' innovation scores,
budgets per policy, year and division, and redemptions (政策兑现, one per enterprise, policy and
year) moved through the workflow in ``workflows.py``."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from kechuang.core.models import BaseModel, Placed, division_code_check
from kechuang.core.scoping import Scope, ScopedQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}


class ParameterValue(BaseModel):
    """A bureau's own value of a policy parameter from a date on (e.g. its own subsidy rate).

    Screening in the bureau's division reads the shipped values (the YAML files of the rules
    engine) with the values set by the divisions above it and its own laid over them, the
    nearest division winning for the same effective date.
    """

    SCOPE = Scope(division="division_code")

    policy = models.CharField("政策", max_length=40)
    parameter = models.CharField("参数", max_length=60)
    division_code = models.CharField("行政区划代码", max_length=6, db_index=True)
    effective_from = models.DateField("生效日期")
    value = models.JSONField("取值")
    reason = models.CharField("设定依据", max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "政策参数（本地取值）"
        verbose_name_plural = "政策参数（本地取值）"
        ordering = ["policy", "parameter", "division_code", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "parameter", "division_code", "effective_from"],
                name="parameter_value_unique",
            ),
            division_code_check("parameter_value_division_six_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.policy}.{self.parameter} {self.division_code} 自 {self.effective_from}"


class InnovationAssessment(Placed, BaseModel):
    """The expert-judged part of an enterprise's 高新技术企业 innovation score (知识产权、科技成果
    转化能力、研究开发组织管理水平, 0–80 points) for the application on fiscal year ``year``."""

    SCOPE = Scope(division="division_code", zone="zone_id", organization="organization_id")

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="innovation_assessments",
    )
    year = models.PositiveSmallIntegerField("会计年度")
    score = models.DecimalField(
        "专家评分",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(80)],
    )
    assessed_on = models.DateField("评审日期")
    note = models.CharField("评审意见", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "创新能力专家评分"
        verbose_name_plural = "创新能力专家评分"
        ordering = ["-year", "organization_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="innovation_assessment_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=80), name="innovation_assessment_score"
            ),
            division_code_check("innovation_assessment_division_six_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.organization.name} {self.score}"


class PolicyBudget(BaseModel):
    """The money a division sets aside for one policy in one year. Approvals of redemptions in
    the division's subtree never add up to more."""

    SCOPE = Scope(division="division_code")

    policy = models.CharField("政策", max_length=40)
    year = models.PositiveSmallIntegerField("年度")
    division_code = models.CharField("行政区划代码", max_length=6, db_index=True)
    amount = models.DecimalField("预算（元）", **MONEY)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "兑现预算"
        verbose_name_plural = "兑现预算"
        ordering = ["-year", "policy", "division_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "year", "division_code"], name="policy_budget_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="policy_budget_amount"),
            division_code_check("policy_budget_division_six_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.policy} {self.division_code}"


class RedemptionSource(models.TextChoices):
    PROPOSED = "proposed", "免申即享"
    APPLIED = "applied", "企业申请"


class RedemptionStatus(models.TextChoices):
    PROPOSED = "proposed", "待核实（免申即享）"
    APPLIED = "applied", "已申请"
    VERIFIED = "verified", "已核实"
    APPROVED = "approved", "已批准"
    PAID = "paid", "已拨付"
    RETURNED = "returned", "已退回"
    REJECTED = "rejected", "不予兑现"


# The statuses whose amounts count against the budget.
COMMITTED = (RedemptionStatus.APPROVED, RedemptionStatus.PAID)


class Redemption(Placed, BaseModel):
    """One enterprise's redemption of one policy for one fiscal year: proposed by screening
    (免申即享) or applied for by the enterprise."""

    SCOPE = Scope(division="division_code", zone="zone_id", organization="organization_id")

    policy = models.CharField("政策", max_length=40, db_index=True)
    year = models.PositiveSmallIntegerField("会计年度", db_index=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="redemptions",
    )
    computed_amount = models.DecimalField("测算金额（元）", **MONEY)
    amount = models.DecimalField("兑现金额（元）", **MONEY)
    override_reason = models.CharField("调整理由", max_length=500, blank=True)
    source = models.CharField("来源", max_length=10, choices=RedemptionSource.choices)
    status = models.CharField("状态", max_length=10, choices=RedemptionStatus.choices)
    conditions = models.JSONField("条件核查（筛查结果）", default=dict, blank=True)
    reason = models.CharField("退回或不予兑现理由", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "政策兑现"
        verbose_name_plural = "政策兑现"
        ordering = ["-year", "policy", "division_code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "year", "organization"], name="redemption_unique_per_year"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="redemption_amount"),
            models.CheckConstraint(
                condition=Q(computed_amount__gte=0), name="redemption_computed_amount"
            ),
            models.CheckConstraint(
                condition=Q(amount=F("computed_amount")) | ~Q(override_reason=""),
                name="redemption_override_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.policy} · {self.organization.name}"
