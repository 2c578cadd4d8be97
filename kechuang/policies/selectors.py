"""Reads: 免申即享 screening and the 梯次培育 reserve, a policy evaluated over the user's scope.

``user=None`` (the command line without ``--user``) reads every enterprise. Staff read their
scope (bureau: a division subtree, zone staff: a zone); an enterprise user reads its own row;
other roles are refused. A ``division`` outside the user's scope answers 404.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import numpy as np
from django.db.models import QuerySet, Sum

from kechuang.core.exceptions import ApplicationError, NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.scoping import STAFF_ROLES, Roles, division_prefix, division_q, visible_to
from kechuang.engines.rules import (
    ENTERPRISE,
    POLICIES,
    ParameterSet,
    Policy,
    PolicyResult,
    RulesError,
)
from kechuang.orgs.models import Organization, OrgKind, QualificationKind
from kechuang.regions.selectors import division_name

from .adapter import Enterprises, load_enterprises
from .models import COMMITTED, InnovationAssessment, ParameterValue, PolicyBudget, Redemption

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


# --- a bureau's own parameter values ------------------------------------------------------------


def division_code6(code: str | None) -> str | None:
    """A 2/4/6-digit division code or prefix as the six digits of that division (34 → 340000)."""
    if not code:
        return None
    return division_prefix(code.strip()).ljust(6, "0")


def ancestors(division_code: str) -> list[str]:
    """The division and those above it, broadest first: 340421 → 340000, 340400, 340421."""
    code = division_code6(division_code)
    return list(dict.fromkeys([f"{code[:2]}0000", f"{code[:4]}00", code]))


def user_division(user) -> str | None:
    """The division whose parameters apply to ``user``: a bureau its own, zone staff the zone's
    host county, an organization's user its organization's division; None for an admin without
    one."""
    if user is None:
        return None
    if user.role == Roles.ZONE and user.zone_id:
        return user.zone.division_code
    if user.role != Roles.BUREAU and user.organization_id:
        return user.organization.division_code
    return division_code6(user.division_code)


def screening_division(user, division: str | None = None) -> str | None:
    """The division whose parameters a screening uses: ``division`` when given, else the user's;
    None (the shipped values) with neither."""
    return division_code6(division) if division else user_division(user)


def parameters_for(policy_key: str, division_code: str | None) -> ParameterSet:
    """The shipped parameters of the policy with the values set by the division's ancestors and
    by the division itself laid over them, broadest first (the nearest wins for one date)."""
    policy = policy_detail(policy_key)
    if not division_code:
        return policy.parameters
    codes = ancestors(division_code)
    rows = ParameterValue.objects.filter(policy=policy.key, division_code__in=codes).values_list(
        "division_code", "parameter", "effective_from", "value"
    )
    return _layered(policy.parameters, codes, rows)


def _layered(parameters: ParameterSet, codes: list[str], rows) -> ParameterSet:
    """``rows`` of (division code, parameter, effective from, value) laid over ``parameters``
    in the order of ``codes`` (broadest first)."""
    by_code: dict[str, dict[str, dict]] = {}
    for code, parameter, effective_from, value in rows:
        if parameter in parameters.parameters:  # a parameter no longer shipped is ignored
            by_code.setdefault(code, {}).setdefault(parameter, {})[effective_from] = value
    for code in codes:
        if code in by_code:
            parameters = parameters.with_values(by_code[code])
    return parameters


HISTORY_TYPES = {"+": "设定", "~": "修改", "-": "撤销"}


def _value_record(value: ParameterValue, own: str | None, staff: bool) -> dict:
    return {
        "parameter": value.parameter,
        "division_code": value.division_code,
        "division_name": division_name(value.division_code),
        "from": value.effective_from.isoformat(),
        "value": value.value,
        "reason": value.reason,
        "set_by": str(value.created_by) if staff and value.created_by else "",
        "set_at": value.updated_at,
        "own": value.division_code == own,
    }


def policy_descriptions(user, policies: list[Policy] | None = None) -> list[dict]:
    """The policies as ``Policy.describe()`` with the values set in the user's division and
    above it (``local_values``, marked ``own`` for a bureau's own division, with why and, for
    staff, who set them), each parameter's ``effective`` history (shipped values with those laid
    over: what the user's screening applies) and, for staff, the change history of those values
    (``changes``, newest first).

    Two queries whatever the number of policies."""
    policies = policy_list() if policies is None else policies
    staff = user is not None and (user.is_superuser or user.role in STAFF_ROLES)
    division = user_division(user)
    own = division if staff and (user.role == Roles.BUREAU or user.is_superuser) else None
    keys = [policy.key for policy in policies]
    values: dict[str, list[ParameterValue]] = {}
    changes: dict[str, list[dict]] = {}
    if division:
        codes = ancestors(division)
        rows = ParameterValue.objects.filter(policy__in=keys, division_code__in=codes)
        for value in rows.select_related("created_by").order_by(
            "policy", "parameter", "effective_from", "division_code"
        ):
            values.setdefault(value.policy, []).append(value)
        history = ParameterValue.history.filter(policy__in=keys, division_code__in=codes)
        recent = history.select_related("history_user").order_by("-history_date", "-history_id")
        for record in recent[:200] if staff else []:
            changes.setdefault(record.policy, []).append(
                {
                    "when": record.history_date,
                    "who": str(record.history_user) if record.history_user else "系统",
                    "action": HISTORY_TYPES.get(record.history_type, record.history_type),
                    "parameter": record.parameter,
                    "division_code": record.division_code,
                    "division_name": division_name(record.division_code),
                    "from": record.effective_from.isoformat(),
                    "value": record.value,
                    "reason": record.reason,
                    "note": record.history_change_reason or "",
                    "own": record.division_code == own,
                }
            )
    out = []
    for policy in policies:
        mine = values.get(policy.key, [])
        layered = _layered(
            policy.parameters,
            ancestors(division) if division else [],
            [(v.division_code, v.parameter, v.effective_from, v.value) for v in mine],
        )
        described = policy.describe()
        effective = {p["key"]: p["history"] for p in layered.describe()}
        for parameter in described["parameters"]:
            parameter["effective"] = effective[parameter["key"]]
            parameter["local_values"] = [
                _value_record(v, own, staff) for v in mine if v.parameter == parameter["key"]
            ]
        # The document numbers in full (the parameter file's source names every document).
        described["source"] = policy.parameters.source or policy.source
        described["division_code"] = division or ""
        described["changes"] = changes.get(policy.key, [])
        out.append(described)
    return out


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
    parameters = parameters_for(policy.key, screening_division(user, division))
    try:
        return enterprises, policy.evaluate(enterprises.inputs, year, parameters=parameters)
    except RulesError as exc:  # e.g. a year before the policy's parameters took effect
        raise ValidationFailed(str(exc), field="year") from exc


ROW_BATCH = 5000  # rows explained at a time (and the step of the progress reports)


def _rows(
    enterprises: Enterprises,
    result: PolicyResult,
    indices: list[int],
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    """One explained row per enterprise at ``indices`` (in that order)."""
    failed = result.failed.tolist()
    out = []
    for start in range(0, len(indices), ROW_BATCH):
        batch = indices[start : start + ROW_BATCH]
        for i, row in zip(batch, result.rows(batch), strict=True):
            out.append(
                {
                    "id": row["id"],
                    "uscc": enterprises.usccs[i],
                    "name": enterprises.names[i],
                    "eligible": row["eligible"],
                    "pending": row["pending"],
                    "score": row.get("score"),
                    "amount": row.get("amount"),
                    "failed": failed[i],
                    "conditions": row["conditions"],
                    "gaps": row["gaps"],
                }
            )
        if progress is not None:
            progress(len(out), len(indices))
    return out


def screen(
    *,
    user,
    policy_key: str,
    year,
    division: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    """Every enterprise in scope: eligible first, then pending, then the closest to passing.

    ``progress(done, total)`` (optional) is told how many rows are explained so far.
    """
    return screen_lazily(user=user, policy_key=policy_key, year=year, division=division).all(
        progress
    )


class ScreenedRows:
    """The rows of :func:`screen`, in its order, explained only where read: a page of 50 costs
    50 explained rows, not one per enterprise in scope. Slicing gives explained rows."""

    def __init__(self, enterprises: Enterprises, result: PolicyResult):
        self._enterprises, self._result = enterprises, result
        closeness = _closeness(result)
        keys = (result.ids, closeness, result.failed, ~result.pending, ~result.eligible)
        self._order = np.lexsort(keys).tolist()

    def __len__(self) -> int:
        return len(self._order)

    def __getitem__(self, index: slice) -> list[dict]:
        return _rows(self._enterprises, self._result, self._order[index])

    def all(self, progress: Callable[[int, int], None] | None = None) -> list[dict]:
        return _rows(self._enterprises, self._result, self._order, progress)

    def summary(self) -> dict:
        """Counts and the eligible enterprises' total amount, from the arrays."""
        result = self._result
        amount = 0
        if result.amount is not None:
            amount = int(result.amount[result.eligible].astype(np.int64).sum())
        return {
            "total": len(self),
            "eligible": int(result.eligible.sum()),
            "pending": int(result.pending.sum()),
            "amount": amount,
        }


