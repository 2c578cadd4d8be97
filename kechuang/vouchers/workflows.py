"""The voucher workflows, declared as data (kechuang.core.workflow).

- claim: applied → approved (opens the quota) | rejected | withdrawn
- provider: pending → approved ⇄ suspended; any → blacklisted
- settlement: submitted → verified → paid; submitted → returned → submitted
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db.models import Sum
from django.utils import timezone

from kechuang.core.exceptions import ValidationFailed
from kechuang.core.scoping import STAFF_ROLES, Roles
from kechuang.core.workflow import Transition, Workflow, register

from .models import (
    ClaimStatus,
    ProviderStatus,
    SchemeStatus,
    SettlementStatus,
    UseStatus,
    VoucherClaim,
    VoucherScheme,
)
from .selectors import with_provider_q

STAFF = STAFF_ROLES
ENTERPRISE = frozenset({Roles.ENTERPRISE})
APPLICANTS = frozenset({Roles.ENTERPRISE, Roles.PROVIDER})


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def claimed_total(scheme: VoucherScheme, *, enterprise=None, statuses=(ClaimStatus.APPROVED,)):
    claims = VoucherClaim.objects.filter(scheme=scheme, status__in=statuses)
    if enterprise is not None:
        claims = claims.filter(enterprise=enterprise)
    return claims.aggregate(total=Sum("amount"))["total"] or 0


# --- claim -----------------------------------------------------------------------------------


def scheme_open(claim, actor, note) -> None:
    if claim.scheme.status != SchemeStatus.OPEN:
        raise ValidationFailed("该创新券方案未在申领期", code="scheme_closed")


def within_budget(claim, actor, note) -> None:
    # Lock the scheme: two approvals of the same scheme are counted one after the other.
    scheme = VoucherScheme.objects.select_for_update().get(pk=claim.scheme_id)
    if claimed_total(scheme) + claim.amount > scheme.budget:
        raise ValidationFailed("批准后将超出方案总预算", code="over_budget")


def within_cap(claim, actor, note) -> None:
    scheme = claim.scheme
    if claimed_total(scheme, enterprise=claim.enterprise_id) + claim.amount > (
        scheme.cap_per_enterprise
    ):
        raise ValidationFailed("超过每家企业年度额度上限", code="over_cap")


def open_quota(claim, actor, note) -> None:
    today = timezone.localdate()
    scheme = claim.scheme
    claim.remaining = claim.amount
    claim.expires_on = scheme.expires_on or add_months(today, scheme.valid_months)
    claim.approved_at = timezone.now()
    claim.save(update_fields=["remaining", "expires_on", "approved_at", "updated_at"])


CLAIM_WORKFLOW = register(
    Workflow(
        model="vouchers.voucherclaim",
        name="voucher_claim",
        states=ClaimStatus,
        transitions=(
            Transition(
                "approve",
                (ClaimStatus.APPLIED,),
                ClaimStatus.APPROVED,
                STAFF,
                "批准",
                guards=(scheme_open, within_budget, within_cap),
                effect=open_quota,
            ),
            Transition(
                "reject",
                (ClaimStatus.APPLIED,),
                ClaimStatus.REJECTED,
                STAFF,
                "不予批准",
                needs_note=True,
            ),
            Transition(
                "withdraw", (ClaimStatus.APPLIED,), ClaimStatus.WITHDRAWN, ENTERPRISE, "撤回"
            ),
        ),
    )
)

# --- provider --------------------------------------------------------------------------------

PROVIDER_WORKFLOW = register(
    Workflow(
        model="vouchers.serviceprovider",
        name="voucher_provider",
        states=ProviderStatus,
        transitions=(
            Transition(
                "approve",
                (ProviderStatus.PENDING, ProviderStatus.SUSPENDED),
                ProviderStatus.APPROVED,
                STAFF,
                "审核入库",
            ),
            Transition(
                "suspend",
                (ProviderStatus.APPROVED,),
                ProviderStatus.SUSPENDED,
                STAFF,
                "暂停",
                needs_note=True,
            ),
            Transition(
                "blacklist",
                (ProviderStatus.PENDING, ProviderStatus.APPROVED, ProviderStatus.SUSPENDED),
                ProviderStatus.BLACKLISTED,
                STAFF,
                "列入黑名单",
                needs_note=True,
            ),
        ),
    )
)

# --- settlement ------------------------------------------------------------------------------


def submitted_by_payee(settlement, actor, note) -> None:
    if actor.role in APPLICANTS and actor.organization_id != settlement.payee_id:
        raise ValidationFailed("只有收款单位可以重新提交", code="not_payee")


def mark_paid(settlement, actor, note) -> None:
    settlement.paid_on = timezone.localdate()
    settlement.save(update_fields=["paid_on", "updated_at"])
    use = settlement.use
    use.status = UseStatus.SETTLED
    use.save(update_fields=["status", "updated_at"])


SETTLEMENT_WORKFLOW = register(
    Workflow(
        model="vouchers.vouchersettlement",
        name="voucher_settlement",
        states=SettlementStatus,
        scope=with_provider_q,
        transitions=(
            Transition(
                "verify",
                (SettlementStatus.SUBMITTED,),
                SettlementStatus.VERIFIED,
                STAFF,
                "审核通过",
            ),
            Transition(
                "return",
                (SettlementStatus.SUBMITTED,),
                SettlementStatus.RETURNED,
                STAFF,
                "退回补正",
                needs_note=True,
            ),
            Transition(
                "resubmit",
                (SettlementStatus.RETURNED,),
                SettlementStatus.SUBMITTED,
                APPLICANTS,
                "重新提交",
                guards=(submitted_by_payee,),
            ),
            Transition(
                "pay",
                (SettlementStatus.VERIFIED,),
                SettlementStatus.PAID,
                STAFF,
                "兑付",
                effect=mark_paid,
            ),
        ),
    )
)
