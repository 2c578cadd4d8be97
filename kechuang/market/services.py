"""Writes of the technology market. State changes go through kechuang.core.workflow.transition.

Who writes what:

- needs: the enterprise for itself, staff for enterprises in their scope;
- achievements: universities, institutes and enterprises for themselves, staff in scope;
- experts: staff in scope, a university or institute for its own staff;
- dockings: staff for needs in their scope (recommended, or at an event), the enterprise for its
  own need and the counterpart's organization for its own achievement or expert (requested);
- contracts and events: staff (技术合同认定登记 is a registration office's act).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kechuang.core.audit import record_event
from kechuang.core.exceptions import Conflict, NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.scoping import (
    STAFF_ROLES,
    Roles,
    division_in_scope,
    object_in_scope,
    scope_q,
)
from kechuang.core.services import save_changes, save_new
from kechuang.core.workflow import transition
from kechuang.orgs.models import Organization, OrgKind
from kechuang.regions.selectors import division_exists

from . import selectors
from .models import (
    ACHIEVEMENT_LISTED,
    NEED_OPEN,
    Achievement,
    Docking,
    DockingSource,
    DockingStage,
    Expert,
    MatchEvent,
    TechContract,
    TechNeed,
)
from .validators import (
    KeywordError,
    chinese_text_problem,
    normalise_keywords,
    normalise_patent_number,
    patent_number_problem,
)
from .workflows import need_follows_dockings

NEED_FIELDS = (
    "title",
    "description",
    "field",
    "keywords",
    "budget_min",
    "budget_max",
    "mode",
    "deadline",
    "visibility",
)
ACHIEVEMENT_FIELDS = (
    "title",
    "abstract",
    "type",
    "patent_number",
    "field",
    "keywords",
    "maturity",
    "transfer_mode",
    "price",
    "visibility",
)
EXPERT_FIELDS = ("name", "title", "fields", "keywords", "bio", "phone", "visibility", "user")
OWNER_KINDS = (OrgKind.UNIVERSITY, OrgKind.INSTITUTE, OrgKind.ENTERPRISE)
PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")
REGISTRATION_NUMBER = re.compile(r"^[0-9A-Z\-]{6,32}$")


def _admin(actor) -> bool:
    return bool(actor.is_superuser or actor.role == Roles.ADMIN)


def _staff(actor) -> bool:
    return bool(actor.is_superuser or actor.role in STAFF_ROLES)


def _raise_first(problems: dict[str, str], code: str = "invalid") -> None:
    if problems:
        field, message = next(iter(problems.items()))
        raise ValidationFailed(message, code=code, field=field)


def _keywords(data: dict[str, Any], problems: dict[str, str], key: str = "keywords") -> None:
    if key in data:
        try:
            data[key] = normalise_keywords(data[key])
        except KeywordError as exc:
            problems[key] = str(exc)


def _text(value) -> str:
    return (value or "").strip()


def _owner(actor, organization, *, kinds, what: str) -> Organization:
    """The organization a record is written for: the actor's own, or one in a staff's scope."""
    if actor.role in (Roles.ENTERPRISE, Roles.UNIVERSITY) and not _admin(actor):
        own = actor.organization
        if organization is not None and organization.pk != actor.organization_id:
            raise NotInScope("机构不存在")
        organization = own
    elif _staff(actor):
        if organization is None:
            raise ValidationFailed(f"请指定{what}", code="required", field="organization")
        if not object_in_scope(organization, actor):
            raise NotInScope("机构不存在")
    else:
        raise RoleNotAllowed(f"您的角色不能登记{what}")
    if organization is None or organization.kind not in kinds:
        labels = "、".join(str(OrgKind(k).label) for k in kinds)
        raise ValidationFailed(f"{what}应为{labels}", code="wrong_kind", field="organization")
    return organization


def _editable(actor, obj, owner_id: int, what: str) -> None:
    """Staff edit records in their scope, an organization its own. (Records the actor cannot
    even read never get here: the pages and the API answer 404 first.)"""
    if _staff(actor):
        if not object_in_scope(obj, actor):
            raise RoleNotAllowed(f"该{what}不在您的管辖范围内，不能修改")
        return
    if actor.role in (Roles.ENTERPRISE, Roles.UNIVERSITY) and actor.organization_id == owner_id:
        return
    raise RoleNotAllowed(f"只能修改本单位的{what}")


# --- needs -----------------------------------------------------------------------------------


def need_problems(data: dict[str, Any]) -> dict[str, str]:
    """What is wrong with a need's values (keywords are normalised in place)."""
    problems: dict[str, str] = {}
    if not _text(data.get("title")):
        problems["title"] = "需求名称不能为空"
    if "description" in data and (why := chinese_text_problem(data.get("description"), "需求描述")):
        problems["description"] = why
    _keywords(data, problems)
    low, high = data.get("budget_min"), data.get("budget_max")
    for key, value in (("budget_min", low), ("budget_max", high)):
        if value is not None and Decimal(value) < 0:
            problems[key] = "预算不能为负数"
    if low is not None and high is not None and Decimal(low) > Decimal(high):
        problems["budget_max"] = f"预算上限 {high} 元小于预算下限 {low} 元"
    return problems


