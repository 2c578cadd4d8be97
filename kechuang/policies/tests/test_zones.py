"""Zone-level screening of 高新区认定条件 counted from the registries."""

import datetime as dt

import pytest

from kechuang.core.exceptions import RoleNotAllowed, ValidationFailed
from kechuang.core.testing.factories import (
    OrganizationFactory,
    PlatformFactory,
    QualificationFactory,
    ZoneFactory,
    user_with_role,
)
from kechuang.policies.zones import screen_zones

pytestmark = pytest.mark.django_db
YEAR = 2023


def populate(zone, *, enterprises, hitech, platforms):
    """``enterprises`` in the zone, the first ``hitech`` of them holding a qualification valid
    on 2024-01-01 (the first both hnte and tech_sme: counted once); ``platforms`` provincial."""
    orgs = [
        OrganizationFactory(zone=zone, division_code=zone.division_code) for _ in range(enterprises)
    ]
    for i, org in enumerate(orgs[:hitech]):
        QualificationFactory(organization=org, kind="tech_sme" if i % 2 else "hnte")
        if i == 0:
            QualificationFactory(
                organization=org, kind="tech_sme", number=f"2023TS{org.pk}", level=""
            )
    host = orgs[0] if orgs else OrganizationFactory(division_code=zone.division_code)
    for _ in range(platforms):
        PlatformFactory(host=host, zone=zone)
    return orgs


def row_of(rows, zone):
    return next(row for row in rows if row["id"] == zone.pk)


def test_counts_decide_each_condition_with_its_gap():
    passing, short = ZoneFactory(name="凤台经济开发区"), ZoneFactory(name="毛集实验区")
    populate(passing, enterprises=10, hitech=3, platforms=20)
    populate(short, enterprises=10, hitech=2, platforms=19)

    rows = screen_zones(user=None, policy_key="zone_recognition", year=YEAR)

    assert [row["id"] for row in rows] == [passing.pk, short.pk]  # eligible first
    assert row_of(rows, passing)["eligible"] is True
    short_row = row_of(rows, short)
    assert short_row["eligible"] is False
    share = next(c for c in short_row["conditions"] if c["key"] == "hitech_share")
    assert share["value"] == pytest.approx(0.2) and share["threshold"] == pytest.approx(0.3)
    assert short_row["gaps"] == [
        "高新技术企业与科技型中小企业占比 20%，需 ≥30%，差 1 家",
        "省级及以上平台数 19 个，需 ≥20 个，差 1 个",
    ]


def test_what_does_not_count():
    zone = ZoneFactory()
    orgs = populate(zone, enterprises=4, hitech=0, platforms=0)
    # expired before the day after the year ends, granted after it, or not an enterprise
    QualificationFactory(organization=orgs[0], valid_until=dt.date(2023, 12, 31))
    QualificationFactory(organization=orgs[1], granted_on=dt.date(2024, 3, 1))
    OrganizationFactory(zone=zone, kind="university")
    OrganizationFactory(zone=zone, founded_on=dt.date(2024, 2, 1))  # founded after the year
    PlatformFactory(host=orgs[0], zone=zone, level="municipal")
    PlatformFactory(host=orgs[0], zone=zone, status="revoked")
    PlatformFactory(host=orgs[0], zone=zone, recognised_on=dt.date(2024, 1, 5))
    PlatformFactory(host=orgs[0], zone=zone, level="national")

    (row,) = screen_zones(user=None, policy_key="zone_recognition", year=YEAR)

    values = {c["key"]: c["value"] for c in row["conditions"]}
    assert values == {"hitech_share": 0.0, "platform_count": 1.0}


def test_a_zone_without_enterprises_fails_without_error():
    zone = ZoneFactory()
    (row,) = screen_zones(user=None, policy_key="zone_recognition", year=YEAR)
    assert row["id"] == zone.pk and row["eligible"] is False


def test_scope_of_staff_and_refusals():
    mine, other = ZoneFactory(division_code="340421"), ZoneFactory(division_code="340102")
    zone_user = user_with_role("zone", zone=mine)
    assert [
        r["id"] for r in screen_zones(user=zone_user, policy_key="zone_recognition", year=YEAR)
    ] == [mine.pk]
    county = user_with_role("bureau", division_code="340102")
    assert [
        r["id"] for r in screen_zones(user=county, policy_key="zone_recognition", year=YEAR)
    ] == [other.pk]
    with pytest.raises(RoleNotAllowed):
        screen_zones(user=user_with_role("enterprise"), policy_key="zone_recognition", year=YEAR)
    with pytest.raises(ValidationFailed, match="按企业评价"):
        screen_zones(user=None, policy_key="hnte", year=YEAR)


def test_a_bureau_screens_zones_with_its_own_values():
    from kechuang.policies.services import parameter_value_set

    zone = ZoneFactory(division_code="340421")
    populate(zone, enterprises=10, hitech=3, platforms=20)
    county = user_with_role("bureau", division_code="340421")
    parameter_value_set(
        actor=county,
        policy_key="zone_recognition",
        parameter="min_platforms",
        effective_from=dt.date(2023, 1, 1),
        value=25,
        reason="县高新区提质扩量方案",
    )
    (own,) = screen_zones(user=county, policy_key="zone_recognition", year=YEAR)
    assert own["eligible"] is False and own["gaps"] == [
        "省级及以上平台数 20 个，需 ≥25 个，差 5 个"
    ]
    (shipped,) = screen_zones(user=None, policy_key="zone_recognition", year=YEAR)
    assert shipped["eligible"] is True
