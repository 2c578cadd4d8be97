"""Background jobs of the technology market (thin: the work is in ``search``)."""

from __future__ import annotations

from celery import shared_task

from kechuang.core.jobs import job_run

from . import search


@shared_task
def rebuild_index(job_id: int, kind: str) -> None:
    """Build a new version of a search index aside and switch to it, reporting progress."""

    def work(progress):
        version = search.rebuild(kind, progress)
        label = search.kind_of(kind).label
        return {"version": version, "summary": f"{label}检索索引已更新为 {version}"}

    job_run(job_id, work)
