"""``/api/v1/stats/``: fields, records links, scope (404), roles (403), errors (400); and the
permission matrix of the statistics list pages (records behind a figure, benchmarks)."""

import itertools
from decimal import Decimal

import pytest
from django.urls import reverse

from kechuang.core.scoping import Roles
from kechuang.core.testing import client_for
from kechuang.core.testing.factories import ZoneFactory, user_with_role
from kechuang.core.testing.matrix import MatrixSpec, cases
from kechuang.stats.models import Benchmark
from kechuang.stats.selectors import STATS_READERS

_numbers = itertools.count(1)


def _benchmark(place):
    return Benchmark.objects.create(
        key=f"test.{next(_numbers)}",
        label="测试基准",
        value=Decimal("0.01"),
        unit="%",
        year=2023,
        source="测试",
    )


MATRIX = [
    # The records behind a figure: without a division the page shows the user's own scope.
    MatrixSpec(
        name="stats-records",
        make=lambda place: place.organization,
        readers=STATS_READERS,
        ui_list="stats:record-list",
        narrow=lambda record: {"indicator": "enterprise_count", "period": "2023"},
    ),
    MatrixSpec(
        name="stats-benchmark",
        make=_benchmark,
        readers=STATS_READERS,
        ui_list="stats:benchmark-list",
        reference=True,
    ),
]

pytestmark = pytest.mark.django_db
STATS = reverse("api:stats")


@pytest.mark.parametrize("case", cases(MATRIX))
def test_permission_matrix(case, client):
    case.run(client)


def test_values_with_records_links(region):
    api = client_for(user_with_role(Roles.BUREAU))
    response = api.get(
        STATS, {"division": "340400", "period": "2023", "indicator": "hnte_count,rd_intensity"}
    )
    assert response.status_code == 200, response.content
    rows = response.json()
    assert [r["indicator"] for r in rows] == ["hnte_count", "rd_intensity"]
    hnte = rows[0]
    assert {"indicator", "label", "division", "period", "value", "unit", "records"} <= set(hnte)
    assert hnte["value"] == "4" and hnte["unit"] == "家"
    assert hnte["label"] == "高新技术企业数" and hnte["division_name"] == "淮南市"
    assert hnte["records"] == (
        "http://testserver/stats/records/?indicator=hnte_count&period=2023&division=340400"
    )
    assert hnte["definition"]["filters"] == {"holds": "hnte", "on": "@period_end"}
    assert rows[1]["value"] == "0.030000"  # 120 / 4000


def test_repeated_indicator_parameters_and_children(region):
    api = client_for(user_with_role(Roles.BUREAU))
    response = api.get(
        STATS,
        {"division": "340400", "period": "2023", "indicator": ["hnte_count"], "children": "true"},
    )
    assert response.status_code == 200, response.content
    by_code = {r["division"]: r["value"] for r in response.json()}
    assert by_code["340421"] == "3" and by_code["340422"] == "1"


def test_defaults_are_the_users_division_and_latest_year(region):
    api = client_for(user_with_role(Roles.BUREAU))
    rows = api.get(STATS, {"indicator": "hnte_count"}).json()
    assert rows[0]["division"] == "340400" and rows[0]["period"] == "2023"


def test_zone_staff_read_their_zone(region):
    staff = user_with_role(Roles.ZONE, zone=region["zone"])
    api = client_for(staff)
    rows = api.get(STATS, {"indicator": "hnte_count", "period": "2023"}).json()
    assert rows[0]["zone"] == region["zone"].pk and rows[0]["value"] == "1"
    assert rows[0]["records"].endswith(f"zone={region['zone'].pk}")
    other = ZoneFactory()
    assert api.get(STATS, {"zone": other.pk, "period": "2023"}).status_code == 404
    assert api.get(STATS, {"division": "340421", "period": "2023"}).status_code == 404


def test_out_of_scope_is_404_and_wrong_role_403(region):
    bureau = client_for(user_with_role(Roles.BUREAU))
    response = bureau.get(STATS, {"division": "340100", "period": "2023"})
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "未找到。"}
    assert bureau.get(STATS, {"division": "999900"}).status_code == 404
    for role in (Roles.ENTERPRISE, Roles.UNIVERSITY, Roles.EXPERT, Roles.PROVIDER):
        response = client_for(user_with_role(role)).get(STATS, {"division": "340400"})
        assert response.status_code == 403, role
    assert client_for().get(STATS).status_code in (401, 403)


def test_bad_parameters_are_400(region):
    api = client_for(user_with_role(Roles.ADMIN))
    bad = [
        {"division": "340400", "period": "2023Q9"},
        {"division": "34", "period": "2023"},
        {"division": "340400", "period": "2023", "indicator": "nope"},
        {"division": "340400", "period": "2023M07", "indicator": "revenue_sum"},
        {"division": "340400", "children": "true"},
    ]
    for params in bad:
        response = api.get(STATS, params)
        assert response.status_code == 400, (params, response.content)
        assert response.json()["code"] in ("invalid", "period_not_supported")


def test_catalog(region):
    api = client_for(user_with_role(Roles.ZONE))
    rows = api.get(reverse("api:stats-indicators")).json()
    keys = {r["key"]: r for r in rows}
    assert keys["rd_intensity"]["unit"] == "%" and keys["rd_intensity"]["yearly_only"]
    assert (
        client_for(user_with_role(Roles.ENTERPRISE))
        .get(reverse("api:stats-indicators"))
        .status_code
        == 403
    )


def test_the_schema_documents_the_endpoint(region):
    api = client_for(user_with_role(Roles.ADMIN))
    schema = api.get(reverse("api:schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/stats/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"division", "zone", "period", "indicator", "children"} <= names