@transaction.atomic
def need_create(*, actor, enterprise=None, publish: bool = False, **data) -> TechNeed:
    enterprise = _owner(actor, enterprise, kinds=(OrgKind.ENTERPRISE,), what="需求企业")
    data = {k: v for k, v in data.items() if k in NEED_FIELDS}
    data.setdefault("description", "")
    _raise_first(need_problems(data))
    if TechNeed.objects.filter(enterprise=enterprise, title=data["title"].strip()).exists():
        raise ValidationFailed("该企业已有同名需求", code="duplicate", field="title")
    need = TechNeed(
        enterprise=enterprise,
        division_code=enterprise.division_code,
        zone_id=enterprise.zone_id,
        **data,
    )
    need.title = need.title.strip()
    save_new(need, actor=actor, verb="market_need.created")
    if publish:
        transition(obj=need, action="publish", actor=actor)
    return need


@transaction.atomic
def need_update(*, actor, need: TechNeed, **changes) -> TechNeed:
    _editable(actor, need, need.enterprise_id, "需求")
    changes = {k: v for k, v in changes.items() if k in NEED_FIELDS}
    merged = {f: getattr(need, f) for f in NEED_FIELDS} | changes
    _raise_first(need_problems(merged))
    changes = {k: merged[k] for k in changes}
    title = _text(merged["title"])
    if (
        "title" in changes
        and TechNeed.objects.filter(enterprise_id=need.enterprise_id, title=title)
        .exclude(pk=need.pk)
        .exists()
    ):
        raise ValidationFailed("该企业已有同名需求", code="duplicate", field="title")
    save_changes(need, changes, actor=actor, verb="market_need.updated")
    return need


def need_transition(*, actor, need: TechNeed, action: str, note: str = "") -> TechNeed:
    """publish / solve / close / reopen."""
    return transition(obj=need, action=action, actor=actor, note=note)


# --- achievements ----------------------------------------------------------------------------


def achievement_problems(data: dict[str, Any]) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not _text(data.get("title")):
        problems["title"] = "成果名称不能为空"
    if "abstract" in data and (why := chinese_text_problem(data.get("abstract"), "成果简介")):
        problems["abstract"] = why
    _keywords(data, problems)
    if "patent_number" in data:
        data["patent_number"] = normalise_patent_number(data.get("patent_number") or "")
        if why := patent_number_problem(data["patent_number"], data.get("type") or ""):
            problems["patent_number"] = why
    price = data.get("price")
    if price is not None and Decimal(price) < 0:
        problems["price"] = "转让价格不能为负数（面议请留空）"
    return problems


@transaction.atomic
def achievement_create(*, actor, owner=None, publish: bool = False, **data) -> Achievement:
    owner = _owner(actor, owner, kinds=OWNER_KINDS, what="成果单位")
    data = {k: v for k, v in data.items() if k in ACHIEVEMENT_FIELDS}
    data.setdefault("abstract", "")
    _raise_first(achievement_problems(data))
    data["title"] = data["title"].strip()
    if Achievement.objects.filter(owner=owner, title=data["title"]).exists():
        raise ValidationFailed("该单位已有同名成果", code="duplicate", field="title")
    achievement = Achievement(
        owner=owner, division_code=owner.division_code, zone_id=owner.zone_id, **data
    )
    save_new(achievement, actor=actor, verb="market_achievement.created")
    if publish:
        transition(obj=achievement, action="publish", actor=actor)
    return achievement


