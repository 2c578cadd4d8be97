"""What every voucher page shares: roles, badges, workflow actions, events, transitions."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.views import View

from kechuang.core.exceptions import ApplicationError, NotInScope
from kechuang.core.scoping import ALL_ROLES, STAFF_ROLES, Roles
from kechuang.core.templatetags.kechuang import wan
from kechuang.core.views import RoleRequiredMixin, ScopedDetailView
from kechuang.core.workflow import workflow_for

from ..models import SchemeMode

VOUCHER_READERS = STAFF_ROLES | {Roles.ENTERPRISE, Roles.PROVIDER}
SCHEME_WRITERS = frozenset({Roles.BUREAU})
PROVIDER_WRITERS = STAFF_ROLES | {Roles.PROVIDER}
CLAIM_WRITERS = STAFF_ROLES | {Roles.ENTERPRISE}
USE_WRITERS = frozenset({Roles.ENTERPRISE})
PAYEES = frozenset({Roles.ENTERPRISE, Roles.PROVIDER})

# Badge colour of each state (Tabler "-lt" colours).
BADGES = {
    "draft": "secondary",
    "open": "green",
    "closed": "secondary",
    "pending": "yellow",
    "approved": "green",
    "suspended": "orange",
    "blacklisted": "red",
    "applied": "yellow",
    "rejected": "red",
    "withdrawn": "secondary",
    "active": "blue",
    "settled": "green",
    "submitted": "yellow",
    "returned": "orange",
    "verified": "blue",
    "paid": "green",
}
EVENT_LABELS = {
    "created": "创建",
    "updated": "修改",
    "added": "添加服务项目",
    "applied": "申领",
    "submitted": "提交兑付申请",
    "documents_replaced": "补正材料",
}


def badge(obj, field: str = "status") -> str:
    value = getattr(obj, field)
    label = getattr(obj, f"get_{field}_display")()
    return format_html(
        '<span class="badge bg-{}-lt">{}</span>', BADGES.get(value, "secondary"), label
    )


def percent(ratio) -> str:
    return f"{(Decimal(ratio) * 100).normalize():f}%"


def url(name: str, pk) -> str:
    return reverse(f"vouchers:{name}", args=[pk])


def is_own(user, organization_id) -> bool:
    return bool(organization_id) and user.organization_id == organization_id


def action_choices(obj, user, *, exclude: tuple[str, ...] = ()) -> list[dict]:
    """The workflow steps ``user``'s role may take on ``obj`` in its current state; a step whose
    guard refuses now (e.g. over budget) is shown disabled with the reason."""
    workflow = workflow_for(obj)
    state = workflow.state_of(obj)
    found = []
    for step in workflow.transitions:
        if step.action in exclude or state not in step.sources or not step.allows_role(user):
            continue
        reason = ""
        try:
            with transaction.atomic():
                for guard in step.guards:
                    guard(obj, user, "-")
        except ApplicationError as exc:
            reason = exc.message
        found.append(
            {
                "action": step.action,
                "label": step.label,
                "needs_note": step.needs_note,
                "blocked": reason,
                "danger": step.action in ("reject", "blacklist", "suspend", "return"),
            }
        )
    return found


def _detail(obj, name: str, value) -> tuple[str, str]:
    """An event's data item as (label, readable value): money in 万元, choices by label."""
    if name == "mode" and value in SchemeMode.values:
        return "兑付方式", SchemeMode(value).label
    if name == "share":
        return "合同金额可用券比例", percent(value)
    if name == "documents":
        return "更换材料", value
    if name == "amount":
        return "金额", f"{wan(value)} 万元"
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return name, str(value)
    label = str(field.verbose_name)
    if getattr(field, "decimal_places", None) == 2:
        return label.replace("（元）", ""), f"{wan(value)} 万元"
    if field.choices:
        return label, str(dict(field.flatchoices).get(value, value))
    return label, "—" if value in (None, "", "None") else str(value)


class VoucherDetailView(ScopedDetailView):
    """A voucher record's page: its audit events (the models keep no field history)."""

    show_history = False
    event_steps = True  # False on pages that show the transition log themselves
    event_labels = EVENT_LABELS

    def event_detail(self, obj, name: str, value) -> tuple[str, str] | None:
        return None if name in ("claim", "replaced") else _detail(obj, name, value)


class TransitionView(RoleRequiredMixin, View):
    """``POST action=…&note=…``: one workflow step; the outcome is told on the detail page."""

    http_method_names = ["post"]
    read_roles = ALL_ROLES
    selector = None
    service = None
    argument = ""
    detail = ""

    def post(self, request, pk):
        obj = type(self).selector(request.user).filter(pk=pk).first()
        if obj is None:
            raise Http404("记录不存在")
        action = request.POST.get("action", "")
        note = request.POST.get("note", "")
        try:
            type(self).service(actor=request.user, action=action, note=note, **{self.argument: obj})
        except NotInScope as exc:
            raise Http404(exc.message) from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            label = workflow_for(obj).get(action).label
            messages.success(request, f"已{label}")
        return HttpResponseRedirect(url(self.detail, pk))
