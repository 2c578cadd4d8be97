import re
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F, Q

from kechuang.accounts.models import User
from kechuang.core.identifiers import uscc_problem
from kechuang.core.models import AuditEvent
from kechuang.demo import builder, data
from kechuang.demo.builder import DEMO_PASSWORD, DemoError, build, demo_counts, demo_digest
from kechuang.orgs.models import EnterpriseYear, Organization, Qualification
from kechuang.orgs.selectors import is_qualified, organization_list
from kechuang.platforms.models import Platform
from kechuang.regions.models import Zone
from kechuang.regions.selectors import is_leaf_division

pytestmark = pytest.mark.django_db

N = 200
END_2025 = date(2025, 12, 31)


@pytest.fixture
def demo():
    return build(size="small", seed=7, enterprises=N)


def test_builds_the_expected_counts(demo):
    assert demo.history is True
    assert demo.counts == demo_counts()
    counts = demo.counts
    assert counts["zones"] == len(data.ZONES) == 4
    assert counts["enterprises"] == N
    fixed = len(data.UNIVERSITIES) + len(data.INSTITUTES) + len(data.HOSPITALS)
    assert counts["organizations"] == N + fixed + max(5, round(N * 0.02))
    assert counts["enterprise_years"] == 3 * N
    assert counts["users"] == len(builder.DEMO_USERS) == 9
    assert counts["platforms"] >= len(data.UNIVERSITY_PLATFORMS)
    marker = AuditEvent.objects.get(verb=builder.MARKER_VERB)
    assert marker.object_id == data.CITY
    assert marker.data["seed"] == 7 and marker.data["counts"] == counts
    # Every row has its "created" history entry.
    for model in (Organization, EnterpriseYear, Qualification, Platform, Zone):
        rows = model.objects.count()
        assert model.history.filter(history_type="+").count() == rows > 0


def test_organizations_are_valid_and_in_the_region(demo):
    orgs = list(Organization.objects.select_related("zone"))
    assert all(uscc_problem(o.uscc) is None for o in orgs)
    assert len({o.name for o in orgs}) == len(orgs)
    for org in orgs:
        assert org.division_code in data.COUNTIES and is_leaf_division(org.division_code)
        assert org.uscc[2:8] == org.division_code
        if org.zone is not None:
            assert org.zone.division_code == org.division_code
    enterprises = [o for o in orgs if o.kind == "enterprise"]
    assert {o.name for o in orgs} >= {"安徽理工大学", "淮南师范学院", "淮南联合大学"}
    assert {o.kind for o in orgs} == {
        "enterprise",
        "university",
        "institute",
        "hospital",
        "service_provider",
    }
    share = lambda test: sum(1 for o in enterprises if test(o)) / len(enterprises)  # noqa: E731
    assert 0.75 <= share(lambda o: o.ownership == "private") <= 0.95
    assert 0.15 <= share(lambda o: o.above_scale) <= 0.40
    assert 0.28 <= share(lambda o: o.zone_id is not None) <= 0.52
    assert share(lambda o: o.hightech_field != "") >= 0.6
    assert all(re.fullmatch(r"\d{4}", o.industry_code) for o in enterprises)
    assert all(o.founded_on < date(2023, 1, 1) for o in enterprises)


def test_facts_hold_the_invariants(demo):
    years = EnterpriseYear.objects.all()
    assert set(years.values_list("year", flat=True)) == {2023, 2024, 2025}
    assert not years.filter(rd_staff__gt=F("employees")).exists()
    assert not years.filter(rd_expense_domestic__gt=F("rd_expense")).exists()
    assert not years.filter(hightech_revenue__gt=F("revenue")).exists()
    assert not years.filter(invention_patents__gt=F("class_i_ip")).exists()
    assert not years.filter(Q(revenue__lte=0) | Q(employees__lte=0)).exists()
    for row in years:
        for field in ("revenue", "rd_expense", "total_assets", "tax_paid"):
            value = getattr(row, field)
            assert isinstance(value, Decimal) and value.as_tuple().exponent == -2
    # Above-scale enterprises reached 20 million yuan of revenue in 2025.
    above = EnterpriseYear.objects.filter(year=2025, organization__above_scale=True)
    assert above.exists() and not above.filter(revenue__lt=20_000_000).exists()


