"""政策兑现 services and workflow: confirmation of the screening list, applications, amount
overrides, the workflow with its roles and reasons, and the budget."""

from decimal import Decimal

import pytest

from kechuang.core.exceptions import (
    Conflict,
    NotInScope,
    RoleNotAllowed,
    ValidationFailed,
)
from kechuang.core.models import AuditEvent
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import QualificationFactory, user_with_role
from kechuang.core.workflow import history
from kechuang.orgs.models import EnterpriseYear
from kechuang.policies import services
from kechuang.policies.models import PolicyBudget, Redemption

from .conftest import FENGTAI

pytestmark = pytest.mark.django_db
POLICY, YEAR = "rd_post_subsidy", 2023


def raise_rd(organization, amount=Decimal("3600000.00")):
    """R&D 2023 up by 100 万元 on 2022: 15 % → 150,000 yuan (the strong one holds tech_sme)."""
    EnterpriseYear.objects.filter(organization=organization, year=YEAR).update(rd_expense=amount)


@pytest.fixture
def bureau(db):
    return user_with_role(Roles.BUREAU, division_code="340400")


@pytest.fixture
def proposed(enterprises, bureau):
    raise_rd(enterprises["strong"])
    [redemption] = services.redemptions_confirm_screening(
        actor=bureau, policy_key=POLICY, year=YEAR
    )
    return redemption


def budget(amount, division=FENGTAI):
    return PolicyBudget.objects.create(
        policy=POLICY, year=YEAR, division_code=division, amount=Decimal(amount)
    )


def test_confirmation_creates_proposed_redemptions_once(enterprises, bureau, proposed):
    assert proposed.organization == enterprises["strong"]
    assert (proposed.status, proposed.source) == ("proposed", "proposed")
    assert proposed.amount == proposed.computed_amount == Decimal("150000")
    assert proposed.division_code == FENGTAI and proposed.created_by == bureau
    assert proposed.conditions["eligible"] and proposed.conditions["conditions"]
    assert AuditEvent.objects.filter(verb="redemption.proposed", object_id=proposed.pk).exists()
    again = services.redemptions_confirm_screening(actor=bureau, policy_key=POLICY, year=YEAR)
    assert again == [] and Redemption.objects.count() == 1


def test_confirmation_is_scoped_and_filtered_by_uscc(enterprises):
    for key in ("strong", "far"):
        raise_rd(enterprises[key])
    QualificationFactory(organization=enterprises["far"], kind="hnte")
    hefei = user_with_role(Roles.BUREAU, division_code="340100")
    created = services.redemptions_confirm_screening(actor=hefei, policy_key=POLICY, year=YEAR)
    assert [r.organization for r in created] == [enterprises["far"]]
    province = user_with_role(Roles.BUREAU, division_code="340000")
    none = services.redemptions_confirm_screening(
        actor=province, policy_key=POLICY, year=YEAR, uscc_list=["91340000000000000X"]
    )
    assert none == []
    some = services.redemptions_confirm_screening(
        actor=province, policy_key=POLICY, year=YEAR, uscc_list=[enterprises["strong"].uscc]
    )
    assert [r.organization for r in some] == [enterprises["strong"]]


def test_only_policies_with_an_amount_and_only_staff(enterprises, bureau):
    with pytest.raises(ValidationFailed) as excinfo:
        services.redemptions_confirm_screening(actor=bureau, policy_key="hnte", year=YEAR)
    assert excinfo.value.code == "no_amount"
    owner = user_with_role(Roles.ENTERPRISE, organization=enterprises["strong"])
    with pytest.raises(RoleNotAllowed):
        services.redemptions_confirm_screening(actor=owner, policy_key=POLICY, year=YEAR)


def test_enterprise_applies_for_itself_or_learns_what_it_lacks(enterprises):
    raise_rd(enterprises["strong"])
    owner = user_with_role(Roles.ENTERPRISE, organization=enterprises["strong"])
    redemption = services.redemption_apply(actor=owner, policy_key=POLICY, year=YEAR)
    assert (redemption.status, redemption.source, redemption.amount) == (
        "applied",
        "applied",
        Decimal("150000"),
    )
    with pytest.raises(Conflict):
        services.redemption_apply(actor=owner, policy_key=POLICY, year=YEAR)
    weak = user_with_role(Roles.ENTERPRISE, organization=enterprises["weak"])
    with pytest.raises(ValidationFailed) as excinfo:
        services.redemption_apply(actor=weak, policy_key=POLICY, year=YEAR)
    assert excinfo.value.code == "not_eligible" and "不符合" in excinfo.value.message


