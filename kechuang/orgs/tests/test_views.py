"""Pages of organizations, yearly facts and qualifications: scope, roles, filters, forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.core.testing.factories import (
    EnterpriseYearFactory,
    OrganizationFactory,
    QualificationFactory,
    UserFactory,
    ZoneFactory,
    uscc_for,
)
from kechuang.orgs.models import EnterpriseYear, Organization, Qualification

pytestmark = pytest.mark.django_db

LIST = reverse("orgs:organization-list")
YEARS = reverse("orgs:enterprise-year-list")
QUALIFICATIONS = reverse("orgs:qualification-list")


@pytest.fixture
def fengtai():
    """An enterprise in 凤台县 (340421, 淮南市)."""
    return OrganizationFactory(name="凤台创新材料有限公司", division_code="340421")


@pytest.fixture
def yaohai():
    """An enterprise in 瑶海区 (340102, 合肥市): outside 淮南市."""
    return OrganizationFactory(
        name="合肥瑶海电子有限公司", division_code="340102", uscc=uscc_for(900001, "340102")
    )


@pytest.fixture
def bureau():
    return UserFactory(role="bureau", division_code="340400", display_name="淮南科技局")


def signed_in(client, user):
    client.force_login(user)
    return client


def detail_url(org):
    return reverse("orgs:organization-detail", args=[org.pk])


# --- access -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, YEARS, QUALIFICATIONS])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.parametrize("url", [LIST, YEARS, QUALIFICATIONS])
def test_expert_role_is_refused(client, url):
    signed_in(client, UserFactory(role="expert", division_code=""))
    assert client.get(url).status_code == 403


def test_bureau_sees_its_subtree_only(client, bureau, fengtai, yaohai):
    EnterpriseYearFactory(organization=fengtai)
    EnterpriseYearFactory(organization=yaohai)
    QualificationFactory(organization=fengtai)
    QualificationFactory(organization=yaohai)
    signed_in(client, bureau)
    for url in (LIST, YEARS, QUALIFICATIONS):
        content = client.get(url).content.decode()
        assert fengtai.name in content, url
        assert yaohai.name not in content, url


def test_zone_user_sees_only_its_zone(client, fengtai):
    zone, other_zone = ZoneFactory(), ZoneFactory()
    in_zone = OrganizationFactory(name="园区内企业", zone=zone)
    OrganizationFactory(name="别的园区企业", zone=other_zone)
    signed_in(client, UserFactory(role="zone", division_code="", zone=zone))
    content = client.get(LIST).content.decode()
    assert in_zone.name in content
    assert "别的园区企业" not in content
    assert fengtai.name not in content


def test_enterprise_user_sees_only_itself(client, fengtai):
    other = OrganizationFactory(name="同县另一家企业")
    user = UserFactory(role="enterprise", division_code="", organization=fengtai)
    signed_in(client, user)
    content = client.get(LIST).content.decode()
    assert fengtai.name in content
    assert other.name not in content
    assert client.get(detail_url(fengtai)).status_code == 200
    assert client.get(detail_url(other)).status_code == 404


def test_detail_out_of_scope_is_404(client, bureau, yaohai):
    signed_in(client, bureau)
    assert client.get(detail_url(yaohai)).status_code == 404
    assert client.get(reverse("orgs:organization-edit", args=[yaohai.pk])).status_code == 404
    assert client.get(reverse("orgs:enterprise-year-add", args=[yaohai.pk])).status_code == 404


# --- filters, search, pagination, htmx ---------------------------------------------------


def rows(response) -> int:
    return len(response.context["rows"])


def test_filters_and_search_narrow_the_list(client, bureau):
    today = timezone.localdate()
    hnte = OrganizationFactory(name="高企甲", division_code="340421", above_scale=True)
    QualificationFactory(
        organization=hnte,
        kind="hnte",
        granted_on=today - dt.timedelta(days=30),
        valid_until=today + dt.timedelta(days=300),
    )
    expired = OrganizationFactory(name="过期高企乙", division_code="340422")
    QualificationFactory(
        organization=expired,
        kind="hnte",
        granted_on=today - dt.timedelta(days=1200),
        valid_until=today - dt.timedelta(days=10),
    )
    university = OrganizationFactory(name="淮南某学院", kind="university", division_code="340403")
    signed_in(client, bureau)

    assert rows(client.get(LIST)) == 3
    assert [r["object"] for r in client.get(LIST, {"qualification": "hnte"}).context["rows"]] == [
        hnte
    ]
    # In force on a past day: the expired certificate counted then, the new one not yet.
    past = (today - dt.timedelta(days=100)).isoformat()
    response = client.get(LIST, {"qualification": "hnte", "qualified_on": past})
    assert [r["object"] for r in response.context["rows"]] == [expired]
    assert rows(client.get(LIST, {"division": "340422"})) == 1
    assert rows(client.get(LIST, {"kind": "university"})) == 1
    assert rows(client.get(LIST, {"above_scale": "true"})) == 1
    assert [r["object"] for r in client.get(LIST, {"q": "学院"}).context["rows"]] == [university]
    assert [r["object"] for r in client.get(LIST, {"q": hnte.uscc}).context["rows"]] == [hnte]
    assert rows(client.get(LIST, {"q": "不存在的名字"})) == 0


def test_bad_filter_value_shows_an_error_and_no_rows(client, bureau, fengtai):
    signed_in(client, bureau)
    response = client.get(LIST, {"qualified_on": "not-a-date"})
    assert response.status_code == 200
    assert rows(response) == 0
    assert "筛选条件有误" in response.content.decode()


def test_pagination_keeps_the_filters(client, bureau):
    OrganizationFactory.create_batch(120, kind="enterprise")
    OrganizationFactory.create_batch(3, kind="institute")
    signed_in(client, bureau)
    first = client.get(LIST, {"kind": "enterprise"})
    assert rows(first) == 50
    assert first.context["paginator"].count == 120
    content = first.content.decode()
    assert "?kind=enterprise&amp;page=2" in content
    assert "共 120 条" in content
    last = client.get(LIST, {"kind": "enterprise", "page": 3})
    assert rows(last) == 20


def test_htmx_request_gets_only_the_table(client, bureau, fengtai):
    signed_in(client, bureau)
    full = client.get(LIST)
    partial = client.get(LIST, {"q": "凤台"}, headers={"HX-Request": "true"})
    assert "<html" in full.content.decode()
    body = partial.content.decode()
    assert "<html" not in body
    assert "filter-form" not in body
    assert 'id="results-table"' in body
    assert fengtai.name in body
    assert "HX-Request" in partial["Vary"]
    # A history restore (back button, cache miss) needs the whole page.
    restore = client.get(LIST, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode()


def test_list_query_count_does_not_grow_with_rows(client, bureau, django_assert_max_num_queries):
    zone = ZoneFactory()
    signed_in(client, bureau)
    OrganizationFactory.create_batch(3, zone=zone)
    client.get(LIST)  # warm the per-process division cache
    with django_assert_max_num_queries(5):
        assert rows(client.get(LIST, {"kind": "enterprise"})) == 3
    OrganizationFactory.create_batch(60, zone=zone)
    with django_assert_max_num_queries(5):
        assert rows(client.get(LIST, {"kind": "enterprise"})) == 50


# --- detail --------------------------------------------------------------------------------


def test_detail_shows_facts_in_wan_qualifications_and_platforms(client, bureau, fengtai):
    from kechuang.core.testing.factories import PlatformFactory

    EnterpriseYearFactory(organization=fengtai, year=2023, revenue=Decimal("52000000.00"))
    EnterpriseYearFactory(
        organization=fengtai, year=2024, revenue=Decimal("1234567.89"), hightech_revenue=None
    )
    today = timezone.localdate()
    QualificationFactory(
        organization=fengtai,
        number="GR-IN-FORCE",
        granted_on=today - dt.timedelta(days=1),
        valid_until=today + dt.timedelta(days=1),
    )
    PlatformFactory(host=fengtai, name="凤台新材料工程技术研究中心")
    signed_in(client, bureau)
    content = client.get(detail_url(fengtai)).content.decode()
    assert "5,200.00" in content
    assert "123.46" in content
    assert "2023 年" in content and "2024 年" in content
    assert "GR-IN-FORCE" in content and "bg-green-lt" in content
    assert "凤台新材料工程技术研究中心" in content
    assert "安徽省淮南市凤台县" in content


# --- create and edit through the services -----------------------------------------------


def org_form(**overrides):
    data = {
        "uscc": uscc_for(777, "340421"),
        "name": "新登记科技有限公司",
        "kind": "enterprise",
        "division_code": "340421",
        "zone": "",
        "ownership": "private",
        "industry_code": "3911",
        "hightech_field": "01",
        "founded_on": "2020-01-01",
    }
    return data | overrides


def test_create_with_a_bad_uscc_shows_the_service_error(client, bureau):
    signed_in(client, bureau)
    bad = uscc_for(777, "340421")[:-1] + ("0" if uscc_for(777, "340421")[-1] != "0" else "1")
    response = client.post(reverse("orgs:organization-create"), org_form(uscc=bad))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "uscc" in errors and "校验位" in errors["uscc"][0]
    assert "校验位" in response.content.decode()
    assert not Organization.objects.filter(name="新登记科技有限公司").exists()


def test_create_goes_through_the_service(client, bureau):
    signed_in(client, bureau)
    response = client.post(reverse("orgs:organization-create"), org_form(), follow=True)
    org = Organization.objects.get(name="新登记科技有限公司")
    assert response.redirect_chain[-1][0] == detail_url(org)
    assert "已创建" in response.content.decode()
    assert org.history.first().history_user == bureau


def test_create_outside_scope_is_an_error_on_the_division(client, bureau):
    signed_in(client, bureau)
    response = client.post(reverse("orgs:organization-create"), org_form(division_code="340102"))
    assert "division_code" in response.context["form"].errors


def test_only_staff_may_create(client, fengtai):
    signed_in(client, UserFactory(role="enterprise", division_code="", organization=fengtai))
    assert client.get(reverse("orgs:organization-create")).status_code == 403


def test_edit_is_recorded_in_the_history_panel(client, bureau, fengtai):
    signed_in(client, bureau)
    url = reverse("orgs:organization-edit", args=[fengtai.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if k in form.fields and v is not None}
    data |= {"name": "凤台新材料股份有限公司", "ownership": "state"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    content = client.get(detail_url(fengtai)).content.decode()
    assert "凤台创新材料有限公司 → 凤台新材料股份有限公司" in content
    assert "民营 → 国有" in content
    assert "淮南科技局" in content  # who
    events = client.get(detail_url(fengtai)).context["events"]
    assert ("所有制", "国有") in events[0]["details"]


def test_history_panel_includes_yearly_facts_and_qualifications(client, bureau, fengtai):
    from kechuang.orgs.services import enterprise_year_save, qualification_save

    enterprise_year_save(actor=bureau, organization=fengtai, year=2024, employees=100)
    enterprise_year_save(actor=bureau, organization=fengtai, year=2024, employees=120)
    enterprise_year_save(
        actor=bureau, organization=fengtai, year=2023, revenue=Decimal("1000000.00")
    )
    qualification_save(
        actor=bureau,
        organization=fengtai,
        kind="hnte",
        number="GR202434000001",
        level="national",
        granted_on=dt.date(2024, 11, 1),
        valid_until=dt.date(2027, 10, 31),
        status="valid",
    )
    signed_in(client, bureau)
    history = client.get(detail_url(fengtai)).context["history"]
    subjects = [entry.subject for entry in history]
    assert "高新技术企业 GR202434000001" in subjects and "2023 年数据" in subjects
    change = next(e for e in history if e.subject == "2024 年数据" and e.action == "修改")
    assert [(c.label, c.old, c.new) for c in change.changes] == [("从业人员", "100", "120")]
    assert change.who == str(bureau)
    assert [e.when for e in history] == sorted((e.when for e in history), reverse=True)


def test_enterprise_user_edits_its_profile_but_not_its_name(client, fengtai):
    user = UserFactory(role="enterprise", division_code="", organization=fengtai)
    signed_in(client, user)
    url = reverse("orgs:organization-edit", args=[fengtai.pk])
    form = client.get(url).context["form"]
    assert "name" not in form.fields and "uscc" not in form.fields
    response = client.post(
        url,
        {
            "ownership": "mixed",
            "industry_code": "3911",
            "hightech_field": "01",
            "above_scale": "on",
        },
    )
    assert response.status_code == 302
    fengtai.refresh_from_db()
    assert fengtai.ownership == "mixed" and fengtai.above_scale


def test_enterprise_year_form_takes_wan_and_stores_yuan(client, bureau, fengtai):
    signed_in(client, bureau)
    url = reverse("orgs:enterprise-year-add", args=[fengtai.pk])
    response = client.post(
        url,
        {"year": 2024, "employees": 100, "rd_staff": 10, "revenue": "5200.5", "rd_expense": "300"},
    )
    assert response.status_code == 302
    record = EnterpriseYear.objects.get(organization=fengtai, year=2024)
    assert record.revenue == Decimal("52005000.00")
    assert record.rd_expense == Decimal("3000000.00")
    edit = client.get(reverse("orgs:enterprise-year-edit", args=[fengtai.pk, 2024]))
    assert edit.context["form"].initial["revenue"] == "5200.5"


def test_enterprise_year_rule_error_lands_on_its_field(client, bureau, fengtai):
    signed_in(client, bureau)
    url = reverse("orgs:enterprise-year-add", args=[fengtai.pk])
    response = client.post(url, {"year": 2024, "employees": 10, "rd_staff": 20})
    assert response.status_code == 200
    assert "研发人员不能多于从业人员" in response.context["form"].errors["rd_staff"][0]
    assert not EnterpriseYear.objects.exists()


def test_qualification_add_and_filters(client, bureau, fengtai, yaohai):
    signed_in(client, bureau)
    url = reverse("orgs:qualification-add", args=[fengtai.pk])
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "kind": "tech_sme",
            "number": "2026340400001",
            "level": "national",
            "granted_on": (today - dt.timedelta(days=10)).isoformat(),
            "valid_until": (today + dt.timedelta(days=100)).isoformat(),
            "status": "valid",
        },
    )
    assert response.status_code == 302
    assert Qualification.objects.filter(organization=fengtai, kind="tech_sme").exists()
    QualificationFactory(organization=fengtai, kind="hnte", status="revoked")
    assert rows(client.get(QUALIFICATIONS)) == 2
    assert rows(client.get(QUALIFICATIONS, {"kind": "tech_sme"})) == 1
    assert rows(client.get(QUALIFICATIONS, {"status": "revoked"})) == 1
    assert rows(client.get(QUALIFICATIONS, {"in_force_on": today.isoformat()})) == 1
    assert rows(client.get(QUALIFICATIONS, {"division": "340421"})) == 2
    assert rows(client.get(QUALIFICATIONS, {"division": "340422"})) == 0


def test_enterprise_year_list_filters(client, bureau, fengtai):
    other = OrganizationFactory(name="寿县企业", division_code="340422")
    EnterpriseYearFactory(organization=fengtai, year=2023)
    EnterpriseYearFactory(organization=fengtai, year=2024)
    EnterpriseYearFactory(organization=other, year=2024)
    signed_in(client, bureau)
    assert rows(client.get(YEARS)) == 3
    assert rows(client.get(YEARS, {"year": 2024})) == 2
    assert rows(client.get(YEARS, {"division": "340422"})) == 1
    assert rows(client.get(YEARS, {"q": "寿县"})) == 1
    assert "5,200.00" in client.get(YEARS).content.decode()


def test_money_formatter():
    from kechuang.core.templatetags.kechuang import wan, yi

    assert wan(Decimal("12345678.90")) == "1,234.57"
    assert wan(Decimal("12345678.90"), "plain") == "1234.57"
    assert wan(Decimal("50")) == "0.01"  # half up
    assert wan(Decimal("-15000")) == "-1.50"
    assert wan(None) == "—" and wan("") == "—"
    assert yi(Decimal("520000000")) == "5.20"
