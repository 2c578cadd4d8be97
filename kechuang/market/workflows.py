"""The market's workflows, declared as data (kechuang.core.workflow).

- need: draft → published → (in docking) → solved | closed; closed → published (reopen)
- achievement: draft → published → transferred | withdrawn; withdrawn → published
- docking: recommended → contacted → negotiating → signed; failed (with a reason) from any
  stage before signed. ``register_contract`` signs a docking from any open stage when a
  technology contract linked to it is registered (its guard requires that contract).
- an open need follows its dockings (:func:`need_follows_dockings`): in docking while one is
  open, solved once one is signed, published again when the last open one fails. Revoking a
  contract's registration does not undo a signature: the docking stays signed, the contract
  leaves every figure.

Each step stamps its date on the docking (``contacted_on`` …) and keeps the outcome the ranking
learns from (contacted / signed / declined with the reason).
"""

from __future__ import annotations

from django.utils import timezone

from kechuang.core.audit import record_event
from kechuang.core.exceptions import ValidationFailed
from kechuang.core.scoping import STAFF_ROLES, Roles
from kechuang.core.workflow import Transition, Workflow, register

from .models import (
    AchievementStatus,
    DockingOutcome,
    DockingStage,
    NeedStatus,
    TechNeed,
)
from .selectors import docking_q

STAFF = STAFF_ROLES
ENTERPRISE = frozenset({Roles.ENTERPRISE})
OWNERS = frozenset({Roles.ENTERPRISE, Roles.UNIVERSITY})
PARTIES = STAFF | OWNERS


def stamp_published(obj, actor, note) -> None:
    if obj.published_on is None:
        obj.published_on = timezone.localdate()
        obj.save(update_fields=["published_on", "updated_at"])


def publishable(obj, actor, note) -> None:
    """A record published by hand must satisfy the same rules as on create (e.g. an imported
    draft with a short description)."""
    from .services import achievement_problems, need_problems

    if hasattr(obj, "enterprise_id"):
        data = {f: getattr(obj, f) for f in ("title", "description", "field", "keywords")}
        data |= {"budget_min": obj.budget_min, "budget_max": obj.budget_max}
        problems = need_problems(data)
    else:
        data = {f: getattr(obj, f) for f in ("title", "abstract", "type", "patent_number")}
        problems = achievement_problems(data)
    if problems:
        field, message = next(iter(problems.items()))
        raise ValidationFailed(f"不能发布：{message}", code="incomplete", field=field)


NEED_WORKFLOW = register(
    Workflow(
        model="market.techneed",
        name="market_need",
        states=NeedStatus,
        transitions=(
            Transition(
                "publish",
                (NeedStatus.DRAFT,),
                NeedStatus.PUBLISHED,
                STAFF | ENTERPRISE,
                "发布",
                guards=(publishable,),
                effect=stamp_published,
            ),
            Transition(
                "solve",
                (NeedStatus.PUBLISHED, NeedStatus.IN_DOCKING),
                NeedStatus.SOLVED,
                STAFF | ENTERPRISE,
                "标记已解决",
            ),
            Transition(
                "close",
                (NeedStatus.DRAFT, NeedStatus.PUBLISHED, NeedStatus.IN_DOCKING),
                NeedStatus.CLOSED,
                STAFF | ENTERPRISE,
                "关闭",
            ),
            Transition(
                "reopen",
                (NeedStatus.CLOSED,),
                NeedStatus.PUBLISHED,
                STAFF | ENTERPRISE,
                "重新发布",
                guards=(publishable,),
                effect=stamp_published,
            ),
        ),
    )
)

ACHIEVEMENT_WORKFLOW = register(
    Workflow(
        model="market.achievement",
        name="market_achievement",
        states=AchievementStatus,
        transitions=(
            Transition(
                "publish",
                (AchievementStatus.DRAFT, AchievementStatus.WITHDRAWN),
                AchievementStatus.PUBLISHED,
                PARTIES,
                "发布",
                guards=(publishable,),
                effect=stamp_published,
            ),
            Transition(
                "withdraw",
                (AchievementStatus.PUBLISHED,),
                AchievementStatus.WITHDRAWN,
                PARTIES,
                "撤回",
            ),
            Transition(
                "transfer",
                (AchievementStatus.PUBLISHED,),
                AchievementStatus.TRANSFERRED,
                PARTIES,
                "标记已转化",
            ),
        ),
    )
)

