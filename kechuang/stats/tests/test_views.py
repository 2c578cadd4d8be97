"""The dashboard, the records page and the benchmark pages."""

import pytest
from django.urls import reverse

from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import OrganizationFactory, user_with_role
from kechuang.stats.models import Benchmark

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("stats:dashboard")
RECORDS = reverse("stats:record-list")


def login(client, role=Roles.BUREAU, **kwargs):
    user = user_with_role(role, **kwargs)
    client.force_login(user)
    return user


def test_dashboard_of_the_users_city(client, region):
    login(client)
    response = client.get(DASHBOARD, {"year": "2023"})
    assert response.status_code == 200
    context = response.context
    assert context["target_name"] == "淮南市"
    cards = {card["main"]["key"]: card for card in context["cards"]}
    assert cards["hnte_count"]["main"]["number"] == "4"
    assert cards["rd_intensity"]["main"]["number"] == "3.00"
    assert cards["rd_intensity"]["sub"]["number"] == "0.35"  # vs the national 2.65 %
    assert cards["hnte_count"]["main"]["url"] == (
        f"{RECORDS}?indicator=hnte_count&period=2023&division=340400"
    )
    rows = context["comparison"]["rows"]
    assert [r["code"] for r in rows[:2]] == ["340421", "340422"]  # most high-tech enterprises
    assert context["trend"]["years"] == ["2022", "2023"]
    html = response.content.decode()
    assert 'id="chart-trend"' in html and 'id="chart-compare"' in html
    assert "vendor/echarts/echarts.min.js" in html


def test_dashboard_of_a_county_and_a_zone(client, region):
    login(client)
    county = client.get(DASHBOARD, {"division": "340421", "year": "2023"})
    assert county.status_code == 200
    assert county.context["comparison"] is None  # counties have no children
    assert county.context["trail"][-1]["code"] == "340400"
    zone = client.get(DASHBOARD, {"zone": region["zone"].pk, "year": "2023"})
    assert zone.status_code == 200
    assert zone.context["target_name"] == region["zone"].name


def test_dashboard_scope_and_roles(client, region):
    login(client)
    assert client.get(DASHBOARD, {"division": "340100"}).status_code == 404
    assert client.get(DASHBOARD, {"division": "340000"}).status_code == 404
    client.logout()
    assert client.get(DASHBOARD).status_code == 302
    login(client, Roles.ENTERPRISE)
    assert client.get(DASHBOARD).status_code == 403


def test_dashboard_query_count_does_not_grow_with_the_data(
    client, region, django_assert_max_num_queries
):
    login(client)
    client.get(DASHBOARD, {"year": "2023"})
    with django_assert_max_num_queries(12) as small:
        assert client.get(DASHBOARD, {"year": "2023"}).status_code == 200
    for _ in range(30):
        OrganizationFactory(division_code="340402")
    client.get(DASHBOARD, {"year": "2023"})
    with django_assert_max_num_queries(12) as large:
        assert client.get(DASHBOARD, {"year": "2023"}).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


def test_records_behind_a_share(client, region):
    login(client)
    response = client.get(
        RECORDS, {"indicator": "hnte_private_count", "period": "2023", "division": "340400"}
    )
    assert response.status_code == 200
    a, b, c, d, e = region["orgs"]
    assert {o.pk for o in response.context["object_list"]} == {a.pk, b.pk, d.pk}
    assert response.context["figure"]["number"] == "3"
    assert "民营" in response.context["definition_text"]
    assert "2023-12-31" in response.context["definition_text"]


def test_records_behind_a_sum(client, region):
    login(client)
    response = client.get(
        RECORDS, {"indicator": "revenue_sum", "period": "2023", "division": "340421"}
    )
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 2
    assert response.context["records_total"] == ("0.40", "万元")
    assert response.context["figure"]["number"] == "0.40"


def test_records_page_scope(client, region):
    login(client)
    assert client.get(RECORDS, {"indicator": "hnte_count", "division": "340102"}).status_code == 404
    assert client.get(RECORDS, {"indicator": "nope", "division": "340400"}).status_code == 404
    htmx = client.get(
        RECORDS, {"indicator": "hnte_count", "division": "340400"}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 200 and "<html" not in htmx.content.decode()


def test_benchmarks_are_edited_by_staff(client, region):
    benchmark = Benchmark.objects.get(key="national.rd_intensity", year=2023)
    edit = reverse("stats:benchmark-edit", args=[benchmark.pk])
    login(client, Roles.ZONE)
    assert client.get(reverse("stats:benchmark-list")).status_code == 200
    assert client.get(edit).status_code == 403
    login(client, Roles.BUREAU)
    response = client.post(
        edit,
        {
            "key": benchmark.key,
            "label": benchmark.label,
            "value": "0.0268",
            "unit": "%",
            "year": 2023,
            "source": benchmark.source,
        },
    )
    assert response.status_code == 302
    benchmark.refresh_from_db()
    assert str(benchmark.value) == "0.026800"
    response = client.post(
        reverse("stats:benchmark-create"),
        {
            "key": "national.rd_intensity",
            "label": "全国研发投入强度",
            "value": "0.0268",
            "unit": "%",
            "year": 2023,
            "source": "重复",
        },
    )
    assert response.status_code == 200
    assert "已有 2023 年的基准值" in response.content.decode()


def test_ranking_table_money_is_in_wan(client, db):
    from decimal import Decimal

    from kechuang.core.testing.factories import EnterpriseYearFactory

    big = OrganizationFactory(division_code="340402")
    small = OrganizationFactory(division_code="340403")
    EnterpriseYearFactory(
        organization=big,
        year=2023,
        rd_expense=Decimal("250000000.00"),
        revenue=Decimal("900000000.00"),
        hightech_revenue=None,
    )
    EnterpriseYearFactory(
        organization=small, year=2023, rd_expense=Decimal("120000.00"), rd_expense_domestic=None
    )
    login(client)
    response = client.get(DASHBOARD, {"year": "2023"})
    rows = {r["code"]: r["cells"] for r in response.context["comparison"]["rows"]}
    assert rows["340402"]["rd_expense_sum"]["number"] == "25,000.00"
    assert rows["340403"]["rd_expense_sum"]["number"] == "12.00"
    cards = {card["main"]["key"]: card for card in response.context["cards"]}
    assert (cards["rd_expense_sum"]["main"]["number"], cards["rd_expense_sum"]["main"]["unit"]) == (
        "2.50",
        "亿元",
    )