@transaction.atomic
def achievement_update(*, actor, achievement: Achievement, **changes) -> Achievement:
    _editable(actor, achievement, achievement.owner_id, "成果")
    changes = {k: v for k, v in changes.items() if k in ACHIEVEMENT_FIELDS}
    merged = {f: getattr(achievement, f) for f in ACHIEVEMENT_FIELDS} | changes
    _raise_first(achievement_problems(merged))
    changes = {k: merged[k] for k in changes}
    if (
        "title" in changes
        and Achievement.objects.filter(owner_id=achievement.owner_id, title=_text(merged["title"]))
        .exclude(pk=achievement.pk)
        .exists()
    ):
        raise ValidationFailed("该单位已有同名成果", code="duplicate", field="title")
    save_changes(achievement, changes, actor=actor, verb="market_achievement.updated")
    return achievement


def achievement_transition(
    *, actor, achievement: Achievement, action: str, note: str = ""
) -> Achievement:
    """publish / withdraw / transfer."""
    return transition(obj=achievement, action=action, actor=actor, note=note)


# --- experts ---------------------------------------------------------------------------------


def expert_problems(data: dict[str, Any]) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not _text(data.get("name")):
        problems["name"] = "姓名不能为空"
    _keywords(data, problems)
    _keywords(data, problems, "fields")
    phone = _text(data.get("phone"))
    if phone and not PHONE.match(phone):
        problems["phone"] = "联系电话格式不正确（7–20 位数字）"
    user = data.get("user")
    if user is not None and user.role != Roles.EXPERT:
        problems["user"] = "只能关联角色为“专家”的账号"
    return problems


def _employer(actor, employer) -> Organization:
    if actor.role == Roles.UNIVERSITY and not _admin(actor):
        if employer is not None and employer.pk != actor.organization_id:
            raise NotInScope("机构不存在")
        return actor.organization
    if not _staff(actor):
        raise RoleNotAllowed("只有管理部门或高校院所可以登记专家")
    if employer is None:
        raise ValidationFailed("请指定工作单位", code="required", field="employer")
    if not object_in_scope(employer, actor):
        raise NotInScope("机构不存在")
    return employer


def _linked(actor, achievements) -> list[Achievement]:
    achievements = list(achievements or [])
    visible = set(
        selectors.achievement_list(actor)
        .filter(pk__in=[a.pk for a in achievements])
        .values_list("pk", flat=True)
    )
    for achievement in achievements:
        if achievement.pk not in visible:
            raise ValidationFailed(f"成果“{achievement}”不在您的可见范围内", field="achievements")
    return achievements


@transaction.atomic
def expert_create(*, actor, employer=None, achievements=(), **data) -> Expert:
    employer = _employer(actor, employer)
    data = {k: v for k, v in data.items() if k in EXPERT_FIELDS}
    _raise_first(expert_problems(data))
    data["name"] = data["name"].strip()
    if Expert.objects.filter(employer=employer, name=data["name"]).exists():
        raise ValidationFailed("该单位已登记同名专家", code="duplicate", field="name")
    linked = _linked(actor, achievements)
    expert = Expert(
        employer=employer,
        division_code=employer.division_code,
        zone_id=employer.zone_id,
        **data,
    )
    save_new(expert, actor=actor, verb="market_expert.created")
    expert.achievements.set(linked)
    return expert


@transaction.atomic
def expert_update(*, actor, expert: Expert, achievements=None, **changes) -> Expert:
    _editable(actor, expert, expert.employer_id, "专家")
    if actor.role == Roles.ENTERPRISE:
        raise RoleNotAllowed("您的角色不能修改专家")
    changes = {k: v for k, v in changes.items() if k in EXPERT_FIELDS}
    merged = {f: getattr(expert, f) for f in EXPERT_FIELDS} | changes
    _raise_first(expert_problems(merged))
    changes = {k: merged[k] for k in changes}
    save_changes(expert, changes, actor=actor, verb="market_expert.updated")
    if achievements is not None:
        linked = _linked(actor, achievements)
        before = set(expert.achievements.values_list("pk", flat=True))
        if before != {a.pk for a in linked}:
            expert.achievements.set(linked)
            record_event(
                actor=actor,
                verb="market_expert.updated",
                obj=expert,
                data={"achievements": "、".join(str(a) for a in linked) or "无"},
            )
    return expert


