"""Market figures through the statistics engine, against hand-counted records."""

import datetime as dt
from decimal import Decimal

import pytest

from kechuang.core.testing.factories import OrganizationFactory
from kechuang.market import services
from kechuang.market.models import TechContract
from kechuang.stats.selectors import Target, compute, records

from .factories import (
    AchievementFactory,
    ContractFactory,
    DockingFactory,
    ExpertFactory,
    NeedFactory,
)

pytestmark = pytest.mark.django_db

KEYS = [
    "market_need_count",
    "market_achievement_count",
    "market_docking_count",
    "market_docking_stage_failed",
    "market_docking_signed_count",
    "market_contract_count",
    "market_contract_amount_sum",
    "market_contract_tech_amount_sum",
    "market_contract_development_count",
    "market_contract_transfer_tech_amount_sum",
]


def figures(division, period):
    return {
        v.indicator: v.value
        for v in compute(user=None, division=division, period=period, indicators=KEYS)
    }


@pytest.fixture
def market():
    fengtai = OrganizationFactory(division_code="340421")
    tianjia = OrganizationFactory(division_code="340403", kind="university")
    hefei = OrganizationFactory(division_code="340102")
    # Needs: two published in 2024 in 凤台, one in 2025, one draft, one in 合肥.
    NeedFactory(enterprise=fengtai, published_on=dt.date(2024, 2, 1))
    NeedFactory(enterprise=fengtai, published_on=dt.date(2024, 11, 30), status="closed")
    NeedFactory(enterprise=fengtai, published_on=dt.date(2025, 1, 1))
    NeedFactory(enterprise=fengtai, status="draft", published_on=None)
    NeedFactory(enterprise=hefei, published_on=dt.date(2024, 5, 5))
    # Achievements: three published in 2024 in 田家庵 (one transferred), one in H2 2025.
    for day in (dt.date(2024, 1, 3), dt.date(2024, 6, 30), dt.date(2024, 7, 1)):
        AchievementFactory(owner=tianjia, published_on=day)
    AchievementFactory(owner=tianjia, published_on=dt.date(2025, 8, 8), status="transferred")
    # Dockings of 凤台 needs: recommended in 2024, one failed, one signed in 2025.
    need = NeedFactory(enterprise=fengtai, published_on=dt.date(2023, 12, 1))
    with_org = {"achievement": None, "organization": tianjia, "counterpart_org": tianjia}
    DockingFactory(need=need, recommended_on=dt.date(2024, 3, 1), **with_org)
    DockingFactory(
        need=need,
        recommended_on=dt.date(2024, 4, 1),
        stage="failed",
        outcome_reason="预算不足",
        achievement=AchievementFactory(owner=hefei, published_on=dt.date(2023, 1, 1)),
    )
    DockingFactory(
        need=need,
        recommended_on=dt.date(2024, 12, 1),
        stage="signed",
        signed_on=dt.date(2025, 2, 1),
        expert=ExpertFactory(),
        achievement=None,
        counterpart_org=tianjia,
    )
    # Contracts sold by 田家庵 university: registered 2024 (one revoked), one 2025.
    ContractFactory(
        seller=tianjia,
        type="development",
        contract_amount=Decimal("1500000.50"),
        tech_amount=Decimal("1200000.25"),
        registered_on=dt.date(2024, 6, 20),
    )
    ContractFactory(
        seller=tianjia,
        type="transfer",
        contract_amount=Decimal("2000000"),
        tech_amount=Decimal("2000000"),
        registered_on=dt.date(2024, 9, 1),
        signed_on=dt.date(2024, 8, 1),
    )
    revoked = ContractFactory(seller=tianjia, registered_on=dt.date(2024, 10, 1))
    ContractFactory(
        seller=tianjia, registered_on=dt.date(2025, 3, 3), signed_on=dt.date(2025, 3, 1)
    )
    ContractFactory(seller=hefei, registered_on=dt.date(2024, 6, 20))
    return revoked


def test_figures_by_division_and_year(market):
    city = figures("340400", "2024")
    assert city["market_need_count"] == 2
    assert city["market_achievement_count"] == 3
    assert city["market_docking_count"] == 3
    assert city["market_docking_stage_failed"] == 1
    assert city["market_docking_signed_count"] == 0
    assert city["market_contract_count"] == 3
    assert city["market_contract_amount_sum"] == Decimal("5000000.50")
    assert city["market_contract_tech_amount_sum"] == Decimal("4400000.25")
    assert city["market_contract_development_count"] == 2
    assert city["market_contract_transfer_tech_amount_sum"] == Decimal("2000000.00")
    assert figures("340400", "2025")["market_docking_signed_count"] == 1
    assert figures("340421", "2024")["market_contract_count"] == 0
    assert figures("340403", "2024")["market_contract_count"] == 3
    assert figures("340000", "2024")["market_need_count"] == 3


def test_shorter_periods_count_by_the_records_date(market):
    assert figures("340400", "2024H1")["market_achievement_count"] == 2
    assert figures("340400", "2024H2")["market_achievement_count"] == 1
    assert figures("340400", "2025Q1")["market_contract_count"] == 1
    assert figures("340400", "2025H2")["market_achievement_count"] == 1


def test_a_revocation_drops_the_contract_out_of_the_figures(market):
    from kechuang.core.testing.factories import UserFactory

    assert figures("340400", "2024")["market_contract_count"] == 3
    revoked = TechContract.objects.get(pk=market.pk)
    services.contract_revoke(
        actor=UserFactory(role="bureau", division_code="340400"),
        contract=revoked,
        reason="重复登记",
    )
    after = figures("340400", "2024")
    assert after["market_contract_count"] == 2
    assert after["market_contract_amount_sum"] == Decimal("3500000.50")


def test_the_records_behind_a_figure(market):
    behind = records(
        None,
        indicator="market_contract_count",
        period="2024",
        target=Target(division="340400"),
    )
    assert sorted(c.registered_on for c in behind) == [
        dt.date(2024, 6, 20),
        dt.date(2024, 9, 1),
    ] + [dt.date(2024, 10, 1)]
