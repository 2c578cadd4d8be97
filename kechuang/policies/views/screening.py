"""免申即享筛查 (with export and confirmation of the list), the 梯次培育 reserve, and an
enterprise's 我的政策 with its application."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from kechuang.core.exceptions import ApplicationError, NotInScope
from kechuang.core.imports.writers import write_table
from kechuang.core.scoping import STAFF_ROLES, Roles
from kechuang.core.views import (
    RoleRequiredMixin,
    add_service_error,
)
from kechuang.engines.rules import POLICIES, ZONE, Policy

from .. import selectors, services
from ..forms import (
    ApplyForm,
    ConfirmForm,
    ScreenForm,
    default_year,
)
from ..screening import flatten, screen_any, summarise
from .common import (
    PAGE,
    READERS,
    ScreenRow,
    condition_rows,
    is_staff,
    policy_label,
)

# --- 免申即享筛查 and the reserve -----------------------------------------------------------------


class ScreeningMixin(RoleRequiredMixin):
    """The form (policy, year, division) and its evaluation; ``policy`` in the query runs it."""

    read_roles = READERS
    entity: str | None = None
    default_policy = ""

    def run(self, user, policy: Policy, year: int, division: str | None) -> list[dict]:
        raise NotImplementedError

    def evaluate(self):
        """(form, policy, rows) — rows None when nothing was asked or the form is invalid."""
        request = self.request
        data = request.GET if "policy" in request.GET else None
        if data is None and self.default_policy:
            data = {"policy": self.default_policy, "year": default_year()}
        # Zone-level policies are for staff; an enterprise screens itself.
        entity = self.entity or (None if is_staff(request.user) else "enterprise")
        form = ScreenForm(data, user=request.user, entity=entity)
        if data is None or not form.is_valid():
            return form, None, None
        policy = POLICIES[form.cleaned_data["policy"]]
        try:
            rows = self.run(
                request.user,
                policy,
                form.cleaned_data["year"],
                form.cleaned_data.get("division") or None,
            )
        except NotInScope as exc:
            raise Http404(exc.message) from exc
        except ApplicationError as exc:
            add_service_error(form, exc)
            return form, policy, None
        return form, policy, rows


EXPORTS = ("xlsx", "csv")


class ScreenView(ScreeningMixin, TemplateView):
    """免申即享筛查: every enterprise (or zone) in scope, eligible first; export; confirm."""

    template_name = "policies/screen.html"

    def run(self, user, policy, year, division):
        scope = {"user": user, "policy_key": policy.key, "year": year, "division": division}
        # a page explains only the rows it shows; an export explains every row
        return screen_any(**scope, paged=self.request.GET.get("export") not in EXPORTS)

    def get(self, request, *args, **kwargs):
        form, policy, rows = self.evaluate()
        export = request.GET.get("export")
        if rows is not None and export in EXPORTS:
            return export_screening(policy, rows, export)
        return self.render_to_response(self.context(form, policy, rows))

    def context(self, form, policy, rows) -> dict:
        user = self.request.user
        page = None
        summary = {}
        if rows is not None:
            summary = summarise(rows)
            page = Paginator(rows, PAGE).get_page(self.request.GET.get("page"))
            page.object_list = [
                ScreenRow(r["id"], r, condition_rows(r["conditions"])) for r in page.object_list
            ]
        confirmable = bool(
            rows is not None
            and is_staff(user)
            and policy.entity != ZONE
            and policy.amount is not None
            and summary.get("eligible")
        )
        return {
            "title": "免申即享筛查",
            "form": form,
            "policy": policy,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number) if page else [],
            "summary": summary,
            "zone_policy": policy is not None and policy.entity == ZONE,
            "confirmable": confirmable,
            "can_assess": is_staff(user) and policy is not None and policy.key == "hnte",
            "year": form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None,
            "division": form.cleaned_data.get("division", "") if form.is_bound else "",
        }


def export_screening(policy: Policy, rows: list[dict], fmt_: str) -> HttpResponse:
    header, table = flatten(policy, rows)
    stream = io.BytesIO()
    write_table(stream, header, table, fmt=fmt_, title=policy.label[:30])
    content_type = (
        "text/csv; charset=utf-8"
        if fmt_ == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(stream.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=screen-{policy.key}.{fmt_}"
    return response


class ReserveView(ScreeningMixin, TemplateView):
    """梯次培育后备库: enterprises not yet qualified, the closest first, with their gaps."""

    template_name = "policies/reserve.html"
    entity = "enterprise"
    default_policy = "hnte"

    def run(self, user, policy, year, division):
        return selectors.reserve(
            user=user, policy_key=policy.key, year=year, division=division, limit=None
        )

    def get(self, request, *args, **kwargs):
        form, policy, rows = self.evaluate()
        page = None
        if rows is not None:
            page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
            page.object_list = [
                ScreenRow(r["id"], r, condition_rows(r["conditions"])) for r in page.object_list
            ]
        return self.render_to_response(
            {
                "title": "梯次培育后备库",
                "form": form,
                "policy": policy,
                "page_obj": page,
                "page_range": page.paginator.get_elided_page_range(page.number) if page else [],
            }
        )


class ConfirmView(RoleRequiredMixin, View):
    """确认名单: proposed redemptions for the eligible enterprises of the screening."""

    read_roles = STAFF_ROLES

    def post(self, request):
        form = ConfirmForm(request.POST)
        if not form.is_valid():
            messages.error(request, "确认名单的参数有误，请重新筛查")
            return HttpResponseRedirect(reverse("policies:screen-list"))
        data = form.cleaned_data
        try:
            created = services.redemptions_confirm_screening(
                actor=request.user,
                policy_key=data["policy"],
                year=data["year"],
                division=data.get("division") or None,
            )
        except NotInScope as exc:
            raise Http404(exc.message) from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("policies:screen-list"))
        messages.success(
            request,
            f"已确认名单：新生成 {len(created)} 条待核实的兑现记录"
            + ("（已有记录的企业不重复生成）" if not created else ""),
        )
        query = f"?policy={data['policy']}&year={data['year']}&source=proposed"
        return HttpResponseRedirect(reverse("policies:redemption-list") + query)


# --- 我的政策 -----------------------------------------------------------------------------------


class MyPoliciesView(RoleRequiredMixin, TemplateView):
    """An enterprise's own view: the policies it qualifies for (with the amount) and what it
    lacks for the others; an 申请兑现 button where a redeemable policy is met."""

    read_roles = frozenset({Roles.ENTERPRISE})
    template_name = "policies/mine.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        try:
            year = selectors.check_year(self.request.GET.get("year") or default_year())
        except ApplicationError:
            year = default_year()
        existing = {
            r.policy: r
            for r in selectors.redemption_list(user).filter(
                year=year, organization_id=user.organization_id
            )
        }
        qualified, others = [], []
        for policy in POLICIES.values():
            if policy.entity == ZONE:
                continue
            rows = selectors.screen(user=user, policy_key=policy.key, year=year)
            row = next((r for r in rows if r["id"] == user.organization_id), None)
            if row is None:
                continue
            item = {
                "policy": policy,
                "row": row,
                "conditions": condition_rows(row["conditions"]),
                "redemption": existing.get(policy.key),
                "can_apply": policy.amount is not None
                and row["eligible"]
                and (row.get("amount") or 0) > 0
                and policy.key not in existing,
            }
            (qualified if row["eligible"] else others).append(item)
        context.update(
            title="我的政策",
            year=year,
            years=range(default_year(), default_year() - 6, -1),
            qualified=qualified,
            others=others,
            organization=user.organization,
        )
        return context


class ApplyView(RoleRequiredMixin, View):
    read_roles = frozenset({Roles.ENTERPRISE})

    def post(self, request):
        form = ApplyForm(request.POST)
        if not form.is_valid():
            messages.error(request, "申请的政策或年度有误")
            return HttpResponseRedirect(reverse("policies:mine"))
        try:
            redemption = services.redemption_apply(
                actor=request.user,
                policy_key=form.cleaned_data["policy"],
                year=form.cleaned_data["year"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(
                reverse("policies:mine") + f"?year={form.cleaned_data['year']}"
            )
        messages.success(request, f"已提交“{policy_label(redemption.policy)}”兑现申请")
        return HttpResponseRedirect(reverse("policies:redemption-detail", args=[redemption.pk]))