# --- dockings --------------------------------------------------------------------------------


def _counterpart(actor, achievement, expert, organization):
    given = [x for x in (achievement, expert, organization) if x is not None]
    if len(given) != 1:
        raise ValidationFailed(
            "请指定且只指定一个对接方（成果、专家或单位）", code="counterpart", field="achievement"
        )
    if achievement is not None:
        if not selectors.achievement_list(actor).filter(pk=achievement.pk).exists():
            raise NotInScope("成果不存在")
        if achievement.status not in ACHIEVEMENT_LISTED:
            raise ValidationFailed(
                "该成果未发布，不能对接", code="achievement_not_published", field="achievement"
            )
        return achievement.owner
    if expert is not None:
        if not selectors.expert_list(actor).filter(pk=expert.pk).exists():
            raise NotInScope("专家不存在")
        return expert.employer
    return organization


@transaction.atomic
def docking_create(
    *,
    actor,
    need: TechNeed,
    achievement: Achievement | None = None,
    expert: Expert | None = None,
    organization: Organization | None = None,
    event: MatchEvent | None = None,
    notes: str = "",
) -> Docking:
    """Open a docking between ``need`` and one counterpart (stage ``recommended``)."""
    if not selectors.need_list(actor).filter(pk=need.pk).exists():
        raise NotInScope("需求不存在")
    counterpart_org = _counterpart(actor, achievement, expert, organization)
    staff = _staff(actor)
    if staff:
        if not TechNeed.objects.filter(scope_q(TechNeed, actor), pk=need.pk).exists():
            raise ValidationFailed(
                "该需求不在您的管辖范围内，请由需求企业所在地管理部门对接",
                code="need_out_of_scope",
                field="need",
            )
        source = DockingSource.AT_EVENT if event is not None else DockingSource.RECOMMENDED
    elif actor.role == Roles.ENTERPRISE:
        if need.enterprise_id != actor.organization_id:
            raise ValidationFailed("企业只能为本企业的需求申请对接", code="not_owner", field="need")
        source = DockingSource.REQUESTED
    elif actor.role == Roles.UNIVERSITY:
        if counterpart_org.pk != actor.organization_id:
            raise ValidationFailed(
                "只能以本单位的成果、专家或本单位申请对接", code="not_owner", field="achievement"
            )
        source = DockingSource.REQUESTED
    else:
        raise RoleNotAllowed("您的角色不能发起对接")
    if event is not None:
        if not staff:
            raise RoleNotAllowed("只有管理部门可以登记活动现场的对接")
        if not selectors.event_list(actor).filter(pk=event.pk).exists():
            raise NotInScope("活动不存在")
    if need.status not in NEED_OPEN:
        raise ValidationFailed(
            f"需求“{need.get_status_display()}”，不能再对接", code="need_not_open", field="need"
        )
    if counterpart_org.pk == need.enterprise_id:
        raise ValidationFailed(
            "对接方不能是需求企业本身", code="self_docking", field="organization"
        )
    docking = Docking(
        need=need,
        achievement=achievement,
        expert=expert,
        organization=organization,
        enterprise_id=need.enterprise_id,
        counterpart_org=counterpart_org,
        division_code=need.division_code,
        zone_id=need.zone_id,
        source=source,
        event=event,
        owner=actor if staff else None,
        notes=notes or "",
        recommended_on=event.date if event is not None else timezone.localdate(),
    )
    duplicate = ValidationFailed(
        "该需求与此对接方已有进行中的对接", code="duplicate", field="achievement"
    )
    if _open_docking(docking).exists():
        raise duplicate
    try:
        with transaction.atomic():
            save_new(docking, actor=actor, verb="market_docking.created")
    except IntegrityError:
        if _open_docking(docking).exists():
            raise duplicate from None
        raise
    need_follows_dockings(need, actor, docking)
    return docking


def _open_docking(docking: Docking):
    return (
        Docking.objects.filter(
            need_id=docking.need_id,
            achievement_id=docking.achievement_id,
            expert_id=docking.expert_id,
            organization_id=docking.organization_id,
        )
        .exclude(stage=DockingStage.FAILED)
        .exclude(pk=docking.pk)
    )


