"""Writes of 政策兑现: budgets, redemptions from screening (免申即享) or from an enterprise's
application, amount overrides and workflow steps (kechuang.core.workflow.transition)."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction

from kechuang.core.audit import record_event
from kechuang.core.exceptions import Conflict, NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.scoping import STAFF_ROLES, Roles, division_in_scope, object_in_scope
from kechuang.core.workflow import transition
from kechuang.orgs.models import Organization
from kechuang.regions.selectors import division_exists

from . import selectors
from .models import PolicyBudget, Redemption, RedemptionSource, RedemptionStatus
from .workflows import OPEN, REDEMPTION_WORKFLOW  # noqa: F401 - registers the workflow


def _require_staff(actor, message: str) -> None:
    if not (actor.is_superuser or actor.role in STAFF_ROLES):
        raise RoleNotAllowed(message)


def redeemable_policy(policy_key: str):
    """An enterprise policy that computes an amount; others cannot be redeemed."""
    policy = selectors.enterprise_policy(policy_key)
    if policy.amount is None:
        raise ValidationFailed(
            f"“{policy.label}”不含兑现金额，不能办理政策兑现", code="no_amount", field="policy"
        )
    return policy


# --- budgets ---------------------------------------------------------------------------------


@transaction.atomic
def policy_budget_set(
    *, actor, policy_key: str, year: int, division_code: str, amount: Decimal
) -> PolicyBudget:
    """Create or change the budget of a policy for a year in a division (bureau staff)."""
    if not (actor.is_superuser or actor.role in (Roles.ADMIN, Roles.BUREAU)):
        raise RoleNotAllowed("只有科技局可以设置兑现预算")
    policy = redeemable_policy(policy_key)
    year = selectors.check_year(year)
    if not division_exists(division_code):
        raise ValidationFailed(f"未知的行政区划代码 {division_code}", field="division_code")
    if not division_in_scope(actor, division_code):
        raise ValidationFailed("行政区划不在您的管辖范围内", field="division_code")
    if amount < 0:
        raise ValidationFailed("预算不能为负数", field="amount")
    budget, created = PolicyBudget.objects.select_for_update().get_or_create(
        policy=policy.key, year=year, division_code=division_code, defaults={"amount": amount}
    )
    before = budget.amount
    if not created and before != amount:
        budget.amount = amount
        budget.save(update_fields=["amount", "updated_at"])
    record_event(
        actor=actor,
        verb="policy_budget.set",
        obj=budget,
        data={"from": None if created else str(before), "to": str(amount)},
    )
    return budget


# --- redemptions -----------------------------------------------------------------------------


def _snapshot(row: dict) -> dict:
    keys = ("eligible", "pending", "score", "amount", "conditions", "gaps")
    return {key: row.get(key) for key in keys}


def _create(*, actor, policy, year, organization, row, source) -> Redemption | None:
    """Insert one redemption; None when the enterprise already has one (also when a concurrent
    confirmation inserted it first)."""
    amount = Decimal(row["amount"] or 0)
    redemption = Redemption(
        policy=policy.key,
        year=year,
        organization=organization,
        division_code=organization.division_code,
        zone_id=organization.zone_id,
        computed_amount=amount,
        amount=amount,
        source=source,
        status=source,  # proposed → proposed, applied → applied
        conditions=_snapshot(row),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            redemption.save()
    except IntegrityError:
        exists = Redemption.objects.filter(
            policy=policy.key, year=year, organization=organization
        ).exists()
        if not exists:
            raise
        return None
    record_event(
        actor=actor,
        verb=f"redemption.{source}",
        obj=redemption,
        data={"amount": str(amount), "policy": policy.key, "year": year},
    )
    return redemption


@transaction.atomic
def redemptions_confirm_screening(
    *,
    actor,
    policy_key: str,
    year,
    division: str | None = None,
    uscc_list: list[str] | None = None,
) -> list[Redemption]:
    """免申即享: staff confirm the screening list; every eligible enterprise in scope (or those of
    ``uscc_list``) gets a proposed redemption with the rule's amount, without applying.
    Enterprises that already have one for the policy and year are skipped: confirming twice
    creates nothing new."""
    _require_staff(actor, "只有科技局或园区工作人员可以确认免申即享名单")
    policy = redeemable_policy(policy_key)
    year = selectors.check_year(year)
    rows = selectors.screen(user=actor, policy_key=policy.key, year=year, division=division)
    wanted = {u.strip().upper() for u in uscc_list} if uscc_list is not None else None
    rows = [
        row
        for row in rows
        if row["eligible"]
        and (row["amount"] or 0) > 0
        and (wanted is None or row["uscc"] in wanted)
    ]
    existing = set(
        Redemption.objects.filter(
            policy=policy.key, year=year, organization_id__in=[r["id"] for r in rows]
        ).values_list("organization_id", flat=True)
    )
    rows = [row for row in rows if row["id"] not in existing]
    organizations = Organization.objects.in_bulk([row["id"] for row in rows])
    created = []
    for row in rows:
        redemption = _create(
            actor=actor,
            policy=policy,
            year=year,
            organization=organizations[row["id"]],
            row=row,
            source=RedemptionSource.PROPOSED,
        )
        if redemption is not None:
            created.append(redemption)
    return created


@transaction.atomic
def redemption_apply(*, actor, policy_key: str, year) -> Redemption:
    """An enterprise applies for itself: the rule is evaluated on its facts; refused, with what
    it lacks, when it does not qualify."""
    if actor.role != Roles.ENTERPRISE or not actor.organization_id:
        raise RoleNotAllowed("只有企业用户可以申请政策兑现")
    policy = redeemable_policy(policy_key)
    year = selectors.check_year(year)
    organization = Organization.objects.get(pk=actor.organization_id)
    if Redemption.objects.filter(policy=policy.key, year=year, organization=organization).exists():
        raise Conflict(f"本企业已有 {year} 年度“{policy.label}”的兑现记录", code="duplicate")
    rows = selectors.screen(user=actor, policy_key=policy.key, year=year)
    row = next((r for r in rows if r["id"] == organization.pk), None)
    if row is None or not row["eligible"]:
        gaps = "；".join(row["gaps"]) if row else "缺少企业年度数据"
        raise ValidationFailed(f"不符合“{policy.label}”的条件：{gaps}", code="not_eligible")
    if not (row["amount"] or 0) > 0:
        raise ValidationFailed(f"按“{policy.label}”测算的金额为 0", code="not_eligible")
    redemption = _create(
        actor=actor,
        policy=policy,
        year=year,
        organization=organization,
        row=row,
        source=RedemptionSource.APPLIED,
    )
    if redemption is None:
        raise Conflict(f"本企业已有 {year} 年度“{policy.label}”的兑现记录", code="duplicate")
    return redemption


@transaction.atomic
def redemption_set_amount(
    *, actor, redemption: Redemption, amount: Decimal, override_reason: str = ""
) -> Redemption:
    """Staff set the granted amount before approval; any difference from the rule's amount
    needs a reason. Audited with both amounts."""
    _require_staff(actor, "只有科技局或园区工作人员可以调整兑现金额")
    if not object_in_scope(redemption, actor):
        raise NotInScope("未找到")
    current = Redemption.objects.select_for_update().get(pk=redemption.pk)
    if current.status not in OPEN:
        label = RedemptionStatus(current.status).label
        raise Conflict(f"当前状态“{label}”不能调整金额", code="invalid_state")
    override_reason = (override_reason or "").strip()
    if amount < 0:
        raise ValidationFailed("兑现金额不能为负数", field="amount")
    if amount != current.computed_amount and not override_reason:
        raise ValidationFailed(
            "兑现金额与测算金额不同，须说明调整理由",
            code="reason_required",
            field="override_reason",
        )
    before = current.amount
    current.amount = amount
    current.override_reason = override_reason if amount != current.computed_amount else ""
    current.save(update_fields=["amount", "override_reason", "updated_at"])
    record_event(
        actor=actor,
        verb="redemption.amount_set",
        obj=current,
        data={
            "from": str(before),
            "to": str(amount),
            "computed": str(current.computed_amount),
            "reason": current.override_reason,
        },
    )
    redemption.refresh_from_db()
    return redemption


def redemption_transition(*, actor, redemption: Redemption, action: str, note: str = ""):
    return transition(obj=redemption, action=action, actor=actor, note=note)
