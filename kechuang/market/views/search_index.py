"""The search indexes' page (staff): each index's version and size, and a rebuild run as a
background job whose progress the job page shows."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from kechuang.core.jobs import job_create
from kechuang.core.scoping import Roles
from kechuang.core.views import RoleRequiredMixin

from .. import search, tasks


class SearchIndexView(RoleRequiredMixin, View):
    read_roles = (Roles.BUREAU,)
    template_name = "market/search_index.html"

    def get(self, request):
        return render(
            request,
            self.template_name,
            {"indexes": [search.status(kind) for kind in search.KINDS], "title": "检索索引"},
        )

    def post(self, request):
        kind = request.POST.get("kind", "")
        if kind not in search.KINDS:
            raise Http404("未知的检索索引。")
        label = search.kind_of(kind).label
        job = job_create(actor=request.user, name="market.reindex", label=f"重建{label}检索索引")
        transaction.on_commit(lambda: tasks.rebuild_index.delay(job.pk, kind))
        return redirect(reverse("core:job", args=[job.pk]))
