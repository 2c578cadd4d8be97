"""技术市场: the enterprise technology-need library, the achievement library, experts, dockings
between them, match events and registered technology contracts.

Every record copies the division code (and zone) of the organization it belongs to, so it is
scoped and counted without joins: a need its enterprise's, an achievement its owner's, an expert
the employer's, a docking its need's, a contract its seller's (技术合同在卖方所在地认定登记).

Visibility of needs, achievements and experts (``Visibility``):

- ``public`` 公开: once published, readable by every signed-in user and (later) by anonymous
  visitors of the 供需大厅;
- ``registered`` 注册用户可见: once published, readable by signed-in users only, never shown to
  anonymous visitors;
- ``private`` 仅管理部门: only the owner organization and staff in scope (the bureau brokers it
  without publishing it, e.g. a need touching trade secrets).

Drafts are always private to the owner and staff.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from kechuang.core.models import BaseModel, Placed, division_code_check
from kechuang.core.scoping import Scope, ScopedQuerySet

MONEY = {"max_digits": 16, "decimal_places": 2}


class Visibility(models.TextChoices):
    PUBLIC = "public", "公开"
    REGISTERED = "registered", "注册用户可见"
    PRIVATE = "private", "仅管理部门"


class CooperationMode(models.TextChoices):
    TRANSFER = "transfer", "技术转让"
    LICENCE = "licence", "技术许可"
    JOINT_DEVELOPMENT = "joint_development", "合作开发"
    CONSULTING = "consulting", "技术咨询"
    SERVICE = "service", "技术服务"


class NeedStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    IN_DOCKING = "in_docking", "对接中"
    SOLVED = "solved", "已解决"
    CLOSED = "closed", "已关闭"


class AchievementType(models.TextChoices):
    INVENTION_PATENT = "invention_patent", "发明专利"
    UTILITY_MODEL = "utility_model", "实用新型专利"
    SOFTWARE = "software", "软件著作权"
    NEW_VARIETY = "new_variety", "植物新品种"
    KNOW_HOW = "know_how", "技术秘密"
    OTHER = "other", "其他"


class Maturity(models.TextChoices):
    LAB = "lab", "实验室阶段"
    PILOT = "pilot", "中试阶段"
    INDUSTRIALISED = "industrialised", "产业化阶段"


class AchievementStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    TRANSFERRED = "transferred", "已转化"
    WITHDRAWN = "withdrawn", "已撤回"


# Statuses in which a need or achievement is shown to readers beyond its owner and staff.
NEED_LISTED = (NeedStatus.PUBLISHED, NeedStatus.IN_DOCKING, NeedStatus.SOLVED)
ACHIEVEMENT_LISTED = (AchievementStatus.PUBLISHED, AchievementStatus.TRANSFERRED)
# Needs a docking can still be opened on.
NEED_OPEN = (NeedStatus.PUBLISHED, NeedStatus.IN_DOCKING)


class TechNeed(Placed, BaseModel):
    """企业技术需求: what an enterprise wants solved, and how it would cooperate."""

    SCOPE = Scope(division="division_code", zone="zone_id", organization="enterprise_id")

    enterprise = models.ForeignKey(
        "orgs.Organization",
        verbose_name="需求企业",
        on_delete=models.PROTECT,
        related_name="tech_needs",
    )
    title = models.CharField("需求名称", max_length=200)
    description = models.TextField("需求描述")
    field = models.CharField("技术领域", max_length=50, blank=True, db_index=True)
    keywords = models.CharField("关键词", max_length=650, blank=True)
    budget_min = models.DecimalField("预算下限（元）", null=True, blank=True, **MONEY)
    budget_max = models.DecimalField("预算上限（元）", null=True, blank=True, **MONEY)
    mode = models.CharField(
        "合作方式",
        max_length=20,
        choices=CooperationMode.choices,
        default=CooperationMode.JOINT_DEVELOPMENT,
    )
    deadline = models.DateField("截止日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=NeedStatus.choices, default=NeedStatus.DRAFT
    )
    visibility = models.CharField(
        "公开范围", max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    published_on = models.DateField("发布日期", null=True, blank=True, db_index=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "企业技术需求"
        verbose_name_plural = "企业技术需求"
        ordering = [F("published_on").desc(nulls_last=True), "-id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "title"], name="market_need_unique"),
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True)
                | Q(budget_max__isnull=True)
                | Q(budget_min__lte=F("budget_max")),
                name="market_need_budget_range",
            ),
            models.CheckConstraint(
                condition=(Q(budget_min__isnull=True) | Q(budget_min__gte=0))
                & (Q(budget_max__isnull=True) | Q(budget_max__gte=0)),
                name="market_need_budget_not_negative",
            ),
            division_code_check("market_need_division_six_digits"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def keyword_list(self) -> list[str]:
        return [k for k in self.keywords.split("；") if k]


class Achievement(Placed, BaseModel):
    """科技成果: a patent, software, variety or know-how an organization offers to transfer."""

    SCOPE = Scope(division="division_code", zone="zone_id", organization="owner_id")

    owner = models.ForeignKey(
        "orgs.Organization",
        verbose_name="成果单位",
        on_delete=models.PROTECT,
        related_name="achievements",
    )
    title = models.CharField("成果名称", max_length=200)
    abstract = models.TextField("成果简介")
    type = models.CharField("成果类型", max_length=20, choices=AchievementType.choices)
    patent_number = models.CharField("专利号/登记号", max_length=32, blank=True, db_index=True)
    field = models.CharField("技术领域", max_length=50, blank=True, db_index=True)
    keywords = models.CharField("关键词", max_length=650, blank=True)
    maturity = models.CharField(
        "成熟度", max_length=16, choices=Maturity.choices, default=Maturity.LAB
    )
    transfer_mode = models.CharField(
        "转化方式",
        max_length=20,
        choices=CooperationMode.choices,
        default=CooperationMode.TRANSFER,
    )
    price = models.DecimalField("转让价格（元）", null=True, blank=True, **MONEY)
    status = models.CharField(
        "状态", max_length=12, choices=AchievementStatus.choices, default=AchievementStatus.DRAFT
    )
    visibility = models.CharField(
        "公开范围", max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    published_on = models.DateField("发布日期", null=True, blank=True, db_index=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "科技成果"
        verbose_name_plural = "科技成果"
        ordering = [F("published_on").desc(nulls_last=True), "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "title"], name="market_achievement_unique"),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0),
                name="market_achievement_price_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(type="know_how") | Q(patent_number=""),
                name="market_achievement_know_how_has_no_number",
            ),
            division_code_check("market_achievement_division_six_digits"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def keyword_list(self) -> list[str]:
        return [k for k in self.keywords.split("；") if k]


class Expert(Placed, BaseModel):
    """An expert of the bureau's expert pool (专家库): who, where, which fields."""

    SCOPE = Scope(division="division_code", zone="zone_id", organization="employer_id")

    name = models.CharField("姓名", max_length=50)
    employer = models.ForeignKey(
        "orgs.Organization",
        verbose_name="工作单位",
        on_delete=models.PROTECT,
        related_name="experts",
    )
    title = models.CharField("职称", max_length=50, blank=True)
    fields = models.CharField("技术领域", max_length=650, blank=True)
    keywords = models.CharField("关键词", max_length=650, blank=True)
    bio = models.TextField("简介", blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    visibility = models.CharField(
        "公开范围", max_length=12, choices=Visibility.choices, default=Visibility.REGISTERED
    )
    achievements = models.ManyToManyField(
        Achievement, verbose_name="相关成果", blank=True, related_name="experts"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="专家账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profile",
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "专家"
        verbose_name_plural = "专家"
        ordering = ["division_code", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "name"], name="market_expert_unique"),
            division_code_check("market_expert_division_six_digits"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def field_list(self) -> list[str]:
        return [k for k in self.fields.split("；") if k]

    @property
    def keyword_list(self) -> list[str]:
        return [k for k in self.keywords.split("；") if k]


class EventKind(models.TextChoices):
    DOCKING_FAIR = "docking_fair", "对接会"
    LAUNCH = "launch", "成果发布会"
    ROADSHOW = "roadshow", "路演"


class MatchEvent(BaseModel):
    """对接会 / 成果发布会: where dockings are made in person."""

    SCOPE = Scope(division="division_code", zone="zone_id", organization="participants")

    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=16, choices=EventKind.choices)
    date = models.DateField("日期")
    place = models.CharField("地点", max_length=200)
    division_code = models.CharField("主办单位行政区划", max_length=6, db_index=True)
    zone = models.ForeignKey(
        "regions.Zone",
        verbose_name="园区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    participants = models.ManyToManyField(
        "orgs.Organization", verbose_name="参会单位", blank=True, related_name="match_events"
    )
    outcomes = models.TextField("成果摘要", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "对接活动"
        verbose_name_plural = "对接活动"
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["division_code", "date", "name"], name="market_event_unique"
            ),
            division_code_check("market_event_division_six_digits"),
        ]

    def __str__(self) -> str:
        return self.name


