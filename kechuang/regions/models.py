from django.db import models
from simple_history.models import HistoricalRecords

from kechuang.core.models import BaseModel
from kechuang.core.scoping import Scope, ScopedQuerySet


class DivisionLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "地级"
    COUNTY = "county", "县级"


class Division(models.Model):
    """A GB/T 2260 administrative division: province XX0000, city XXXX00, county XXXXXX."""

    code = models.CharField("行政区划代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("级别", max_length=10, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_leaf = models.BooleanField("无下级", default=True)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{6}$"), name="division_code_six_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def prefix(self) -> str:
        from kechuang.core.scoping import division_prefix

        return division_prefix(self.code)


class ZoneKind(models.TextChoices):
    HITECH = "hitech", "高新区"
    ECON_DEV = "econ_dev", "经开区"
    INDUSTRIAL_PARK = "industrial_park", "产业园区"


class Level(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"


class ZoneStatus(models.TextChoices):
    ACTIVE = "active", "正常"
    WARNED = "warned", "警告"
    REVOKED = "revoked", "撤销"


class Zone(BaseModel):
    """A high-tech zone or park; it overlays divisions and has a host division."""

    SCOPE = Scope(division="division_code", zone="id")

    name = models.CharField("园区名称", max_length=128, unique=True)
    kind = models.CharField("类型", max_length=20, choices=ZoneKind.choices)
    level = models.CharField("级别", max_length=20, choices=Level.choices)
    division_code = models.CharField("所在行政区划", max_length=6, db_index=True)
    approved_on = models.DateField("批准设立日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=ZoneStatus.choices, default=ZoneStatus.ACTIVE
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "园区"
        verbose_name_plural = "园区"
        ordering = ["division_code", "name"]

    def __str__(self) -> str:
        return self.name
