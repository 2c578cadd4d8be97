"""Writes of 政策兑现: budgets, redemptions from screening (免申即享) or from an enterprise's
application, amount overrides and workflow steps (kechuang.core.workflow.transition)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import JSONField, Value

from kechuang.core.audit import record_event
from kechuang.core.exceptions import Conflict, NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.scoping import (
    STAFF_ROLES,
    Roles,
    division_in_scope,
    object_in_scope,
)
from kechuang.core.workflow import transition
from kechuang.engines.rules import (
    ENTERPRISE_YEARLY,
    ZONE,
    ZONE_YEARLY,
    Inputs,
    ParameterError,
    ParameterSet,
    Policy,
    Qualification,
    date_array,
)
from kechuang.orgs.models import Organization, OrgKind, QualificationKind
from kechuang.regions.selectors import division_exists

from . import selectors
from .adapter import EXPERT_SCORE
from .models import (
    InnovationAssessment,
    ParameterValue,
    PolicyBudget,
    Redemption,
    RedemptionSource,
    RedemptionStatus,
)
from .parameter_shapes import clean_value
from .workflows import (  # noqa: F401 - registers the workflow
    OPEN,
    REDEMPTION_WORKFLOW,
    committed_total,
)


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


# --- a bureau's own parameter values -----------------------------------------------------------


def _require_bureau(actor) -> None:
    if not (actor.is_superuser or actor.role in (Roles.ADMIN, Roles.BUREAU)):
        raise RoleNotAllowed("只有科技局可以设置政策参数")


def _own_division(actor, division_code: str | None) -> str:
    """The division a value is set for: a bureau's own (only), any division for an admin."""
    admin = actor.is_superuser or actor.role == Roles.ADMIN
    own = selectors.division_code6(actor.division_code)
    code = selectors.division_code6(division_code) if division_code else own
    if not code:
        raise ValidationFailed("请指定行政区划代码", field="division_code")
    if not division_exists(code):
        raise ValidationFailed(f"未知的行政区划代码 {code}", field="division_code")
    if admin:
        return code
    if not division_in_scope(actor, code):
        raise NotInScope("行政区划不在您的管辖范围内", field="division_code")
    if code != own:
        raise ValidationFailed(
            f"只能设置本级（{own}）的参数取值，下级由其科技局自行设置",
            code="not_own_division",
            field="division_code",
        )
    return code


