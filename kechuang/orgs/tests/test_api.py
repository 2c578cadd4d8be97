"""API of organizations, their yearly facts and qualifications."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.core.models import AuditEvent
from kechuang.core.scoping import REGISTRY_READERS, Roles
from kechuang.core.testing import assert_list_queries, client_for, result_keys
from kechuang.core.testing.factories import (
    EnterpriseYearFactory,
    OrganizationFactory,
    QualificationFactory,
    UserFactory,
    ZoneFactory,
    user_with_role,
)
from kechuang.core.testing.matrix import MatrixSpec, cases
from kechuang.orgs.models import EnterpriseYear, Organization, Qualification

MATRIX = [
    MatrixSpec(
        name="organization",
        make=lambda place: place.organization,
        readers=REGISTRY_READERS,
        api="organization",
        ui_list="orgs:organization-list",
        ui_detail="orgs:organization-detail",
    ),
    MatrixSpec(
        name="enterprise-year",
        make=lambda place: EnterpriseYearFactory(organization=place.organization),
        readers=REGISTRY_READERS,
        api="enterprise-year",
        ui_list="orgs:enterprise-year-list",
    ),
    MatrixSpec(
        name="qualification",
        make=lambda place: QualificationFactory(organization=place.organization),
        readers=REGISTRY_READERS,
        api="qualification",
        ui_list="orgs:qualification-list",
    ),
]

pytestmark = pytest.mark.django_db

ORGS = reverse("api:organization-list")
YEARS = reverse("api:enterprise-year-list")
QUALIFICATIONS = reverse("api:qualification-list")


def detail(name, obj):
    return reverse(f"api:{name}-detail", kwargs={"pk": obj.pk})


@pytest.mark.parametrize("case", cases(MATRIX))
def test_permission_matrix(case, client):
    case.run(client)


# --- organizations: reads ----------------------------------------------------------------


def test_organization_filters():
    zone = ZoneFactory()
    fengtai = OrganizationFactory(zone=zone, above_scale=True, ownership="state")
    uni = OrganizationFactory(kind="university", hightech_field="02")
    hefei = OrganizationFactory(division_code="340102")
    api = client_for(user_with_role(Roles.ADMIN))
    assert set(result_keys(api.get(ORGS, {"division": "3404"}))) == {fengtai.pk, uni.pk}
    assert set(result_keys(api.get(ORGS, {"division": "340000"}))) == {fengtai.pk, uni.pk, hefei.pk}
    assert result_keys(api.get(ORGS, {"division": "340102"})) == [hefei.pk]
    assert result_keys(api.get(ORGS, {"kind": "university"})) == [uni.pk]
    assert result_keys(api.get(ORGS, {"hightech_field": "02"})) == [uni.pk]
    assert result_keys(api.get(ORGS, {"ownership": "state"})) == [fengtai.pk]
    assert result_keys(api.get(ORGS, {"above_scale": "true"})) == [fengtai.pk]
    assert result_keys(api.get(ORGS, {"zone": zone.pk})) == [fengtai.pk]
    assert result_keys(api.get(ORGS, {"uscc": hefei.uscc})) == [hefei.pk]
    assert api.get(ORGS, {"kind": "castle"}).status_code == 400


def test_organization_filter_by_qualification_held_on_a_day():
    held = OrganizationFactory()
    QualificationFactory(
        organization=held, granted_on=dt.date(2022, 12, 1), valid_until=dt.date(2025, 11, 30)
    )
    revoked = OrganizationFactory()
    QualificationFactory(
        organization=revoked,
        granted_on=dt.date(2022, 12, 1),
        valid_until=dt.date(2025, 11, 30),
        status="revoked",
    )
    other_kind = OrganizationFactory()
    QualificationFactory(organization=other_kind, kind="tech_sme")
    api = client_for(UserFactory())

    def holders(day):
        return result_keys(api.get(ORGS, {"qualification": "hnte", "qualified_on": day}))

    assert holders("2022-11-30") == []
    assert holders("2022-12-01") == [held.pk]
    assert holders("2025-11-30") == [held.pk]
    assert holders("2025-12-01") == []
    today = timezone.localdate()
    current = OrganizationFactory()
    QualificationFactory(
        organization=current, granted_on=today, valid_until=today + dt.timedelta(days=1)
    )
    assert result_keys(api.get(ORGS, {"qualification": "hnte"})) == [current.pk]


def test_organization_search_and_ordering():
    alpha = OrganizationFactory(name="淮南甲科技有限公司")
    beta = OrganizationFactory(name="凤台乙材料有限公司")
    api = client_for(UserFactory())
    assert result_keys(api.get(ORGS, {"search": "材料"})) == [beta.pk]
    assert result_keys(api.get(ORGS, {"search": alpha.uscc})) == [alpha.pk]
    by_uscc = sorted([alpha, beta], key=lambda o: o.uscc, reverse=True)
    assert result_keys(api.get(ORGS, {"ordering": "-uscc"})) == [o.pk for o in by_uscc]


def test_organization_pagination():
    OrganizationFactory.create_batch(12)
    api = client_for(UserFactory())
    page = api.get(ORGS, {"page_size": 5, "page": 2}).json()
    assert page["count"] == 12 and len(page["results"]) == 5
    assert page["previous"] and page["next"]
    last = api.get(page["next"]).json()
    assert len(last["results"]) == 2 and last["next"] is None
    assert api.get(ORGS, {"page_size": 5, "page": 9}).status_code == 404


def test_organization_list_query_count(django_assert_max_num_queries):
    zone = ZoneFactory()
    assert_list_queries(
        django_assert_max_num_queries,
        client_for(UserFactory()),
        ORGS,
        lambda n: OrganizationFactory.create_batch(n, zone=zone),
        max_queries=2,
    )


def test_organization_detail_shape():
    org = OrganizationFactory(zone=ZoneFactory(name="凤台园区"))
    body = client_for(UserFactory()).get(detail("organization", org)).json()
    assert body["uscc"] == org.uscc
    assert body["division_name"] == "凤台县"
    assert body["zone_name"] == "凤台园区"
    no_zone = client_for(UserFactory()).get(detail("organization", OrganizationFactory())).json()
    assert no_zone["zone"] is None and no_zone["zone_name"] is None


# --- organizations: writes ---------------------------------------------------------------

NEW_ORG = {
    "uscc": "91350100M000100Y43",
    "name": "凤台新材料有限公司",
    "kind": "enterprise",
    "division_code": "340421",
    "ownership": "private",
    "industry_code": "3985",
    "founded_on": "2019-04-01",
}


def test_bureau_creates_organization():
    user = UserFactory()
    response = client_for(user).post(ORGS, NEW_ORG, format="json")
    assert response.status_code == 201, response.content
    org = Organization.objects.get(uscc=NEW_ORG["uscc"])
    assert response.json()["id"] == org.pk
    assert AuditEvent.objects.get(verb="organization.created", object_id=str(org.pk)).actor == user
    assert org.history.get().history_user == user


def test_lowercase_uscc_is_normalised():
    response = client_for(UserFactory()).post(
        ORGS, {**NEW_ORG, "uscc": NEW_ORG["uscc"].lower()}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["uscc"] == NEW_ORG["uscc"]


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"uscc": "91350100M000100Y44"}, "invalid", "uscc"),
        ({"uscc": "91350100M000100Y4"}, "invalid", "uscc"),
        ({"uscc": "91350100M000100YO3"}, "invalid", "uscc"),
        ({"division_code": "340102"}, "invalid", "division_code"),
        ({"division_code": "340400"}, "invalid", "division_code"),
        ({"division_code": "349999"}, "invalid", "division_code"),
        ({"name": "  "}, "invalid", "name"),
        ({"kind": "castle"}, "invalid", "kind"),
        ({"founded_on": "2999-01-01"}, "invalid", "founded_on"),
    ],
)
def test_organization_create_errors(changes, code, field):
    response = client_for(UserFactory()).post(ORGS, NEW_ORG | changes, format="json")
    assert response.status_code == 400, response.content
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert response.json()["detail"]
    assert not Organization.objects.exists()


def test_duplicate_uscc_is_rejected():
    OrganizationFactory(uscc=NEW_ORG["uscc"])
    response = client_for(UserFactory()).post(ORGS, NEW_ORG, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate" and response.json()["field"] == "uscc"


def test_serializer_errors_keep_every_field():
    response = client_for(UserFactory()).post(
        ORGS, {**NEW_ORG, "kind": "castle", "founded_on": "x"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"kind", "founded_on"}


def test_zone_staff_create_organizations_only_in_their_zone():
    zone, other = ZoneFactory(), ZoneFactory()
    api = client_for(user_with_role(Roles.ZONE, zone=zone))
    elsewhere = api.post(ORGS, {**NEW_ORG, "zone": other.pk}, format="json")
    assert (elsewhere.status_code, elsewhere.json()["field"]) == (400, "zone")
    response = api.post(ORGS, {**NEW_ORG, "zone": zone.pk}, format="json")
    assert response.status_code == 201, response.content
    assert Organization.objects.get().zone == zone


def test_enterprise_user_cannot_create_organizations():
    api = client_for(user_with_role(Roles.ENTERPRISE))
    response = api.post(ORGS, NEW_ORG, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_enterprise_user_keeps_its_own_profile():
    org = OrganizationFactory(above_scale=False)
    user = user_with_role(Roles.ENTERPRISE, organization=org)
    api = client_for(user)
    response = api.patch(
        detail("organization", org), {"above_scale": True, "industry_code": "3986"}
    )
    assert response.status_code == 200, response.content
    org.refresh_from_db()
    assert (org.above_scale, org.industry_code) == (True, "3986")
    assert org.history.latest().history_user == user
    moved = api.patch(detail("organization", org), {"division_code": "340422"})
    assert moved.status_code == 403
    assert moved.json()["code"] == "permission_denied"
    org.refresh_from_db()
    assert org.division_code == "340421"


def test_patching_out_of_scope_organization_is_not_found():
    other = OrganizationFactory()
    enterprise = client_for(user_with_role(Roles.ENTERPRISE))
    assert enterprise.patch(detail("organization", other), {"above_scale": True}).status_code == 404
    hefei = OrganizationFactory(division_code="340102")
    response = client_for(UserFactory()).patch(detail("organization", hefei), {"name": "x"})
    assert response.status_code == 404
    hefei.refresh_from_db()
    assert hefei.name != "x"


def test_bureau_cannot_move_organization_out_of_its_division():
    org = OrganizationFactory()
    response = client_for(UserFactory()).patch(
        detail("organization", org), {"division_code": "340102"}
    )
    assert (response.status_code, response.json()["field"]) == (400, "division_code")


def test_put_and_delete_are_not_offered():
    org = OrganizationFactory()
    api = client_for(UserFactory())
    assert api.put(detail("organization", org), NEW_ORG, format="json").status_code == 405
    assert api.delete(detail("organization", org)).status_code == 405
    assert Organization.objects.filter(pk=org.pk).exists()


# --- enterprise years ------------------------------------------------------------------------


def test_enterprise_year_filters_and_search():
    fengtai = OrganizationFactory(name="凤台甲公司")
    hefei = OrganizationFactory(name="合肥乙公司", division_code="340102")
    y2022 = EnterpriseYearFactory(organization=fengtai, year=2022)
    y2023 = EnterpriseYearFactory(organization=fengtai, year=2023)
    h2023 = EnterpriseYearFactory(organization=hefei, year=2023)
    api = client_for(user_with_role(Roles.ADMIN))
    assert set(result_keys(api.get(YEARS, {"year": 2023}))) == {y2023.pk, h2023.pk}
    assert result_keys(api.get(YEARS, {"year_max": 2022})) == [y2022.pk]
    assert set(result_keys(api.get(YEARS, {"year_min": 2023}))) == {y2023.pk, h2023.pk}
    assert set(result_keys(api.get(YEARS, {"division": "340400"}))) == {y2022.pk, y2023.pk}
    assert result_keys(api.get(YEARS, {"uscc": hefei.uscc})) == [h2023.pk]
    assert set(result_keys(api.get(YEARS, {"organization": fengtai.pk}))) == {y2022.pk, y2023.pk}
    assert result_keys(api.get(YEARS, {"search": "合肥"})) == [h2023.pk]
    row = api.get(detail("enterprise-year", y2023)).json()
    assert (row["uscc"], row["organization_name"], row["revenue"]) == (
        fengtai.uscc,
        "凤台甲公司",
        "52000000.00",
    )


def test_enterprise_year_pagination():
    for year in range(2010, 2017):
        EnterpriseYearFactory(year=year)
    body = client_for(UserFactory()).get(YEARS, {"page_size": 3, "page": 3}).json()
    assert (body["count"], len(body["results"]), body["next"]) == (7, 1, None)


def test_enterprise_year_list_query_count(django_assert_max_num_queries):
    assert_list_queries(
        django_assert_max_num_queries,
        client_for(UserFactory()),
        YEARS,
        lambda n: EnterpriseYearFactory.create_batch(n),
        max_queries=2,
    )


def test_enterprise_year_post_upserts():
    org = OrganizationFactory()
    api = client_for(UserFactory())
    first = api.post(
        YEARS, {"organization": org.pk, "year": 2023, "employees": 80, "revenue": "1000.50"}
    )
    assert first.status_code == 201, first.content
    second = api.post(YEARS, {"organization": org.pk, "year": 2023, "employees": 90})
    assert second.status_code == 201, second.content
    assert second.json()["id"] == first.json()["id"]
    record = EnterpriseYear.objects.get()
    assert (record.employees, record.revenue) == (90, Decimal("1000.50"))


def test_enterprise_year_errors():
    org = OrganizationFactory()
    api = client_for(UserFactory())
    too_many = api.post(
        YEARS, {"organization": org.pk, "year": 2023, "employees": 5, "rd_staff": 6}
    )
    assert too_many.status_code == 400
    assert (too_many.json()["code"], too_many.json()["field"]) == ("invalid", "rd_staff")
    negative = api.post(YEARS, {"organization": org.pk, "year": 2023, "revenue": "-1"})
    assert (negative.status_code, negative.json()["field"]) == (400, "revenue")
    future = api.post(YEARS, {"organization": org.pk, "year": timezone.localdate().year + 1})
    assert (future.status_code, future.json()["field"]) == (400, "year")
    assert not EnterpriseYear.objects.exists()


def test_enterprise_user_reports_its_own_facts_only():
    org = OrganizationFactory()
    api = client_for(user_with_role(Roles.ENTERPRISE, organization=org))
    own = api.post(YEARS, {"organization": org.pk, "year": 2024, "employees": 30})
    assert own.status_code == 201, own.content
    other = OrganizationFactory()
    response = api.post(YEARS, {"organization": other.pk, "year": 2024, "employees": 30})
    assert response.status_code == 404
    assert not EnterpriseYear.objects.filter(organization=other).exists()


def test_university_user_cannot_report_facts():
    org = OrganizationFactory(kind="university")
    api = client_for(user_with_role(Roles.UNIVERSITY, organization=org))
    assert api.post(YEARS, {"organization": org.pk, "year": 2024}).status_code == 403


def test_enterprise_year_patch_keeps_organization_and_year():
    record = EnterpriseYearFactory(year=2022, employees=100)
    other = OrganizationFactory()
    response = client_for(UserFactory()).patch(
        detail("enterprise-year", record),
        {"employees": 110, "year": 2021, "organization": other.pk},
    )
    assert response.status_code == 200, response.content
    record.refresh_from_db()
    assert (record.employees, record.year, record.organization_id) == (
        110,
        2022,
        record.organization_id,
    )
    assert record.organization != other


def test_patching_out_of_scope_enterprise_year_is_not_found():
    record = EnterpriseYearFactory(organization=OrganizationFactory(division_code="340102"))
    response = client_for(UserFactory()).patch(detail("enterprise-year", record), {"employees": 1})
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.employees == 120


# --- qualifications --------------------------------------------------------------------------


def test_qualification_filters():
    org = OrganizationFactory()
    hnte = QualificationFactory(
        organization=org, granted_on=dt.date(2023, 1, 1), valid_until=dt.date(2025, 12, 31)
    )
    sme = QualificationFactory(
        organization=org,
        kind="tech_sme",
        level="provincial",
        granted_on=dt.date(2024, 5, 1),
        valid_until=dt.date(2024, 12, 31),
    )
    revoked = QualificationFactory(
        kind="gazelle",
        status="revoked",
        organization=OrganizationFactory(division_code="340102"),
    )
    api = client_for(user_with_role(Roles.ADMIN))
    assert result_keys(api.get(QUALIFICATIONS, {"kind": "tech_sme"})) == [sme.pk]
    assert result_keys(api.get(QUALIFICATIONS, {"level": "provincial"})) == [sme.pk]
    assert result_keys(api.get(QUALIFICATIONS, {"status": "revoked"})) == [revoked.pk]
    assert set(result_keys(api.get(QUALIFICATIONS, {"division": "3404"}))) == {hnte.pk, sme.pk}
    assert result_keys(api.get(QUALIFICATIONS, {"uscc": revoked.organization.uscc})) == [revoked.pk]
    assert result_keys(api.get(QUALIFICATIONS, {"search": sme.number})) == [sme.pk]

    def in_force(day):
        return set(result_keys(api.get(QUALIFICATIONS, {"in_force_on": day})))

    assert in_force("2022-12-31") == set()
    assert in_force("2023-01-01") == {hnte.pk}
    assert in_force("2024-12-31") == {hnte.pk, sme.pk}
    assert in_force("2025-01-01") == {hnte.pk}
    assert in_force("2026-01-01") == set()


def test_qualification_pagination():
    QualificationFactory.create_batch(3)
    api = client_for(UserFactory())
    first = api.get(QUALIFICATIONS, {"page_size": 2}).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
    second = api.get(first["next"]).json()
    assert (len(second["results"]), second["next"]) == (1, None)
    assert second["previous"]


def test_qualification_list_query_count(django_assert_max_num_queries):
    assert_list_queries(
        django_assert_max_num_queries,
        client_for(UserFactory()),
        QUALIFICATIONS,
        lambda n: QualificationFactory.create_batch(n),
        max_queries=2,
    )


QUALIFICATION = {
    "kind": "hnte",
    "number": "GR202334000123",
    "level": "national",
    "granted_on": "2023-10-16",
    "valid_until": "2026-10-15",
}


def test_qualification_post_upserts_and_patch():
    org = OrganizationFactory()
    user = UserFactory()
    api = client_for(user)
    created = api.post(QUALIFICATIONS, {**QUALIFICATION, "organization": org.pk})
    assert created.status_code == 201, created.content
    again = api.post(QUALIFICATIONS, {**QUALIFICATION, "organization": org.pk, "status": "revoked"})
    assert again.json()["id"] == created.json()["id"]
    record = Qualification.objects.get()
    assert record.status == "revoked"
    assert record.history.latest().history_user == user
    url = detail("qualification", record)
    patched = api.patch(url, {"valid_until": "2026-12-31"})
    assert patched.status_code == 200 and patched.json()["valid_until"] == "2026-12-31"
    renumbered = api.patch(url, {"number": "GR1"})
    assert (renumbered.status_code, renumbered.json()["field"]) == (400, "number")
    backwards = api.patch(url, {"valid_until": "2020-01-01"})
    assert (backwards.status_code, backwards.json()["field"]) == (400, "valid_until")


def test_qualification_writes_are_scoped_and_staff_only():
    hefei = OrganizationFactory(division_code="340102")
    api = client_for(UserFactory())
    assert api.post(QUALIFICATIONS, {**QUALIFICATION, "organization": hefei.pk}).status_code == 404
    record = QualificationFactory(organization=hefei)
    assert api.patch(detail("qualification", record), {"level": "provincial"}).status_code == 404
    org = OrganizationFactory()
    enterprise = client_for(user_with_role(Roles.ENTERPRISE, organization=org))
    response = enterprise.post(QUALIFICATIONS, {**QUALIFICATION, "organization": org.pk})
    assert response.status_code == 403
    assert Qualification.objects.count() == 1
