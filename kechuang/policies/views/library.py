"""政策库: the policies with their conditions and parameters, a bureau's own values and their
change history."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from kechuang.core.exceptions import ApplicationError, NotInScope
from kechuang.core.scoping import Roles
from kechuang.core.views import (
    RoleRequiredMixin,
    add_service_error,
)
from kechuang.engines.rules import POLICIES, ZONE, Policy

from .. import selectors, services
from ..forms import (
    ParameterValueDeleteForm,
    ParameterValueForm,
)
from ..values import parameter_text
from .common import (
    READERS,
    is_admin,
    is_bureau,
    is_staff,
)

# --- 政策库 -------------------------------------------------------------------------------------


@dataclass
class PolicyRow:
    """A policy as a row of the library (``pk`` is its key)."""

    pk: str
    label: str
    source: str
    entity: str
    summary: str
    parameters: int
    local_values: int


class PolicyListView(RoleRequiredMixin, TemplateView):
    read_roles = READERS
    template_name = "policies/policy_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = [
            PolicyRow(
                pk=row["key"],
                label=row["label"],
                source=row["source"],
                entity="园区" if row["entity"] == ZONE else "企业",
                summary=row["summary"],
                parameters=len(row["parameters"]),
                local_values=sum(len(p["local_values"]) for p in row["parameters"]),
            )
            for row in selectors.policy_descriptions(self.request.user)
        ]
        context.update(object_list=rows, title="政策库")
        return context


class PolicyDetailView(RoleRequiredMixin, TemplateView):
    read_roles = READERS
    template_name = "policies/policy_detail.html"

    def access_granted(self) -> None:
        try:
            self.policy: Policy = selectors.policy_detail(self.kwargs["key"])
        except ApplicationError as exc:
            raise Http404(exc.message) from exc

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        [described] = selectors.policy_descriptions(user, [self.policy])
        parameters = []
        for parameter in described["parameters"]:
            unit = parameter["unit"]
            local = {(v["from"], v["division_code"]): v for v in parameter["local_values"]}
            shipped = {h["from"] for h in parameter["history"]}
            rows = []
            for item in parameter["effective"]:
                setter = next(
                    (v for (day, _code), v in sorted(local.items()) if day == item["from"]), None
                )
                rows.append(
                    {
                        "from": item["from"],
                        "text": parameter_text(item["value"], unit),
                        "json": json.dumps(item["value"], ensure_ascii=False),
                        "local": setter,
                        "shipped": item["from"] in shipped and setter is None,
                    }
                )
            overridden = [
                {**h, "text": parameter_text(h["value"], unit)}
                for h in parameter["history"]
                if any(day == h["from"] for day, _code in local)
            ]
            parameters.append({**parameter, "rows": rows, "overridden": overridden})
        admin = is_admin(user)
        can_edit = is_bureau(user) or admin
        context.update(
            policy=described,
            parameters=parameters,
            changes=described["changes"],
            can_edit=can_edit,
            form=form
            or (ParameterValueForm(policy=self.policy, admin=admin) if can_edit else None),
            division_name=_division_name(described["division_code"]),
            can_screen=is_staff(user),
        )
        return context


def _division_name(code: str) -> str:
    from kechuang.regions.selectors import division_full_name

    return division_full_name(code) if code else ""


class ParameterValueSetView(RoleRequiredMixin, View):
    read_roles = frozenset({Roles.BUREAU})

    def post(self, request, key):
        detail = PolicyDetailView(request=request, kwargs={"key": key})
        detail.access_granted()
        form = ParameterValueForm(request.POST, policy=detail.policy, admin=is_admin(request.user))
        if form.is_valid():
            try:
                value = services.parameter_value_set(
                    actor=request.user, policy_key=detail.policy.key, **form.cleaned_data
                )
            except NotInScope as exc:
                raise Http404(exc.message) from exc
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    f"已设定“{detail.policy.parameters[value.parameter].label}”"
                    f"自 {value.effective_from} 起的本级取值",
                )
                return HttpResponseRedirect(reverse("policies:policy-detail", args=[key]))
        context = detail.get_context_data(form=form)
        return render(request, detail.template_name, context, status=400)


class ParameterValueDeleteView(RoleRequiredMixin, View):
    read_roles = frozenset({Roles.BUREAU})

    def post(self, request, key):
        if key not in POLICIES:
            raise Http404("未知的政策")
        form = ParameterValueDeleteForm(request.POST)
        target = reverse("policies:policy-detail", args=[key])
        if not form.is_valid():
            messages.error(request, "请填写撤销理由")
            return HttpResponseRedirect(target)
        try:
            services.parameter_value_delete(actor=request.user, policy_key=key, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已撤销本级取值，恢复适用上级或政策文件规定的取值")
        return HttpResponseRedirect(target)
