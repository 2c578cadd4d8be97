"""Evaluation: every indicator for every target (division at each level, zone) of a period.

Base indicators of one fact are computed together in one pass over its frame: the rows are
grouped by (division code, zone) with every count and sum as one aggregation, and that small
result is rolled up by code prefix (county → city → province) and by zone. Derived measures are
then column operations on the (small) target table. Results are memoised per period, so a
dashboard asking twenty figures for eight years reads each frame once per year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from .definitions import (
    Ancestor,
    Benchmark,
    Count,
    CountDistinct,
    Growth,
    Indicator,
    IndicatorSet,
    PointsDiff,
    Rank,
    RankChange,
    Ratio,
    Region,
    Sum,
    dependencies,
    previous_dependencies,
)
from .errors import IndicatorError
from .facts import DIVISION, YEAR_COLUMN, ZONE, Facts, with_prefixes
from .filters import period_dependent, to_polars
from .periods import Period, parse_period

PROVINCE, CITY, COUNTY, ZONE_LEVEL = "province", "city", "county", "zone"
LEVEL_PREFIX = {PROVINCE: "_p2", CITY: "_p4", COUNTY: "_p6"}
NOTE_NO_DATA = "无数据"
NOTE_ZERO = "分母为 0"
NOTE_NO_PREVIOUS = "上年无数据"
NOTE_PREVIOUS_ZERO = "上年为 0，无法计算增长"
NOTE_NO_BENCHMARK = "无对比基准值"
NOTE_NO_RANK = "无可比数据"
NOTE_NO_PREVIOUS_RANK = "上年无排名"
NOTE_NOT_BY_ZONE = "该指标不按园区统计"
NOTE_NOT_BY_DIVISION = "该指标不按行政区划统计"
# Decimal places of the values handed out: ratios 0.032100 (= 3.21 %), points 0.7700.
PLACES = {"ratio": 6, "points": 4}


@dataclass(frozen=True)
class BenchmarkValue:
    key: str
    year: int
    value: float
    label: str = ""
    source: str = ""


def division_level(code: str) -> str:
    if code.endswith("0000"):
        return PROVINCE
    if code.endswith("00"):
        return CITY
    return COUNTY


def division_parent(code: str) -> str:
    """The code of the parent division ("" for a province)."""
    level = division_level(code)
    if level == PROVINCE:
        return ""
    if level == CITY:
        return code[:2] + "0000"
    return code[:4] + "00"


def target_frame(
    divisions: Iterable[str], zones: Mapping[int, str] | None = None, *, parents=None
) -> pl.DataFrame:
    """The targets of an evaluation: divisions (6-digit codes) and zones (id → host code).

    Columns: ``target`` (the code, or ``z<id>`` for a zone), ``level``, ``prefix`` (the code
    prefix its records share), ``peers`` (the group it is ranked in: the parent's code, or
    ``z<province>`` for zones), ``zone`` and ``province`` (the province code it lies in).
    ``parents`` may map a code to its parent when the tree is not the plain code arithmetic.
    """
    rows = []
    for code in sorted(set(divisions)):
        level = division_level(code)
        parent = (parents or {}).get(code, division_parent(code))
        prefix = {PROVINCE: code[:2], CITY: code[:4], COUNTY: code}[level]
        rows.append((code, level, prefix, parent, None, code[:2] + "0000"))
    for zone_id, host in sorted((zones or {}).items()):
        rows.append((f"z{zone_id}", ZONE_LEVEL, None, f"z{host[:2]}", zone_id, host[:2] + "0000"))
    return pl.DataFrame(
        rows,
        schema={
            "target": pl.Utf8,
            "level": pl.Utf8,
            "prefix": pl.Utf8,
            "peers": pl.Utf8,
            "zone": pl.Int64,
            "province": pl.Utf8,
        },
        orient="row",
    )


@dataclass(frozen=True)
class Result:
    key: str
    target: str
    period: str
    value: Decimal | None
    note: str = ""


def _note(value_col: str) -> str:
    return f"{value_col}__note"


class Evaluator:
    """Evaluates an :class:`IndicatorSet` over :class:`Facts` for a fixed set of targets."""

    def __init__(
        self,
        indicators: IndicatorSet,
        facts: Facts,
        targets: pl.DataFrame,
        benchmarks: Mapping[str, Iterable[BenchmarkValue]] | None = None,
    ):
        self.indicators = indicators
        self.facts = facts
        self.targets = targets
        self.benchmarks = {
            k: sorted(v, key=lambda b: b.year) for k, v in (benchmarks or {}).items()
        }
        for name, schema in indicators.schemas.items():
            if name in facts.frames:
                schema.check_frame(facts.frames[name])
        self._columns: dict[tuple[str, str], tuple[pl.Series, pl.Series]] = {}
        self._row: dict[str, int] = {t: i for i, t in enumerate(targets.get_column("target"))}

    # --- public ------------------------------------------------------------------------------

    def applicable(self, period: Period | str, keys: Iterable[str] | None = None) -> list[str]:
        period = parse_period(period)
        keys = self.indicators.keys() if keys is None else list(keys)
        return [k for k in keys if self.indicators.applies_to(k, period)]

    def table(self, period: Period | str, keys: Iterable[str] | None = None) -> pl.DataFrame:
        """The targets frame with, per indicator, its value and a ``<key>__note`` column.

        ``keys=None`` evaluates every indicator that applies to the period; naming an
        indicator of yearly facts with a shorter period is an error.
        """
        period = parse_period(period)
        if keys is None:
            keys = self.applicable(period)
        keys = list(keys)
        self._check_period(period, keys)
        self._ensure(period, keys)
        columns = []
        for key in keys:
            value, note = self._columns[(period.key, key)]
            columns += [value.alias(key), note.alias(_note(key))]
        return self.targets.with_columns(columns)

    def values(
        self, period: Period | str, keys: Iterable[str] | None, targets: Iterable[str]
    ) -> list[Result]:
        """Results for the given targets (codes or ``z<id>``), as Decimals."""
        period = parse_period(period)
        keys = self.applicable(period) if keys is None else list(keys)
        self._check_period(period, keys)
        self._ensure(period, keys)
        results = []
        for target in targets:
            row = self._row.get(target)
            if row is None:
                raise IndicatorError(f"未知的统计对象：{target}")
            for key in keys:
                value, note = self._columns[(period.key, key)]
                results.append(
                    Result(
                        key, target, period.key, self.to_decimal(key, value[row]), note[row] or ""
                    )
                )
        return results

    def to_decimal(self, key: str, value: Any) -> Decimal | None:
        if value is None:
            return None
        indicator = self.indicators.get(key)
        measure = indicator.measure
        if isinstance(measure, Count | Rank | RankChange):
            return Decimal(int(value))
        if isinstance(measure, Sum):
            places = len(str(self.indicators.scale(key))) - 1  # fen: 2 places of yuan
            return Decimal(int(value)).scaleb(-places)
        places = PLACES["points"] if isinstance(measure, PointsDiff) else PLACES["ratio"]
        return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places))

    def benchmark(self, key: str, year: int) -> BenchmarkValue | None:
        """The benchmark of the latest year not after ``year``."""
        found = None
        for item in self.benchmarks.get(key, ()):
            if item.year <= year:
                found = item
        return found

    def definition(self, key: str, period: Period | str) -> dict:
        period = parse_period(period)
        data = self.indicators.definition(key, period)
        self._annotate_benchmarks(data, period)
        return data

    # --- evaluation --------------------------------------------------------------------------

    def _check_period(self, period: Period, keys: list[str]) -> None:
        for key in keys:
            if not self.indicators.applies_to(key, period):
                label = self.indicators.get(key).label
                raise IndicatorError(
                    f"「{label}」来自年度数据，只能按整年统计（期间 {period.key} 不是整年）"
                )

    def prepare(self, periods: Iterable[Period | str], keys: Iterable[str] | None = None) -> None:
        """Evaluate ``keys`` (every applicable one when None) for several periods at once: one
        pass over each fact frame for all of them, then the derived measures."""
        plan: dict[str, tuple[Period, list[str]]] = {}
        for period in map(parse_period, periods):
            wanted = self.applicable(period) if keys is None else list(keys)
            self._check_period(period, wanted)
            self._plan(period, wanted, plan)
        self._run(plan)

    def _ensure(self, period: Period, keys: list[str]) -> None:
        plan: dict[str, tuple[Period, list[str]]] = {}
        self._plan(period, keys, plan)
        self._run(plan)

    def _plan(self, period: Period, keys: list[str], plan: dict) -> None:
        """Add to ``plan`` what ``keys`` need in ``period`` and in the year before (growth, rank
        changes), skipping what is memoised."""
        missing = [k for k in self.indicators.closure(keys) if (period.key, k) not in self._columns]
        if not missing:
            return
        entry = plan.setdefault(period.key, (period, []))
        entry[1].extend(k for k in missing if k not in entry[1])
        before = [
            dep
            for key in missing
            for dep in previous_dependencies(self.indicators.get(key).measure)
        ]
        if before:
            self._plan(period.previous_year(), before, plan)

    def _run(self, plan: dict[str, tuple[Period, list[str]]]) -> None:
        bases = [
            (period, self.indicators.get(key))
            for period, keys in plan.values()
            for key in keys
            if self.indicators.get(key).is_base and (period.key, key) not in self._columns
        ]
        if bases:
            self._evaluate_bases(bases)
        # Earlier periods first: a growth reads the year before.
        for period, keys in sorted(plan.values(), key=lambda entry: entry[0]):
            for key in self.indicators.closure(keys):
                if (period.key, key) not in self._columns:
                    indicator = self.indicators.get(key)
                    self._columns[(period.key, key)] = self._derive(period, indicator)

    def _evaluate_bases(self, pairs: list[tuple[Period, Indicator]]) -> None:
        """One query per fact for every (period, indicator) pair, run together."""
        by_fact: dict[str, list[tuple[Period, Indicator]]] = {}
        for pair in pairs:
            by_fact.setdefault(pair[1].fact, []).append(pair)
        queries, jobs = [], []
        for fact, items in by_fact.items():
            query, by_year, columns = self._group_query(fact, items)
            queries.append(self._rolled(query, [YEAR_COLUMN] if by_year else [], columns))
            jobs.append((items, by_year))
        for rolled, (items, by_year) in zip(pl.collect_all(queries), jobs, strict=True):
            if by_year:
                for year in sorted({period.year for period, _ in items}):
                    part = rolled.filter(pl.col(YEAR_COLUMN) == year).drop(YEAR_COLUMN)
                    chosen = [(p, i) for p, i in items if p.year == year]
                    self._store(part, chosen, lambda period, key: key)
            else:
                self._store(rolled, items, lambda period, key: f"{key}|{period.key}")

    def _group_query(self, fact: str, items: list[tuple[Period, Indicator]]):
        """(lazy query grouped by division and zone, grouped by year too, value columns).

        Yearly facts whose filters do not depend on the period are grouped by year as well (one
        aggregation per indicator); otherwise there is one aggregation per (indicator, period).
        Each distinct filter is computed once, as a boolean column, before grouping.
        """
        schema = self.indicators.schemas[fact]
        frame = self.facts.frame(fact).lazy()
        by_year = schema.yearly and not any(
            period_dependent(indicator.filters) for _, indicator in items
        )
        conditions: dict[tuple, tuple[str, pl.Expr]] = {}

        def condition(spec, period, year) -> pl.Expr | None:
            if spec is None and year is None:
                return None
            key = (spec, period.key if period_dependent(spec) else None, year)
            if key not in conditions:
                expr = to_polars(spec, schema, period, self.facts)
                if year is not None:
                    expr = expr & (pl.col(YEAR_COLUMN) == year)
                conditions[key] = (f"_c{len(conditions)}", expr)
            return pl.col(conditions[key][0])

        aggs: list[pl.Expr] = []
        if by_year:
            years = sorted({period.year for period, _ in items})
            frame = frame.filter(pl.col(YEAR_COLUMN).is_in(years))
            unique = {indicator.key: (items[0][0], indicator) for _, indicator in items}
            for period, indicator in unique.values():
                test = condition(indicator.filters, period, None)
                aggs += self._aggregations(indicator, test, indicator.key)
            keys = [YEAR_COLUMN, DIVISION, ZONE]
        else:
            for period, indicator in items:
                year = period.year if schema.yearly else None
                test = condition(indicator.filters, period, year)
                aggs += self._aggregations(indicator, test, f"{indicator.key}|{period.key}")
            keys = [DIVISION, ZONE]
        if conditions:
            frame = frame.with_columns([expr.alias(name) for name, expr in conditions.values()])
        columns = [expr.meta.output_name() for expr in aggs]
        return frame.group_by(keys).agg(aggs), by_year, columns

    @staticmethod
    def _aggregations(indicator: Indicator, test: pl.Expr | None, name: str) -> list[pl.Expr]:
        if isinstance(indicator.measure, CountDistinct):
            column = pl.col(indicator.measure.field)
            column = column if test is None else column.filter(test)
            return [column.drop_nulls().n_unique().cast(pl.Int64).alias(name)]
        if isinstance(indicator.measure, Count):
            count = pl.len() if test is None else test.sum()
            return [count.cast(pl.Int64).alias(name)]
        column = pl.col(indicator.measure.field)
        if test is not None:
            column = column.filter(test)
        return [
            column.sum().cast(pl.Int64).alias(name),
            column.count().cast(pl.Int64).alias(f"{name}__n"),
        ]

    @staticmethod
    def _rolled(query: pl.LazyFrame, extra: list[str], columns: list[str]) -> pl.LazyFrame:
        """(division code, zone) groups rolled up to every county, city, province and zone:
        ``target`` is the division's code or ``z<zone id>``."""
        grouped = with_prefixes(query)
        parts = [
            grouped.filter(pl.col(prefix).is_not_null())
            .group_by([*extra, prefix])
            .agg(pl.col(columns).sum())
            .select(*extra, (pl.col(prefix) + pl.lit(pad)).alias("target"), *columns)
            for prefix, pad in (("_p2", "0000"), ("_p4", "00"), ("_p6", ""))
        ]
        parts.append(
            grouped.filter(pl.col(ZONE).is_not_null())
            .group_by([*extra, ZONE])
            .agg(pl.col(columns).sum())
            .select(*extra, ("z" + pl.col(ZONE).cast(pl.Utf8)).alias("target"), *columns)
        )
        return pl.concat(parts, how="vertical_relaxed")

    def _store(self, rolled: pl.DataFrame, items, column_of) -> None:
        """Align rolled values with the targets and keep one (value, note) per pair."""
        joined = self.targets.select("target").join(
            rolled, on="target", how="left", maintain_order="left"
        )
        exprs, names = [], []
        for period, indicator in items:
            column = column_of(period, indicator.key)
            names.append((period, indicator, column))
            if isinstance(indicator.measure, Count):
                exprs.append(pl.col(column).fill_null(0).alias(column))
            else:
                missing = pl.col(f"{column}__n").fill_null(0) == 0
                exprs.append(pl.when(missing).then(None).otherwise(pl.col(column)).alias(column))
                exprs.append(
                    pl.when(missing)
                    .then(pl.lit(NOTE_NO_DATA))
                    .otherwise(pl.lit(""))
                    .alias(f"{column}__note")
                )
        values = joined.select(exprs)
        empty = pl.Series([""] * len(values), dtype=pl.Utf8)
        for period, indicator, column in names:
            note = values[f"{column}__note"] if f"{column}__note" in values.columns else empty
            self._columns[(period.key, indicator.key)] = self._restrict(
                indicator, values[column], note
            )

    def _restrict(self, indicator: Indicator, value: pl.Series, note: pl.Series):
        """Blank the targets an indicator is not kept for (``by_zone`` / ``by_division``)."""
        if indicator.by_zone and indicator.by_division:
            return value, note
        is_zone = pl.col("level") == ZONE_LEVEL
        blank = pl.lit(False)
        if not indicator.by_zone:
            blank = blank | is_zone
        if not indicator.by_division:
            blank = blank | ~is_zone
        text = (
            pl.when(is_zone).then(pl.lit(NOTE_NOT_BY_ZONE)).otherwise(pl.lit(NOTE_NOT_BY_DIVISION))
        )
        df = (
            self.targets.select("level")
            .with_columns(v=value, n=note)
            .select(
                pl.when(blank).then(None).otherwise(pl.col("v")).alias("value"),
                pl.when(blank).then(text).otherwise(pl.col("n")).alias("note"),
            )
        )
        return df["value"], df["note"]

    # --- derived measures --------------------------------------------------------------------

    def _get(self, period: Period, key: str) -> tuple[pl.Series, pl.Series]:
        if (period.key, key) not in self._columns:
            self._ensure(period, [key])
        return self._columns[(period.key, key)]

    def _derive(self, period: Period, indicator: Indicator) -> tuple[pl.Series, pl.Series]:
        measure = indicator.measure
        if isinstance(measure, Ratio):
            return self._ratio(period, measure)
        if isinstance(measure, Growth):
            return self._growth(period, measure)
        if isinstance(measure, PointsDiff):
            return self._points(period, measure)
        if isinstance(measure, Rank):
            return self._rank(period, measure)
        if isinstance(measure, RankChange):
            return self._rank_change(period, measure)
        raise IndicatorError(f"无法计算的度量：{measure!r}")

    def _float(self, period: Period, key: str) -> tuple[pl.Series, pl.Series]:
        value, note = self._get(period, key)
        scale = self.indicators.scale(key)
        value = value.cast(pl.Float64)
        return (value / scale if scale != 1 else value), note

    def _frame(self, **columns: pl.Series) -> pl.DataFrame:
        return pl.DataFrame({name: series for name, series in columns.items()})

    def _ratio(self, period: Period, measure: Ratio):
        num, num_note = self._float(period, measure.numerator)
        den, den_note = self._float(period, measure.denominator)
        df = self._frame(num=num, den=den, nn=num_note, dn=den_note).select(
            pl.when(pl.col("num").is_null() | pl.col("den").is_null() | (pl.col("den") == 0))
            .then(None)
            .otherwise(pl.col("num") / pl.col("den"))
            .alias("value"),
            pl.when(pl.col("den").is_null())
            .then(pl.col("dn").replace("", NOTE_NO_DATA))
            .when(pl.col("den") == 0)
            .then(pl.lit(NOTE_ZERO))
            .when(pl.col("num").is_null())
            .then(pl.col("nn").replace("", NOTE_NO_DATA))
            .otherwise(pl.lit(""))
            .alias("note"),
        )
        return df["value"], df["note"]

    def _growth(self, period: Period, measure: Growth):
        now, now_note = self._float(period, measure.base)
        before, _ = self._float(period.previous_year(), measure.base)
        df = self._frame(now=now, before=before, nn=now_note).select(
            pl.when(pl.col("now").is_null() | pl.col("before").is_null() | (pl.col("before") == 0))
            .then(None)
            .otherwise((pl.col("now") - pl.col("before")) / pl.col("before"))
            .alias("value"),
            pl.when(pl.col("now").is_null())
            .then(pl.col("nn").replace("", NOTE_NO_DATA))
            .when(pl.col("before").is_null())
            .then(pl.lit(NOTE_NO_PREVIOUS))
            .when(pl.col("before") == 0)
            .then(pl.lit(NOTE_PREVIOUS_ZERO))
            .otherwise(pl.lit(""))
            .alias("note"),
        )
        return df["value"], df["note"]

    def _reference(self, period: Period, measure: PointsDiff) -> tuple[pl.Series, str]:
        """The reference value for every target, and the note when it is missing."""
        against = measure.against
        n = len(self.targets)
        if isinstance(against, Benchmark):
            found = self.benchmark(against.key, period.year)
            value = None if found is None else float(found.value)
            return pl.Series([value] * n, dtype=pl.Float64), NOTE_NO_BENCHMARK
        base, _ = self._float(period, measure.base)
        if isinstance(against, Region):
            row = self._row.get(against.code)
            value = None if row is None else base[row]
            return pl.Series([value] * n, dtype=pl.Float64), NOTE_NO_DATA
        if isinstance(against, Ancestor):
            column = "province" if against.level == "province" else "peers"
            rows = [self._row.get(code) for code in self.targets.get_column(column)]
            values = [None if r is None else base[r] for r in rows]
            return pl.Series(values, dtype=pl.Float64), NOTE_NO_DATA
        raise IndicatorError(f"无法识别的对比对象：{against!r}")

    def _points(self, period: Period, measure: PointsDiff):
        value, note = self._float(period, measure.base)
        reference, missing = self._reference(period, measure)
        df = self._frame(v=value, r=reference, n=note).select(
            ((pl.col("v") - pl.col("r")) * 100).alias("value"),
            pl.when(pl.col("v").is_null())
            .then(pl.col("n").replace("", NOTE_NO_DATA))
            .when(pl.col("r").is_null())
            .then(pl.lit(missing))
            .otherwise(pl.lit(""))
            .alias("note"),
        )
        return df["value"], df["note"]

    def _rank(self, period: Period, measure: Rank):
        value, note = self._float(period, measure.base)
        df = self.targets.select("peers").with_columns(v=value, n=note)
        df = df.select(
            pl.col("v")
            .rank("min", descending=measure.descending)
            .over("peers")
            .cast(pl.Int64)
            .alias("value"),
            pl.when(pl.col("v").is_null())
            .then(pl.col("n").replace("", NOTE_NO_RANK))
            .otherwise(pl.lit(""))
            .alias("note"),
        )
        return df["value"], df["note"]

    def _rank_change(self, period: Period, measure: RankChange):
        now, now_note = self._get(period, measure.rank)
        before, _ = self._get(period.previous_year(), measure.rank)
        df = self._frame(now=now, before=before, n=now_note).select(
            (pl.col("before") - pl.col("now")).alias("value"),
            pl.when(pl.col("now").is_null())
            .then(pl.col("n").replace("", NOTE_NO_RANK))
            .when(pl.col("before").is_null())
            .then(pl.lit(NOTE_NO_PREVIOUS_RANK))
            .otherwise(pl.lit(""))
            .alias("note"),
        )
        return df["value"], df["note"]

    def _annotate_benchmarks(self, data: dict, period: Period) -> None:
        measure = data.get("measure", {})
        against = measure.get("against")
        if isinstance(against, dict) and against.get("type") == "benchmark":
            found = self.benchmark(against["key"], period.year)
            if found is not None:
                against.update(
                    year=found.year, value=found.value, label=found.label, source=found.source
                )
        for child in data.get("inputs", {}).values():
            self._annotate_benchmarks(child, period)


__all__ = ["Evaluator", "Result", "BenchmarkValue", "target_frame", "dependencies"]
