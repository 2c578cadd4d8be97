"""Reads of the technology market, scoped to the user.

Needs and achievements: staff see their division or zone, an organization its own; in
addition every signed-in user reads the published ones whose visibility is not private.
Experts likewise (and an expert user reads their own profile). Dockings are seen by the need's
scope and by the counterpart's organization (and the expert it names); contracts by the
seller's scope and by a registered buyer; events by staff in scope and by participants.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kechuang.core.scoping import NOTHING, Roles, scope_q

from .models import (
    ACHIEVEMENT_LISTED,
    NEED_LISTED,
    Achievement,
    Docking,
    Expert,
    MatchEvent,
    TechContract,
    TechNeed,
    Visibility,
)

SHARED = (Visibility.PUBLIC, Visibility.REGISTERED)


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _widen(scope: Q, extra: Q) -> Q:
    """``scope | extra``; an empty ``scope`` (everything, for admins) stays everything
    (``Q() | x`` would be just ``x``)."""
    return scope if scope == Q() else scope | extra


def need_q(model, user) -> Q:
    if not _signed_in(user):
        return NOTHING
    return _widen(scope_q(TechNeed, user), Q(status__in=NEED_LISTED, visibility__in=SHARED))


def achievement_q(model, user) -> Q:
    if not _signed_in(user):
        return NOTHING
    return _widen(
        scope_q(Achievement, user), Q(status__in=ACHIEVEMENT_LISTED, visibility__in=SHARED)
    )


def expert_q(model, user) -> Q:
    if not _signed_in(user):
        return NOTHING
    return _widen(scope_q(Expert, user), Q(visibility__in=SHARED) | Q(user_id=user.pk))


def docking_q(model, user) -> Q:
    """The need's scope, widened to the counterpart's organization and the expert's account."""
    if not _signed_in(user):
        return NOTHING
    q = scope_q(Docking, user)
    if user.role in (Roles.ENTERPRISE, Roles.UNIVERSITY) and user.organization_id:
        q = _widen(q, Q(counterpart_org_id=user.organization_id))
    if user.role == Roles.EXPERT:
        q = _widen(q, Q(expert__user_id=user.pk))
    return q


def contract_q(model, user) -> Q:
    if not _signed_in(user):
        return NOTHING
    q = scope_q(TechContract, user)
    if user.role in (Roles.ENTERPRISE, Roles.UNIVERSITY) and user.organization_id:
        q = _widen(q, Q(buyer_id=user.organization_id))
    return q


def owns_need(user, need: TechNeed) -> bool:
    return bool(user.organization_id) and need.enterprise_id == user.organization_id


def public_needs() -> QuerySet[TechNeed]:
    """What anonymous visitors of the 供需大厅 read: listed and public."""
    return TechNeed.objects.filter(status__in=NEED_LISTED, visibility=Visibility.PUBLIC)


def public_achievements() -> QuerySet[Achievement]:
    return Achievement.objects.filter(status__in=ACHIEVEMENT_LISTED, visibility=Visibility.PUBLIC)


def public_experts() -> QuerySet[Expert]:
    return Expert.objects.filter(visibility=Visibility.PUBLIC)


def need_list(user) -> QuerySet[TechNeed]:
    return TechNeed.objects.filter(need_q(TechNeed, user)).select_related("enterprise", "zone")


def achievement_list(user) -> QuerySet[Achievement]:
    return Achievement.objects.filter(achievement_q(Achievement, user)).select_related(
        "owner", "zone"
    )


def expert_list(user) -> QuerySet[Expert]:
    return Expert.objects.filter(expert_q(Expert, user)).select_related("employer", "zone")


def docking_list(user) -> QuerySet[Docking]:
    return Docking.objects.filter(docking_q(Docking, user)).select_related(
        "need",
        "achievement",
        "expert",
        "organization",
        "enterprise",
        "counterpart_org",
        "owner",
        "event",
    )


def contract_list(user) -> QuerySet[TechContract]:
    return TechContract.objects.filter(contract_q(TechContract, user)).select_related(
        "seller", "buyer", "docking", "zone"
    )


def event_list(user) -> QuerySet[MatchEvent]:
    if not _signed_in(user):
        return MatchEvent.objects.none()
    # An organization user's scope joins the participants: one row per event still, as the
    # filter names one organization.
    return MatchEvent.objects.filter(scope_q(MatchEvent, user)).select_related("zone")


def sees_full_contact(user, expert: Expert) -> bool:
    """Staff in scope, the employer and the expert see the phone number unmasked."""
    if not _signed_in(user):
        return False
    if user.pk is not None and expert.user_id == user.pk:
        return True
    return Expert.objects.filter(scope_q(Expert, user), pk=expert.pk).exists()
