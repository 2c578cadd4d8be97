"""政策兑现 (list, detail, amount, workflow), budgets and the experts' innovation scores."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.views import View

from kechuang.core.audit import events_for
from kechuang.core.exceptions import ApplicationError, NotInScope
from kechuang.core.scoping import STAFF_ROLES, visible_to
from kechuang.core.views import (
    Column,
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    add_service_error,
    workflow_steps,
)
from kechuang.orgs.models import Organization, OrgKind

from .. import selectors, services
from ..filtersets import InnovationAssessmentFilterSet, PolicyBudgetFilterSet, RedemptionFilterSet
from ..forms import (
    AmountForm,
    AssessmentForm,
    BudgetForm,
    TransitionForm,
)
from ..models import Redemption
from ..workflows import OPEN, REDEMPTION_WORKFLOW
from .common import (
    BUREAU,
    READERS,
    STATUS_BADGE,
    condition_rows,
    is_staff,
    policy_label,
)

# --- 政策兑现 -----------------------------------------------------------------------------------


def status_badge(redemption) -> str:
    css = STATUS_BADGE.get(redemption.status, "bg-secondary-lt")
    return format_html('<span class="badge {}">{}</span>', css, redemption.get_status_display())


class RedemptionListView(ScopedListView):
    read_roles = READERS
    selector = staticmethod(selectors.redemption_list)
    filterset_class = RedemptionFilterSet
    filter_fields = ("policy", "year", "status", "source", "division")
    search_fields = ("organization__name", "organization__uscc")
    search_placeholder = "企业名称或统一社会信用代码"
    title = "政策兑现"
    detail_url_name = "policies:redemption-detail"
    template_name = "policies/redemption_list.html"
    columns = (
        Column("企业", "organization.name", link=True),
        Column("政策", lambda r: policy_label(r.policy)),
        Column("会计年度", "year"),
        Column("行政区划", "division_code", kind="division"),
        Column("来源", "get_source_display"),
        Column("兑现金额（万元）", "amount", kind="money"),
        Column("状态", status_badge),
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = {k: v for k, v in self.request.GET.items() if k in ("policy", "year", "division")}
        base = reverse("api:redemption-export")
        context["exports"] = [
            (label, base + "?" + "&".join(f"{k}={v}" for k, v in {**params, **extra}.items()))
            for label, extra in (
                ("导出已批准和已拨付", {}),
                ("导出已批准", {"status": "approved"}),
                ("导出已拨付", {"status": "paid"}),
            )
        ]
        context["can_export"] = is_staff(self.request.user)
        return context


class RedemptionDetailView(ScopedDetailView):
    read_roles = READERS
    selector = staticmethod(selectors.redemption_list)
    template_name = "policies/redemption_detail.html"
    show_history = False  # steps and amount changes are shown from the workflow and the events
    show_events = False

    def get_context_data(self, amount_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        redemption = self.object
        user = self.request.user
        actions = [
            t
            for t in REDEMPTION_WORKFLOW.transitions
            if t.allows_role(user) and redemption.status in t.sources
        ]
        snapshot = redemption.conditions or {}
        can_amount = is_staff(user) and redemption.status in OPEN
        context.update(
            policy_label=policy_label(redemption.policy),
            status_badge=status_badge(redemption),
            conditions=condition_rows(snapshot.get("conditions") or []),
            gaps=snapshot.get("gaps") or [],
            actions=actions,
            amount_form=amount_form
            or (
                AmountForm(
                    initial={
                        "amount": redemption.amount,
                        "override_reason": redemption.override_reason,
                    }
                )
                if can_amount
                else None
            ),
            transitions=workflow_steps(redemption),
            amount_changes=[
                {
                    "when": event.occurred_at,
                    "who": str(event.actor) if event.actor else "系统",
                    "before": event.data.get("from"),
                    "after": event.data.get("to"),
                    "reason": event.data.get("reason"),
                }
                for event in events_for(redemption).filter(verb="redemption.amount_set")
            ],
            organization_url=reverse("orgs:organization-detail", args=[redemption.organization_id]),
        )
        return context


class RedemptionObjectMixin(RoleRequiredMixin):
    read_roles = READERS

    def access_granted(self) -> None:
        try:
            self.object = selectors.redemption_list(self.request.user).get(pk=self.kwargs["pk"])
        except Redemption.DoesNotExist as exc:
            raise Http404("记录不存在") from exc

    def back(self):
        return HttpResponseRedirect(reverse("policies:redemption-detail", args=[self.object.pk]))


class RedemptionAmountView(RedemptionObjectMixin, View):
    read_roles = STAFF_ROLES

    def post(self, request, pk):
        form = AmountForm(request.POST)
        if form.is_valid():
            try:
                services.redemption_set_amount(
                    actor=request.user, redemption=self.object, **form.cleaned_data
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, "已保存兑现金额")
                return self.back()
        detail = RedemptionDetailView(request=request, kwargs={"pk": pk})
        detail.object = self.object
        context = detail.get_context_data(object=self.object, amount_form=form)
        return render(request, detail.template_name, context, status=400)


class RedemptionTransitionView(RedemptionObjectMixin, View):
    def post(self, request, pk):
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "未知的操作")
            return self.back()
        try:
            services.redemption_transition(
                actor=request.user, redemption=self.object, **form.cleaned_data
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            label = REDEMPTION_WORKFLOW.get(form.cleaned_data["action"]).label
            messages.success(request, f"已{label}")
        return self.back()


# --- budgets ------------------------------------------------------------------------------------


class BudgetListView(ScopedListView):
    read_roles = BUREAU
    selector = staticmethod(selectors.policy_budget_list)
    filterset_class = PolicyBudgetFilterSet
    filter_fields = ("policy", "year", "division")
    title = "兑现预算"
    create_url_name = "policies:budget-create"
    create_roles = BUREAU
    create_label = "设置预算"
    columns = (
        Column("政策", lambda b: policy_label(b.policy)),
        Column("年度", "year"),
        Column("行政区划", "division_code", kind="division"),
        Column("预算（万元）", "amount", kind="money"),
        Column("已使用（万元）", "used", kind="money", link=lambda b: _committed_url(b)),
        Column("余额（万元）", "remaining", kind="money"),
        Column("使用率", lambda b: f"{b.used / b.amount:.1%}" if b.amount else "—"),
    )

    def get_rows(self, objects):
        return super().get_rows(selectors.with_usage(objects))


def _committed_url(budget) -> str:
    return (
        reverse("policies:redemption-list")
        + f"?policy={budget.policy}&year={budget.year}&division={budget.division_code}"
    )


class BudgetCreateView(ServiceFormView):
    write_roles = BUREAU
    form_class = BudgetForm
    title = "设置兑现预算"
    submit_label = "保存预算"
    success_message = "已保存预算：{obj}"

    def cancel_url(self):
        return reverse("policies:budget-list")

    def success_url_for(self, obj):
        return reverse("policies:budget-list") + f"?policy={obj.policy}&year={obj.year}"

    def perform(self, form):
        data = form.cleaned_data
        return services.policy_budget_set(
            actor=self.request.user,
            policy_key=data["policy"],
            year=data["year"],
            division_code=data["division_code"],
            amount=data["amount"],
        )


# --- experts' innovation scores -----------------------------------------------------------------


class AssessmentListView(ScopedListView):
    read_roles = READERS
    selector = staticmethod(selectors.innovation_assessment_list)
    filterset_class = InnovationAssessmentFilterSet
    filter_fields = ("year", "division")
    search_fields = ("organization__name", "organization__uscc")
    search_placeholder = "企业名称或统一社会信用代码"
    title = "创新能力专家评分"
    create_url_name = "policies:assessment-create"
    create_label = "录入评分"
    columns = (
        Column(
            "企业",
            "organization.name",
            link=lambda a: reverse("orgs:organization-detail", args=[a.organization_id]),
        ),
        Column("统一社会信用代码", "organization.uscc"),
        Column("会计年度", "year"),
        Column("专家评分", "score", kind="number"),
        Column("评审日期", "assessed_on", kind="date"),
        Column("评审意见", "note"),
        Column("录入人", "created_by"),
        Column(
            "修改",
            lambda a: format_html(
                '<a href="{}?uscc={}&year={}">修改</a>',
                reverse("policies:assessment-create"),
                a.organization.uscc,
                a.year,
            ),
        ),
    )


class AssessmentCreateView(ServiceFormView):
    """录入 (or correct) an enterprise's experts' score; ``?uscc=&year=`` pre-fill the form."""

    form_class = AssessmentForm
    title = "录入创新能力专家评分"
    submit_label = "保存评分"
    success_message = "已保存专家评分：{obj}"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user", None)
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        uscc = self.request.GET.get("uscc", "").strip().upper()
        year = self.request.GET.get("year", "")
        if uscc:
            initial["uscc"] = uscc
        if year.isdigit():
            initial["year"] = int(year)
        found = (
            selectors.innovation_assessment_list(self.request.user)
            .filter(organization__uscc=uscc, year=initial.get("year"))
            .first()
            if uscc and "year" in initial
            else None
        )
        if found is not None:
            initial.update(score=found.score, assessed_on=found.assessed_on, note=found.note)
        return initial

    def cancel_url(self):
        return reverse("policies:assessment-list")

    def success_url_for(self, obj):
        return reverse("policies:assessment-list") + f"?year={obj.year}"

    def perform(self, form):
        data = dict(form.cleaned_data)
        uscc = data.pop("uscc")
        enterprises = visible_to(
            Organization.objects.filter(kind=OrgKind.ENTERPRISE), self.request.user
        )
        organization = enterprises.filter(uscc=uscc).first()
        if organization is None:
            raise NotInScope(f"辖区内没有统一社会信用代码为 {uscc} 的企业", field="uscc")
        return services.innovation_assessment_set(
            actor=self.request.user, organization=organization, **data
        )
