"""Every measure on hand-made data: counts, sums, shares, ratios with a zero denominator,
growth without a previous year, percentage points, ranks with ties, rank changes."""

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from kechuang.engines.indicators import (
    AllOf,
    Ancestor,
    Benchmark,
    BenchmarkValue,
    Cond,
    Count,
    CountDistinct,
    Evaluator,
    Facts,
    FactSchema,
    Field,
    Growth,
    Holds,
    Indicator,
    IndicatorError,
    IndicatorSet,
    PointsDiff,
    Rank,
    RankChange,
    Ratio,
    Region,
    Share,
    Sum,
    target_frame,
)

from .conftest import DIVISIONS, SCHEMAS, qualifications


def registry():
    items = IndicatorSet(SCHEMAS)
    items.add(Indicator("hnte", "高企数", "家", Count(), fact="orgs", filters=Holds("hnte")))
    private = Cond("ownership", "eq", "private")
    items.add(
        Indicator(
            "hnte_p",
            "民营高企数",
            "家",
            Count(),
            fact="orgs",
            filters=AllOf(Holds("hnte"), private),
        )
    )
    items.add(Indicator("share", "民企占比", "%", Share("hnte_p", "hnte")))
    items.add(Indicator("growth", "高企增长", "%", Growth("hnte")))
    items.add(Indicator("revenue", "营收", "元", Sum("revenue"), fact="years"))
    items.add(Indicator("rd", "研发", "元", Sum("rd"), fact="years"))
    items.add(Indicator("intensity", "研发投入强度", "%", Ratio("rd", "revenue")))
    items.add(Indicator("revenue_growth", "营收增长", "%", Growth("revenue")))
    items.add(
        Indicator("vs_nation", "与全国差", "个百分点", PointsDiff("intensity", Benchmark("nat")))
    )
    items.add(Indicator("vs_province", "与全省差", "个百分点", PointsDiff("intensity", Ancestor())))
    items.add(
        Indicator("vs_hefei", "与合肥差", "个百分点", PointsDiff("intensity", Region("340100")))
    )
    items.add(Indicator("rank", "强度排名", "位", Rank("intensity")))
    items.add(Indicator("rank_change", "排名变化", "位", RankChange("rank")))
    items.add(Indicator("hnte_rank", "高企排名", "位", Rank("hnte")))
    return items


@pytest.fixture
def evaluator(facts, targets):
    return Evaluator(
        registry(),
        facts,
        targets,
        {"nat": [BenchmarkValue("nat", 2022, 0.0250), BenchmarkValue("nat", 2023, 0.0265)]},
    )


def value(evaluator, key, target, period="2023"):
    (result,) = evaluator.values(period, [key], [target])
    return result


def test_counts_roll_up_from_county_to_city_and_province(evaluator):
    assert value(evaluator, "hnte", "340421").value == 2
    assert value(evaluator, "hnte", "340422").value == 1
    assert value(evaluator, "hnte", "340400").value == 3  # 340402: expired in 2022
    assert value(evaluator, "hnte", "340000").value == 3  # 340102: revoked
    assert value(evaluator, "hnte", "z7").value == 1
    assert value(evaluator, "hnte", "340100").value == 0


def test_share(evaluator):
    assert value(evaluator, "share", "340400").value == Decimal("0.666667")
    empty = value(evaluator, "share", "340100")
    assert (empty.value, empty.note) == (None, "分母为 0")


def test_sums_are_exact_and_missing_when_nothing_reported(evaluator):
    assert value(evaluator, "revenue", "340400").value == Decimal("4000.00")
    assert value(evaluator, "rd", "340102").value is None  # reported revenue, not R&D
    assert value(evaluator, "rd", "340102").note == "无数据"
    assert value(evaluator, "revenue", "340402").value is None


def test_ratio_with_zero_denominator(evaluator):
    assert value(evaluator, "intensity", "340421").value == Decimal("0.030000")
    zero = value(evaluator, "intensity", "340422")
    assert (zero.value, zero.note) == (None, "分母为 0")
    missing = value(evaluator, "intensity", "340102")
    assert (missing.value, missing.note) == (None, "无数据")


