"""API of R&D platforms."""

import pytest
from django.urls import reverse

from kechuang.core.models import AuditEvent
from kechuang.core.scoping import REGISTRY_READERS, Roles
from kechuang.core.testing import assert_list_queries, client_for, result_keys
from kechuang.core.testing.factories import (
    OrganizationFactory,
    PlatformFactory,
    UserFactory,
    ZoneFactory,
    user_with_role,
)
from kechuang.core.testing.matrix import MatrixSpec, cases
from kechuang.platforms.models import Platform

MATRIX = [
    MatrixSpec(
        name="platform",
        make=lambda place: PlatformFactory(
            host=place.organization, division_code=place.division_code, zone=place.zone
        ),
        readers=REGISTRY_READERS,
        api="platform",
        ui_list="platforms:platform-list",
        ui_detail="platforms:platform-detail",
    ),
]

pytestmark = pytest.mark.django_db

PLATFORMS = reverse("api:platform-list")


def detail(platform):
    return reverse("api:platform-detail", kwargs={"pk": platform.pk})


@pytest.mark.parametrize("case", cases(MATRIX))
def test_permission_matrix(case, client):
    case.run(client)


def test_platform_filters_and_search():
    zone = ZoneFactory()
    host = OrganizationFactory(name="淮南矿业集团")
    lab = PlatformFactory(name="煤矿安全重点实验室", kind="key_lab", level="national", host=host)
    incubator = PlatformFactory(kind="incubator", zone=zone, status="warned")
    hefei = PlatformFactory(host=OrganizationFactory(division_code="340102"))
    api = client_for(user_with_role(Roles.ADMIN))
    assert result_keys(api.get(PLATFORMS, {"kind": "key_lab"})) == [lab.pk]
    assert result_keys(api.get(PLATFORMS, {"level": "national"})) == [lab.pk]
    assert result_keys(api.get(PLATFORMS, {"status": "warned"})) == [incubator.pk]
    assert result_keys(api.get(PLATFORMS, {"zone": zone.pk})) == [incubator.pk]
    assert result_keys(api.get(PLATFORMS, {"host": host.pk})) == [lab.pk]
    assert set(result_keys(api.get(PLATFORMS, {"division": "3404"}))) == {lab.pk, incubator.pk}
    assert result_keys(api.get(PLATFORMS, {"division": "340102"})) == [hefei.pk]
    assert result_keys(api.get(PLATFORMS, {"search": "矿业"})) == [lab.pk]
    assert result_keys(api.get(PLATFORMS, {"search": "安全重点"})) == [lab.pk]
    body = api.get(detail(lab)).json()
    assert (body["host_name"], body["division_name"]) == ("淮南矿业集团", "凤台县")


def test_platform_pagination():
    PlatformFactory.create_batch(6)
    body = client_for(UserFactory()).get(PLATFORMS, {"page_size": 4}).json()
    assert (body["count"], len(body["results"]), body["previous"]) == (6, 4, None)
    assert "page=2" in body["next"]


def test_platform_list_query_count(django_assert_max_num_queries):
    zone = ZoneFactory()
    assert_list_queries(
        django_assert_max_num_queries,
        client_for(UserFactory()),
        PLATFORMS,
        lambda n: PlatformFactory.create_batch(n, zone=zone),
        max_queries=2,
    )


def test_bureau_creates_platform_in_host_division():
    host = OrganizationFactory()
    user = UserFactory()
    response = client_for(user).post(
        PLATFORMS,
        {
            "name": "凤台新材料工程技术研究中心",
            "kind": "eng_research_center",
            "level": "municipal",
            "host": host.pk,
        },
    )
    assert response.status_code == 201, response.content
    platform = Platform.objects.get()
    assert platform.division_code == host.division_code == response.json()["division_code"]
    assert platform.status == "active"
    assert AuditEvent.objects.get(verb="platform.created").actor == user
    assert platform.history.get().history_user == user


def test_platform_create_errors():
    host = OrganizationFactory()
    api = client_for(UserFactory())
    base = {"name": "重点实验室", "kind": "key_lab", "level": "provincial", "host": host.pk}
    outside = api.post(PLATFORMS, {**base, "division_code": "340102"})
    assert (outside.status_code, outside.json()["field"]) == (400, "division_code")
    unknown = api.post(PLATFORMS, {**base, "division_code": "349999"})
    assert (unknown.status_code, unknown.json()["field"]) == (400, "division_code")
    assert api.post(PLATFORMS, base).status_code == 201
    duplicate = api.post(PLATFORMS, base)
    assert (duplicate.status_code, duplicate.json()["code"]) == (400, "duplicate")
    hefei_host = OrganizationFactory(division_code="340102")
    assert api.post(PLATFORMS, {**base, "host": hefei_host.pk}).status_code == 404
    assert Platform.objects.count() == 1


def test_organization_users_cannot_register_platforms():
    host = OrganizationFactory()
    api = client_for(user_with_role(Roles.ENTERPRISE, organization=host))
    response = api.post(
        PLATFORMS, {"name": "x", "kind": "key_lab", "level": "national", "host": host.pk}
    )
    assert response.status_code == 403
    platform = PlatformFactory(host=host)
    assert api.patch(detail(platform), {"status": "revoked"}).status_code == 403


def test_zone_staff_register_platforms_of_their_zone():
    zone = ZoneFactory()
    host = OrganizationFactory(zone=zone)
    api = client_for(user_with_role(Roles.ZONE, zone=zone))
    base = {"name": "园区孵化器", "kind": "incubator", "level": "municipal", "host": host.pk}
    no_zone = api.post(PLATFORMS, base)
    assert (no_zone.status_code, no_zone.json()["field"]) == (400, "zone")
    assert api.post(PLATFORMS, {**base, "zone": zone.pk}).status_code == 201


def test_patch_platform_and_out_of_scope():
    user = UserFactory()
    platform = PlatformFactory()
    api = client_for(user)
    response = api.patch(detail(platform), {"status": "warned", "level": "national"})
    assert response.status_code == 200, response.content
    event = AuditEvent.objects.get(verb="platform.updated")
    assert event.data == {"status": "warned", "level": "national"} and event.actor == user
    hefei = PlatformFactory(host=OrganizationFactory(division_code="340102"))
    assert api.patch(detail(hefei), {"status": "revoked"}).status_code == 404
    hefei.refresh_from_db()
    assert hefei.status == "active"
    moved = api.patch(detail(platform), {"division_code": "340102"})
    assert (moved.status_code, moved.json()["field"]) == (400, "division_code")
