"""Pages of the division tree and the zone registry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kechuang.core.testing.factories import (
    OrganizationFactory,
    PlatformFactory,
    UserFactory,
    ZoneFactory,
)
from kechuang.regions.models import Zone

pytestmark = pytest.mark.django_db

DIVISIONS = reverse("regions:division-list")
ZONES = reverse("regions:zone-list")


@pytest.fixture
def bureau():
    return UserFactory(role="bureau", division_code="340400")


def codes(response) -> list[str]:
    return [row["object"].code for row in response.context["rows"]]


@pytest.mark.parametrize("url", [DIVISIONS, ZONES])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_division_tree_is_browsed_by_parent(client, bureau):
    client.force_login(bureau)
    start = client.get(DIVISIONS)  # a bureau user starts at its own division
    assert "340421" in codes(start) and "340400" not in codes(start)
    assert [name for _code, name in start.context["breadcrumbs"]] == ["安徽省", "淮南市"]
    cities = codes(client.get(DIVISIONS, {"parent": "340000"}))
    assert "340400" in cities and "340100" in cities and "340421" not in cities
    provinces = codes(client.get(DIVISIONS, {"level": "province"}))
    assert "340000" in provinces and "110000" in provinces


def test_division_search_by_name_and_code(client):
    client.force_login(UserFactory(role="expert", division_code=""))  # reference data: any role
    assert codes(client.get(DIVISIONS, {"q": "凤台"})) == ["340421"]
    assert "340421" in codes(client.get(DIVISIONS, {"q": "3404"}))


def test_zone_list_is_reference_data_for_every_role(client):
    ZoneFactory(name="淮南高新区", division_code="340402")
    ZoneFactory(name="合肥高新区", division_code="340104", kind="hitech", level="national")
    client.force_login(UserFactory(role="expert", division_code=""))
    content = client.get(ZONES).content.decode()
    assert "淮南高新区" in content and "合肥高新区" in content
    response = client.get(ZONES, {"division": "3404"})
    assert [row["object"].name for row in response.context["rows"]] == ["淮南高新区"]
    assert client.get(ZONES, {"q": "合肥"}).context["rows"][0]["object"].name == "合肥高新区"


def test_zone_detail_counts_organizations_in_the_users_scope(client, bureau):
    zone = ZoneFactory(name="淮南高新区", division_code="340402")
    OrganizationFactory.create_batch(3, zone=zone)
    OrganizationFactory(zone=zone, kind="university")
    PlatformFactory(name="园区孵化器", kind="incubator", host=OrganizationFactory(), zone=zone)
    client.force_login(bureau)
    response = client.get(reverse("regions:zone-detail", args=[zone.pk]))
    assert response.context["organization_count"] == 4  # the incubator's host is elsewhere
    assert response.context["enterprise_count"] == 3
    assert "园区孵化器" in response.content.decode()
    assert response.context["can_edit"]
    # An enterprise user of another organization counts nothing of the zone.
    outsider = UserFactory(role="enterprise", division_code="", organization=OrganizationFactory())
    client.force_login(outsider)
    response = client.get(reverse("regions:zone-detail", args=[zone.pk]))
    assert response.context["organization_count"] == 0
    assert not response.context["can_edit"]


def test_bureau_creates_and_edits_a_zone(client, bureau):
    client.force_login(bureau)
    data = {
        "name": "凤台经开区",
        "kind": "econ_dev",
        "level": "provincial",
        "division_code": "340421",
    }
    response = client.post(reverse("regions:zone-create"), data)
    zone = Zone.objects.get(name="凤台经开区")
    assert response["Location"] == reverse("regions:zone-detail", args=[zone.pk])
    edit = reverse("regions:zone-edit", args=[zone.pk])
    response = client.post(edit, data | {"level": "national", "status": "active"})
    assert response.status_code == 302
    zone.refresh_from_db()
    assert zone.level == "national"
    content = client.get(reverse("regions:zone-detail", args=[zone.pk])).content.decode()
    assert "省级 → 国家级" in content


def test_zone_outside_the_bureau_scope(client, bureau):
    client.force_login(bureau)
    data = {"name": "合肥某园", "kind": "hitech", "level": "provincial", "division_code": "340102"}
    response = client.post(reverse("regions:zone-create"), data)
    assert "division_code" in response.context["form"].errors
    hefei = ZoneFactory(division_code="340104")
    assert client.get(reverse("regions:zone-edit", args=[hefei.pk])).status_code == 404


def test_duplicate_zone_name_is_an_error_on_the_name(client, bureau):
    ZoneFactory(name="淮南高新区", division_code="340402")
    client.force_login(bureau)
    data = {
        "name": "淮南高新区",
        "kind": "hitech",
        "level": "provincial",
        "division_code": "340402",
    }
    response = client.post(reverse("regions:zone-create"), data)
    assert "已存在" in response.context["form"].errors["name"][0]


def test_zone_staff_may_not_create_zones(client):
    zone = ZoneFactory()
    client.force_login(UserFactory(role="zone", division_code="", zone=zone))
    assert client.get(reverse("regions:zone-create")).status_code == 403
    assert client.get(reverse("regions:zone-edit", args=[zone.pk])).status_code == 403