# --- docking ---------------------------------------------------------------------------------

OPEN_STAGES = (DockingStage.RECOMMENDED, DockingStage.CONTACTED, DockingStage.NEGOTIATING)


def need_follows_dockings(need: TechNeed, actor, docking) -> None:
    """Move an open need (published or in docking) to the state its dockings give it; a draft,
    solved or closed need is the enterprise's to move. Audited as ``market_need.<status>``."""
    if need.status not in (NeedStatus.PUBLISHED, NeedStatus.IN_DOCKING):
        return
    stages = set(need.dockings.values_list("stage", flat=True))
    if DockingStage.SIGNED in stages:
        status = NeedStatus.SOLVED
    elif stages & set(OPEN_STAGES):
        status = NeedStatus.IN_DOCKING
    else:
        status = NeedStatus.PUBLISHED
    if status == need.status:
        return
    need.status = status
    need._history_user = actor
    need.save(update_fields=["status", "updated_at"])
    record_event(actor=actor, verb=f"market_need.{status}", obj=need, data={"docking": docking.pk})


def _need_follows(docking, actor, note) -> None:
    need_follows_dockings(docking.need, actor, docking)


def _stamp(field: str, outcome: str | None = None):
    def effect(docking, actor, note) -> None:
        setattr(docking, field, timezone.localdate())
        fields = [field, "updated_at"]
        if outcome is not None:
            docking.outcome = outcome
            docking.outcome_reason = note if outcome == DockingOutcome.DECLINED else ""
            fields += ["outcome", "outcome_reason"]
        docking._history_user = actor
        docking.save(update_fields=fields)
        if outcome == DockingOutcome.DECLINED:
            _need_follows(docking, actor, note)

    effect.__name__ = f"stamp_{field}"
    return effect


def signed_stamp(docking, actor, note) -> None:
    """Signing dates the docking by its contract when there is one (else today)."""
    contract = docking.contracts.filter(revoked=False).order_by("signed_on").first()
    docking.signed_on = contract.signed_on if contract else timezone.localdate()
    docking.outcome = DockingOutcome.SIGNED
    docking.outcome_reason = ""
    docking._history_user = actor
    docking.save(update_fields=["signed_on", "outcome", "outcome_reason", "updated_at"])
    _need_follows(docking, actor, note)


def has_contract(docking, actor, note) -> None:
    if not docking.contracts.filter(revoked=False).exists():
        raise ValidationFailed("该对接尚无已登记的技术合同", code="no_contract")


DOCKING_WORKFLOW = register(
    Workflow(
        model="market.docking",
        name="market_docking",
        states=DockingStage,
        field="stage",
        scope=docking_q,
        transitions=(
            Transition(
                "contact",
                (DockingStage.RECOMMENDED,),
                DockingStage.CONTACTED,
                PARTIES,
                "已接洽",
                effect=_stamp("contacted_on", DockingOutcome.CONTACTED),
            ),
            Transition(
                "negotiate",
                (DockingStage.CONTACTED,),
                DockingStage.NEGOTIATING,
                PARTIES,
                "进入洽谈",
                effect=_stamp("negotiating_on"),
            ),
            Transition(
                "sign",
                (DockingStage.NEGOTIATING,),
                DockingStage.SIGNED,
                PARTIES,
                "签约",
                effect=signed_stamp,
            ),
            Transition(
                "register_contract",
                OPEN_STAGES,
                DockingStage.SIGNED,
                STAFF,
                "技术合同登记",
                guards=(has_contract,),
                effect=signed_stamp,
            ),
            Transition(
                "fail",
                OPEN_STAGES,
                DockingStage.FAILED,
                PARTIES,
                "终止对接",
                needs_note=True,
                effect=_stamp("failed_on", DockingOutcome.DECLINED),
            ),
        ),
    )
)
