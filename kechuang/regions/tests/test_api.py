"""API of divisions and zones: reference data every signed-in user reads; zones kept by bureaus."""

import pytest
from django.urls import reverse

from kechuang.core.models import AuditEvent
from kechuang.core.scoping import ALL_ROLES, Roles
from kechuang.core.testing import assert_list_queries, client_for, result_keys
from kechuang.core.testing.factories import UserFactory, ZoneFactory, user_with_role
from kechuang.core.testing.matrix import MatrixSpec, cases
from kechuang.regions.models import Division, Zone

MATRIX = [
    MatrixSpec(
        name="division",
        make=lambda place: Division.objects.get(code=place.division_code),
        readers=ALL_ROLES,
        reference=True,
        api="division",
        api_key="code",
        ui_list="regions:division-list",
        narrow=lambda division: {"within": division.code},
    ),
    MatrixSpec(
        name="zone",
        make=lambda place: place.zone,
        readers=ALL_ROLES,
        reference=True,
        api="zone",
        ui_list="regions:zone-list",
        ui_detail="regions:zone-detail",
    ),
]

pytestmark = pytest.mark.django_db

DIVISIONS = reverse("api:division-list")
ZONES = reverse("api:zone-list")


def zone_url(zone):
    return reverse("api:zone-detail", kwargs={"pk": zone.pk})


@pytest.mark.parametrize("case", cases(MATRIX))
def test_permission_matrix(case, client):
    case.run(client)


# --- divisions -------------------------------------------------------------------------------


def test_division_list_is_paginated():
    api = client_for(UserFactory())
    body = api.get(DIVISIONS).json()
    assert body["count"] == Division.objects.count() > 3000
    assert len(body["results"]) == 50
    assert body["previous"] is None
    assert "page=2" in body["next"]
    page = api.get(DIVISIONS, {"page_size": 10, "page": 2}).json()
    assert [d["code"] for d in page["results"]] == list(
        Division.objects.order_by("code").values_list("code", flat=True)[10:20]
    )
    assert page["previous"] and page["next"]


def test_division_page_size_is_capped():
    body = client_for(UserFactory()).get(DIVISIONS, {"page_size": 100000}).json()
    assert len(body["results"]) == 500


def test_division_filters():
    api = client_for(user_with_role(Roles.EXPERT))
    cities = result_keys(api.get(DIVISIONS, {"within": "34", "level": "city"}), "code")
    assert "340400" in cities and "340100" in cities
    assert all(code.startswith("34") and code.endswith("00") for code in cities)
    counties = result_keys(api.get(DIVISIONS, {"parent": "340400"}), "code")
    assert "340421" in counties and "340400" not in counties
    assert all(code.startswith("3404") for code in counties)
    subtree = result_keys(api.get(DIVISIONS, {"within": "340400"}), "code")
    assert set(subtree) == {"340400", *counties}


def test_division_search_and_detail():
    api = client_for(UserFactory())
    assert "340400" in result_keys(api.get(DIVISIONS, {"search": "淮南"}), "code")
    detail = api.get(reverse("api:division-detail", kwargs={"pk": "340421"})).json()
    assert detail == {
        "code": "340421",
        "name": "凤台县",
        "level": "county",
        "parent": "340400",
        "is_leaf": True,
    }


def test_divisions_cannot_be_written():
    response = client_for(UserFactory()).post(DIVISIONS, {"code": "349999", "name": "x"})
    assert response.status_code == 403
    assert not Division.objects.filter(code="349999").exists()


def test_division_list_query_count(django_assert_max_num_queries):
    api = client_for(UserFactory())
    api.get(DIVISIONS)
    counts = []
    for size in (5, 50):
        with django_assert_max_num_queries(2) as captured:
            assert len(api.get(DIVISIONS, {"page_size": size}).json()["results"]) == size
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


# --- zones -----------------------------------------------------------------------------------


def test_zone_filters_and_search():
    national = ZoneFactory(name="淮南高新技术产业开发区", level="national")
    park = ZoneFactory(name="凤台经济开发区", kind="econ_dev", status="warned")
    hefei = ZoneFactory(name="合肥高新区", division_code="340102")
    api = client_for(UserFactory())
    assert result_keys(api.get(ZONES, {"level": "national"})) == [national.pk]
    assert result_keys(api.get(ZONES, {"kind": "econ_dev"})) == [park.pk]
    assert result_keys(api.get(ZONES, {"status": "warned"})) == [park.pk]
    assert set(result_keys(api.get(ZONES, {"division": "340400"}))) == {national.pk, park.pk}
    assert result_keys(api.get(ZONES, {"division": "3401"})) == [hefei.pk]
    assert result_keys(api.get(ZONES, {"search": "经济"})) == [park.pk]
    row = api.get(zone_url(hefei)).json()
    assert row["division_name"] == "瑶海区" and row["status"] == "active"