def screen_lazily(*, user, policy_key: str, year, division: str | None = None) -> ScreenedRows:
    """:func:`screen` for a paged page: the same rows, explained on reading."""
    return ScreenedRows(*_evaluate(user, policy_key, year, division))


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
    return _rows(enterprises, result, indices)


def redemption_list(user):
    """The redemptions ``user`` may read, with what a list shows."""
    return visible_to(Redemption.objects.select_related("organization", "zone"), user)


def innovation_assessment_list(user) -> QuerySet[InnovationAssessment]:
    return visible_to(
        InnovationAssessment.objects.select_related("organization", "zone", "created_by"), user
    )


def policy_budget_list(user) -> QuerySet[PolicyBudget]:
    return visible_to(PolicyBudget.objects.all(), user)


def with_usage(budgets) -> list[PolicyBudget]:
    """Set ``used`` (approved and paid redemptions of the budget's policy and year in its
    division subtree, as the approval guard counts them) and ``remaining`` on each budget.
    One query for any number of budgets."""
    budgets = list(budgets)
    if not budgets:
        return budgets
    committed = (
        Redemption.objects.filter(
            policy__in={b.policy for b in budgets},
            year__in={b.year for b in budgets},
            status__in=COMMITTED,
        )
        .values("policy", "year", "division_code")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    totals = [(r["policy"], r["year"], r["division_code"], r["total"]) for r in committed]
    for budget in budgets:
        prefix = division_prefix(budget.division_code)
        budget.used = sum(
            (
                total
                for policy, year, code, total in totals
                if policy == budget.policy and year == budget.year and code.startswith(prefix)
            ),
            Decimal(0),
        )
        budget.remaining = budget.amount - budget.used
    return budgets
