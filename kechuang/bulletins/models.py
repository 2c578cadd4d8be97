from django.conf import settings
from django.db import models
from django.db.models import Q

from kechuang.core.models import BaseModel, division_code_check
from kechuang.core.scoping import Scope, ScopedQuerySet


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class Bulletin(BaseModel):
    """A work bulletin (工作简报) of a division or a zone for one period.

    ``body`` holds the bulletin's structure and its editable paragraph texts (placeholders bound
    to indicators); ``snapshot`` the values the placeholders stand for, frozen when the bulletin
    was generated. Both are JSON and together render the bulletin exactly; a published bulletin
    is read-only (copy it as a new draft to change it) and its values are also kept as a
    statistics snapshot (``stats_snapshot``: one IndicatorValue per figure).
    """

    SCOPE = Scope(division="division_code", zone="zone_id")

    title = models.CharField("标题", max_length=200)
    issuer = models.CharField("编发单位", max_length=100)
    division_code = models.CharField("行政区划", max_length=6, db_index=True)
    zone = models.ForeignKey(
        "regions.Zone",
        verbose_name="园区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bulletins",
    )
    period = models.CharField("期间", max_length=12)
    template = models.CharField("模板", max_length=32)
    status = models.CharField(
        "状态", max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    # The series a bulletin's issue numbers run in: its division code, or "zone-<id>".
    series = models.CharField("期号系列", max_length=16, editable=False)
    issue_year = models.PositiveSmallIntegerField("期号年度", null=True, blank=True)
    issue_number = models.PositiveIntegerField("期号", null=True, blank=True)
    body = models.JSONField("正文", default=dict)
    snapshot = models.JSONField("数据快照", default=dict)
    computed_at = models.DateTimeField("数据计算时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # On publication the snapshot's values are also frozen as the statistics' IndicatorValues.
    stats_snapshot = models.ForeignKey(
        "stats.Snapshot",
        verbose_name="指标快照",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bulletins",
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name="复制自",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "工作简报"
        verbose_name_plural = "工作简报"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["division_code", "period"], name="bulletin_place_period")]
        constraints = [
            division_code_check("bulletin_division_code_six_digits"),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (
                    Q(published_at__isnull=False)
                    & Q(issue_year__isnull=False)
                    & Q(issue_number__isnull=False)
                ),
                name="bulletin_published_has_issue",
            ),
            models.UniqueConstraint(
                fields=["series", "issue_year", "issue_number"],
                condition=Q(status="published"),
                name="bulletin_issue_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == BulletinStatus.DRAFT

    @property
    def issue_label(self) -> str:
        if self.issue_number is None:
            return "（草稿）"
        return f"第 {self.issue_number} 期"
