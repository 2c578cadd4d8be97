"""The engine's own behaviour: cycles, periods, dated parameters, inputs, allocation."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kechuang.engines.rules import (
    ENTERPRISE_STATIC,
    ENTERPRISE_YEARLY,
    POLICIES,
    ZONE,
    Condition,
    CycleError,
    Inputs,
    ParameterError,
    PeriodError,
    Policy,
    RulesError,
    Simulation,
    allocate,
    get_policy,
    parameters_from_mapping,
)

PARAMS = parameters_from_mapping(
    {
        "key": "toy",
        "label": "示例",
        "source": "示例〔2020〕1号",
        "parameters": {
            "rate": {
                "label": "比例",
                "unit": "ratio",
                "values": {"2020-01-01": 0.1, "2023-01-01": 0.2},
            }
        },
    }
)


def toy_inputs(n=3):
    return Inputs(
        np.arange(n), (2022, 2023), yearly={"revenue": np.arange(2 * n, dtype=float).reshape(2, n)}
    )


def test_self_dependency_names_the_cycle():
    toy = Policy("toy", "示例", "示例", PARAMS)

    @toy.variable("a", "甲")
    def a(s, year):
        return s("b", year) + 1

    @toy.variable("b", "乙")
    def b(s, year):
        return s("c", year)

    @toy.variable("c", "丙")
    def c(s, year):
        return s("a", year)

    with pytest.raises(CycleError) as caught:
        Simulation([toy], toy_inputs()).calculate("toy.a", 2023)
    assert str(caught.value) == "公式循环依赖：toy.a@2023 → toy.b@2023 → toy.c@2023 → toy.a@2023"


def test_dependency_on_another_period_is_not_a_cycle():
    toy = Policy("toy", "示例", "示例", PARAMS)

    @toy.variable("total", "累计")
    def total(s, year):
        if year == 2022:
            return s("revenue", year)
        return s("total", year - 1) + s("revenue", year)

    assert Simulation([toy], toy_inputs()).calculate("toy.total", 2023).tolist() == [3, 5, 7]


def test_parameters_follow_the_period():
    toy = Policy("toy", "示例", "示例", PARAMS)

    @toy.variable("due", "应付")
    def due(s, year):
        return s("revenue", year) * s.param("rate", year)

    simulation = Simulation([toy], toy_inputs())
    assert simulation.calculate("toy.due", 2022).tolist() == pytest.approx([0, 0.1, 0.2])
    assert simulation.calculate("toy.due", "2023").tolist() == pytest.approx([0.6, 0.8, 1.0])


def test_wrong_periods_are_errors_naming_the_variable():
    simulation = Simulation([get_policy("hnte")], toy_inputs())
    with pytest.raises(PeriodError, match="输入 revenue 按年度填报，不能按期间 2023-02 取值"):
        simulation.calculate("revenue", "2023-02")
    with pytest.raises(PeriodError, match="输入 revenue 没有 2021 年的数据"):
        simulation.calculate("revenue", 2021)
    with pytest.raises(PeriodError, match="无法识别的期间"):
        simulation.calculate("revenue", "2023-13")
    with pytest.raises(RulesError, match="未定义的变量或输入：hnte.nothing"):
        simulation.calculate("hnte.nothing", 2023)


def test_parameter_history_and_overrides():
    rate = PARAMS["rate"]
    assert rate.at(dt.date(2022, 12, 31)) == 0.1
    assert rate.at(dt.date(2023, 1, 1)) == 0.2
    with pytest.raises(ParameterError, match="尚未生效"):
        rate.at(dt.date(2019, 12, 31))
    changed = PARAMS.with_values({"rate": {"2024-01-01": 0.3}})
    assert [h["value"] for h in changed.describe()[0]["history"]] == [0.1, 0.2, 0.3]
    assert [h["value"] for h in PARAMS.describe()[0]["history"]] == [0.1, 0.2]
    with pytest.raises(ParameterError, match="没有参数 nope"):
        PARAMS.with_values({"nope": {"2024-01-01": 1}})


def test_every_policy_describes_itself():
    for policy in POLICIES.values():
        described = policy.describe()
        assert described["source"] and described["conditions"] and described["parameters"]
        for parameter in described["parameters"]:
            assert parameter["history"], parameter["key"]
    assert get_policy("hnte").describe()["source"] == "国科发火〔2016〕32号"
    with pytest.raises(RulesError, match="未知的政策"):
        get_policy("nope")


def test_inputs_are_checked():
    with pytest.raises(RulesError, match="形状"):
        Inputs(np.arange(2), (2022, 2023), yearly={"revenue": np.zeros((2, 3))})
    with pytest.raises(RulesError, match="连续"):
        Inputs(np.arange(2), (2021, 2023))
    zone_inputs = Inputs(np.arange(2), (2023,), entity=ZONE)
    with pytest.raises(RulesError, match="适用于 enterprise"):
        Simulation([get_policy("hnte")], zone_inputs)


def test_conditions_are_vectorised_with_gaps():
    records = [
        {"id": i, "years": {2023: {"employees": 100, "rd_staff": staff}}}
        for i, staff in enumerate((5, 10, 20))
    ]
    inputs = Inputs.from_records(
        records,
        (2021, 2022, 2023),
        yearly_fields=ENTERPRISE_YEARLY,
        static_fields=ENTERPRISE_STATIC,
    )
    result = get_policy("hnte").evaluate(inputs, 2023)
    condition = result.condition("rd_staff_share")
    assert isinstance(condition, Condition)
    assert condition.passed.tolist() == [False, True, True]
    assert condition.gap.tolist() == [5, 0, 0]
    assert condition.value.tolist() == [0.05, 0.1, 0.2]
    assert result.eligible.shape == (3,)
    assert result.failed[0] > result.failed[1]


@given(
    st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=50),
    st.integers(min_value=0, max_value=10**9),
)
def test_allocation_never_exceeds_budget_and_uses_it_exactly(amounts, budget):
    shares = allocate(amounts, budget)
    total = sum(amounts)
    if total <= budget:
        assert shares.tolist() == amounts
    else:
        assert int(shares.sum()) == budget
        assert all(0 <= s <= a for s, a in zip(shares.tolist(), amounts, strict=True))
        exact = [a * budget / total for a in amounts]
        assert all(abs(s - e) < 1 for s, e in zip(shares.tolist(), exact, strict=True))


def test_allocation_ties_go_to_the_earlier_entity():
    assert allocate([1, 1, 1], 2).tolist() == [1, 1, 0]
    assert allocate([10, 10, 10], 20).tolist() == [7, 7, 6]
    assert allocate([5, 5], None).tolist() == [5, 5]
    assert allocate([3 * 10**9, 10**9], 10**10 - 1).tolist() == [3 * 10**9, 10**9]
    assert int(allocate([4 * 10**9, 4 * 10**9], 2**62 // 10**9).sum()) == 2**62 // 10**9


def test_the_engine_does_not_import_django():
    import subprocess
    import sys

    code = (
        "import sys, kechuang.engines.rules as r; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
