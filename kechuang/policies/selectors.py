"""Reads: 免申即享 screening and the 梯次培育 reserve, a policy evaluated over the user's scope.

``user=None`` (the command line without ``--user``) reads every enterprise. Staff read their
scope (bureau: a division subtree, zone staff: a zone); an enterprise user reads its own row;
other roles are refused. A ``division`` outside the user's scope answers 404.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from django.db.models import QuerySet

from kechuang.core.exceptions import ApplicationError, NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.scoping import STAFF_ROLES, Roles, division_prefix, division_q, visible_to
from kechuang.engines.rules import ENTERPRISE, POLICIES, Policy, PolicyResult, RulesError
from kechuang.orgs.models import Organization, OrgKind, QualificationKind

from .adapter import Enterprises, load_enterprises
from .models import Redemption

SCREEN_READERS = STAFF_ROLES | {Roles.ENTERPRISE}
MIN_YEAR, MAX_YEAR = 2000, 2100
DIVISION_RE = re.compile(r"^(\d{2}|\d{4}|\d{6})$")


class UnknownPolicy(ApplicationError):
    code = "not_found"
    status = 404


def policy_list() -> list[Policy]:
    return list(POLICIES.values())


def policy_detail(key: str) -> Policy:
    try:
        return POLICIES[key]
    except KeyError:
        raise UnknownPolicy(f"未知的政策：{key}") from None


def enterprise_policy(key: str) -> Policy:
    policy = policy_detail(key)
    if policy.entity != ENTERPRISE:
        raise ValidationFailed(
            f"“{policy.label}”按园区评价，不能按企业筛查", code="zone_policy", field="policy"
        )
    return policy


def check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationFailed(f"年度应为整数：{year}", field="year") from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationFailed(f"年度应在 {MIN_YEAR}–{MAX_YEAR} 之间：{year}", field="year")
    return year


def enterprises_in_scope(user, division: str | None = None) -> QuerySet[Organization]:
    """Enterprises the user may screen, narrowed to ``division`` (a 2/4/6-digit code)."""
    queryset = Organization.objects.filter(kind=OrgKind.ENTERPRISE)
    if user is not None:
        if not (user.is_superuser or user.role in SCREEN_READERS):
            raise RoleNotAllowed("您的角色无权进行政策筛查。")
        queryset = visible_to(queryset, user)
    if division:
        division = division.strip()
        if not DIVISION_RE.match(division):
            raise ValidationFailed(
                f"行政区划代码应为 2、4 或 6 位数字：{division}", field="division"
            )
        if user is not None and user.role == Roles.BUREAU and not user.is_superuser:
            own = division_prefix(user.division_code)
            if not division_prefix(division).startswith(own):
                raise NotInScope("行政区划不在您的管辖范围内")
        queryset = queryset.filter(division_q("division_code", division))
    return queryset


def _closeness(result: PolicyResult) -> np.ndarray:
    """Sum over failed conditions of the relative shortfall (0..1 each; 1 when unknown)."""
    total = np.zeros(len(result.ids))
    for condition in result.conditions:
        failed = ~condition.passed & ~condition.pending
        with np.errstate(divide="ignore", invalid="ignore"):
            shortfall = np.abs(condition.threshold - condition.value) / np.abs(condition.threshold)
        shortfall = np.where(np.isfinite(shortfall), np.minimum(shortfall, 1.0), 1.0)
        total += np.where(failed, shortfall, 0.0)
    return total


def _evaluate(user, policy_key, year, division) -> tuple[Enterprises, PolicyResult]:
    policy = enterprise_policy(policy_key)
    year = check_year(year)
    enterprises = load_enterprises(enterprises_in_scope(user, division), year)
    try:
        return enterprises, policy.evaluate(enterprises.inputs, year)
    except RulesError as exc:  # e.g. a year before the policy's parameters took effect
        raise ValidationFailed(str(exc), field="year") from exc


def _row(enterprises: Enterprises, result: PolicyResult, i: int) -> dict:
    row = result.row(i)
    return {
        "id": row["id"],
        "uscc": enterprises.usccs[i],
        "name": enterprises.names[i],
        "eligible": row["eligible"],
        "pending": row["pending"],
        "score": row.get("score"),
        "amount": row.get("amount"),
        "failed": int(result.failed[i]),
        "conditions": row["conditions"],
        "gaps": result.gaps(i),
    }


def screen(
    *,
    user,
    policy_key: str,
    year,
    division: str | None = None,
    progress: Callable | None = None,
) -> list[dict]:
    """Every enterprise in scope: eligible first, then pending, then the closest to passing.

    ``progress`` (optional) wraps the iteration over rows (e.g. ``tqdm``).
    """
    enterprises, result = _evaluate(user, policy_key, year, division)
    closeness = _closeness(result)
    order = np.lexsort((result.ids, closeness, result.failed, ~result.pending, ~result.eligible))
    indices = order.tolist()
    if progress is not None:
        indices = progress(indices)
    return [_row(enterprises, result, i) for i in indices]


def reserve(
    *, user, policy_key: str, year, division: str | None = None, limit: int | None = 100
) -> list[dict]:
    """The cultivation reserve: enterprises not eligible, fewest failed conditions first, then
    smallest gaps; an enterprise already holding the policy's qualification is left out."""
    enterprises, result = _evaluate(user, policy_key, year, division)
    candidates = ~result.eligible
    if policy_key in QualificationKind.values:
        day = np.datetime64(f"{check_year(year) + 1}-01-01", "D")
        held = enterprises.inputs.qualifications.get(policy_key)
        if held is not None:
            candidates &= ~held.valid_on(day.astype(object))
    closeness = _closeness(result)
    order = np.lexsort((result.ids, closeness, result.failed, ~result.pending))
    indices = [i for i in order.tolist() if candidates[i]]
    if limit is not None:
        indices = indices[:limit]
    return [_row(enterprises, result, i) for i in indices]


def redemption_list(user):
    """The redemptions ``user`` may read, with what a list shows."""
    return visible_to(Redemption.objects.select_related("organization", "zone"), user)
