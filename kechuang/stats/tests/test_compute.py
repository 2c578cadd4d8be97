"""compute / compute_children on hand-made data: every measure, periods, scope, caching."""

import datetime as dt
from decimal import Decimal

import pytest

from kechuang.core.exceptions import NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import (
    OrganizationFactory,
    QualificationFactory,
    ZoneFactory,
    user_with_role,
)
from kechuang.orgs.models import Organization
from kechuang.stats import data
from kechuang.stats.models import Benchmark
from kechuang.stats.selectors import compute, compute_children, compute_series, indicator_catalog
from kechuang.stats.services import benchmark_update

pytestmark = pytest.mark.django_db


def values(**kwargs):
    kwargs.setdefault("user", None)
    return {v.indicator: v for v in compute(**kwargs)}


def test_counts_and_private_shares_of_a_city(region):
    got = values(
        division="340400",
        period="2023",
        indicators=["hnte_count", "hnte_private_count", "hnte_private_share", "enterprise_count"],
    )
    assert got["hnte_count"].value == 4
    assert got["hnte_private_count"].value == 3
    assert got["hnte_private_share"].value == Decimal("0.750000")
    assert got["hnte_private_share"].unit == "%"
    assert got["enterprise_count"].value == 4  # not the university, nor 瑶海区
    assert got["hnte_count"].division_name == "淮南市"
    assert got["hnte_count"].period_label == "2023 年"


def test_a_county_a_province_and_a_zone(region):
    county = values(division="340421", period="2023", indicators=["hnte_count"])
    province = values(division="340000", period="2023", indicators=["hnte_count"])
    zone = values(division="", zone=region["zone"].pk, period="2023", indicators=["hnte_count"])
    assert county["hnte_count"].value == 3
    assert province["hnte_count"].value == 5
    assert zone["hnte_count"].value == 1
    assert zone["hnte_count"].division == "" and zone["hnte_count"].zone == region["zone"].pk


def test_qualifications_count_on_the_periods_end_date(region):
    # The tech_sme certificate of one enterprise runs from 2023-03-01; the other is revoked.
    assert (
        values(division="340400", period="2023M02", indicators=["tech_sme_count"])[
            "tech_sme_count"
        ].value
        == 0
    )
    ytd = values(division="340400", period="2023YTD07", indicators=["tech_sme_count"])
    assert ytd["tech_sme_count"].value == 1
    assert ytd["tech_sme_count"].period_label == "2023 年 1—7 月"
    assert (
        values(division="340400", period="2024", indicators=["tech_sme_count"])[
            "tech_sme_count"
        ].value
        == 0
    )


def test_ratio_with_a_zero_denominator_and_growth_without_a_previous_year(region):
    county = values(
        division="340421", period="2023", indicators=["rd_intensity", "revenue_sum_yoy"]
    )
    assert county["rd_intensity"].value == Decimal("0.030000")  # 120 / 4000
    assert county["revenue_sum_yoy"].value == Decimal("1.000000")  # 4000 vs 2000
    shouxian = values(
        division="340422", period="2023", indicators=["rd_intensity", "revenue_sum_yoy"]
    )
    assert shouxian["rd_intensity"].value is None
    assert shouxian["rd_intensity"].note == "分母为 0"
    assert shouxian["revenue_sum_yoy"].value is None
    assert shouxian["revenue_sum_yoy"].note == "上年无数据"


def test_sums_are_exact_yuan(region):
    got = values(division="340400", period="2023", indicators=["revenue_sum", "rd_expense_sum"])
    assert got["revenue_sum"].value == Decimal("4000.00")
    assert got["rd_expense_sum"].value == Decimal("120.00")
    assert got["revenue_sum"].unit == "元"


def test_points_against_the_national_benchmark_and_the_province(region):
    got = values(
        division="340421",
        period="2023",
        indicators=["rd_intensity_vs_national", "rd_intensity_vs_province"],
    )
    # 3.00 % − 2.65 % = 0.35 points; the province: 145 / 4500 = 3.2222 %
    assert got["rd_intensity_vs_national"].value == Decimal("0.3500")
    assert got["rd_intensity_vs_national"].unit == "个百分点"
    against = got["rd_intensity_vs_national"].definition["measure"]["against"]
    assert against["year"] == 2023 and against["source"].startswith("国家统计局")
    assert got["rd_intensity_vs_province"].value == Decimal("-0.2222")


