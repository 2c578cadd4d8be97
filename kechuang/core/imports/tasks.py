"""The confirmed import of an uploaded file, run as a job (eagerly when no broker is set)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from kechuang.core.models import ImportJob

from .engine import ImportReport, RowError, run_import

logger = logging.getLogger(__name__)
PROGRESS_TIMEOUT = 6 * 3600


def progress_key(job_id: int) -> str:
    return f"import-job:{job_id}:processed"


def job_processed_rows(job: ImportJob) -> int:
    """Rows processed so far: the import writes in one transaction, so while it runs the count
    lives in the cache (shared with the web processes when Redis is configured)."""
    if job.status == ImportJob.Status.RUNNING:
        return cache.get(progress_key(job.pk), job.processed_rows)
    return job.processed_rows


def _fail(job: ImportJob, reason: str) -> None:
    report = ImportReport(kind=job.kind, file_name=job.original_name)
    report.errors.append(RowError(None, "", "", reason))
    job.status = ImportJob.Status.FAILED
    job.report = report.as_dict()
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "report", "finished_at", "updated_at"])


@shared_task
def run_import_job(job_id: int) -> str:
    """Import the file of an ImportJob as its user; the job records progress and the report."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.user is None:
        _fail(job, "导入任务没有操作人，无法执行")
        return job.status
    job.status = ImportJob.Status.RUNNING
    job.started_at = timezone.now()
    job.processed_rows = 0
    job.save(update_fields=["status", "started_at", "processed_rows", "updated_at"])

    def progress(done: int, total: int | None) -> None:
        cache.set(progress_key(job.pk), done, PROGRESS_TIMEOUT)

    try:
        report = run_import(
            job.kind,
            job.file.path,
            actor=job.user,
            progress=progress,
            job=job,
            file_name=job.original_name,
        )
    except Exception as exc:  # the job records any failure; the worker must not lose it
        logger.exception("import job %s failed", job.pk)
        _fail(job, f"导入失败：{exc}")
        return job.status
    finally:
        cache.delete(progress_key(job.pk))
    job.status = ImportJob.Status.DONE if report.written else ImportJob.Status.FAILED
    job.report = report.as_dict()
    job.total_rows = report.total_rows
    job.processed_rows = report.total_rows
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "report",
            "total_rows",
            "processed_rows",
            "finished_at",
            "updated_at",
        ]
    )
    return job.status
