"""The import page: upload → preview (a dry run) → confirm (a job) → result; templates, exports."""

from __future__ import annotations

import csv
import io
import tempfile
import uuid
from functools import wraps
from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from kechuang.core.exceptions import ApplicationError
from kechuang.core.models import ImportJob
from kechuang.core.scoping import STAFF_ROLES

from .engine import ImportReport, get_importer, importers, run_import
from .exports import write_export, write_template
from .tasks import job_processed_rows, run_import_job

PREVIEW_ERRORS = 1000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_SUFFIXES = (".xlsx", ".csv")


def staff_required(view):
    """Signed in (else to the login page) and staff: bureau, zone, admin or superuser (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_superuser or user.role in STAFF_ROLES):
            raise PermissionDenied("只有科技局、园区工作人员可以导入导出数据")
        return view(request, *args, **kwargs)

    wrapper.read_roles = STAFF_ROLES  # what the menu reads (core.context_processors)
    return wrapper


def kind_choices() -> list[tuple[str, str]]:
    return [(kind, cls.label) for kind, cls in importers().items()]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="导入类型", choices=kind_choices)
    file = forms.FileField(label="文件（.xlsx 或 .csv）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise forms.ValidationError("请上传 .xlsx 或 .csv 文件")
        return upload


def _job(request, pk) -> ImportJob:
    """The user's own job (a superuser's: any); another user's job is 404."""
    jobs = ImportJob.objects.all()
    if not request.user.is_superuser:
        jobs = jobs.filter(user=request.user)
    return get_object_or_404(jobs, pk=pk)


def _kind_or_404(kind: str):
    if kind not in importers():
        raise Http404("未知的导入类型")
    return get_importer(kind)


@staff_required
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
        job = ImportJob(kind=kind, user=request.user, original_name=upload.name[:255])
        job.file.save(f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}", upload, save=False)
        job.save()
        try:
            report = run_import(
                kind, job.file.path, actor=request.user, dry_run=True, file_name=job.original_name
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            job.delete()
        else:
            job.report = report.as_dict()
            job.total_rows = report.total_rows
            job.status = ImportJob.Status.PREVIEWED
            job.save(update_fields=["report", "total_rows", "status", "updated_at"])
            return redirect("core:import-preview", pk=job.pk)
    jobs = ImportJob.objects.filter(user=request.user)[:10]
    labels = dict(kind_choices())
    context = {
        "form": form,
        "kinds": kind_choices(),
        "jobs": [(job, labels.get(job.kind, job.kind)) for job in jobs],
    }
    return render(request, "imports/import.html", context)


@staff_required
def import_preview(request, pk):
    job = _job(request, pk)
    if job.status not in (ImportJob.Status.PREVIEWED, ImportJob.Status.PENDING):
        return redirect("core:import-result", pk=job.pk)
    report = ImportReport.from_dict(job.report)
    context = {
        "job": job,
        "report": report,
        "errors": report.errors[:PREVIEW_ERRORS],
        "more_errors": max(0, len(report.errors) - PREVIEW_ERRORS),
        "can_confirm": job.status == ImportJob.Status.PREVIEWED and report.ok,
    }
    return render(request, "imports/preview.html", context)


@staff_required
@require_POST
def import_confirm(request, pk):
    job = _job(request, pk)
    report = ImportReport.from_dict(job.report)
    if job.status != ImportJob.Status.PREVIEWED or not report.ok:
        return redirect("core:import-preview", pk=job.pk)
    job.status = ImportJob.Status.RUNNING
    job.processed_rows = 0
    job.started_at = timezone.now()
    job.save(update_fields=["status", "processed_rows", "started_at", "updated_at"])
    run_import_job.delay(job.pk)
    return redirect("core:import-result", pk=job.pk)


def _status_context(job: ImportJob) -> dict:
    report = ImportReport.from_dict(job.report) if job.report else None
    processed = job_processed_rows(job)
    total = job.total_rows or 0
    return {
        "job": job,
        "report": report,
        "processed": processed,
        "total": total,
        "percent": min(100, round(100 * processed / total)) if total else 0,
        "finished": job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED),
        "errors": report.errors[:PREVIEW_ERRORS] if report else [],
        "more_errors": max(0, len(report.errors) - PREVIEW_ERRORS) if report else 0,
    }


@staff_required
def import_result(request, pk):
    job = _job(request, pk)
    return render(request, "imports/result.html", _status_context(job))


@staff_required
@require_GET
def import_status(request, pk):
    job = _job(request, pk)
    return render(request, "imports/_status.html", _status_context(job))


@staff_required
@require_GET
def import_errors(request, pk):
    """Every error of a job's report as CSV (UTF-8 with BOM, for Excel)."""
    job = _job(request, pk)
    report = ImportReport.from_dict(job.report)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["行号", "列", "值", "原因"])
    for error in report.errors:
        writer.writerow([error.row or "", error.column, error.value, error.reason])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


def _file_response(write, filename: str, content_type: str) -> FileResponse:
    stream = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response
    write(stream)
    stream.seek(0)
    return FileResponse(stream, as_attachment=True, filename=filename, content_type=content_type)


@staff_required
@require_GET
def import_template(request, kind):
    importer = _kind_or_404(kind)
    return _file_response(
        lambda stream: write_template(kind, stream), f"{importer.label}导入模板.xlsx", XLSX_TYPE
    )


@staff_required
@require_GET
def export(request, kind):
    """What the user can see of ``kind``, in the import format (xlsx; ``?format=csv``)."""
    importer = _kind_or_404(kind)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else XLSX_TYPE
    filename = f"{importer.label}{timezone.localdate():%Y%m%d}.{fmt}"
    return _file_response(
        lambda stream: write_export(kind, stream, user=request.user, fmt=fmt),
        filename,
        content_type,
    )
