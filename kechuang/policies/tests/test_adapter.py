"""The adapter fills the engine's inputs from the database in bulk."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from kechuang.core.testing.factories import (
    EnterpriseYearFactory,
    OrganizationFactory,
    QualificationFactory,
)
from kechuang.orgs.models import Organization
from kechuang.policies.adapter import load_enterprises
from kechuang.policies.models import InnovationAssessment

pytestmark = pytest.mark.django_db


def test_years_facts_and_missing_years():
    young = OrganizationFactory(founded_on=dt.date(2022, 6, 1), hightech_field="")
    EnterpriseYearFactory(
        organization=young, year=2023, revenue=Decimal("36001000.50"), rd_staff=None
    )
    EnterpriseYearFactory(organization=young, year=2020)  # outside the window
    empty = OrganizationFactory()
    loaded = load_enterprises(Organization.objects.all(), 2023)
    inputs = loaded.inputs
    assert inputs.years == (2021, 2022, 2023)
    j = inputs.ids.tolist().index(young.pk)
    k = inputs.ids.tolist().index(empty.pk)
    assert inputs.year_row("revenue", 2023)[j] == 36001000.5
    assert np.isnan(inputs.year_row("revenue", 2022)[j])
    assert np.isnan(inputs.year_row("rd_staff", 2023)[j])
    assert inputs.year_row("employees", 2023)[j] == 120
    assert np.isnan(inputs.yearly["revenue"][:, k]).all()
    assert inputs.static["founded_on"][j] == np.datetime64("2022-06-01")
    assert inputs.static["hightech_field"][j] == ""
    assert loaded.usccs[j] == young.uscc and loaded.names[k] == empty.name


def test_qualifications_in_force_on_the_day_after_the_year():
    holder = OrganizationFactory()
    QualificationFactory(
        organization=holder,
        kind="hnte",
        number="A",
        granted_on=dt.date(2018, 1, 1),
        valid_until=dt.date(2020, 12, 31),
    )
    QualificationFactory(
        organization=holder,
        kind="hnte",
        number="B",
        granted_on=dt.date(2021, 1, 1),
        valid_until=dt.date(2024, 6, 30),
    )
    revoked = OrganizationFactory()
    QualificationFactory(organization=revoked, kind="hnte", number="C", status="revoked")
    none = OrganizationFactory()
    inputs = load_enterprises(Organization.objects.all(), 2023).inputs
    ids = inputs.ids.tolist()
    held = inputs.qualifications["hnte"]
    valid = held.valid_on(dt.date(2024, 1, 1))
    assert valid[ids.index(holder.pk)]
    assert not valid[ids.index(revoked.pk)] and not valid[ids.index(none.pk)]
    assert held.granted_on[ids.index(holder.pk)] == np.datetime64("2021-01-01")
    assert np.isnat(held.granted_on[ids.index(revoked.pk)])
    assert "tech_sme" not in inputs.qualifications


def test_empty_scope():
    loaded = load_enterprises(Organization.objects.none(), 2023)
    assert len(loaded) == 0 and len(loaded.inputs) == 0


def test_query_count_does_not_grow(django_assert_num_queries):
    for _ in range(3):
        EnterpriseYearFactory(year=2023)
        QualificationFactory()
    with django_assert_num_queries(4):
        load_enterprises(Organization.objects.all(), 2023)
    for _ in range(10):
        EnterpriseYearFactory(year=2022)
        QualificationFactory()
    with django_assert_num_queries(4):
        load_enterprises(Organization.objects.all(), 2023)


def test_a_scope_reads_only_its_enterprises_facts_scores_and_qualifications():
    inside, outside = OrganizationFactory(), OrganizationFactory()
    for organization, revenue in ((inside, "40000000.25"), (outside, "90000000")):
        EnterpriseYearFactory(organization=organization, year=2023, revenue=Decimal(revenue))
        InnovationAssessment.objects.create(
            organization=organization,
            division_code=organization.division_code,
            year=2023,
            score=Decimal("71.5"),
            assessed_on=dt.date(2024, 5, 1),
        )
        QualificationFactory(organization=organization, kind="tech_sme")
    QualificationFactory(
        organization=inside,
        kind="tech_sme",
        number="OLD",
        granted_on=dt.date(2015, 1, 1),
        valid_until=dt.date(2015, 12, 31),
    )
    inputs = load_enterprises(Organization.objects.filter(pk=inside.pk), 2023).inputs
    assert inputs.ids.tolist() == [inside.pk]
    assert inputs.year_row("revenue", 2023).tolist() == [40000000.25]
    assert inputs.year_row("innovation_expert_score", 2023).tolist() == [71.5]
    held = inputs.qualifications["tech_sme"]
    assert held.granted_on[0] == np.datetime64("2023-10-16")  # in force, not the older grant