def docking_transition(*, actor, docking: Docking, action: str, note: str = "") -> Docking:
    """contact / negotiate / sign / fail (with a reason); register_contract is the contract's."""
    return transition(obj=docking, action=action, actor=actor, note=note)


@transaction.atomic
def docking_update(*, actor, docking: Docking, **changes) -> Docking:
    """Notes (every party) and the responsible clerk (staff)."""
    if not selectors.docking_list(actor).filter(pk=docking.pk).exists():
        raise NotInScope("对接不存在")
    allowed = {"notes", "owner"} if _staff(actor) else {"notes"}
    unknown = set(changes) - allowed
    if unknown:
        raise RoleNotAllowed("您的角色只能修改备注")
    owner = changes.get("owner")
    if owner is not None and not (owner.is_superuser or owner.role in STAFF_ROLES):
        raise ValidationFailed("负责人应为管理部门工作人员", field="owner")
    save_changes(docking, changes, actor=actor, verb="market_docking.updated")
    return docking


# --- events ----------------------------------------------------------------------------------

EVENT_FIELDS = ("name", "kind", "date", "place", "division_code", "zone", "outcomes")


def _event_place(actor, data: dict[str, Any]) -> None:
    if actor.role == Roles.ZONE and not _admin(actor):
        data["zone"] = actor.zone
        data["division_code"] = actor.zone.division_code
        return
    if not data.get("division_code") and actor.role == Roles.BUREAU:
        data["division_code"] = actor.division_code
    code = data.get("division_code") or ""
    if not division_exists(code):
        raise ValidationFailed(f"未知的行政区划代码 {code}", field="division_code")
    if not division_in_scope(actor, code):
        raise ValidationFailed("主办地不在您的管辖范围内", field="division_code")


@transaction.atomic
def event_create(*, actor, participants=(), **data) -> MatchEvent:
    if not _staff(actor):
        raise RoleNotAllowed("只有管理部门可以登记对接活动")
    data = {k: v for k, v in data.items() if k in EVENT_FIELDS}
    if not _text(data.get("name")):
        raise ValidationFailed("活动名称不能为空", field="name")
    if not _text(data.get("place")):
        raise ValidationFailed("活动地点不能为空", field="place")
    _event_place(actor, data)
    if MatchEvent.objects.filter(
        division_code=data["division_code"], date=data.get("date"), name=data["name"]
    ).exists():
        raise ValidationFailed("同一天已登记同名活动", code="duplicate", field="name")
    event = MatchEvent(created_by=actor, **data)
    save_new(event, actor=actor, verb="market_event.created")
    event.participants.set(participants)
    return event


@transaction.atomic
def event_update(*, actor, event: MatchEvent, participants=None, **changes) -> MatchEvent:
    if not _staff(actor):
        raise RoleNotAllowed("只有管理部门可以修改对接活动")
    if not object_in_scope(event, actor):
        raise NotInScope("活动不存在")
    changes = {k: v for k, v in changes.items() if k in ("name", "date", "place", "outcomes")}
    save_changes(event, changes, actor=actor, verb="market_event.updated")
    if participants is not None:
        event.participants.set(participants)
        record_event(
            actor=actor,
            verb="market_event.updated",
            obj=event,
            data={"participants": len(participants)},
        )
    return event


# --- contracts -------------------------------------------------------------------------------


def contract_problems(data: dict[str, Any], *, today=None) -> dict[str, str]:
    today = today or timezone.localdate()
    problems: dict[str, str] = {}
    number = (data.get("registration_number") or "").strip().upper()
    data["registration_number"] = number
    if not REGISTRATION_NUMBER.match(number):
        problems["registration_number"] = "登记编号应为 6–32 位数字、字母或短横线"
    if not _text(data.get("title")):
        problems["title"] = "项目名称不能为空"
    amount, tech = data.get("contract_amount"), data.get("tech_amount")
    if amount is None or Decimal(amount) <= 0:
        problems["contract_amount"] = "成交额应大于 0"
    if tech is None or Decimal(tech) < 0:
        problems["tech_amount"] = "技术交易额不能为负数"
    elif amount is not None and Decimal(tech) > Decimal(amount):
        problems["tech_amount"] = f"技术交易额 {tech} 元超过成交额 {amount} 元"
    signed, registered = data.get("signed_on"), data.get("registered_on")
    if signed is None:
        problems["signed_on"] = "请填写签订日期"
    elif signed > today:
        problems["signed_on"] = "签订日期不能晚于今天"
    if registered is not None and registered > today:
        problems["registered_on"] = "登记日期不能晚于今天"
    if signed is not None and registered is not None and registered < signed:
        problems["registered_on"] = f"登记日期 {registered} 早于签订日期 {signed}"
    seller, buyer = data.get("seller"), data.get("buyer")
    if buyer is not None:
        data["buyer_name"] = buyer.name
    elif not _text(data.get("buyer_name")):
        problems["buyer_name"] = "买方未在库中登记时须填写买方名称"
    if seller is not None and buyer is not None and seller.pk == buyer.pk:
        problems["buyer"] = "买方与卖方不能为同一单位"
    return problems


