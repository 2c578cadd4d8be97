"""Tabular import/export of the registries (xlsx and csv).

The Python API::

    report = run_import("organizations", "orgs.csv", actor=None, dry_run=False, progress=None)
    report.created, report.updated, report.unchanged, report.errors
    write_export("enterprise-years", "facts.xlsx", user=request.user)

Each app declares its kinds in ``<app>/imports.py`` (columns, natural key, validators).
"""

from .engine import Importer, ImportReport, RowError, get_importer, importers, register, run_import
from .exports import export_header, export_queryset, export_rows, write_export, write_template

__all__ = [
    "ImportReport",
    "Importer",
    "RowError",
    "export_header",
    "export_queryset",
    "export_rows",
    "get_importer",
    "importers",
    "register",
    "run_import",
    "write_export",
    "write_template",
]
