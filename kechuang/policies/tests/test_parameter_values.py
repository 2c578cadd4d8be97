"""A bureau's own parameter values: who may set them, their shape, the trial evaluation, the
layering of province → city → county values over the shipped ones, and their effect on screening."""

import datetime as dt
from decimal import Decimal

import pytest

from kechuang.core.exceptions import NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.models import AuditEvent
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import (
    EnterpriseYearFactory,
    QualificationFactory,
    ZoneFactory,
    user_with_role,
)
from kechuang.policies import selectors, services
from kechuang.policies.models import ParameterValue

from .conftest import FENGTAI
from .test_redemptions import POLICY, YEAR, raise_rd

pytestmark = pytest.mark.django_db
CITY, COUNTY, HEFEI = "340400", FENGTAI, "340100"


@pytest.fixture
def city(db):
    return user_with_role(Roles.BUREAU, division_code=CITY)


@pytest.fixture
def county(db):
    return user_with_role(Roles.BUREAU, division_code=COUNTY)


def set_rate(actor, rate, day="2023-01-01", **extra):
    return services.parameter_value_set(
        actor=actor,
        policy_key=POLICY,
        parameter="rate",
        effective_from=day,
        value=rate,
        reason="淮南市科技局文件",
        **extra,
    )


def amounts(user, year=YEAR, division=None):
    rows = selectors.screen(user=user, policy_key=POLICY, year=year, division=division)
    return {row["name"]: row["amount"] for row in rows if row["eligible"]}


@pytest.fixture
def subsidised(enterprises):
    """强科技 (凤台县, 淮南市) and 合肥远方 (瑶海区, 合肥市) each raised R&D by 100 万元 in 2023
    and hold tech_sme: 15 % (shipped for 2023) → 150,000 yuan each."""
    raise_rd(enterprises["strong"])
    raise_rd(enterprises["far"])
    QualificationFactory(organization=enterprises["far"], kind="tech_sme")
    return enterprises


def test_city_rate_changes_its_enterprises_and_not_others(subsidised, city):
    province = user_with_role(Roles.BUREAU, division_code="340000")
    hefei = user_with_role(Roles.BUREAU, division_code=HEFEI)
    assert amounts(city) == {"强科技有限公司": 150000}
    value = set_rate(city, 0.2)
    assert (value.division_code, value.created_by, value.value) == (CITY, city, 0.2)
    assert amounts(city) == {"强科技有限公司": 200000}
    assert amounts(hefei) == {"合肥远方有限公司": 150000}
    # The province screening reads the province's values (none): shipped rate for both.
    assert amounts(province) == {"强科技有限公司": 150000, "合肥远方有限公司": 150000}
    assert amounts(province, division="3404") == {"强科技有限公司": 200000}
    # The enterprise itself (its organization's division) and the command line (no user).
    enterprise = user_with_role(Roles.ENTERPRISE, organization=subsidised["strong"])
    assert amounts(enterprise) == {"强科技有限公司": 200000}
    assert amounts(None)["强科技有限公司"] == 150000
    assert amounts(None, division=COUNTY) == {"强科技有限公司": 200000}
    event = AuditEvent.objects.get(verb="parameter_value.set")
    assert event.data["to"] == 0.2 and event.data["from"] is None and event.actor == city


def test_county_value_overrides_the_city(subsidised, city, county):
    set_rate(city, 0.2)
    set_rate(county, 0.25)
    assert amounts(county) == {"强科技有限公司": 250000}
    assert amounts(city) == {"强科技有限公司": 200000}
    zone_staff = user_with_role(Roles.ZONE, zone=ZoneFactory(division_code=COUNTY))
    assert selectors.screening_division(zone_staff) == COUNTY
    params = selectors.parameters_for(POLICY, COUNTY)
    assert params.at("rate", dt.date(2023, 1, 1)) == 0.25
    assert params.at("rate", dt.date(2022, 1, 1)) == 0.10


def test_dated_switch_computes_both_years(subsidised, city):
    strong = subsidised["strong"]
    EnterpriseYearFactory(organization=strong, year=2024, rd_expense=Decimal("4600000.00"))
    QualificationFactory(
        organization=strong,
        kind="hnte",
        granted_on=dt.date(2023, 10, 1),
        valid_until=dt.date(2026, 9, 30),
    )
    set_rate(city, 0.3, day="2024-01-01")
    assert amounts(city, year=2023) == {"强科技有限公司": 150000}  # shipped 15 % in 2023
    assert amounts(city, year=2024) == {"强科技有限公司": 300000}  # the city's 30 % from 2024
    history = selectors.parameters_for(POLICY, CITY)["rate"].history
    assert [(d.isoformat(), v) for d, v in history] == [
        ("2020-01-01", 0.10),
        ("2023-01-01", 0.15),
        ("2024-01-01", 0.3),
    ]


