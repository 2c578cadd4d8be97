"""Long jobs with progress: ``job_create`` records the job, a Celery task calls ``job_run``
with a function that reports ``progress(done, total)``; pages poll the job (``core:job``).

Progress is written with a plain UPDATE at most every ``INTERVAL`` seconds, outside any
transaction of the job's own work, so other processes see it as it moves.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from .audit import record_event
from .models import Job

logger = logging.getLogger(__name__)
INTERVAL = 0.5


def job_create(*, actor, name: str, label: str) -> Job:
    job = Job.objects.create(name=name, label=label, user=actor)
    record_event(actor=actor, verb="job.created", obj=job, data={"name": name})
    return job


class Progress:
    """``progress(done, total)``: throttled updates of the job's row."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < INTERVAL and done < total:
            return
        self.last = now
        Job.objects.filter(pk=self.job_id).update(done=done, total=total)


def job_run(job_id: int, work: Callable[[Progress], dict | None]) -> Job:
    """Run ``work(progress)`` for the job: running → done with its result, or failed with the
    error's message (the exception is logged, not raised: the job's row tells the user)."""
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, started_at=timezone.now())
    try:
        result = work(Progress(job_id)) or {}
    except Exception as exc:
        logger.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
    else:
        with transaction.atomic():
            job = Job.objects.select_for_update().get(pk=job_id)
            job.status, job.result, job.finished_at = Job.Status.DONE, result, timezone.now()
            job.done = max(job.done, job.total)
            job.save(update_fields=["status", "result", "finished_at", "done", "updated_at"])
    return Job.objects.get(pk=job_id)
