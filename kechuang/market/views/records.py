"""Pages of the technology market (staff and organization users; the public 供需大厅 lives
under /market/hall/ and reads the same models)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.views import View

from kechuang.core.exceptions import ApplicationError, NotInScope
from kechuang.core.identifiers import mask_phone
from kechuang.core.scoping import ALL_ROLES, STAFF_ROLES, Roles, scope_q
from kechuang.core.templatetags.kechuang import wan
from kechuang.core.views import (
    Column,
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ServiceCreateView,
    ServiceUpdateView,
    has_role,
    workflow_steps,
)
from kechuang.core.workflow import workflow_for

from .. import filtersets, selectors, services
from ..forms import AchievementForm, DockingForm, TechNeedForm
from ..models import NEED_OPEN, DockingStage, TechNeed

PARTIES = STAFF_ROLES | {Roles.ENTERPRISE, Roles.UNIVERSITY}
DOCKING_READERS = PARTIES | {Roles.EXPERT}
NEED_WRITERS = STAFF_ROLES | {Roles.ENTERPRISE}
ACHIEVEMENT_WRITERS = STAFF_ROLES | {Roles.ENTERPRISE, Roles.UNIVERSITY}
STAGE_COLOURS = {
    DockingStage.RECOMMENDED: "azure",
    DockingStage.CONTACTED: "blue",
    DockingStage.NEGOTIATING: "orange",
    DockingStage.SIGNED: "green",
    DockingStage.FAILED: "secondary",
}


def badge(text, colour: str = "blue"):
    return format_html('<span class="badge bg-{}-lt">{}</span>', colour, text)


def org_url(obj_org_id) -> str:
    return reverse("orgs:organization-detail", args=[obj_org_id])


def workflow_actions(obj, user) -> list[dict]:
    """The workflow steps ``user`` may take on ``obj`` now, for the action buttons."""
    workflow = workflow_for(obj)
    model = type(obj)
    movable = (workflow.scope or scope_q)(model, user)
    if not model._default_manager.filter(movable, pk=obj.pk).exists():
        return []  # readable (published) but not the user's to move
    return [
        {"action": step.action, "label": step.label, "needs_note": step.needs_note}
        for step in workflow.available(obj, user)
        if step.action != "register_contract"
    ]


# --- needs -----------------------------------------------------------------------------------


class NeedListView(ScopedListView):
    read_roles = ALL_ROLES
    selector = selectors.need_list
    filterset_class = filtersets.TechNeedFilterSet
    filter_fields = ("division", "zone", "status", "mode", "field")
    search_fields = ("title", "keywords", "description")
    search_placeholder = "需求名称、关键词或描述"
    title = "企业技术需求"
    detail_url_name = "market:need-detail"
    create_url_name = "market:need-create"
    create_roles = NEED_WRITERS
    create_label = "发布需求"
    columns = (
        Column("需求名称", "title", link=True),
        Column("需求企业", "enterprise.name"),
        Column("技术领域", "field"),
        Column("合作方式", "get_mode_display"),
        Column("预算上限", "budget_max", kind="money"),
        Column("行政区划", "division_code", kind="division"),
        Column("截止日期", "deadline", kind="date"),
        Column("发布日期", "published_on", kind="date"),
        Column("状态", "get_status_display"),
    )


class NeedDetailView(ScopedDetailView):
    read_roles = ALL_ROLES
    selector = selectors.need_list
    template_name = "market/need_detail.html"
    event_steps = False  # in the stage log
    event_labels = {
        "market_need.in_docking": "进入对接",
        "market_need.published": "对接均已终止，重新开放",
        "market_need.solved": "对接签约，需求已解决",
    }

    def event_detail(self, obj, name, value):
        if name == "docking":
            docking = obj.dockings.filter(pk=value).first()
            return "对接", str(docking) if docking else f"第 {value} 号"
        return super().event_detail(obj, name, value)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        need = self.object
        owner = has_role(user, STAFF_ROLES) or need.enterprise_id == user.organization_id
        context.update(
            can_edit=owner and has_role(user, NEED_WRITERS),
            actions=workflow_actions(need, user),
            action_url=reverse("market:need-transition", args=[need.pk]),
            dockings=selectors.docking_list(user).filter(need=need),
            stage_log=workflow_steps(need),
            stage_colours=STAGE_COLOURS,
            can_dock=need.status in NEED_OPEN and has_role(user, PARTIES),
        )
        return context


class NeedCreateView(ServiceCreateView):
    write_roles = NEED_WRITERS
    form_class = TechNeedForm
    title = "发布企业技术需求"
    detail_url_name = "market:need-detail"

    def cancel_url(self):
        return reverse("market:need-list")

    def perform(self, form):
        return services.need_create(actor=self.request.user, **form.service_data())


class NeedUpdateView(ServiceUpdateView):
    write_roles = NEED_WRITERS
    selector = selectors.need_list
    form_class = TechNeedForm
    detail_url_name = "market:need-detail"

    @property
    def title(self):
        return f"编辑需求：{self.object}"

    def perform(self, form):
        return services.need_update(
            actor=self.request.user, need=self.object, **form.changed_service_data()
        )


class DockingCreateView(ServiceCreateView):
    """推荐对接 (staff) / 申请对接 (the enterprise for its need, a university with its own
    achievement or expert) from a need's page."""

    write_roles = PARTIES
    form_class = DockingForm
    detail_url_name = "market:docking-detail"
    success_message = "已创建对接：{obj}"

    def access_granted(self) -> None:
        try:
            self.need = selectors.need_list(self.request.user).get(pk=self.kwargs["pk"])
        except TechNeed.DoesNotExist as exc:
            raise Http404("记录不存在") from exc

    @property
    def title(self):
        return f"对接需求：{self.need}"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["need"] = self.need
        return kwargs

    def cancel_url(self):
        return reverse("market:need-detail", args=[self.need.pk])

    def perform(self, form):
        return services.docking_create(
            actor=self.request.user, need=self.need, **form.service_data()
        )