def test_setting_again_changes_the_value_and_delete_restores(subsidised, city):
    set_rate(city, 0.2)
    set_rate(city, 0.18)
    assert ParameterValue.objects.get().value == 0.18
    assert amounts(city) == {"强科技有限公司": 180000}
    services.parameter_value_delete(
        actor=city,
        policy_key=POLICY,
        parameter="rate",
        effective_from="2023-01-01",
        reason="文件废止",
    )
    assert not ParameterValue.objects.exists()
    assert amounts(city) == {"强科技有限公司": 150000}
    record = ParameterValue.history.order_by("-history_id").first()
    assert record.history_type == "-" and record.history_user == city
    assert AuditEvent.objects.filter(verb="parameter_value.deleted").exists()
    with pytest.raises(NotInScope):
        services.parameter_value_delete(
            actor=city, policy_key=POLICY, parameter="rate", effective_from="2023-01-01", reason="x"
        )


def test_only_bureau_for_its_own_division(city, county):
    for role in (Roles.ZONE, Roles.ENTERPRISE, Roles.EXPERT):
        with pytest.raises(RoleNotAllowed):
            set_rate(user_with_role(role), 0.2)
    with pytest.raises(ValidationFailed) as lower:
        set_rate(city, 0.2, division_code=COUNTY)
    assert lower.value.code == "not_own_division"
    with pytest.raises(NotInScope):
        set_rate(county, 0.2, division_code=CITY)
    with pytest.raises(NotInScope):
        set_rate(city, 0.2, division_code=HEFEI)
    admin = user_with_role(Roles.ADMIN)
    with pytest.raises(ValidationFailed) as missing:
        set_rate(admin, 0.2)
    assert missing.value.field == "division_code"
    assert set_rate(admin, 0.2, division_code="34").division_code == "340000"
    assert not ParameterValue.objects.filter(division_code__in=[CITY, COUNTY]).exists()


@pytest.mark.parametrize(
    ("parameter", "value", "message"),
    [
        ("rate", 1.5, "应在 0–1 之间"),
        ("rate", -0.1, "应在 0–1 之间"),
        ("rate", "abc", "应为数字"),
        ("rate", None, "不能为空"),
        ("rate", True, "应为数字"),
        ("cap", -1, "不能为负数"),
        ("qualifications", [], "至少一项"),
        ("qualifications", ["hnte", "nope"], "未知的资质"),
        ("qualifications", ["hnte", "hnte"], "重复"),
        ("nope", 1, "没有参数"),
    ],
)
def test_rd_post_subsidy_values_are_checked(city, parameter, value, message):
    with pytest.raises(ValidationFailed, match=message):
        services.parameter_value_set(
            actor=city,
            policy_key=POLICY,
            parameter=parameter,
            effective_from="2024-01-01",
            value=value,
            reason="文件",
        )
    assert not ParameterValue.objects.exists()


@pytest.mark.parametrize(
    ("policy", "parameter", "value", "message"),
    [
        ("hnte", "rd_intensity", [[50000000, 0.05], [200000000, 0.04]], "应为 3 档"),
        ("hnte", "rd_intensity", [[200000000, 0.05], [50000000, 0.04], [None, 0.03]], "递增"),
        ("hnte", "rd_intensity", [[50000000, 0.05], [200000000, 0.04], [300000000, 0.03]], "null"),
        ("hnte", "rd_intensity", [[50000000, 5], [200000000, 0.04], [None, 0.03]], "比例"),
        ("hnte", "growth_bands", [[0.35, 10], [0.25, 8], [0.15, 6], [0.05, 4], [0, 2]], '">"'),
        (
            "hnte",
            "growth_bands",
            [[0.35, 10], [0.45, 8], [0.15, 6], [0.05, 4], [[">", 0], 2]],
            "递减",
        ),
        ("hnte", "min_registered_years", 1.5, "整数"),
        ("hnte", "min_innovation_score", 120, "0–100"),
        ("tech_sme", "staff_bands", "[[0.3, 20]]", "应为 5 档"),
        ("zone_recognition", "min_platforms", -3, "整数"),
    ],
)
def test_shapes_follow_the_shipped_value(city, policy, parameter, value, message):
    with pytest.raises(ValidationFailed, match=message):
        services.parameter_value_set(
            actor=city,
            policy_key=policy,
            parameter=parameter,
            effective_from="2024-01-01",
            value=value,
            reason="文件",
        )