def test_zone_pagination():
    ZoneFactory.create_batch(7)
    api = client_for(UserFactory())
    first = api.get(ZONES, {"page_size": 5}).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (7, 5, None)
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 2 and second["next"] is None and second["previous"]


def test_zone_list_query_count(django_assert_max_num_queries):
    assert_list_queries(
        django_assert_max_num_queries,
        client_for(UserFactory()),
        ZONES,
        lambda n: ZoneFactory.create_batch(n),
        max_queries=2,
    )


ZONE = {"name": "凤台高新区", "kind": "hitech", "level": "provincial", "division_code": "340421"}


def test_bureau_creates_zone_in_its_division():
    user = UserFactory()
    response = client_for(user).post(ZONES, {**ZONE, "approved_on": "2015-06-01"})
    assert response.status_code == 201, response.content
    zone = Zone.objects.get(pk=response.json()["id"])
    assert (zone.name, zone.status, str(zone.approved_on)) == ("凤台高新区", "active", "2015-06-01")
    assert response.json()["division_name"] == "凤台县"
    assert AuditEvent.objects.filter(verb="zone.created", object_id=str(zone.pk), actor=user)
    assert zone.history.get().history_user == user


def test_zone_create_errors_carry_code_and_field():
    api = client_for(UserFactory())
    outside = api.post(ZONES, {**ZONE, "division_code": "340102"})
    assert outside.status_code == 400
    assert (outside.json()["code"], outside.json()["field"]) == ("invalid", "division_code")
    unknown = api.post(ZONES, {**ZONE, "division_code": "349999"})
    assert unknown.status_code == 400
    assert unknown.json() | {"detail": ""} == {
        "code": "unknown_division",
        "field": "division_code",
        "detail": "",
    }
    ZoneFactory(name=ZONE["name"])
    duplicate = api.post(ZONES, ZONE)
    assert (duplicate.status_code, duplicate.json()["code"]) == (400, "duplicate")
    bad_kind = api.post(ZONES, {**ZONE, "kind": "castle"})
    assert bad_kind.status_code == 400
    assert (bad_kind.json()["code"], bad_kind.json()["field"]) == ("invalid", "kind")
    assert Zone.objects.count() == 1


@pytest.mark.parametrize("role", [Roles.ZONE, Roles.ENTERPRISE, Roles.EXPERT])
def test_only_bureaus_write_zones(role):
    zone = ZoneFactory()
    api = client_for(user_with_role(role, zone=zone))
    assert api.post(ZONES, {**ZONE, "name": "新园区"}).status_code == 403
    assert api.patch(zone_url(zone), {"status": "warned"}).status_code == 403
    zone.refresh_from_db()
    assert zone.status == "active"


def test_bureau_patches_zone():
    user = UserFactory()
    zone = ZoneFactory()
    response = client_for(user).patch(zone_url(zone), {"status": "warned"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "warned"
    zone.refresh_from_db()
    assert zone.status == "warned"
    event = AuditEvent.objects.get(verb="zone.updated", object_id=str(zone.pk))
    assert event.actor == user and event.data == {"status": "warned"}
    assert zone.history.latest().history_user == user


def test_patching_zone_outside_division_is_not_found():
    zone = ZoneFactory(division_code="340102")
    response = client_for(UserFactory()).patch(zone_url(zone), {"status": "revoked"})
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "未找到。"}
    zone.refresh_from_db()
    assert zone.status == "active"


def test_zone_cannot_be_moved_outside_division():
    zone = ZoneFactory()
    response = client_for(UserFactory()).patch(zone_url(zone), {"division_code": "340102"})
    assert response.status_code == 400
    assert response.json()["field"] == "division_code"
    zone.refresh_from_db()
    assert zone.division_code == "340421"


def test_renaming_zone_to_a_taken_name_is_a_duplicate_not_a_server_error():
    taken = ZoneFactory()
    zone = ZoneFactory()
    response = client_for(UserFactory()).patch(zone_url(zone), {"name": taken.name})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "duplicate" and body["field"] == "name"
    zone.refresh_from_db()
    assert zone.name != taken.name
