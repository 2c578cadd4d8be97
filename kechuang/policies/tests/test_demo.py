"""The policies of the demo region: experts' scores turn pending 高企 candidates into decided
ones, the city's 免申即享 list is confirmed and carried through the workflow within its budget,
and reset removes it all."""

import datetime as dt
from decimal import Decimal

import pytest

from kechuang.core.models import TransitionLog
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import QualificationFactory, UserFactory
from kechuang.orgs.models import EnterpriseYear, Organization
from kechuang.policies import demo, selectors
from kechuang.policies.models import InnovationAssessment, PolicyBudget, Redemption

from .conftest import enterprise_with_years

pytestmark = pytest.mark.django_db


def test_build_and_reset(settings):
    for n in range(6):
        firm = enterprise_with_years(
            division_code="340421", name=f"示范企业{n}", years=(2023, 2024, 2025)
        )
        # R&D up by 100 万元 in 2025, holding 科技型中小企业: a post-subsidy of 15 万元
        EnterpriseYear.objects.filter(organization=firm, year=2025).update(
            rd_expense=Decimal("3600000.00")
        )
        QualificationFactory(
            organization=firm,
            kind="tech_sme",
            number=f"2025TS{n}",
            granted_on=dt.date(2025, 4, 1),
            valid_until=dt.date(2026, 12, 31),
        )
    UserFactory(username="bureau_city", role=Roles.BUREAU, division_code="340400")

    counts = demo.build(seed=7)

    assert counts["assessments"] == InnovationAssessment.objects.count() == 6
    assert not any(
        row["pending"] for row in selectors.screen(user=None, policy_key="hnte", year=2025)
    )
    budget = PolicyBudget.objects.get()
    committed = sum(r.amount for r in Redemption.objects.filter(status__in=["approved", "paid"]))
    assert 0 < committed <= budget.amount
    assert {r.source for r in Redemption.objects.all()} == {"proposed"}
    assert TransitionLog.objects.filter(object_type="policies.redemption").exists()
    assert demo.build(seed=7) == {"assessments": 0, "redemptions": 0}  # nothing twice
    demo.reset(list(Organization.objects.values_list("pk", flat=True)))
    assert not Redemption.objects.exists() and not InnovationAssessment.objects.exists()
    assert not PolicyBudget.objects.exists()
    assert not TransitionLog.objects.filter(object_type="policies.redemption").exists()
