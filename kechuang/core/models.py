"""Shared kernel models: the base model and the audit event."""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models

from .exceptions import ValidationFailed

DIVISION_CODE_RE = r"^[0-9]{6}$"


def division_code_check(name: str) -> models.CheckConstraint:
    """The named constraint every scoped model carries: ``division_code`` is six digits."""
    return models.CheckConstraint(
        condition=models.Q(division_code__regex=DIVISION_CODE_RE), name=name
    )


class BaseModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True

    def clean_for_save(self, **kwargs) -> None:
        """``full_clean`` for services: the first problem becomes a ``ValidationFailed`` naming
        its field (code ``duplicate`` for a uniqueness clash), never a server error."""
        try:
            self.full_clean(**kwargs)
        except DjangoValidationError as exc:
            field, errors = next(iter(exc.error_dict.items()))
            error = errors[0]
            message = error.message % error.params if error.params else error.message
            raise ValidationFailed(
                str(message),
                code="duplicate" if error.code == "unique" else "invalid",
                field=None if field == NON_FIELD_ERRORS else field,
            ) from None


class Placed(models.Model):
    """The division (and zone) a record belongs to, copied from its organization when it is
    written, so that it is scoped and counted without joins (``SCOPE = Scope(division=…)``)."""

    division_code = models.CharField("行政区划代码", max_length=6, db_index=True)
    zone = models.ForeignKey(
        "regions.Zone",
        verbose_name="所在园区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """A domain event written by a service: who did what to which object, and the details."""

    occurred_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField("事件", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象", max_length=64)
    object_repr = models.CharField("对象名称", max_length=255, blank=True)
    data = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.verb} {self.object_repr}"


class ImportJob(BaseModel):
    """One file uploaded for import: kept between preview and confirm, with its report."""

    class Status(models.TextChoices):
        PENDING = "pending", "待检查"
        PREVIEWED = "previewed", "已预览"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("导入类型", max_length=32)
    file = models.FileField("文件", upload_to="imports/", blank=True)
    original_name = models.CharField("原文件名", max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="pending")
    total_rows = models.PositiveIntegerField("总行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理行数", default=0)
    report = models.JSONField("报告", default=dict, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class TransitionLog(models.Model):
    """One step of a workflow (kechuang.core.workflow): who moved which object from where to
    where, when, and why."""

    occurred_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    workflow = models.CharField("流程", max_length=64)
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象", max_length=64)
    action = models.CharField("操作", max_length=32)
    source = models.CharField("原状态", max_length=32)
    target = models.CharField("新状态", max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "流程记录"
        verbose_name_plural = "流程记录"
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="transition_object_idx")]

    def __str__(self) -> str:
        return f"{self.workflow}.{self.action} {self.object_type}#{self.object_id}"


class Job(BaseModel):
    """A long job run in the background (eagerly when no broker is configured): what it does,
    who started it, how far it has got and how it ended. Pages poll it to show progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    name = models.CharField("任务类型", max_length=64, db_index=True)
    label = models.CharField("任务", max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="queued")
    total = models.PositiveIntegerField("总量", default=0)
    done = models.PositiveIntegerField("已完成", default=0)
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.CharField("失败原因", max_length=500, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.label} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(100 * self.done / self.total)) if self.total else 0
