"""Organizations, yearly facts and qualifications: database constraints and "qualified on"."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from kechuang.core.testing.factories import (
    EnterpriseYearFactory,
    OrganizationFactory,
    QualificationFactory,
)
from kechuang.orgs.models import EnterpriseYear, Organization, Qualification
from kechuang.orgs.selectors import (
    is_qualified,
    organizations_qualified_on,
    qualifications_in_force,
    qualified_on_q,
)

pytestmark = pytest.mark.django_db


def rejected(factory, **fields):
    """True when the database refuses the row (the constraint, not Python, says no)."""
    try:
        with transaction.atomic():
            factory(**fields)
    except IntegrityError:
        return True
    return False


# --- constraints ---------------------------------------------------------------------------


def test_rd_staff_cannot_exceed_employees():
    assert rejected(EnterpriseYearFactory, employees=10, rd_staff=11)
    assert not rejected(EnterpriseYearFactory, employees=10, rd_staff=10)
    assert not rejected(EnterpriseYearFactory, employees=None, rd_staff=11)


def test_domestic_rd_expense_cannot_exceed_rd_expense():
    assert rejected(
        EnterpriseYearFactory, rd_expense=Decimal("100"), rd_expense_domestic=Decimal("100.01")
    )
    assert not rejected(EnterpriseYearFactory, rd_expense=None, rd_expense_domestic=Decimal(5))


def test_hightech_revenue_cannot_exceed_revenue():
    assert rejected(EnterpriseYearFactory, revenue=Decimal(10), hightech_revenue=Decimal(11))
    assert not rejected(EnterpriseYearFactory, revenue=Decimal(10), hightech_revenue=Decimal(10))


@pytest.mark.parametrize("field", EnterpriseYear.NON_NEGATIVE_MONEY)
def test_money_cannot_be_negative(field):
    values = {field: Decimal("-0.01")}
    if field in ("rd_expense", "revenue"):  # keep the part ≤ whole constraints out of the way
        values |= {"rd_expense_domestic": None, "hightech_revenue": None}
    assert rejected(EnterpriseYearFactory, **values)


def test_net_assets_and_value_added_may_be_negative():
    record = EnterpriseYearFactory(net_assets=Decimal("-5"), value_added=Decimal("-1"))
    assert record.net_assets == Decimal("-5")


@pytest.mark.parametrize(("year", "refused"), [(1948, True), (1949, False), (2100, False)])
def test_year_range(year, refused):
    assert rejected(EnterpriseYearFactory, year=year) is refused


def test_one_record_per_organization_and_year():
    record = EnterpriseYearFactory(year=2023)
    assert rejected(EnterpriseYearFactory, organization=record.organization, year=2023)
    assert not rejected(EnterpriseYearFactory, organization=record.organization, year=2022)


def test_uscc_is_unique_and_in_the_charset():
    org = OrganizationFactory()
    assert rejected(OrganizationFactory, uscc=org.uscc)
    assert rejected(OrganizationFactory, uscc="91350100M000100I43")
    assert rejected(OrganizationFactory, uscc="91350100m000100Y43")
    assert rejected(OrganizationFactory, uscc="91350100M000100Y4")


@pytest.mark.parametrize("code", ["3404", "34042a", "34 421"])
def test_organization_division_code_has_six_digits(code):
    assert rejected(OrganizationFactory, division_code=code)


def test_qualification_constraints():
    assert rejected(
        QualificationFactory, granted_on=dt.date(2024, 1, 2), valid_until=dt.date(2024, 1, 1)
    )
    assert not rejected(
        QualificationFactory, granted_on=dt.date(2024, 1, 1), valid_until=dt.date(2024, 1, 1)
    )
    first = QualificationFactory()
    assert rejected(
        QualificationFactory, organization=first.organization, kind=first.kind, number=first.number
    )
    assert not rejected(
        QualificationFactory,
        organization=first.organization,
        kind="tech_sme",
        number=first.number,
    )


def test_deleting_an_organization_deletes_its_facts_and_qualifications():
    record = EnterpriseYearFactory()
    QualificationFactory(organization=record.organization)
    record.organization.delete()
    assert not EnterpriseYear.objects.exists() and not Qualification.objects.exists()


def test_str_and_history():
    record = EnterpriseYearFactory(organization=OrganizationFactory(name="淮南甲公司"), year=2023)
    assert str(record) == "淮南甲公司 2023 年"
    assert str(QualificationFactory(kind="gazelle", number="DL-1")) == "瞪羚企业 DL-1"
    org = Organization.objects.get(name="淮南甲公司")
    org.above_scale = True
    org.save()
    assert [h.history_type for h in org.history.all()] == ["~", "+"]


# --- qualified on a day: one definition, inclusive at both ends, revoked excluded --------------

GRANTED, UNTIL = dt.date(2023, 10, 16), dt.date(2026, 10, 15)


@pytest.mark.parametrize(
    ("day", "status", "in_force"),
    [
        (GRANTED - dt.timedelta(days=1), "valid", False),
        (GRANTED, "valid", True),
        (dt.date(2025, 2, 28), "valid", True),
        (UNTIL, "valid", True),
        (UNTIL + dt.timedelta(days=1), "valid", False),
        (GRANTED, "revoked", False),
        (dt.date(2025, 2, 28), "cancelled", False),
    ],
)
def test_qualified_on_boundaries(day, status, in_force):
    q = QualificationFactory(granted_on=GRANTED, valid_until=UNTIL, status=status)
    assert Qualification.objects.filter(qualified_on_q(day)).exists() is in_force
    assert q.is_valid_on(day) is in_force
    assert is_qualified(q.organization, "hnte", day) is in_force
    assert is_qualified(q.organization, "tech_sme", day) is False
    assert qualifications_in_force(day, "hnte").exists() is in_force
    held = organizations_qualified_on(Organization.objects.all(), kind="hnte", day=day)
    assert list(held) == ([q.organization] if in_force else [])


def test_qualified_on_q_follows_a_relation():
    q = QualificationFactory(granted_on=GRANTED, valid_until=UNTIL)
    OrganizationFactory()
    found = Organization.objects.filter(qualified_on_q(UNTIL, prefix="qualifications__"))
    assert list(found) == [q.organization]


def test_organizations_qualified_on_is_distinct():
    org = OrganizationFactory()
    for number in ("A", "B"):
        QualificationFactory(organization=org, number=number, granted_on=GRANTED, valid_until=UNTIL)
    held = organizations_qualified_on(Organization.objects.all(), kind="hnte", day=GRANTED)
    assert list(held) == [org]
