"""A background job's page: its progress while it runs (polled by htmx), then its outcome.
The user who started it and administrators see it; anyone else gets 404."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views import View

from kechuang.core.models import Job
from kechuang.core.scoping import Roles

from .access import RoleRequiredMixin


class JobView(RoleRequiredMixin, View):
    template_name = "jobs/job.html"
    partial_template = "jobs/_status.html"

    def get(self, request, pk: int):
        user = request.user
        job = Job.objects.filter(pk=pk).first()
        admin = user.is_superuser or user.role == Roles.ADMIN
        if job is None or not (admin or job.user_id == user.pk):
            raise Http404("没有找到该任务。")
        htmx = getattr(request, "htmx", None)
        template = self.partial_template if htmx else self.template_name
        return render(request, template, {"job": job, "title": job.label})
