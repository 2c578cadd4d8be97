"""The redemption workflow (政策兑现), declared as data (kechuang.core.workflow).

proposed (免申即享) | applied (企业申请) → verified → approved → paid;
proposed | applied | verified → returned (to the enterprise, which resubmits → applied)
or rejected, each with a reason. Approval never takes a budget past its amount.
"""

from __future__ import annotations

from django.db.models import Sum

from kechuang.core.exceptions import ValidationFailed
from kechuang.core.scoping import STAFF_ROLES, Roles, division_q
from kechuang.core.workflow import Transition, Workflow, register

from .models import COMMITTED, PolicyBudget, Redemption, RedemptionStatus

STAFF = STAFF_ROLES
ENTERPRISE = frozenset({Roles.ENTERPRISE})
OPEN = (RedemptionStatus.PROPOSED, RedemptionStatus.APPLIED, RedemptionStatus.VERIFIED)


def budget_codes(division_code: str) -> list[str]:
    """The divisions whose budget may cover ``division_code``, the most specific first."""
    return [division_code, f"{division_code[:4]}00", f"{division_code[:2]}0000"]


def committed_total(budget: PolicyBudget):
    """Approved and paid amounts of the budget's policy and year in its division subtree."""
    rows = Redemption.objects.filter(
        division_q("division_code", budget.division_code),
        policy=budget.policy,
        year=budget.year,
        status__in=COMMITTED,
    )
    return rows.aggregate(total=Sum("amount"))["total"] or 0


def within_budget(redemption, actor, note) -> None:
    # Lock the budget row: approvals against one budget are counted one after the other.
    codes = budget_codes(redemption.division_code)
    budgets = {
        b.division_code: b
        for b in PolicyBudget.objects.select_for_update().filter(
            policy=redemption.policy, year=redemption.year, division_code__in=codes
        )
    }
    budget = next((budgets[c] for c in codes if c in budgets), None)
    if budget is None:
        raise ValidationFailed(f"{redemption.year} 年度尚未设置该政策的兑现预算", code="no_budget")
    if committed_total(budget) + redemption.amount > budget.amount:
        raise ValidationFailed("批准后将超出该政策的年度兑现预算", code="over_budget")


def keep_reason(redemption, actor, note) -> None:
    redemption.reason = note
    redemption.save(update_fields=["reason", "updated_at"])


REDEMPTION_WORKFLOW = register(
    Workflow(
        model="policies.redemption",
        name="redemption",
        states=RedemptionStatus,
        transitions=(
            Transition(
                "verify",
                (RedemptionStatus.PROPOSED, RedemptionStatus.APPLIED),
                RedemptionStatus.VERIFIED,
                STAFF,
                "核实",
            ),
            Transition(
                "approve",
                (RedemptionStatus.VERIFIED,),
                RedemptionStatus.APPROVED,
                STAFF,
                "批准兑现",
                guards=(within_budget,),
            ),
            Transition("pay", (RedemptionStatus.APPROVED,), RedemptionStatus.PAID, STAFF, "拨付"),
            Transition(
                "return",
                OPEN,
                RedemptionStatus.RETURNED,
                STAFF,
                "退回企业",
                needs_note=True,
                effect=keep_reason,
            ),
            Transition(
                "reject",
                OPEN,
                RedemptionStatus.REJECTED,
                STAFF,
                "不予兑现",
                needs_note=True,
                effect=keep_reason,
            ),
            Transition(
                "resubmit",
                (RedemptionStatus.RETURNED,),
                RedemptionStatus.APPLIED,
                ENTERPRISE,
                "重新提交",
            ),
        ),
    )
)
