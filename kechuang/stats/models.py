"""Statistics kept as data: snapshots of indicator values and benchmark (reference) values."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from kechuang.core.models import BaseModel

VALUE = {"max_digits": 24, "decimal_places": 6, "null": True, "blank": True}


class Benchmark(BaseModel):
    """A national or provincial reference value (全国研发投入强度 …) with its year and source.

    Percentages are stored as ratios (2.65 % → 0.0265) with unit "%".
    """

    key = models.CharField("基准代码", max_length=64, help_text="如 national.rd_intensity")
    label = models.CharField("名称", max_length=100)
    value = models.DecimalField("数值", max_digits=24, decimal_places=6)
    unit = models.CharField("单位", max_length=16)
    year = models.PositiveSmallIntegerField("年度")
    source = models.CharField("来源", max_length=255)

    class Meta:
        verbose_name = "对比基准"
        verbose_name_plural = "对比基准"
        ordering = ["key", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["key", "year"], name="benchmark_key_year_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=1949) & Q(year__lte=2100), name="benchmark_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}（{self.year} 年）"


class Snapshot(models.Model):
    """A set of indicator values frozen together (e.g. the figures of a published bulletin)."""

    label = models.CharField("名称", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "指标快照"
        verbose_name_plural = "指标快照"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.label or f"快照 #{self.pk}"


class IndicatorValue(models.Model):
    """One figure as computed: the definition (and its version) it was made with is kept, so the
    value stays reproducible when the records behind it change later."""

    snapshot = models.ForeignKey(
        Snapshot, verbose_name="快照", on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.CharField("指标", max_length=64)
    label = models.CharField("指标名称", max_length=100)
    unit = models.CharField("单位", max_length=16)
    version = models.PositiveIntegerField("定义版本")
    definition = models.JSONField("定义", default=dict)
    division_code = models.CharField("行政区划代码", max_length=6, blank=True)
    division_name = models.CharField("行政区划", max_length=64, blank=True)
    zone = models.ForeignKey(
        "regions.Zone",
        verbose_name="园区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    period = models.CharField("期间", max_length=10)
    period_label = models.CharField("期间名称", max_length=32)
    value = models.DecimalField("数值", **VALUE)
    note = models.CharField("说明", max_length=100, blank=True)
    records_url = models.CharField("明细链接", max_length=500, blank=True)
    computed_at = models.DateTimeField("计算时间")
    position = models.PositiveIntegerField("序号", default=0)

    class Meta:
        verbose_name = "指标值"
        verbose_name_plural = "指标值"
        ordering = ["snapshot_id", "position"]
        indexes = [
            models.Index(
                fields=["indicator", "division_code", "period"], name="indicator_value_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.division_name or self.zone_id} {self.period}"