# --- achievements ----------------------------------------------------------------------------


class AchievementListView(ScopedListView):
    read_roles = ALL_ROLES
    selector = selectors.achievement_list
    filterset_class = filtersets.AchievementFilterSet
    filter_fields = ("division", "zone", "type", "maturity", "status", "field")
    search_fields = ("title", "keywords", "abstract")
    search_placeholder = "成果名称、关键词或简介"
    title = "科技成果"
    detail_url_name = "market:achievement-detail"
    create_url_name = "market:achievement-create"
    create_roles = ACHIEVEMENT_WRITERS
    create_label = "发布成果"
    columns = (
        Column("成果名称", "title", link=True),
        Column("成果单位", "owner.name"),
        Column("类型", "get_type_display"),
        Column("技术领域", "field"),
        Column("成熟度", "get_maturity_display"),
        Column("转让价格", lambda a: wan(a.price) if a.price is not None else "面议"),
        Column("发布日期", "published_on", kind="date"),
        Column("状态", "get_status_display"),
    )


class AchievementDetailView(ScopedDetailView):
    read_roles = ALL_ROLES
    selector = selectors.achievement_list
    template_name = "market/achievement_detail.html"
    event_steps = False  # in the stage log

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        item = self.object
        owner = has_role(user, STAFF_ROLES) or item.owner_id == user.organization_id
        context.update(
            can_edit=owner and has_role(user, ACHIEVEMENT_WRITERS),
            actions=workflow_actions(item, user),
            action_url=reverse("market:achievement-transition", args=[item.pk]),
            experts=selectors.expert_list(user).filter(achievements=item),
            dockings=selectors.docking_list(user).filter(achievement=item),
            stage_log=workflow_steps(item),
            stage_colours=STAGE_COLOURS,
        )
        return context


class AchievementCreateView(ServiceCreateView):
    write_roles = ACHIEVEMENT_WRITERS
    form_class = AchievementForm
    title = "发布科技成果"
    detail_url_name = "market:achievement-detail"

    def cancel_url(self):
        return reverse("market:achievement-list")

    def perform(self, form):
        return services.achievement_create(actor=self.request.user, **form.service_data())


