"""Division-prefix scoping, enforced once for every scoped model.

A user's scope is one of: everything (admin), a division code prefix (bureau: ``34``, ``3404``,
``340421``), one zone (zone staff) or one organization (enterprise, university, provider, and
experts or commissioners attached to an organization). A scoped model declares, in a ``Scope``
attribute, the lookups that lead from it to a division code, a zone and an organization.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Scope:
    """Lookups from a model to its division code, zone id and organization id."""

    division: str | None = None
    zone: str | None = None
    organization: str | None = None


class Roles(models.TextChoices):
    ADMIN = "admin", "管理员"
    BUREAU = "bureau", "科技局"
    ZONE = "zone", "园区管委会"
    ENTERPRISE = "enterprise", "企业"
    UNIVERSITY = "university", "高校院所"
    EXPERT = "expert", "专家"
    COMMISSIONER = "commissioner", "科技特派员"
    PROVIDER = "provider", "服务机构"


STAFF_ROLES = frozenset({Roles.ADMIN, Roles.BUREAU, Roles.ZONE})
ORG_ROLES = frozenset(
    {Roles.ENTERPRISE, Roles.UNIVERSITY, Roles.PROVIDER, Roles.EXPERT, Roles.COMMISSIONER}
)
ALL_ROLES = frozenset(Roles)
# Who reads the registries (organizations, facts, qualifications, platforms): staff in their
# division or zone, and organizations' own users for their own records.
REGISTRY_READERS = STAFF_ROLES | {Roles.ENTERPRISE, Roles.UNIVERSITY, Roles.PROVIDER}


def division_prefix(code: str) -> str:
    """340000 → 34, 340400 → 3404, 340421 → 340421 (a prefix is returned unchanged)."""
    code = (code or "").strip()
    if len(code) == 6:
        if code.endswith("0000"):
            return code[:2]
        if code.endswith("00"):
            return code[:4]
    return code


NOTHING = Q(pk__in=[])


def division_q(lookup: str, code: str) -> Q:
    """Records whose ``lookup`` (a 6-digit division code) lies in the subtree of ``code``.

    A range on the six digits (``3404`` → 340400..340499) rather than ``LIKE '3404%'``: both
    SQLite and PostgreSQL (whatever its collation) answer it from the column's B-tree index.
    """
    prefix = division_prefix(code)
    if len(prefix) >= 6:
        return Q(**{lookup: prefix})
    return Q(**{f"{lookup}__gte": prefix.ljust(6, "0"), f"{lookup}__lte": prefix.ljust(6, "9")})


def scope_q(model: type[models.Model], user) -> Q:
    """The filter selecting the rows of ``model`` that ``user`` may see."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser or user.role == Roles.ADMIN:
        return Q()
    scope: Scope | None = getattr(model, "SCOPE", None)
    if scope is None:
        raise TypeError(f"{model.__name__} declares no SCOPE")
    if user.role == Roles.BUREAU and user.division_code and scope.division:
        return division_q(scope.division, user.division_code)
    if user.role == Roles.ZONE and user.zone_id and scope.zone:
        return Q(**{scope.zone: user.zone_id})
    if user.role in ORG_ROLES and user.organization_id and scope.organization:
        return Q(**{scope.organization: user.organization_id})
    return NOTHING


def visible_to(queryset: models.QuerySet, user) -> models.QuerySet:
    return queryset.filter(scope_q(queryset.model, user))


def object_in_scope(obj: models.Model, user) -> bool:
    return type(obj)._default_manager.filter(scope_q(type(obj), user), pk=obj.pk).exists()


def division_in_scope(user, division_code: str) -> bool:
    """May ``user`` place a record in ``division_code``? (Used by services on create/move.)"""
    if user.is_superuser or user.role == Roles.ADMIN:
        return True
    if user.role == Roles.BUREAU:
        return bool(user.division_code) and division_code.startswith(
            division_prefix(user.division_code)
        )
    return False


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> ScopedQuerySet:
        return visible_to(self, user)
