import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from kechuang.engines.indicators import (
    PERIOD_END,
    AllOf,
    AnyOf,
    Cond,
    Holds,
    IndicatorError,
    Not,
    Period,
    describe,
    from_dict,
    to_dict,
    to_polars,
)

from .conftest import ORGS, YEARS


def ids(facts, spec, period=None, schema=ORGS, frame="orgs", key="id"):
    period = period or Period(2023)
    selected = facts.frame(frame).filter(to_polars(spec, schema, period, facts))
    return sorted(selected.get_column(key).to_list())


def test_comparisons_treat_missing_values_as_false(facts):
    assert ids(facts, Cond("ownership", "eq", "private")) == [1, 3, 4]
    # ≠ is "not =": the organization without an ownership is included (as Django's ~Q).
    assert ids(facts, Cond("ownership", "ne", "private")) == [2, 5]
    assert ids(facts, Not(Cond("above_scale", "eq", True))) == [2, 4, 5]
    assert ids(facts, Cond("ownership", "isnull")) == [5]
    assert ids(facts, Cond("ownership", "in", ["state", "foreign"])) == [2]
    assert ids(facts, Cond("ownership", "in", [])) == []


def test_combinations(facts):
    private_or_big = AnyOf(Cond("ownership", "eq", "private"), Cond("above_scale", "eq", True))
    assert ids(facts, private_or_big) == [1, 3, 4]
    assert ids(facts, AllOf(private_or_big, Cond("zone_id", "notnull"))) == [1]
    assert ids(facts, AllOf()) == [1, 2, 3, 4, 5]


def test_holds_a_qualification_on_the_periods_end(facts):
    # 3 from 2023-08-01; 4 revoked; 5 until 2022-12-31.
    assert ids(facts, Holds("hnte"), Period(2023)) == [1, 2, 3]
    assert ids(facts, Holds("hnte"), Period(2023, "ytd", 7)) == [1, 2]
    assert ids(facts, Holds("hnte"), Period(2022)) == [1, 2, 5]
    assert ids(facts, Not(Holds("hnte")), Period(2023)) == [4, 5]
    assert ids(facts, Holds("tech_sme"), Period(2023)) == []


def test_money_values_are_yuan(facts):
    # revenue is stored in fen: 1,000 yuan = 100,000 fen
    years = ids(
        facts, Cond("revenue", "gte", Decimal("1000")), schema=YEARS, frame="years", key="org_id"
    )
    assert years == [1, 1, 2]
    with pytest.raises(IndicatorError):
        ids(facts, Cond("revenue", "gt", Decimal("0.001")), schema=YEARS, frame="years")


def test_period_tokens():
    frame = pl.DataFrame({"id": [1, 2, 3], "day": [dt.date(2023, 1, 5), dt.date(2023, 8, 1), None]})
    from kechuang.engines.indicators import DATE, Facts, FactSchema, Field

    schema = FactSchema("x", "x", (Field("id", "id", "int"), Field("day", "日期", DATE)))
    spec = AnyOf(Cond("day", "isnull"), Cond("day", "lte", PERIOD_END))
    selected = frame.filter(to_polars(spec, schema, Period(2023, "half", 1), Facts({"x": frame})))
    assert selected.get_column("id").to_list() == [1, 3]


def test_unknown_fields_and_ops_are_errors(facts):
    with pytest.raises(IndicatorError):
        ids(facts, Cond("nope", "eq", 1))
    with pytest.raises(IndicatorError):
        Cond("ownership", "like", "x")


def test_json_round_trip():
    spec = AllOf(
        Holds("hnte"),
        Not(Cond("division_code", "in", ["340421"])),
        AnyOf(Cond("revenue", "gt", Decimal("20000000.00")), Cond("revenue", "isnull")),
    )
    data = to_dict(spec)
    assert data["all"][0] == {"holds": "hnte", "on": PERIOD_END}
    assert data["all"][2]["any"][0] == {"field": "revenue", "op": "gt", "value": "20000000.00"}
    assert from_dict(data, YEARS) == spec


def test_words():
    spec = AllOf(Holds("hnte"), Cond("ownership", "eq", "private"))
    assert (
        describe(spec, ORGS, Period(2023))
        == "持有「高新技术企业」资质（2023-12-31 有效） 且 所有制 = 民营"
    )
    assert describe(None, ORGS) == "全部机构"
