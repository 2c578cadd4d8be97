"""The experts' innovation score: entry by staff in scope, its bounds, and its effect on ``hnte``
(pending without it, decided with it; exactly 70 points in total fails)."""

import datetime as dt
from decimal import Decimal

import pytest

from kechuang.core.exceptions import NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.models import AuditEvent
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import OrganizationFactory, ZoneFactory, user_with_role
from kechuang.policies import selectors, services
from kechuang.policies.models import InnovationAssessment

pytestmark = pytest.mark.django_db
YEAR = 2023


@pytest.fixture
def city(db):
    return user_with_role(Roles.BUREAU, division_code="340400")


def assess(actor, organization, score, **extra):
    fields = {"year": YEAR, "assessed_on": dt.date(2024, 5, 20), "note": "", **extra}
    return services.innovation_assessment_set(
        actor=actor, organization=organization, score=score, **fields
    )


def hnte_row(user, organization):
    rows = selectors.screen(user=user, policy_key="hnte", year=YEAR)
    return next(row for row in rows if row["id"] == organization.pk)


def innovation(row):
    return next(c for c in row["conditions"] if c["key"] == "innovation_score")


def test_pending_until_assessed_then_decided(enterprises, city):
    strong = enterprises["strong"]
    before = hnte_row(city, strong)
    assert before["pending"] and not before["eligible"]
    assert innovation(before)["pending"]
    assert any("待专家评审" in gap for gap in before["gaps"])
    record = assess(city, strong, "71.5", note="知识产权扎实")
    assert (record.division_code, record.created_by) == (strong.division_code, city)
    after = hnte_row(city, strong)
    assert after["eligible"] and not after["pending"]
    # The factory's facts do not grow: the growth part is 0, the total is the experts' score.
    assert innovation(after)["value"] == 71.5 and after["score"] == 71.5
    event = AuditEvent.objects.get(verb="innovation_assessment.set")
    assert event.data["to"] == "71.50" and event.data["from"] is None


def test_exactly_seventy_fails(enterprises, city):
    strong = enterprises["strong"]
    assess(city, strong, 70)
    row = hnte_row(city, strong)
    assert not row["eligible"] and not row["pending"]
    condition = innovation(row)
    assert condition["value"] == 70 and condition["op"] == ">" and not condition["passed"]
    assert "企业创新能力评价得分 70 分，需 >70 分" in row["gaps"][0]


def test_upsert_per_enterprise_and_year(enterprises, city):
    strong = enterprises["strong"]
    assess(city, strong, 60)
    assess(city, strong, 75)
    assess(city, strong, 50, year=2022, assessed_on="2023-04-01")
    assert InnovationAssessment.objects.count() == 2
    assert InnovationAssessment.objects.get(year=YEAR).score == Decimal("75.00")
    assert hnte_row(city, strong)["eligible"]
    history = InnovationAssessment.objects.get(year=YEAR).history.all()
    assert [h.score for h in history.order_by("history_id")] == [Decimal(60), Decimal(75)]


def test_scope_roles_and_bounds(enterprises, city):
    far = enterprises["far"]
    with pytest.raises(NotInScope):
        assess(city, far, 75)
    for role in (Roles.ENTERPRISE, Roles.EXPERT, Roles.UNIVERSITY):
        with pytest.raises(RoleNotAllowed):
            assess(user_with_role(role), far, 75)
    zone = ZoneFactory(division_code="340421")
    inside = OrganizationFactory(division_code="340421", zone=zone)
    staff = user_with_role(Roles.ZONE, zone=zone)
    assert assess(staff, inside, 72).zone == zone
    with pytest.raises(NotInScope):
        assess(staff, enterprises["strong"], 72)  # same county, not in the zone
    strong = enterprises["strong"]
    for score in (-1, "80.01", "abc"):
        with pytest.raises(ValidationFailed) as bad:
            assess(city, strong, score)
        assert bad.value.field == "score"
    with pytest.raises(ValidationFailed) as early:
        assess(city, strong, 75, assessed_on="2023-06-01")
    assert early.value.field == "assessed_on"
    university = OrganizationFactory(kind="university", division_code="340421")
    with pytest.raises(ValidationFailed):
        assess(city, university, 75)
    assert assess(city, strong, 80).score == 80
    assert not InnovationAssessment.objects.filter(organization=far).exists()