def test_override_needs_a_reason_and_is_audited(bureau, proposed):
    with pytest.raises(ValidationFailed) as excinfo:
        services.redemption_set_amount(actor=bureau, redemption=proposed, amount=Decimal(100000))
    assert excinfo.value.code == "reason_required"
    services.redemption_set_amount(
        actor=bureau, redemption=proposed, amount=Decimal(100000), override_reason="核减"
    )
    assert proposed.amount == Decimal(100000) and proposed.override_reason == "核减"
    event = AuditEvent.objects.get(verb="redemption.amount_set")
    assert event.data["from"] == "150000.00" and event.data["to"] == "100000"
    far = user_with_role(Roles.BUREAU, division_code="340100")
    with pytest.raises(NotInScope):
        services.redemption_set_amount(actor=far, redemption=proposed, amount=Decimal(1))


def test_db_constraint_refuses_an_override_without_reason(proposed):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Redemption.objects.filter(pk=proposed.pk).update(amount=Decimal(1))


def step(redemption, action, actor, note=""):
    return services.redemption_transition(
        actor=actor, redemption=redemption, action=action, note=note
    )


def test_the_whole_way_to_paid_within_budget(bureau, proposed):
    budget(150000)
    for action in ("verify", "approve", "pay"):
        step(proposed, action, bureau)
    assert proposed.status == "paid"
    actions = [log.action for log in history(proposed)]
    assert actions == ["verify", "approve", "pay"]
    with pytest.raises(Conflict):
        services.redemption_set_amount(actor=bureau, redemption=proposed, amount=Decimal(1))


def test_approval_never_exceeds_the_budget(enterprises, bureau, proposed):
    budget(100000, division="340400")  # the city's budget covers its counties
    step(proposed, "verify", bureau)
    with pytest.raises(ValidationFailed) as excinfo:
        step(proposed, "approve", bureau)
    assert excinfo.value.code == "over_budget"
    services.redemption_set_amount(
        actor=bureau, redemption=proposed, amount=Decimal(100000), override_reason="预算所限"
    )
    step(proposed, "approve", bureau)
    assert proposed.status == "approved"


def test_no_budget_no_approval(bureau, proposed):
    step(proposed, "verify", bureau)
    with pytest.raises(ValidationFailed) as excinfo:
        step(proposed, "approve", bureau)
    assert excinfo.value.code == "no_budget"


def test_return_and_resubmit_reject_with_reason(enterprises, bureau, proposed):
    owner = user_with_role(Roles.ENTERPRISE, organization=enterprises["strong"])
    with pytest.raises(ValidationFailed) as excinfo:
        step(proposed, "return", bureau)
    assert excinfo.value.code == "note_required"
    with pytest.raises(RoleNotAllowed):
        step(proposed, "verify", owner)
    step(proposed, "return", bureau, "请补充研发费用专项审计报告")
    assert (proposed.status, proposed.reason) == ("returned", "请补充研发费用专项审计报告")
    other = user_with_role(Roles.ENTERPRISE, organization=enterprises["weak"])
    with pytest.raises(NotInScope):
        step(proposed, "resubmit", other)
    step(proposed, "resubmit", owner)
    assert proposed.status == "applied"
    step(proposed, "reject", bureau, "材料不实")
    assert (proposed.status, proposed.reason) == ("rejected", "材料不实")
    with pytest.raises(Conflict):
        step(proposed, "verify", bureau)


def test_budget_set_is_scoped_and_audited(bureau):
    made = services.policy_budget_set(
        actor=bureau, policy_key=POLICY, year=YEAR, division_code="340421", amount=Decimal(5)
    )
    services.policy_budget_set(
        actor=bureau, policy_key=POLICY, year=YEAR, division_code="340421", amount=Decimal(9)
    )
    made.refresh_from_db()
    assert made.amount == Decimal(9)
    assert AuditEvent.objects.filter(verb="policy_budget.set").count() == 2
    with pytest.raises(ValidationFailed):
        services.policy_budget_set(
            actor=bureau, policy_key=POLICY, year=YEAR, division_code="340102", amount=Decimal(1)
        )