def _as_date(value, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationFailed(f"日期格式应为 YYYY-MM-DD：{value}", field=field) from None


def _trial_inputs(policy: Policy, year: int) -> Inputs:
    """A few synthetic entities (typical figures, zeros, nothing reported) to evaluate a
    policy once with new parameter values."""
    years = (year - 2, year - 1, year)
    typical = {
        "employees": 120, "rd_staff": 20, "revenue": 3e7, "rd_expense": 2e6,
        "rd_expense_domestic": 1.8e6, "hightech_revenue": 2e7, "total_assets": 5e7,
        "net_assets": 2e7, "total_cost": 2.5e7, "class_i_ip": 1, "class_ii_ip": 3,
        "enterprises": 100, "hitech_enterprises": 35, "platforms": 22,
        "innovation_expert_score": 60,
    }  # fmt: skip
    names = ZONE_YEARLY if policy.entity == ZONE else (*ENTERPRISE_YEARLY, EXPERT_SCORE)
    yearly = {}
    for name in names:
        rows = np.array([[typical[name] * (1 + 0.2 * k), 0.0, np.nan] for k in range(3)])
        yearly[name] = rows
    if policy.entity == ZONE:
        return Inputs(np.arange(3), years, yearly, entity=ZONE)
    static = {
        "founded_on": date_array([dt.date(year - 5, 3, 1), dt.date(year, 6, 1), None]),
        "hightech_field": np.array(["电子信息", "", ""], dtype=object),
    }
    held = Qualification(
        date_array([dt.date(year - 1, 1, 1), None, None]),
        date_array([dt.date(year + 2, 1, 1), None, None]),
    )
    qualifications = {kind: held for kind in QualificationKind.values}
    return Inputs(np.arange(3), years, yearly, static, qualifications)


def _trial(policy: Policy, parameters: ParameterSet, effective_from: dt.date) -> None:
    """Evaluate the policy with the new values for the first year they apply to."""
    year = effective_from.year + (0 if (effective_from.month, effective_from.day) == (1, 1) else 1)
    try:
        policy.evaluate(_trial_inputs(policy, year), year, parameters=parameters)
    except Exception as exc:  # noqa: BLE001 - any failure of the formulas is the value's fault
        raise ValidationFailed(
            f"按新取值试算 {year} 年度“{policy.label}”失败：{exc}",
            code="trial_failed",
            field="value",
        ) from None


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请说明设定依据（如本地文件文号）", field="reason")
    if len(reason) > 500:
        raise ValidationFailed("设定依据不超过 500 字", field="reason")
    return reason


def _locked_value(policy: str, parameter: str, code: str, effective_from) -> ParameterValue | None:
    rows = ParameterValue.objects.select_for_update().filter(
        policy=policy, parameter=parameter, division_code=code, effective_from=effective_from
    )
    return rows.first()


@transaction.atomic
def parameter_value_set(
    *,
    actor,
    policy_key: str,
    parameter: str,
    effective_from,
    value,
    reason: str,
    division_code: str | None = None,
) -> ParameterValue:
    """A bureau sets its own value of a policy parameter from a date on (or changes the value it
    set for that date). The value has the shipped shape and the policy evaluates with it."""
    _require_bureau(actor)
    policy = selectors.policy_detail(policy_key)
    try:
        shipped = policy.parameters[parameter]
    except ParameterError:
        raise ValidationFailed(
            f"政策“{policy.label}”没有参数 {parameter}", field="parameter"
        ) from None
    code = _own_division(actor, division_code)
    effective_from = _as_date(effective_from, "effective_from")
    first = shipped.history[0][0]
    if effective_from < first:
        raise ValidationFailed(
            f"生效日期不能早于该参数的首个生效日期 {first}", field="effective_from"
        )
    reason = _clean_reason(reason)
    value = clean_value(shipped, value)
    parameters = selectors.parameters_for(policy.key, code).with_values(
        {parameter: {effective_from: value}}
    )
    _trial(policy, parameters, effective_from)
    existing = _locked_value(policy.key, parameter, code, effective_from)
    before = None if existing is None else existing.value
    record = existing or ParameterValue(
        policy=policy.key, parameter=parameter, division_code=code, effective_from=effective_from
    )
    record.value, record.reason = value, reason
    record.created_by = actor if getattr(actor, "pk", None) else None
    record._history_user = record.created_by
    record.clean_for_save(validate_unique=False, validate_constraints=False, exclude=["value"])
    if value is None:  # JSON null ("not set"), not SQL NULL
        record.value = Value(None, output_field=JSONField())
    try:
        with transaction.atomic():
            record.save()
        record.value = value
    except IntegrityError:
        raise Conflict("该参数在同一生效日期的取值正被他人设置，请刷新后重试") from None
    record_event(
        actor=actor,
        verb="parameter_value.set",
        obj=record,
        data={
            "policy": policy.key,
            "parameter": parameter,
            "division_code": code,
            "effective_from": effective_from.isoformat(),
            "from": before,
            "to": value,
            "reason": reason,
        },
    )
    return record


@transaction.atomic
def parameter_value_delete(
    *,
    actor,
    policy_key: str,
    parameter: str,
    effective_from,
    reason: str,
    division_code: str | None = None,
) -> None:
    """A bureau withdraws a value it set; the division then reads the value above it again."""
    _require_bureau(actor)
    policy = selectors.policy_detail(policy_key)
    code = _own_division(actor, division_code)
    effective_from = _as_date(effective_from, "effective_from")
    reason = _clean_reason(reason)
    record = _locked_value(policy.key, parameter, code, effective_from)
    if record is None:
        raise NotInScope(f"本级没有 {effective_from} 起生效的参数 {parameter} 取值")
    record_event(
        actor=actor,
        verb="parameter_value.deleted",
        obj=record,
        data={
            "policy": policy.key,
            "parameter": parameter,
            "division_code": code,
            "effective_from": effective_from.isoformat(),
            "value": record.value,
            "reason": reason,
        },
    )
    record._history_user = actor if getattr(actor, "pk", None) else None
    record._change_reason = reason[:100]
    record.delete()


# --- experts' innovation scores ----------------------------------------------------------------

SCORE_MAX = Decimal(80)


@transaction.atomic
def innovation_assessment_set(
    *, actor, organization: Organization, year, score, assessed_on, note: str = ""
) -> InnovationAssessment:
    """Record (or correct) the experts' innovation score of an enterprise for a fiscal year:
    知识产权、科技成果转化能力、研究开发组织管理水平, 0–80 points. Staff, within their scope."""
    _require_staff(actor, "只有科技局或园区工作人员可以录入专家评分")
    if not object_in_scope(organization, actor):
        raise NotInScope("未找到该企业", field="organization")
    if organization.kind != OrgKind.ENTERPRISE:
        raise ValidationFailed("专家评分只适用于企业", field="organization")
    year = selectors.check_year(year)
    try:
        score = Decimal(str(score)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"专家评分应为数字：{score}", field="score") from None
    if not Decimal(0) <= score <= SCORE_MAX:
        raise ValidationFailed(f"专家评分应在 0–80 分之间：{score}", field="score")
    assessed_on = _as_date(assessed_on, "assessed_on")
    if assessed_on.year <= year:
        raise ValidationFailed(
            f"评审日期应在 {year} 会计年度结束之后（{year + 1} 年起）", field="assessed_on"
        )
    note = (note or "").strip()
    existing = (
        InnovationAssessment.objects.select_for_update()
        .filter(organization=organization, year=year)
        .first()
    )
    before = None if existing is None else str(existing.score)
    record = existing or InnovationAssessment(organization=organization, year=year)
    record.division_code = organization.division_code
    record.zone_id = organization.zone_id
    record.score, record.assessed_on, record.note = score, assessed_on, note
    record.created_by = actor if getattr(actor, "pk", None) else None
    record._history_user = record.created_by
    record.clean_for_save(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise Conflict(f"{organization.name} {year} 年度的评分正被他人录入，请刷新后重试") from None
    record_event(
        actor=actor,
        verb="innovation_assessment.set",
        obj=record,
        data={"year": year, "from": before, "to": str(score), "assessed_on": str(assessed_on)},
    )
    return record


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
        used = committed_total(budget)
        if amount < used:
            raise ValidationFailed(
                f"预算不能低于已批准和已拨付的金额 {used} 元",
                code="below_committed",
                field="amount",
            )
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
