"""政策兑现 figures through the statistics engine: paid amounts, enterprises and person-times
benefited, by fiscal year and division, with the records behind each figure."""

from decimal import Decimal

import pytest

from kechuang.core.testing.factories import OrganizationFactory
from kechuang.policies.models import Redemption
from kechuang.stats.selectors import Target, compute, records

pytestmark = pytest.mark.django_db

KEYS = [
    "redemption_paid_sum",
    "redemption_paid_enterprises",
    "redemption_paid_count",
    "redemption_committed_sum",
    "redemption_proactive_paid_count",
]


def redemption(organization, policy, status, amount, *, year=2024, source="proposed"):
    return Redemption.objects.create(
        policy=policy,
        year=year,
        organization=organization,
        division_code=organization.division_code,
        zone=organization.zone,
        computed_amount=Decimal(amount),
        amount=Decimal(amount),
        source=source,
        status=status,
    )


def figures(division, period="2024"):
    return {
        v.indicator: v.value
        for v in compute(user=None, division=division, period=period, indicators=KEYS)
    }


def test_paid_amounts_enterprises_and_person_times():
    fengtai = OrganizationFactory(division_code="340421")
    panji = OrganizationFactory(division_code="340406")
    hefei = OrganizationFactory(division_code="340102")
    paid = redemption(fengtai, "rd_post_subsidy", "paid", "120000.50")
    redemption(fengtai, "hnte", "paid", "200000", source="applied")
    redemption(panji, "rd_post_subsidy", "approved", "80000")
    redemption(panji, "hnte", "verified", "50000")
    redemption(hefei, "rd_post_subsidy", "paid", "30000")
    redemption(fengtai, "tech_sme", "paid", "10000", year=2023)

    city = figures("340400")
    assert city["redemption_paid_sum"] == Decimal("320000.50")
    assert city["redemption_paid_enterprises"] == 1  # two policies, one enterprise
    assert city["redemption_paid_count"] == 2
    assert city["redemption_committed_sum"] == Decimal("400000.50")
    assert city["redemption_proactive_paid_count"] == 1
    province = figures("340000")
    assert province["redemption_paid_enterprises"] == 2
    assert province["redemption_paid_sum"] == Decimal("350000.50")
    assert figures("340400", "2023")["redemption_paid_count"] == 1

    behind = records(
        None,
        indicator="redemption_proactive_paid_count",
        period="2024",
        target=Target(division="340400"),
    )
    assert [r.pk for r in behind] == [paid.pk]
