"""``/api/v1/policies/``: the list (reference data), detail, screen and reserve; scope, roles,
errors and a query count that does not grow with the number of enterprises."""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.urls import reverse

from kechuang.core.scoping import Roles
from kechuang.core.testing import client_for
from kechuang.core.testing.factories import user_with_role
from kechuang.core.testing.matrix import MatrixSpec, cases
from kechuang.policies.selectors import SCREEN_READERS

from .conftest import enterprise_with_years
from .factories import make_assessment, make_budget
from .test_redemptions_api import REDEMPTION_MATRIX


@dataclass(frozen=True)
class PolicySpec(MatrixSpec):
    """Policies are addressed by key (``/policies/{key}/``), not by ``pk``: the matrix checks
    the list; the detail is checked by the tests below."""

    @property
    def api_detail(self):
        return None


MATRIX = [
    # Policies are reference data: every reader sees every policy whatever their scope.
    PolicySpec(
        name="policy",
        make=lambda place: SimpleNamespace(pk="hnte"),
        readers=SCREEN_READERS,
        api="policy",
        api_key="key",
        ui_list="policies:policy-list",
        reference=True,
    ),
    *REDEMPTION_MATRIX,
    MatrixSpec(
        name="innovation-assessment",
        make=make_assessment,
        readers=SCREEN_READERS,
        api="innovation-assessment",
        ui_list="policies:assessment-list",
    ),
    MatrixSpec(
        name="policy-budget",
        make=make_budget,
        readers=frozenset({Roles.ADMIN, Roles.BUREAU}),
        api="policy-budget",
        ui_list="policies:budget-list",
    ),
    # Screening and the reserve list every enterprise in scope (the place's has no facts: it is
    # listed, not eligible, and so also in the reserve).
    MatrixSpec(
        name="screen",
        make=lambda place: place.organization,
        readers=SCREEN_READERS,
        ui_list="policies:screen-list",
        narrow=lambda record: {"policy": "hnte", "year": "2023"},
    ),
    MatrixSpec(
        name="reserve",
        make=lambda place: place.organization,
        readers=SCREEN_READERS,
        ui_list="policies:reserve-list",
        narrow=lambda record: {"policy": "tech_sme", "year": "2023"},
    ),
]

pytestmark = pytest.mark.django_db


def _screen(key="hnte"):
    return reverse("api:policy-screen", kwargs={"key": key})


def _reserve(key="hnte"):
    return reverse("api:policy-reserve", kwargs={"key": key})


@pytest.mark.parametrize("case", cases(MATRIX))
def test_permission_matrix(case, client):
    case.run(client)


def test_list_and_detail_describe_parameters():
    api = client_for(user_with_role(Roles.BUREAU))
    listing = api.get(reverse("api:policy-list")).json()
    keys = [row["key"] for row in listing["results"]]
    assert {"hnte", "tech_sme", "rd_post_subsidy", "zone_recognition"} <= set(keys)
    detail = api.get(reverse("api:policy-detail", kwargs={"key": "rd_post_subsidy"})).json()
    rate = next(p for p in detail["parameters"] if p["key"] == "rate")
    assert [h["from"] for h in rate["history"]] == ["2020-01-01", "2023-01-01"]
    assert detail["has_amount"] and detail["source"]
    assert api.get(reverse("api:policy-detail", kwargs={"key": "nope"})).status_code == 404
    expert = client_for(user_with_role(Roles.EXPERT))
    assert expert.get(reverse("api:policy-detail", kwargs={"key": "hnte"})).status_code == 403
    enterprise = client_for(user_with_role(Roles.ENTERPRISE))
    assert enterprise.get(reverse("api:policy-detail", kwargs={"key": "hnte"})).status_code == 200


def test_screen_rows_scope_and_filter(enterprises):
    api = client_for(user_with_role(Roles.BUREAU, division_code="340400"))
    response = api.get(_screen(), {"year": 2023})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    assert {row["name"] for row in body["results"]} == {"强科技有限公司", "弱研发有限公司"}
    weak = next(row for row in body["results"] if row["name"] == "弱研发有限公司")
    assert any(text.startswith("研发费用占比 2.9%") for text in weak["gaps"])
    only = api.get(_screen("tech_sme"), {"year": 2023, "eligible": "true"}).json()
    assert [row["name"] for row in only["results"]] == ["强科技有限公司"]
    assert api.get(_screen(), {"year": 2023, "division": "340102"}).status_code == 404
    assert api.get(_screen(), {"year": 2023, "division": "340421"}).json()["count"] == 2


def test_enterprise_user_gets_its_own_row(enterprises):
    api = client_for(user_with_role(Roles.ENTERPRISE, organization=enterprises["weak"]))
    body = api.get(_screen(), {"year": 2023}).json()
    assert [row["id"] for row in body["results"]] == [enterprises["weak"].pk]
    reserve = api.get(_reserve(), {"year": 2023}).json()
    assert [row["id"] for row in reserve] == [enterprises["weak"].pk]


def test_errors(enterprises):
    api = client_for(user_with_role(Roles.BUREAU))
    assert api.get(_screen(), {}).status_code == 400
    assert api.get(_screen(), {"year": "x"}).status_code == 400
    assert api.get(_screen("nope"), {"year": 2023}).status_code == 404
    zone = api.get(_screen("zone_recognition"), {"year": 2023})
    assert zone.status_code == 400 and zone.json()["code"] == "zone_policy"
    expert = client_for(user_with_role(Roles.EXPERT))
    assert expert.get(_screen(), {"year": 2023}).status_code == 403
    assert expert.get(_reserve(), {"year": 2023}).status_code == 403
    assert client_for().get(_screen(), {"year": 2023}).status_code in (401, 403)


def test_reserve(enterprises):
    api = client_for(user_with_role(Roles.ADMIN))
    rows = api.get(_reserve(), {"year": 2023, "limit": 2}).json()
    assert len(rows) == 2 and not any(row["eligible"] for row in rows)
    assert rows[0]["failed"] <= rows[1]["failed"]


def test_screen_query_count_does_not_grow(django_assert_max_num_queries):
    api = client_for(user_with_role(Roles.BUREAU, division_code="340400"))
    counts = []
    for more in (3, 30):
        for _ in range(more):
            enterprise_with_years(division_code="340421")
        with django_assert_max_num_queries(5) as captured:
            response = api.get(_screen(), {"year": 2023, "page_size": 100})
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert response.json()["count"] == 33
    assert counts[0] == counts[1]
