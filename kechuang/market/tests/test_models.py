"""Named constraints hold in the database whatever writes the row."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from kechuang.core.testing.factories import OrganizationFactory

from .factories import (
    AchievementFactory,
    ContractFactory,
    DockingFactory,
    ExpertFactory,
    NeedFactory,
)

pytestmark = pytest.mark.django_db


def refused(make, constraint):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        make()
    assert (
        constraint in str(error.value)
        or "CHECK" in str(error.value)
        or "UNIQUE" in str(error.value)
    )


def test_need_budget_range_and_unique_title():
    refused(
        lambda: NeedFactory(budget_min=Decimal("10"), budget_max=Decimal("5")),
        "market_need_budget_range",
    )
    refused(lambda: NeedFactory(budget_min=Decimal("-1"), budget_max=None), "budget_not_negative")
    need = NeedFactory()
    refused(lambda: NeedFactory(enterprise=need.enterprise, title=need.title), "market_need_unique")
    NeedFactory(budget_min=None, budget_max=Decimal("5"))  # an open lower bound is fine


def test_know_how_has_no_number_and_price_is_not_negative():
    refused(
        lambda: AchievementFactory(type="know_how", patent_number="ZL201710601862.3"),
        "know_how",
    )
    refused(lambda: AchievementFactory(price=Decimal("-1")), "price_not_negative")
    AchievementFactory(type="know_how", patent_number="", price=None)


def test_a_docking_has_exactly_one_counterpart():
    need = NeedFactory()
    refused(
        lambda: DockingFactory(need=need, expert=ExpertFactory()),
        "market_docking_one_counterpart",
    )
    refused(
        lambda: DockingFactory(need=need, achievement=None, counterpart_org=need.enterprise),
        "market_docking_one_counterpart",
    )
    org = OrganizationFactory()
    DockingFactory(need=need, achievement=None, organization=org, counterpart_org=org)


def test_one_open_docking_per_pair_but_a_failed_one_may_be_retried():
    docking = DockingFactory()
    refused(
        lambda: DockingFactory(need=docking.need, achievement=docking.achievement),
        "market_docking_open_achievement",
    )
    docking.stage = "failed"
    docking.outcome_reason = "预算不足"
    docking.save()
    DockingFactory(need=docking.need, achievement=docking.achievement)


def test_at_event_needs_an_event():
    refused(lambda: DockingFactory(source="at_event"), "at_event_has_event")


def test_contract_amounts_dates_buyer_and_revocation():
    refused(
        lambda: ContractFactory(tech_amount=Decimal("2"), contract_amount=Decimal("1")),
        "tech_amount_le_amount",
    )
    refused(lambda: ContractFactory(contract_amount=Decimal("0"), tech_amount=0), "positive")
    refused(
        lambda: ContractFactory(signed_on=dt.date(2024, 6, 2), registered_on=dt.date(2024, 6, 1)),
        "registered_after_signed",
    )
    refused(lambda: ContractFactory(buyer=None, buyer_name=""), "buyer_named")
    refused(lambda: ContractFactory(revoked=True), "revocation_complete")
    contract = ContractFactory()
    refused(
        lambda: ContractFactory(registration_number=contract.registration_number),
        "registration_number",
    )


def test_division_codes_are_six_digits():
    refused(lambda: NeedFactory(division_code="3404"), "division_six_digits")