class DockingSource(models.TextChoices):
    RECOMMENDED = "recommended", "平台推荐"
    REQUESTED = "requested", "主动申请"
    AT_EVENT = "at_event", "活动现场"


class DockingStage(models.TextChoices):
    RECOMMENDED = "recommended", "已推荐"
    CONTACTED = "contacted", "已接洽"
    NEGOTIATING = "negotiating", "洽谈中"
    SIGNED = "signed", "已签约"
    FAILED = "failed", "未成功"


class DockingOutcome(models.TextChoices):
    """What a docking taught the ranking: kept apart from the stage for learning."""

    NONE = "", "—"
    CONTACTED = "contacted", "已接洽"
    SIGNED = "signed", "已签约"
    DECLINED = "declined", "未采纳"


class Docking(Placed, BaseModel):
    """对接: one need brought together with one counterpart (an achievement, an expert or an
    organization), moved through ``workflows.DOCKING_WORKFLOW``.

    Filed under the need's division and zone; the enterprise sees it as the need's owner, the
    counterpart's organization (``counterpart_org``: the achievement's owner, the expert's
    employer or the organization itself) as the other party.
    """

    SCOPE = Scope(division="division_code", zone="zone_id", organization="enterprise_id")

    need = models.ForeignKey(
        TechNeed, verbose_name="技术需求", on_delete=models.PROTECT, related_name="dockings"
    )
    achievement = models.ForeignKey(
        Achievement,
        verbose_name="对接成果",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dockings",
    )
    expert = models.ForeignKey(
        Expert,
        verbose_name="对接专家",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dockings",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="对接单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dockings_as_counterpart",
    )
    enterprise = models.ForeignKey(
        "orgs.Organization", verbose_name="需求企业", on_delete=models.PROTECT, related_name="+"
    )
    counterpart_org = models.ForeignKey(
        "orgs.Organization", verbose_name="对接方单位", on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField("来源", max_length=12, choices=DockingSource.choices)
    event = models.ForeignKey(
        MatchEvent,
        verbose_name="对接活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dockings",
    )
    stage = models.CharField(
        "阶段", max_length=12, choices=DockingStage.choices, default=DockingStage.RECOMMENDED
    )
    outcome = models.CharField(
        "对接结果", max_length=10, choices=DockingOutcome.choices, blank=True, default=""
    )
    outcome_reason = models.CharField("结果说明", max_length=500, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="负责人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="market_dockings",
    )
    notes = models.TextField("备注", blank=True)
    recommended_on = models.DateField("推荐日期")
    contacted_on = models.DateField("接洽日期", null=True, blank=True)
    negotiating_on = models.DateField("洽谈日期", null=True, blank=True)
    signed_on = models.DateField("签约日期", null=True, blank=True, db_index=True)
    failed_on = models.DateField("终止日期", null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "对接"
        verbose_name_plural = "对接"
        ordering = ["-recommended_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(achievement__isnull=False, expert__isnull=True, organization__isnull=True)
                    | Q(achievement__isnull=True, expert__isnull=False, organization__isnull=True)
                    | Q(achievement__isnull=True, expert__isnull=True, organization__isnull=False)
                ),
                name="market_docking_one_counterpart",
            ),
            models.UniqueConstraint(
                fields=["need", "achievement"],
                condition=Q(achievement__isnull=False) & ~Q(stage="failed"),
                name="market_docking_open_achievement",
            ),
            models.UniqueConstraint(
                fields=["need", "expert"],
                condition=Q(expert__isnull=False) & ~Q(stage="failed"),
                name="market_docking_open_expert",
            ),
            models.UniqueConstraint(
                fields=["need", "organization"],
                condition=Q(organization__isnull=False) & ~Q(stage="failed"),
                name="market_docking_open_organization",
            ),
            models.CheckConstraint(
                condition=~Q(source="at_event") | Q(event__isnull=False),
                name="market_docking_at_event_has_event",
            ),
            division_code_check("market_docking_division_six_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.need} ↔ {self.counterpart}"

    @property
    def counterpart(self):
        return self.achievement or self.expert or self.organization

    @property
    def counterpart_kind(self) -> str:
        if self.achievement_id:
            return "achievement"
        if self.expert_id:
            return "expert"
        return "organization"

    @property
    def counterpart_kind_label(self) -> str:
        return {"achievement": "成果", "expert": "专家", "organization": "单位"}[
            self.counterpart_kind
        ]


class ContractType(models.TextChoices):
    DEVELOPMENT = "development", "技术开发"
    TRANSFER = "transfer", "技术转让"
    LICENCE = "licence", "技术许可"
    CONSULTING = "consulting", "技术咨询"
    SERVICE = "service", "技术服务"


class TechContract(BaseModel):
    """技术合同认定登记: one registered technology contract.

    The seller is a registered organization (the contract is registered where the seller is,
    and carries the seller's division); the buyer may be outside the registry: ``buyer_name``
    always holds the buyer's name (copied from ``buyer`` when it is registered). A revoked
    registration stays on file but drops out of every figure.
    """

    SCOPE = Scope(division="division_code", zone="zone_id", organization="seller_id")

    registration_number = models.CharField("登记编号", max_length=32, unique=True)
    type = models.CharField("合同类型", max_length=12, choices=ContractType.choices)
    title = models.CharField("项目名称", max_length=200)
    seller = models.ForeignKey(
        "orgs.Organization",
        verbose_name="卖方",
        on_delete=models.PROTECT,
        related_name="contracts_sold",
    )
    buyer = models.ForeignKey(
        "orgs.Organization",
        verbose_name="买方（已登记机构）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts_bought",
    )
    buyer_name = models.CharField("买方名称", max_length=200)
    contract_amount = models.DecimalField("成交额（元）", **MONEY)
    tech_amount = models.DecimalField("技术交易额（元）", **MONEY)
    signed_on = models.DateField("签订日期")
    registered_on = models.DateField("登记日期", db_index=True)
    division_code = models.CharField("卖方行政区划", max_length=6, db_index=True)
    zone = models.ForeignKey(
        "regions.Zone",
        verbose_name="卖方所在园区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    docking = models.ForeignKey(
        Docking,
        verbose_name="来源对接",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    revoked = models.BooleanField("已撤销", default=False)
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    revoked_reason = models.CharField("撤销原因", max_length=500, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "技术合同"
        verbose_name_plural = "技术合同"
        ordering = ["-registered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_amount__gt=0), name="market_contract_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(tech_amount__gte=0) & Q(tech_amount__lte=F("contract_amount")),
                name="market_contract_tech_amount_le_amount",
            ),
            models.CheckConstraint(
                condition=Q(registered_on__gte=F("signed_on")),
                name="market_contract_registered_after_signed",
            ),
            models.CheckConstraint(condition=~Q(buyer_name=""), name="market_contract_buyer_named"),
            models.CheckConstraint(
                condition=Q(revoked=False) | (Q(revoked_on__isnull=False) & ~Q(revoked_reason="")),
                name="market_contract_revocation_complete",
            ),
            division_code_check("market_contract_division_six_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_number} {self.title}"
