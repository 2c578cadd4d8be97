from django.db import models
from simple_history.models import HistoricalRecords

from kechuang.core.models import BaseModel, division_code_check
from kechuang.core.scoping import Scope, ScopedQuerySet
from kechuang.regions.models import Level


class PlatformKind(models.TextChoices):
    INCUBATOR = "incubator", "孵化器"
    MAKERSPACE = "makerspace", "众创空间"
    ENG_RESEARCH_CENTER = "eng_research_center", "工程技术研究中心"
    TECH_INNOVATION_CENTER = "tech_innovation_center", "技术创新中心"
    KEY_LAB = "key_lab", "重点实验室"
    ENTERPRISE_INSTITUTE = "enterprise_institute", "企业研究院"
    NEW_RD_INSTITUTE = "new_rd_institute", "新型研发机构"
    UNIVERSITY_PARK = "university_park", "大学科技园"
    INNOVATION_CONSORTIUM = "innovation_consortium", "创新联合体"


class PlatformStatus(models.TextChoices):
    ACTIVE = "active", "运行"
    WARNED = "warned", "警告"
    REVOKED = "revoked", "撤销"


class Platform(BaseModel):
    SCOPE = Scope(division="division_code", zone="zone_id", organization="host_id")

    name = models.CharField("平台名称", max_length=200)
    kind = models.CharField("类型", max_length=32, choices=PlatformKind.choices)
    level = models.CharField("级别", max_length=20, choices=Level.choices)
    host = models.ForeignKey(
        "orgs.Organization",
        verbose_name="依托单位",
        on_delete=models.PROTECT,
        related_name="platforms",
    )
    division_code = models.CharField("行政区划代码", max_length=6, db_index=True)
    zone = models.ForeignKey(
        "regions.Zone",
        verbose_name="所在园区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="platforms",
    )
    recognised_on = models.DateField("认定日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=PlatformStatus.choices, default=PlatformStatus.ACTIVE
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "创新平台"
        verbose_name_plural = "创新平台"
        ordering = ["division_code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["host", "kind", "name"], name="platform_unique_name"),
            division_code_check("platform_division_code_six_digits"),
        ]

    def __str__(self) -> str:
        return self.name