def test_valid_shapes_are_stored_and_evaluated(city):
    bands = [[60000000, 0.045], [250000000, 0.035], [None, 0.025]]
    stored = services.parameter_value_set(
        actor=city,
        policy_key="hnte",
        parameter="rd_intensity",
        effective_from=dt.date(2024, 1, 1),
        value=bands,
        reason="试点",
    )
    assert stored.value == bands
    growth = [[0.4, 10], [0.3, 8], [0.2, 6], [0.1, 4], [[">", 0.01], 2]]
    services.parameter_value_set(
        actor=city,
        policy_key="hnte",
        parameter="growth_bands",
        effective_from="2024-01-01",
        value=growth,
        reason="试点",
    )
    budget = services.parameter_value_set(
        actor=city,
        policy_key=POLICY,
        parameter="budget",
        effective_from="2024-01-01",
        value=None,
        reason="不设总额",
    )
    assert budget.value is None
    platforms = services.parameter_value_set(
        actor=city,
        policy_key="zone_recognition",
        parameter="min_platforms",
        effective_from="2024-01-01",
        value="15",
        reason="本市标准",
    )
    assert platforms.value == 15
    params = selectors.parameters_for("hnte", CITY)
    assert params.at("rd_intensity", dt.date(2024, 1, 1)) == bands
    assert params.at("rd_intensity", dt.date(2023, 1, 1))[0] == [50000000, 0.05]


def test_date_and_reason_are_required(city):
    with pytest.raises(ValidationFailed) as early:
        set_rate(city, 0.2, day="2019-06-01")
    assert early.value.field == "effective_from" and "2020-01-01" in early.value.message
    with pytest.raises(ValidationFailed) as bad_day:
        set_rate(city, 0.2, day="2024-13-01")
    assert bad_day.value.field == "effective_from"
    with pytest.raises(ValidationFailed) as no_reason:
        services.parameter_value_set(
            actor=city,
            policy_key=POLICY,
            parameter="rate",
            effective_from="2024-01-01",
            value=0.2,
            reason="  ",
        )
    assert no_reason.value.field == "reason"


def test_trial_evaluation_refuses_what_the_formulas_cannot_use(city, monkeypatch):
    from kechuang.engines.rules import POLICIES

    policy = POLICIES[POLICY]
    formula = policy.variables["rd_post_subsidy.base_amount"].formula

    def broken(s, year):
        if s.param("rate", year) == 0.42:
            raise ZeroDivisionError("除数为 0")
        return formula(s, year)

    variable = policy.variables["rd_post_subsidy.base_amount"]
    monkeypatch.setitem(
        policy.variables,
        "rd_post_subsidy.base_amount",
        type(variable)(variable.key, variable.label, broken, variable.unit, "year", POLICY),
    )
    with pytest.raises(ValidationFailed) as failed:
        set_rate(city, 0.42, day="2024-07-01")
    assert failed.value.code == "trial_failed" and "2025" in failed.value.message
    assert not ParameterValue.objects.exists()
    assert set_rate(city, 0.41, day="2024-07-01").value == 0.41


def test_confirmation_and_application_use_the_division_values(subsidised, city):
    set_rate(city, 0.2)
    [proposed] = services.redemptions_confirm_screening(actor=city, policy_key=POLICY, year=YEAR)
    assert proposed.computed_amount == Decimal("200000")
    hefei = user_with_role(Roles.BUREAU, division_code=HEFEI)
    far = user_with_role(Roles.ENTERPRISE, organization=subsidised["far"])
    applied = services.redemption_apply(actor=far, policy_key=POLICY, year=YEAR)
    assert applied.computed_amount == Decimal("150000")  # 合肥: the shipped 15 %
    assert amounts(hefei) == {"合肥远方有限公司": 150000}
    reserve = selectors.reserve(user=city, policy_key=POLICY, year=YEAR)
    assert [row["name"] for row in reserve] == ["弱研发有限公司"]