def test_growth_and_a_missing_previous_year(evaluator):
    assert value(evaluator, "revenue_growth", "340421").value == Decimal("1.000000")
    no_previous = value(evaluator, "revenue_growth", "340102")
    assert (no_previous.value, no_previous.note) == (None, "上年无数据")
    zero_before = value(evaluator, "revenue_growth", "340422")
    assert zero_before.value is None and zero_before.note.startswith("上年为 0")
    # Counts: 2022 had 1, 2, 5 → 340400: 3 then 3.
    assert value(evaluator, "growth", "340400").value == Decimal("0.000000")
    assert value(evaluator, "growth", "340422").note.startswith("上年为 0")


def test_points(evaluator):
    assert value(evaluator, "vs_nation", "340421").value == Decimal("0.3500")
    assert value(evaluator, "vs_nation", "340421", "2022").value == Decimal("-0.5000")  # 2% vs 2.5%
    assert value(evaluator, "vs_nation", "340421", "2021").note == "无数据"  # no 2021 facts
    # 340000: (50+70) / (1000+3000+500) = 2.6667 %
    assert value(evaluator, "vs_province", "340421").value == Decimal("0.3333")
    assert value(evaluator, "vs_province", "340000").value == Decimal("0.0000")
    assert value(evaluator, "vs_hefei", "340421").note == "无数据"


def test_rank_with_ties_and_rank_change(facts):
    orgs = pl.DataFrame(
        {
            "id": list(range(1, 8)),
            "division_code": ["340402", "340402", "340403", "340404", "340403", "340404", "340405"],
            "zone_id": [None] * 7,
            "ownership": ["private"] * 7,
            "above_scale": [False] * 7,
        }
    )
    day = dt.date(2020, 1, 1)
    # 2023: 340402 → 2, 340403 → 1, 340404 → 1, 340405 → 0 (ranks 1, 2, 2, 4)
    quals = qualifications(
        [(i, "hnte", "valid", day, dt.date(2030, 1, 1)) for i in (1, 2, 3, 4)]
        + [(7, "hnte", "valid", day, dt.date(2022, 12, 31))]
        + [(i, "hnte", "valid", day, dt.date(2022, 12, 31)) for i in (5, 6)]
    )
    indicators = registry()
    indicators.add(Indicator("hnte_rank_change", "高企排名变化", "位", RankChange("hnte_rank")))
    evaluator = Evaluator(
        indicators,
        Facts({"orgs": orgs, "years": facts.frame("years").clear()}, quals),
        target_frame(["340000", "340400", "340402", "340403", "340404", "340405"]),
    )
    table = evaluator.table("2023", ["hnte", "hnte_rank", "hnte_rank_change"])
    counties = table.filter(pl.col("level") == "county")
    assert dict(zip(counties["target"], counties["hnte_rank"], strict=True)) == {
        "340402": 1,
        "340403": 2,
        "340404": 2,
        "340405": 4,
    }
    # 2022: 2, 2, 2, 1 enterprises → ranks 1, 1, 1, 4; places gained = before − now.
    assert dict(zip(counties["target"], counties["hnte_rank_change"], strict=True)) == {
        "340402": 0,
        "340403": -1,
        "340404": -1,
        "340405": 0,
    }
    # The only city and the only province rank first among their peers.
    assert table.filter(pl.col("target") == "340400")["hnte_rank"].item() == 1
    first_year = evaluator.values("2021", ["hnte_rank_change"], ["340402"])[0]
    assert first_year.value == 0


def test_no_benchmark(facts, targets):
    evaluator = Evaluator(registry(), facts, targets, {})
    missing = value(evaluator, "vs_nation", "340421")
    assert (missing.value, missing.note) == (None, "无对比基准值")


