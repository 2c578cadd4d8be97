"""Celery discovers ``<app>.tasks``: the core app's tasks live in their packages."""

from kechuang.core.imports.tasks import run_import_job

__all__ = ["run_import_job"]