class AchievementUpdateView(ServiceUpdateView):
    write_roles = ACHIEVEMENT_WRITERS
    selector = selectors.achievement_list
    form_class = AchievementForm
    detail_url_name = "market:achievement-detail"

    @property
    def title(self):
        return f"编辑成果：{self.object}"

    def perform(self, form):
        return services.achievement_update(
            actor=self.request.user, achievement=self.object, **form.changed_service_data()
        )


# --- experts ---------------------------------------------------------------------------------


class ExpertListView(ScopedListView):
    read_roles = ALL_ROLES
    selector = selectors.expert_list
    filterset_class = filtersets.ExpertFilterSet
    filter_fields = ("division", "zone", "fields")
    search_fields = ("name", "fields", "keywords", "bio")
    search_placeholder = "姓名、领域或关键词"
    title = "专家库"
    detail_url_name = "market:expert-detail"
    columns = (
        Column("姓名", "name", link=True),
        Column("工作单位", "employer.name"),
        Column("职称", "title"),
        Column("技术领域", "fields"),
        Column("联系电话", lambda e: mask_phone(e.phone)),
    )


class ExpertDetailView(ScopedDetailView):
    read_roles = ALL_ROLES
    selector = selectors.expert_list
    template_name = "market/expert_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        expert = self.object
        full = selectors.sees_full_contact(user, expert)
        context.update(
            phone=expert.phone if full else mask_phone(expert.phone),
            achievements=selectors.achievement_list(user).filter(experts=expert),
        )
        return context


# --- dockings --------------------------------------------------------------------------------


def counterpart_cell(docking):
    return format_html(
        '<span class="text-secondary">{}</span> {}',
        docking.counterpart_kind_label,
        str(docking.counterpart),
    )


class DockingListView(ScopedListView):
    read_roles = DOCKING_READERS
    selector = selectors.docking_list
    filterset_class = filtersets.DockingFilterSet
    filter_fields = ("division", "zone", "stage", "source", "event")
    search_fields = ("need__title", "achievement__title", "expert__name", "counterpart_org__name")
    search_placeholder = "需求、成果、专家或单位"
    title = "对接"
    detail_url_name = "market:docking-detail"
    columns = (
        Column("技术需求", "need.title", link=True),
        Column("需求企业", "enterprise.name"),
        Column("对接方", counterpart_cell),
        Column("来源", "get_source_display"),
        Column("阶段", lambda d: badge(d.get_stage_display(), STAGE_COLOURS.get(d.stage, "blue"))),
        Column("推荐日期", "recommended_on", kind="date"),
        Column("签约日期", "signed_on", kind="date"),
        Column("负责人", "owner"),
    )


def docking_steps(docking) -> list[dict]:
    """The stages as a progress bar: each with its date; the latest reached is active."""
    steps = [
        {"label": "推荐", "day": docking.recommended_on},
        {"label": "接洽", "day": docking.contacted_on},
        {"label": "洽谈", "day": docking.negotiating_on},
        {"label": "签约", "day": docking.signed_on},
    ]
    reached = [i for i, step in enumerate(steps) if step["day"]]
    for i, step in enumerate(steps):
        step["active"] = bool(reached) and i == reached[-1]
    return steps


class DockingDetailView(ScopedDetailView):
    read_roles = DOCKING_READERS
    selector = selectors.docking_list
    template_name = "market/docking_detail.html"
    event_steps = False  # in the stage log

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        docking = self.object
        context.update(
            actions=workflow_actions(docking, user),
            action_url=reverse("market:docking-transition", args=[docking.pk]),
            note_placeholder="说明（终止对接须填写原因）",
            stage_log=workflow_steps(docking),
            stage_colour=STAGE_COLOURS.get(docking.stage, "blue"),
            contracts=selectors.contract_list(user).filter(docking=docking),
            steps=docking_steps(docking),
        )
        return context


# --- contracts -------------------------------------------------------------------------------


