"""Pages of the platform registry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kechuang.core.testing.factories import (
    OrganizationFactory,
    PlatformFactory,
    UserFactory,
    ZoneFactory,
    uscc_for,
)
from kechuang.platforms.models import Platform

pytestmark = pytest.mark.django_db

LIST = reverse("platforms:platform-list")


@pytest.fixture
def bureau():
    return UserFactory(role="bureau", division_code="340400")


@pytest.fixture
def huainan_platform():
    return PlatformFactory(name="凤台煤化工工程技术研究中心")


@pytest.fixture
def hefei_platform():
    host = OrganizationFactory(division_code="340102", uscc=uscc_for(900002, "340102"))
    return PlatformFactory(name="合肥重点实验室", kind="key_lab", host=host)


def names(response) -> list[str]:
    return [row["object"].name for row in response.context["rows"]]


def test_anonymous_and_wrong_role(client):
    assert client.get(LIST).status_code == 302
    client.force_login(UserFactory(role="expert", division_code=""))
    assert client.get(LIST).status_code == 403


def test_scope_of_the_list_and_detail(client, bureau, huainan_platform, hefei_platform):
    client.force_login(bureau)
    assert names(client.get(LIST)) == ["凤台煤化工工程技术研究中心"]
    detail = reverse("platforms:platform-detail", args=[huainan_platform.pk])
    assert client.get(detail).status_code == 200
    other = reverse("platforms:platform-detail", args=[hefei_platform.pk])
    assert client.get(other).status_code == 404


def test_zone_and_enterprise_users(client, huainan_platform):
    zone = ZoneFactory()
    in_zone = PlatformFactory(name="园区孵化器", kind="incubator", zone=zone)
    client.force_login(UserFactory(role="zone", division_code="", zone=zone))
    assert names(client.get(LIST)) == ["园区孵化器"]
    user = UserFactory(role="enterprise", division_code="", organization=in_zone.host)
    client.force_login(user)
    assert names(client.get(LIST)) == ["园区孵化器"]


def test_filters_and_search(client, bureau, huainan_platform):
    PlatformFactory(name="淮南众创空间", kind="makerspace", level="national")
    client.force_login(bureau)
    assert names(client.get(LIST, {"kind": "makerspace"})) == ["淮南众创空间"]
    assert names(client.get(LIST, {"level": "provincial"})) == ["凤台煤化工工程技术研究中心"]
    assert names(client.get(LIST, {"q": huainan_platform.host.name})) == [huainan_platform.name]
    partial = client.get(LIST, {"q": "众创"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert "淮南众创空间" in partial.content.decode()


def test_create_with_host_by_uscc(client, bureau):
    host = OrganizationFactory(name="淮南某企业")
    client.force_login(bureau)
    data = {"name": "淮南新材料企业研究院", "kind": "enterprise_institute", "level": "municipal"}
    response = client.post(reverse("platforms:platform-create"), data | {"host_uscc": host.uscc})
    platform = Platform.objects.get(name="淮南新材料企业研究院")
    assert response["Location"] == reverse("platforms:platform-detail", args=[platform.pk])
    assert platform.host == host and platform.division_code == host.division_code


def test_create_with_a_host_outside_scope_is_refused(client, bureau, hefei_platform):
    client.force_login(bureau)
    data = {"name": "某平台", "kind": "key_lab", "level": "provincial"}
    response = client.post(
        reverse("platforms:platform-create"), data | {"host_uscc": hefei_platform.host.uscc}
    )
    assert "host_uscc" in response.context["form"].errors
    assert not Platform.objects.filter(name="某平台").exists()


def test_duplicate_name_error_comes_from_the_service(client, bureau, huainan_platform):
    client.force_login(bureau)
    data = {
        "name": huainan_platform.name,
        "kind": huainan_platform.kind,
        "level": "provincial",
        "host_uscc": huainan_platform.host.uscc,
    }
    response = client.post(reverse("platforms:platform-create"), data)
    assert "同名同类平台" in response.context["form"].errors["name"][0]


def test_edit_shows_in_history(client, bureau, huainan_platform):
    client.force_login(bureau)
    url = reverse("platforms:platform-edit", args=[huainan_platform.pk])
    data = {
        "name": huainan_platform.name,
        "kind": huainan_platform.kind,
        "level": "national",
        "host_uscc": huainan_platform.host.uscc,
        "division_code": huainan_platform.division_code,
        "status": "warned",
    }
    assert client.post(url, data).status_code == 302
    detail = reverse("platforms:platform-detail", args=[huainan_platform.pk])
    content = client.get(detail).content.decode()
    assert "运行 → 警告" in content and "省级 → 国家级" in content


def test_only_staff_create_and_edit(client, huainan_platform):
    client.force_login(
        UserFactory(role="enterprise", division_code="", organization=huainan_platform.host)
    )
    assert client.get(reverse("platforms:platform-create")).status_code == 403
    edit = reverse("platforms:platform-edit", args=[huainan_platform.pk])
    assert client.get(edit).status_code == 403