CONTRACT_FIELDS = (
    "registration_number",
    "type",
    "title",
    "seller",
    "buyer",
    "buyer_name",
    "contract_amount",
    "tech_amount",
    "signed_on",
    "registered_on",
    "docking",
)


def _contract_docking(actor, docking: Docking, seller, buyer) -> None:
    if not selectors.docking_list(actor).filter(pk=docking.pk).exists():
        raise NotInScope("对接不存在")
    if docking.stage == DockingStage.FAILED:
        raise ValidationFailed("该对接已终止，不能关联合同", code="docking_failed", field="docking")
    parties = {seller.pk, buyer.pk if buyer is not None else None}
    if docking.enterprise_id not in parties or docking.counterpart_org_id not in parties:
        raise ValidationFailed(
            "合同买卖双方应为该对接的需求企业和对接方单位", code="docking_parties", field="docking"
        )


@transaction.atomic
def contract_register(*, actor, seller: Organization, **data) -> TechContract:
    """Register a technology contract; a linked docking not yet signed moves to signed."""
    if not _staff(actor):
        raise RoleNotAllowed("只有技术合同登记机构（管理部门）可以登记技术合同")
    if not object_in_scope(seller, actor):
        raise ValidationFailed("卖方不在您的管辖范围内", code="seller_out_of_scope", field="seller")
    data = {k: v for k, v in data.items() if k in CONTRACT_FIELDS} | {"seller": seller}
    data.setdefault("registered_on", timezone.localdate())
    if data.get("registered_on") is None:
        data["registered_on"] = timezone.localdate()
    _raise_first(contract_problems(data))
    docking = data.get("docking")
    if docking is not None:
        _contract_docking(actor, docking, seller, data.get("buyer"))
    number = data["registration_number"]
    if TechContract.objects.filter(registration_number=number).exists():
        raise ValidationFailed(
            f"登记编号 {number} 已被使用", code="duplicate", field="registration_number"
        )
    contract = TechContract(
        division_code=seller.division_code,
        zone_id=seller.zone_id,
        registered_by=actor,
        **data,
    )
    save_new(
        contract, actor=actor, verb="market_contract.registered", duplicate="registration_number"
    )
    if docking is not None and docking.stage != DockingStage.SIGNED:
        transition(obj=docking, action="register_contract", actor=actor, note=f"技术合同 {number}")
    return contract


@transaction.atomic
def contract_revoke(*, actor, contract: TechContract, reason: str, revoked_on=None) -> TechContract:
    """Revoke a registration (it stays on file, out of every figure)."""
    if not _staff(actor):
        raise RoleNotAllowed("只有管理部门可以撤销技术合同登记")
    locked = (
        TechContract.objects.select_for_update()
        .filter(scope_q(TechContract, actor), pk=contract.pk)
        .first()
    )
    if locked is None:
        raise NotInScope("合同不存在")
    if locked.revoked:
        raise Conflict(f"该合同已于 {locked.revoked_on} 撤销", code="already_revoked")
    reason = _text(reason)
    if not reason:
        raise ValidationFailed("请填写撤销原因", code="note_required", field="reason")
    revoked_on = revoked_on or timezone.localdate()
    if revoked_on < locked.registered_on:
        raise ValidationFailed("撤销日期不能早于登记日期", field="revoked_on")
    save_changes(
        locked,
        {"revoked": True, "revoked_on": revoked_on, "revoked_reason": reason[:500]},
        actor=actor,
        verb="market_contract.revoked",
    )
    contract.refresh_from_db()
    return contract