def test_rank_change_of_intensity(evaluator):
    # 2022: 340421 2.00 % (340422: 0/0) → rank 1 of 1; 2023: 340421 3.00 % → rank 1.
    assert value(evaluator, "rank", "340421").value == 1
    assert value(evaluator, "rank_change", "340421").value == 0
    assert value(evaluator, "rank", "340422").note == "分母为 0"


def test_yearly_facts_need_whole_years(evaluator):
    with pytest.raises(IndicatorError, match="整年"):
        evaluator.table("2023Q1", ["revenue"])
    assert "revenue" not in evaluator.applicable("2023Q1")
    assert value(evaluator, "hnte", "340400", "2023YTD07").value == 2  # 3 from 2023-08-01
    assert value(evaluator, "hnte", "340400", "2023Q3").value == 3


def test_definitions_are_json_and_name_the_benchmark(evaluator):
    import json

    definition = evaluator.definition("vs_nation", "2023")
    json.dumps(definition)
    assert definition["measure"]["against"]["year"] == 2023
    assert definition["inputs"]["intensity"]["inputs"]["rd"]["fact"] == "years"


def test_registry_checks_definitions():
    items = IndicatorSet(SCHEMAS)
    with pytest.raises(IndicatorError):
        items.add(Indicator("x", "x", "家", Count(), fact="nope"))
    with pytest.raises(IndicatorError):
        items.add(Indicator("x", "x", "家", Count(), fact="orgs", filters=Cond("nope", "eq", 1)))
    with pytest.raises(IndicatorError):
        items.add(Indicator("y", "y", "%", Ratio("a", "b")))
    items.add(Indicator("x", "x", "家", Count(), fact="orgs"))
    with pytest.raises(IndicatorError):
        items.add(Indicator("x", "x", "家", Count(), fact="orgs"))


def test_the_engine_does_not_import_django():
    import subprocess
    import sys

    code = (
        "import sys, kechuang.engines.indicators as e; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_division_targets(targets):
    assert targets.filter(pl.col("target") == "340421")["peers"].item() == "340400"
    assert targets.filter(pl.col("target") == "z7")["peers"].item() == "z34"
    assert len(targets) == len(DIVISIONS) + 1


def test_count_distinct_counts_each_enterprise_once_per_group_and_rolls_up(targets):
    benefits = FactSchema(
        "benefits",
        "兑现",
        (
            Field("id", "记录", "int"),
            Field("org_id", "企业", "int"),
            Field("year", "年度", "int"),
            Field("division_code", "行政区划"),
            Field("zone_id", "园区", "int"),
            Field("policy", "政策"),
        ),
        org_key="org_id",
        yearly=True,
    )
    frame = pl.DataFrame(
        {
            "id": [1, 2, 3, 4, 5],
            "org_id": [1, 1, 2, 3, 3],
            "year": [2023, 2023, 2023, 2023, 2022],
            "division_code": ["340421", "340421", "340421", "340422", "340422"],
            "zone_id": [7, 7, None, None, None],
            "policy": ["hnte", "rd", "hnte", "hnte", "hnte"],
        }
    )
    items = IndicatorSet({"benefits": benefits})
    items.add(Indicator("times", "家次", "家次", Count(), fact="benefits"))
    items.add(Indicator("orgs", "家", "家", CountDistinct("org_id"), fact="benefits"))
    facts = Facts({"benefits": frame}, qualifications([]))
    evaluator = Evaluator(items, facts, targets)
    figures = {
        (r.key, r.target): r.value
        for r in evaluator.values("2023", ["times", "orgs"], ["340421", "340400", "z7", "340100"])
    }
    assert figures[("times", "340421")] == 3 and figures[("orgs", "340421")] == 2
    assert figures[("times", "340400")] == 4 and figures[("orgs", "340400")] == 3
    assert figures[("orgs", "z7")] == 1
    assert figures[("orgs", "340100")] == 0
    with pytest.raises(IndicatorError):
        items.add(Indicator("bad", "家", "家", CountDistinct("nope"), fact="benefits"))
