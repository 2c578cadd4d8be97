"""Signing in and out, the page shell and the home page's counts by scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.core.testing.factories import (
    OrganizationFactory,
    PlatformFactory,
    QualificationFactory,
    UserFactory,
    ZoneFactory,
    uscc_for,
)

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
HOME = reverse("core:home")


def test_login_page_and_sign_in(client):
    UserFactory(username="wang", display_name="王科长")
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert "登录" in page.content.decode()
    response = client.post(LOGIN, {"username": "wang", "password": "pass12345"})
    assert response.status_code == 302 and response["Location"] == HOME
    home = client.get(HOME).content.decode()
    assert "王科长" in home
    assert "科技局 · 安徽省淮南市" in home  # role and scope label in the page shell


def test_wrong_password_shows_an_error(client):
    UserFactory(username="wang")
    response = client.post(LOGIN, {"username": "wang", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_login_returns_to_the_page_asked_for(client):
    UserFactory(username="wang")
    url = reverse("orgs:organization-list")
    assert client.get(url)["Location"] == f"{LOGIN}?next={url}"
    response = client.post(
        f"{LOGIN}?next={url}", {"username": "wang", "password": "pass12345", "next": url}
    )
    assert response["Location"] == url


def test_logout_is_a_post(client):
    client.force_login(UserFactory())
    assert client.get(LOGOUT).status_code == 405
    response = client.post(LOGOUT)
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.get(HOME).status_code == 302


def test_home_requires_login(client):
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_navigation_depends_on_the_role(client):
    client.force_login(UserFactory())
    staff_nav = dict(client.get(HOME).context["nav_items"])
    assert staff_nav["数据导入"] == "core:import"
    client.force_login(
        UserFactory(role="enterprise", division_code="", organization=OrganizationFactory())
    )
    assert "数据导入" not in dict(client.get(HOME).context["nav_items"])


@pytest.fixture
def registry():
    """Two enterprises and a university in 淮南市 (one in a zone), one enterprise in 合肥市."""
    today = timezone.localdate()
    zone = ZoneFactory(division_code="340421")
    ZoneFactory(division_code="340104")
    in_zone = OrganizationFactory(zone=zone)
    plain = OrganizationFactory()
    OrganizationFactory(kind="university")
    hefei = OrganizationFactory(division_code="340102", uscc=uscc_for(900003, "340102"))
    in_force = {
        "granted_on": today - dt.timedelta(days=5),
        "valid_until": today + dt.timedelta(days=5),
    }
    QualificationFactory(organization=in_zone, kind="hnte", **in_force)
    QualificationFactory(organization=hefei, kind="hnte", **in_force)
    QualificationFactory(
        organization=plain,
        kind="hnte",
        granted_on=today - dt.timedelta(days=900),
        valid_until=today - dt.timedelta(days=1),
    )
    QualificationFactory(organization=plain, kind="tech_sme", **in_force)
    PlatformFactory(host=in_zone, zone=zone)
    PlatformFactory(host=hefei)
    return {"zone": zone, "in_zone": in_zone, "plain": plain}


def counts(client) -> dict[str, int]:
    return {card["label"]: card["count"] for card in client.get(HOME).context["cards"]}


def test_home_counts_for_a_city_bureau(client, registry):
    client.force_login(UserFactory(role="bureau", division_code="340400"))
    assert counts(client) == {
        "机构": 3,
        "企业": 2,
        "有效高新技术企业": 1,
        "有效科技型中小企业": 1,
        "创新平台": 1,
        "园区": 1,
    }
    cards = client.get(HOME).context["cards"]
    assert cards[2]["url"] == reverse("orgs:organization-list") + "?qualification=hnte"
    assert cards[5]["url"] == reverse("regions:zone-list") + "?division=3404"


def test_home_counts_for_zone_and_enterprise_users(client, registry):
    client.force_login(UserFactory(role="zone", division_code="", zone=registry["zone"]))
    zone_counts = counts(client)
    assert zone_counts["机构"] == 1 and zone_counts["有效高新技术企业"] == 1
    assert zone_counts["创新平台"] == 1 and zone_counts["园区"] == 1
    user = UserFactory(role="enterprise", division_code="", organization=registry["plain"])
    client.force_login(user)
    assert counts(client) == {
        "机构": 1,
        "企业": 1,
        "有效高新技术企业": 0,
        "有效科技型中小企业": 1,
        "创新平台": 0,
        "园区": 0,
    }


def test_home_for_a_role_without_registries(client, registry):
    client.force_login(UserFactory(role="expert", division_code=""))
    response = client.get(HOME)
    assert response.status_code == 200
    assert response.context["cards"] == []


def test_error_pages_use_the_shell(client):
    client.force_login(UserFactory(role="expert", division_code=""))
    forbidden = client.get(reverse("orgs:organization-list"))
    assert forbidden.status_code == 403 and "无权访问" in forbidden.content.decode()
    client.force_login(UserFactory())
    missing = client.get("/orgs/999999/")
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()
