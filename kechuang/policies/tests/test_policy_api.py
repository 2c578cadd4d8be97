"""The policy API with a bureau's own values (``/policies/{key}/parameters/``), the experts'
innovation scores (``/innovation-assessments/``) and the budgets (``/policy-budgets/``)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kechuang.core.scoping import Roles
from kechuang.core.testing import client_for, result_keys
from kechuang.core.testing.factories import user_with_role
from kechuang.policies.models import InnovationAssessment, ParameterValue, PolicyBudget, Redemption

from .conftest import FENGTAI

pytestmark = pytest.mark.django_db
CITY = "340400"


def _parameters(key="rd_post_subsidy"):
    return reverse("api:policy-parameters", kwargs={"key": key})


def _detail(key="rd_post_subsidy"):
    return reverse("api:policy-detail", kwargs={"key": key})


@pytest.fixture
def city_user(db):
    return user_with_role(Roles.BUREAU, division_code=CITY, username="huainan")


def test_bureau_sets_reads_and_withdraws_its_value(city_user):
    api = client_for(city_user)
    body = {
        "parameter": "rate",
        "effective_from": "2024-01-01",
        "value": 0.2,
        "reason": "淮科〔2024〕1号",
    }
    created = api.post(_parameters(), body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["division_code"] == CITY and created.json()["value"] == 0.2
    detail = api.get(_detail()).json()
    assert detail["division_code"] == CITY
    rate = next(p for p in detail["parameters"] if p["key"] == "rate")
    assert [h["from"] for h in rate["history"]] == ["2020-01-01", "2023-01-01"]
    assert rate["effective"][-1] == {"from": "2024-01-01", "value": 0.2}
    [local] = rate["local_values"]
    assert local["own"] and local["reason"] == "淮科〔2024〕1号" and local["set_by"]
    assert local["division_name"] == "淮南市"
    [change] = detail["changes"]
    assert change["action"] == "设定" and change["parameter"] == "rate"
    # The county below sees the city's value as inherited, not its own.
    county = client_for(user_with_role(Roles.BUREAU, division_code=FENGTAI))
    inherited = county.get(_detail()).json()
    rate = next(p for p in inherited["parameters"] if p["key"] == "rate")
    assert [v["own"] for v in rate["local_values"]] == [False]
    assert rate["effective"][-1]["value"] == 0.2
    # Hefei sees nothing of Huainan's.
    hefei = client_for(user_with_role(Roles.BUREAU, division_code="340100")).get(_detail()).json()
    rate = next(p for p in hefei["parameters"] if p["key"] == "rate")
    assert rate["local_values"] == [] and hefei["changes"] == []
    # An enterprise in the city reads the rate that applies to it, not who set it.
    enterprise = client_for(user_with_role(Roles.ENTERPRISE)).get(_detail()).json()
    assert enterprise["changes"] == [] and enterprise["division_code"] == FENGTAI
    rate = next(p for p in enterprise["parameters"] if p["key"] == "rate")
    assert rate["effective"][-1]["value"] == 0.2
    assert [(v["own"], v["set_by"]) for v in rate["local_values"]] == [(False, "")]
    listing = api.get(reverse("api:policy-list")).json()
    assert any(p["changes"] for p in listing["results"] if p["key"] == "rd_post_subsidy")
    withdrawn = api.delete(
        _parameters() + "?parameter=rate&effective_from=2024-01-01&reason=文件废止"
    )
    assert withdrawn.status_code == 204, withdrawn.content
    assert not ParameterValue.objects.exists()
    changes = api.get(_detail()).json()["changes"]
    assert [c["action"] for c in changes] == ["撤销", "设定"]
    assert changes[0]["note"] == "文件废止"


def test_parameter_errors(city_user):
    api = client_for(city_user)
    bad = api.post(
        _parameters(),
        {"parameter": "rate", "effective_from": "2024-01-01", "value": 2, "reason": "x"},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "value"
    assert "0–1" in bad.json()["detail"]
    missing = api.post(_parameters(), {"parameter": "rate"}, format="json")
    assert missing.status_code == 400
    unknown = api.post(
        _parameters("nope"),
        {"parameter": "rate", "effective_from": "2024-01-01", "value": 0.1, "reason": "x"},
        format="json",
    )
    assert unknown.status_code == 404
    gone = api.delete(_parameters() + "?parameter=rate&effective_from=2024-01-01&reason=x")
    assert gone.status_code == 404
    for role in (Roles.ZONE, Roles.ENTERPRISE):
        other = client_for(user_with_role(role))
        body = {"parameter": "rate", "effective_from": "2024-01-01", "value": 0.1, "reason": "x"}
        assert other.post(_parameters(), body, format="json").status_code == 403
    assert not ParameterValue.objects.exists()


def test_innovation_assessments_api(enterprises, city_user):
    api = client_for(city_user)
    url = reverse("api:innovation-assessment-list")
    strong = enterprises["strong"]
    body = {"organization": strong.pk, "year": 2023, "score": "72.5", "assessed_on": "2024-05-01"}
    created = api.post(url, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["division_code"] == FENGTAI and created.json()["score"] == "72.50"
    again = api.post(url, {**body, "score": "74"}, format="json")
    assert again.status_code == 201 and again.json()["id"] == created.json()["id"]
    detail = reverse("api:innovation-assessment-detail", kwargs={"pk": created.json()["id"]})
    changed = api.patch(detail, {"score": "69", "year": 2020}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["score"] == "69.00" and changed.json()["year"] == 2023
    assert api.patch(detail, {"score": "81"}, format="json").status_code == 400
    far = api.post(url, {**body, "organization": enterprises["far"].pk}, format="json")
    assert far.status_code == 404
    assert result_keys(api.get(url)) == [created.json()["id"]]
    screen = reverse("api:policy-screen", kwargs={"key": "hnte"})
    rows = api.get(screen, {"year": 2023}).json()["results"]
    strong_row = next(r for r in rows if r["id"] == strong.pk)
    assert not strong_row["pending"] and not strong_row["eligible"]  # 69 points
    own = client_for(user_with_role(Roles.ENTERPRISE, organization=strong))
    assert result_keys(own.get(url)) == [created.json()["id"]]
    assert own.post(url, body, format="json").status_code == 403
    assert InnovationAssessment.objects.get().score == Decimal("69")


def test_budgets_api_with_usage(enterprises, city_user):
    api = client_for(city_user)
    url = reverse("api:policy-budget-list")
    body = {"policy": "rd_post_subsidy", "year": 2023, "division_code": CITY, "amount": "500000"}
    created = api.post(url, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["used"] == "0.00" and created.json()["remaining"] == "500000.00"
    Redemption.objects.create(
        policy="rd_post_subsidy",
        year=2023,
        organization=enterprises["strong"],
        division_code=FENGTAI,
        computed_amount=Decimal("150000"),
        amount=Decimal("150000"),
        source="proposed",
        status="approved",
    )
    row = api.get(url).json()["results"][0]
    assert (row["used"], row["remaining"]) == ("150000.00", "350000.00")
    detail = reverse("api:policy-budget-detail", kwargs={"pk": row["id"]})
    changed = api.patch(detail, {"amount": "600000", "year": 2030}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["remaining"] == "450000.00" and changed.json()["year"] == 2023
    below = api.patch(detail, {"amount": "100000"}, format="json")
    assert below.status_code == 400 and below.json()["code"] == "below_committed"
    outside = api.post(url, {**body, "division_code": "340102"}, format="json")
    assert outside.status_code == 400 and outside.json()["field"] == "division_code"
    hnte = api.post(url, {**body, "policy": "hnte"}, format="json")
    assert hnte.status_code == 400
    negative = api.post(url, {**body, "amount": "-1"}, format="json")
    assert negative.status_code == 400
    assert PolicyBudget.objects.get().amount == Decimal("600000")
    zone = client_for(user_with_role(Roles.ZONE))
    assert zone.get(url).status_code == 403


def test_budget_list_queries_do_not_grow(city_user, django_assert_max_num_queries):
    api = client_for(city_user)
    url = reverse("api:policy-budget-list")
    counts = []
    for years in (range(2001, 2004), range(2004, 2030)):
        for year in years:
            PolicyBudget.objects.create(
                policy="rd_post_subsidy", year=year, division_code=CITY, amount=Decimal(1)
            )
        with django_assert_max_num_queries(4) as captured:
            assert api.get(url, {"page_size": 100}).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_policy_list_queries_do_not_grow_with_values(city_user, django_assert_max_num_queries):
    from kechuang.policies import services

    api = client_for(city_user)
    counts = []
    for days in (["2024-01-01"], ["2025-01-01", "2026-01-01", "2027-01-01", "2028-01-01"]):
        for day in days:
            services.parameter_value_set(
                actor=city_user,
                policy_key="rd_post_subsidy",
                parameter="rate",
                effective_from=day,
                value=0.2,
                reason="文件",
            )
        with django_assert_max_num_queries(3) as captured:
            body = api.get(reverse("api:policy-list")).json()
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    subsidy = next(p for p in body["results"] if p["key"] == "rd_post_subsidy")
    assert len(subsidy["changes"]) == 5