def test_the_benchmark_is_data(region, django_capture_on_commit_callbacks):
    benchmark = Benchmark.objects.get(key="national.rd_intensity", year=2023)
    benchmark_update(actor=None, benchmark=benchmark, value=Decimal("0.0300"))
    got = values(division="340421", period="2023", indicators=["rd_intensity_vs_national"])
    assert got["rd_intensity_vs_national"].value == Decimal("0.0000")
    # Before the first benchmark year there is nothing to compare with.
    early = values(division="340421", period="2022", indicators=["rd_intensity_vs_national"])
    assert early["rd_intensity_vs_national"].value is None
    assert early["rd_intensity_vs_national"].note == "无对比基准值"


def test_rank_among_siblings_with_ties(db):
    # Four counties of 淮南市 with 2, 1, 1, 0 high-tech enterprises: ranks 1, 2, 2, 4.
    for code, n in (("340402", 2), ("340403", 1), ("340404", 1), ("340405", 0)):
        for _ in range(n):
            QualificationFactory(organization=OrganizationFactory(division_code=code))
    children = compute_children(
        user=None, division="340400", period="2024", indicators=["hnte_count_rank"]
    )
    ranks = {v.division: v.value for v in children}
    assert ranks["340402"] == 1
    assert ranks["340403"] == ranks["340404"] == 2
    assert ranks["340405"] == 4
    assert {v.unit for v in children} == {"位"}


def test_children_of_a_city_are_its_counties(region):
    children = compute_children(
        user=None, division="340400", period="2023", indicators=["hnte_count"]
    )
    by_code = {v.division: v.value for v in children}
    assert by_code["340421"] == 3 and by_code["340422"] == 1
    assert set(by_code) >= {"340402", "340421", "340422"}
    assert all(code.startswith("3404") for code in by_code)


def test_yearly_facts_are_defined_for_whole_years_only(region):
    with pytest.raises(ValidationFailed) as excinfo:
        compute(user=None, division="340400", period="2023M07", indicators=["revenue_sum"])
    assert excinfo.value.code == "period_not_supported"
    # Asking for everything gives what applies to the period.
    monthly = values(division="340400", period="2023M07")
    assert "hnte_count" in monthly and "revenue_sum" not in monthly


def test_bad_requests(region):
    with pytest.raises(ValidationFailed):
        compute(user=None, division="340400", period="2023Q5")
    with pytest.raises(ValidationFailed):
        compute(user=None, division="340400", period="2023", indicators=["no_such"])
    with pytest.raises(ValidationFailed):
        compute(user=None, division="3404", period="2023")
    with pytest.raises(NotInScope):
        compute(user=None, division="999900", period="2023")


def test_scope_of_users(region):
    bureau = user_with_role(Roles.BUREAU)  # 淮南市
    assert values(user=bureau, division="340421", period="2023", indicators=["hnte_count"])
    with pytest.raises(NotInScope):
        compute(user=bureau, division="340100", period="2023")
    with pytest.raises(NotInScope):
        compute(user=bureau, division="340000", period="2023")
    zone_staff = user_with_role(Roles.ZONE, zone=region["zone"])
    got = values(user=zone_staff, division="", zone=region["zone"].pk, period="2023")
    assert got["hnte_count"].value == 1
    with pytest.raises(NotInScope):
        compute(user=zone_staff, division="340421", period="2023")
    with pytest.raises(NotInScope):
        compute(user=zone_staff, division="", zone=ZoneFactory().pk, period="2023")
    with pytest.raises(RoleNotAllowed):
        compute(user=user_with_role(Roles.ENTERPRISE), division="340421", period="2023")


