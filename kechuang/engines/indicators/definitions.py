"""Indicator definitions: what is counted or summed, with which filters, and derived measures.

Base measures read one fact frame and are additive (so a county's values add up to its city's
and province's): :class:`Count` and :class:`Sum`. Derived measures combine other indicators:
:class:`Ratio` (and :class:`Share`), :class:`Growth` (against the same period a year earlier),
:class:`PointsDiff` (percentage points against a benchmark, a fixed region or an ancestor),
:class:`Rank` (among peer divisions: the children of the same parent) and :class:`RankChange`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Union

from .errors import IndicatorError
from .facts import MONEY, FactSchema
from .filters import Spec, check, describe, to_dict
from .periods import Period

# --- measures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """The number of records of the fact that pass the filters."""

    name = "count"


@dataclass(frozen=True)
class CountDistinct(Count):
    """The number of distinct non-null values of ``field`` (e.g. enterprises, where a record is
    one enterprise's benefit) among the records that pass the filters.

    Rolled up by adding the figures of the (division, zone) groups below, which is exact when a
    value lies in one group only: an enterprise is registered in one county and one zone.
    """

    field: str
    name = "count_distinct"


@dataclass(frozen=True)
class Sum:
    """The sum of ``field`` over the records that pass the filters (None when no record has
    a value, as SQL's SUM)."""

    field: str
    name = "sum"


@dataclass(frozen=True)
class Ratio:
    """``numerator / denominator`` (indicator keys); None when the denominator is 0."""

    numerator: str
    denominator: str
    name = "ratio"


@dataclass(frozen=True)
class Share(Ratio):
    """The part's share of the whole (民企占比 = 民营高企数 / 高企数)."""

    name = "share"


@dataclass(frozen=True)
class Growth:
    """Growth against the same period a year earlier: ``(now − before) / before``."""

    base: str
    name = "growth"


@dataclass(frozen=True)
class Benchmark:
    """A reference value kept as data (e.g. ``national.rd_intensity``), the latest year not
    after the period's year."""

    key: str


@dataclass(frozen=True)
class Region:
    """The value of one fixed division (6-digit code)."""

    code: str


@dataclass(frozen=True)
class Ancestor:
    """The value of the target's province (``province``) or parent division (``parent``)."""

    level: str = "province"


Against = Union[Benchmark, Region, Ancestor]  # noqa: UP007


@dataclass(frozen=True)
class PointsDiff:
    """``(value − reference) × 100`` in percentage points (高于全国 0.77 个百分点)."""

    base: str
    against: Against
    name = "points_diff"


@dataclass(frozen=True)
class Rank:
    """Rank among peers (1 = the highest unless ``descending`` is False); ties share the better
    rank and the next rank skips (1, 2, 2, 4)."""

    base: str
    descending: bool = True
    name = "rank"


@dataclass(frozen=True)
class RankChange:
    """Places gained since the same period a year earlier (rank before − rank now)."""

    rank: str
    name = "rank_change"


BASE_MEASURES = (Count, Sum)
Measure = Union[Count, CountDistinct, Sum, Ratio, Growth, PointsDiff, Rank, RankChange]  # noqa: UP007


def dependencies(measure: Measure) -> tuple[str, ...]:
    """Indicator keys a measure reads in the same period."""
    if isinstance(measure, Ratio):
        return (measure.numerator, measure.denominator)
    if isinstance(measure, Growth | PointsDiff | Rank):
        return (measure.base,)
    if isinstance(measure, RankChange):
        return (measure.rank,)
    return ()


def previous_dependencies(measure: Measure) -> tuple[str, ...]:
    """Indicator keys a measure reads in the same period a year earlier."""
    if isinstance(measure, Growth):
        return (measure.base,)
    if isinstance(measure, RankChange):
        return (measure.rank,)
    return ()


def measure_dict(measure: Measure) -> dict:
    data = {"type": measure.name}
    for name, value in vars(measure).items():
        if isinstance(value, Benchmark | Region | Ancestor):
            value = {"type": type(value).__name__.lower(), **vars(value)}
        data[name] = value
    return data


# --- indicators ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """A declared indicator. Base indicators name their ``fact`` and ``filters``; derived ones
    name other indicators in their measure. ``records`` names the indicator whose records stand
    behind the figure (by default itself for a base indicator, else its first dependency)."""

    key: str
    label: str
    unit: str
    measure: Measure
    fact: str | None = None
    filters: Spec | None = None
    description: str = ""
    version: int = 1
    by_division: bool = True
    by_zone: bool = True
    records: str | None = None

    @property
    def is_base(self) -> bool:
        return isinstance(self.measure, BASE_MEASURES)

    @property
    def records_key(self) -> str:
        if self.records:
            return self.records
        if self.is_base:
            return self.key
        return dependencies(self.measure)[0]


class IndicatorSet:
    """Indicators by key, checked against the fact schemas when added."""

    def __init__(self, schemas: Mapping[str, FactSchema], indicators: Iterable[Indicator] = ()):
        self.schemas = dict(schemas)
        self._items: dict[str, Indicator] = {}
        for indicator in indicators:
            self.add(indicator)

    def add(self, indicator: Indicator, *, replace: bool = False) -> Indicator:
        if indicator.key in self._items and not replace:
            raise IndicatorError(f"指标 {indicator.key} 已登记")
        if indicator.is_base:
            if indicator.fact not in self.schemas:
                raise IndicatorError(f"指标 {indicator.key} 的事实表未知：{indicator.fact}")
            schema = self.schemas[indicator.fact]
            check(indicator.filters, schema)
            if isinstance(indicator.measure, Sum | CountDistinct):
                schema.field(indicator.measure.field)
        else:
            for key in dependencies(indicator.measure):
                if key not in self._items:
                    raise IndicatorError(f"指标 {indicator.key} 依赖未登记的指标 {key}")
            if isinstance(indicator.measure, RankChange):
                rank = self._items[indicator.measure.rank]
                if not isinstance(rank.measure, Rank):
                    raise IndicatorError(f"指标 {indicator.key} 应依赖一个排名指标")
        self._items[indicator.key] = indicator
        return indicator

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[str]:
        return list(self._items)

    def get(self, key: str) -> Indicator:
        try:
            return self._items[key]
        except KeyError:
            raise IndicatorError(f"未知的指标：{key}") from None

    def closure(self, keys: Iterable[str]) -> list[str]:
        """``keys`` and what they read in the same period, dependencies first."""
        ordered: list[str] = []
        seen: set[str] = set()

        def visit(key: str) -> None:
            if key in seen:
                return
            seen.add(key)
            for dep in dependencies(self.get(key).measure):
                visit(dep)
            ordered.append(key)

        for key in keys:
            visit(key)
        return ordered

    def bases(self, key: str) -> list[Indicator]:
        return [self.get(k) for k in self.closure([key]) if self.get(k).is_base]

    def yearly_only(self, key: str) -> bool:
        """Read from yearly facts (EnterpriseYear …): defined for whole years only."""
        return any(self.schemas[b.fact].yearly for b in self.bases(key))

    def applies_to(self, key: str, period: Period) -> bool:
        return period.is_year or not self.yearly_only(key)

    def fact_of(self, key: str) -> str:
        """The fact whose records stand behind the figure."""
        indicator = self.get(self.get(key).records_key)
        return indicator.fact if indicator.is_base else self.fact_of(indicator.key)

    def scale(self, key: str) -> int:
        """Money sums are kept in fen: their table values are divided by 100."""
        indicator = self.get(key)
        if isinstance(indicator.measure, Sum):
            field = self.schemas[indicator.fact].field(indicator.measure.field)
            return 100 if field.kind == MONEY else 1
        return 1

    def definition(self, key: str, period: Period | None = None) -> dict:
        """How the figure is made, JSON-able: measure, fact, filters (and their words), version,
        and the definitions of what it reads."""
        indicator = self.get(key)
        data = {
            "key": indicator.key,
            "label": indicator.label,
            "unit": indicator.unit,
            "version": indicator.version,
            "measure": measure_dict(indicator.measure),
        }
        if indicator.description:
            data["description"] = indicator.description
        if indicator.is_base:
            schema = self.schemas[indicator.fact]
            data["fact"] = indicator.fact
            data["filters"] = to_dict(indicator.filters)
            data["filters_text"] = describe(indicator.filters, schema, period)
            if schema.yearly and period is not None:
                data["year"] = period.year
        else:
            data["inputs"] = {
                dep: self.definition(dep, period) for dep in dependencies(indicator.measure)
            }
        if period is not None:
            data["period"] = period.key
        return data