def test_qualifications_and_platforms_are_plausible(demo):
    quals = Qualification.objects.all()
    assert not quals.filter(valid_until__lt=F("granted_on")).exists()
    assert quals.filter(status="revoked").exists()
    for q in quals.filter(kind="hnte"):
        assert re.fullmatch(r"GR20(22|23|24|25)34\d{6}", q.number)
        assert q.granted_on.month in (10, 11, 12)
        assert q.valid_until == q.granted_on.replace(year=q.granted_on.year + 3) - timedelta(1)
    for q in quals.filter(kind="tech_sme"):
        assert q.valid_until == date(q.granted_on.year + 1, 3, 31)
    holders = lambda kind: quals.filter(kind=kind).values("organization").distinct().count()  # noqa: E731
    assert 0.2 * N <= holders("tech_sme") <= 0.4 * N
    assert 0.06 * N <= holders("hnte") <= 0.2 * N
    assert not Qualification.objects.exclude(organization__kind="enterprise").exists()
    for platform in Platform.objects.select_related("host"):
        assert platform.division_code == platform.host.division_code
        assert platform.zone_id == platform.host.zone_id
        assert platform.host.kind in {"enterprise", "university", "service_provider"}


def test_same_seed_same_data_and_reset_removes_it(demo):
    first = demo_digest()
    deleted = builder.reset()
    assert deleted["organizations"] == demo.counts["organizations"]
    assert set(demo_counts().values()) == {0}
    assert not AuditEvent.objects.filter(verb=builder.MARKER_VERB).exists()
    assert not Organization.history.exists() and not EnterpriseYear.history.exists()
    build(size="small", seed=7, enterprises=N)
    assert demo_digest() == first
    builder.reset()
    build(size="small", seed=8, enterprises=N)
    assert demo_digest() != first


def test_a_second_build_is_refused(demo):
    with pytest.raises(DemoError) as exc:
        build(size="small", seed=7, enterprises=N)
    assert exc.value.code == "demo_exists"
    assert demo_counts() == demo.counts


def test_demo_users_have_their_scopes(demo):
    users = {u.username: u for u in User.objects.filter(username__in=builder.DEMO_USERNAMES)}
    assert set(users) == set(builder.DEMO_USERNAMES)
    assert all(u.check_password(DEMO_PASSWORD) for u in users.values())
    assert users["admin"].is_superuser
    region = Organization.objects.count()

    county = organization_list(users["bureau_county"])
    assert county.exists()
    assert set(county.values_list("division_code", flat=True)) == {"340421"}
    assert county.count() == Organization.objects.filter(division_code="340421").count()
    assert organization_list(users["bureau_city"]).count() == region
    zone = users["zone_staff"].zone
    assert zone.name == "淮南高新技术产业开发区"
    assert set(organization_list(users["zone_staff"]).values_list("zone", flat=True)) == {zone.pk}

    enterprise = users["enterprise"].organization
    assert list(organization_list(users["enterprise"])) == [enterprise]
    assert enterprise.kind == "enterprise" and enterprise.years.count() == 3
    assert is_qualified(enterprise, "hnte", END_2025)
    assert users["university"].organization.name == "安徽理工大学"
    assert users["provider"].organization.kind == "service_provider"
    assert users["bureau_city"].division_code == data.CITY


def test_command_builds_once_and_prints_the_logins():
    out = StringIO()
    call_command("demo", "--no-serve", "--enterprises", "40", "--seed", "3", stdout=out)
    text = out.getvalue()
    counts = demo_counts()
    assert counts["enterprises"] == 40
    assert "http://127.0.0.1:8000/" in text and "/api/v1/docs/" in text
    for username in builder.DEMO_USERNAMES:
        assert re.search(rf"^{username}\s", text, re.MULTILINE)
    assert "安徽省淮南市凤台县" in text and DEMO_PASSWORD in text

    again = StringIO()
    call_command("demo", "--no-serve", "--port", "8123", stdout=again)
    assert "演示区域已存在" in again.getvalue()
    assert "http://127.0.0.1:8123/" in again.getvalue()
    assert demo_counts() == counts
    assert AuditEvent.objects.filter(verb=builder.MARKER_VERB).count() == 1

    digest = demo_digest()
    rebuilt = StringIO()
    call_command(
        "demo", "--no-serve", "--reset", "--enterprises", "40", "--seed", "3", stdout=rebuilt
    )
    assert "已清除演示区域" in rebuilt.getvalue()
    assert demo_counts() == counts and demo_digest() == digest


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_tiny_demo_still_has_an_enterprise_user_with_a_certificate(seed):
    build(size="small", seed=seed, enterprises=3)
    enterprise = User.objects.get(username="enterprise").organization
    assert enterprise.years.count() == 3
    assert is_qualified(enterprise, "hnte", END_2025)
    assert Qualification.history.filter(history_type="+").count() == Qualification.objects.count()