def test_records_url_and_definition(region):
    got = values(division="340400", period="2023", indicators=["hnte_private_share"])
    share = got["hnte_private_share"]
    assert share.records_url == (
        "/stats/records/?indicator=hnte_private_count&period=2023&division=340400"
    )
    assert share.definition["measure"] == {
        "type": "share",
        "numerator": "hnte_private_count",
        "denominator": "hnte_count",
    }
    part = share.definition["inputs"]["hnte_private_count"]
    assert part["filters"] == {
        "all": [
            {"holds": "hnte", "on": "@period_end"},
            {"field": "ownership", "op": "eq", "value": "private"},
        ]
    }
    assert "2023-12-31" in part["filters_text"]


def test_new_records_are_seen(region):
    first = values(division="340421", period="2024", indicators=["enterprise_count"])
    OrganizationFactory(division_code="340421")
    second = values(division="340421", period="2024", indicators=["enterprise_count"])
    assert second["enterprise_count"].value == first["enterprise_count"].value + 1


def test_bulk_writes_without_signals_are_seen(region):
    before = values(division="340421", period="2024", indicators=["enterprise_count"])
    version = data.data_version()
    template = OrganizationFactory.build(division_code="340421")
    Organization.objects.bulk_create([template])
    assert data.data_version() == version  # no signal: the fingerprint notices
    after = values(division="340421", period="2024", indicators=["enterprise_count"])
    assert after["enterprise_count"].value == before["enterprise_count"].value + 1


def test_the_bundle_is_reused_while_nothing_changes(region, django_assert_max_num_queries):
    compute(user=None, division="340400", period="2023")
    # One query: the fingerprint (inside a transaction it is always checked).
    with django_assert_max_num_queries(1):
        compute(user=None, division="340400", period="2023")


def test_series_over_years(region):
    series = compute_series(
        user=None, division="340421", periods=["2022", "2023"], indicators=["revenue_sum"]
    )
    assert [(v.period, v.value) for v in series] == [
        ("2022", Decimal("2000.00")),
        ("2023", Decimal("4000.00")),
    ]


def test_catalog_lists_the_registry():
    catalog = {info.key: info for info in indicator_catalog()}
    required = {
        "leading_innovator_count",
        "hnte_count",
        "tech_sme_count",
        "gazelle_count",
        "little_giant_count",
        "leading_innovator_private_share",
        "hnte_private_share",
        "tech_sme_private_share",
        "hnte_count_yoy",
        "tech_sme_count_yoy",
        "platform_count",
        "platform_national_count",
        "platform_provincial_count",
        "platform_incubator_count",
        "rd_expense_sum",
        "revenue_sum",
        "rd_intensity",
        "rd_intensity_vs_national",
        "rd_intensity_rank",
        "rd_staff_sum",
        "invention_patents_sum",
        "above_scale_count",
        "enterprise_count",
    }
    assert required <= set(catalog)
    assert catalog["rd_intensity"].yearly_only and not catalog["hnte_count"].yearly_only


def test_platforms_count_what_exists_at_the_periods_end(region):
    in_2023 = values(division="340421", period="2023", indicators=["platform_count"])
    in_2024 = values(division="340421", period="2024", indicators=["platform_count"])
    assert in_2023["platform_count"].value == 1  # recognised 2024; revoked
    assert in_2024["platform_count"].value == 2


def test_the_bulletin_sentence_from_records(db):
    """全市现有 N 家创新型领军企业、M 家高企，民企占比分别达到 …: from imported-like records."""
    day = dt.date(2023, 1, 1)
    for i in range(4):
        org = OrganizationFactory(ownership="private" if i < 3 else "state")
        QualificationFactory(organization=org, kind="leading_innovator", granted_on=day)
        QualificationFactory(organization=org, kind="hnte", granted_on=day)
    for i in range(6):
        org = OrganizationFactory(ownership="private" if i < 6 else "state")
        QualificationFactory(organization=org, kind="hnte", granted_on=day)
    got = values(
        division="340400",
        period="2023YTD07",
        indicators=[
            "leading_innovator_count",
            "hnte_count",
            "leading_innovator_private_share",
            "hnte_private_share",
        ],
    )
    assert got["leading_innovator_count"].value == 4
    assert got["hnte_count"].value == 10
    assert got["leading_innovator_private_share"].value == Decimal("0.750000")
    assert got["hnte_private_share"].value == Decimal("0.900000")