class ContractListView(ScopedListView):
    read_roles = PARTIES
    selector = selectors.contract_list
    filterset_class = filtersets.TechContractFilterSet
    filter_fields = ("division", "zone", "type", "revoked", "registered_from", "registered_to")
    search_fields = ("registration_number", "title", "seller__name", "buyer_name")
    search_placeholder = "登记编号、项目名称、买方或卖方"
    title = "技术合同登记"
    detail_url_name = "market:contract-detail"
    columns = (
        Column("登记编号", "registration_number", link=True),
        Column("项目名称", "title"),
        Column("类型", "get_type_display"),
        Column("卖方", "seller.name"),
        Column("买方", "buyer_name"),
        Column("成交额", "contract_amount", kind="money"),
        Column("技术交易额", "tech_amount", kind="money"),
        Column("登记日期", "registered_on", kind="date"),
        Column("状态", lambda c: badge("已撤销", "red") if c.revoked else badge("有效", "green")),
    )


class ContractDetailView(ScopedDetailView):
    read_roles = PARTIES
    selector = selectors.contract_list
    template_name = "market/contract_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_revoke"] = has_role(self.request.user, STAFF_ROLES) and not self.object.revoked
        return context


# --- events ----------------------------------------------------------------------------------


class EventListView(ScopedListView):
    read_roles = PARTIES
    selector = selectors.event_list
    filterset_class = filtersets.MatchEventFilterSet
    filter_fields = ("division", "zone", "kind", "year")
    search_fields = ("name", "place")
    search_placeholder = "活动名称或地点"
    title = "对接活动"
    detail_url_name = "market:event-detail"
    columns = (
        Column("活动名称", "name", link=True),
        Column("类型", "get_kind_display"),
        Column("日期", "date", kind="date"),
        Column("地点", "place"),
        Column("行政区划", "division_code", kind="division"),
    )


class EventDetailView(ScopedDetailView):
    read_roles = PARTIES
    selector = selectors.event_list
    template_name = "market/event_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        dockings = selectors.docking_list(user).filter(event=self.object)
        context.update(
            participants=self.object.participants.order_by("kind", "name"),
            dockings=dockings,
            signed=sum(1 for d in dockings if d.stage == DockingStage.SIGNED),
            stage_colours=STAGE_COLOURS,
        )
        return context


# --- actions (POST, then back to the detail page) --------------------------------------------


class ActionView(RoleRequiredMixin, View):
    """A POST-only step on one object from ``selector(user)`` (404 out of scope): the service's
    error is shown as a message on the detail page."""

    selector = None
    detail_url_name = ""
    success_message = "已完成：{label}"

    def post(self, request, pk):
        try:
            obj = type(self).selector(request.user).get(pk=pk)
        except Exception as exc:  # DoesNotExist, or a malformed id
            raise Http404("记录不存在") from exc
        try:
            label = self.perform(obj, request.POST)
        except NotInScope as exc:
            raise Http404(exc.message) from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, self.success_message.format(label=label))
        return HttpResponseRedirect(reverse(self.detail_url_name, args=[pk]))

    def get(self, request, pk):
        return HttpResponseNotAllowed(["POST"])

    def perform(self, obj, data) -> str:
        raise NotImplementedError


class TransitionView(ActionView):
    service = None
    keyword = ""

    def perform(self, obj, data) -> str:
        action = data.get("action", "")
        workflow = workflow_for(obj)
        label = workflow.get(action).label
        type(self).service(
            actor=self.request.user, action=action, note=data.get("note", ""), **{self.keyword: obj}
        )
        return label


class NeedTransitionView(TransitionView):
    read_roles = NEED_WRITERS
    selector = selectors.need_list
    detail_url_name = "market:need-detail"
    service = services.need_transition
    keyword = "need"


class AchievementTransitionView(TransitionView):
    read_roles = ACHIEVEMENT_WRITERS
    selector = selectors.achievement_list
    detail_url_name = "market:achievement-detail"
    service = services.achievement_transition
    keyword = "achievement"


class DockingTransitionView(TransitionView):
    read_roles = PARTIES
    selector = selectors.docking_list
    detail_url_name = "market:docking-detail"
    service = services.docking_transition
    keyword = "docking"


class ContractRevokeView(ActionView):
    read_roles = STAFF_ROLES
    selector = selectors.contract_list
    detail_url_name = "market:contract-detail"
    success_message = "{label}"

    def perform(self, obj, data) -> str:
        services.contract_revoke(actor=self.request.user, contract=obj, reason=data.get("reason"))
        return "已撤销该合同登记"
