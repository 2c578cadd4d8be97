"""Fact tables: what columns a fact frame has, and the frames themselves.

A fact frame is a polars DataFrame with one row per record (an organization, a yearly report, a
platform). Every frame carries ``division_code`` (6-digit GB/T 2260 code, county level) and
``zone_id`` (nullable); a yearly fact also carries ``year``. Money is stored as integer fen
(``Int64``) so that sums are exact; filter values and results are in yuan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from .errors import IndicatorError

STR, INT, MONEY, BOOL, DATE = "str", "int", "money", "bool", "date"
FIELD_KINDS = (STR, INT, MONEY, BOOL, DATE)
POLARS_TYPES = {STR: pl.Utf8, INT: pl.Int64, MONEY: pl.Int64, BOOL: pl.Boolean, DATE: pl.Date}
DIVISION, ZONE, YEAR_COLUMN = "division_code", "zone_id", "year"


@dataclass(frozen=True)
class Field:
    """One column of a fact: name, Chinese label, kind and (for codes) the labels of values."""

    name: str
    label: str
    kind: str = STR
    choices: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if self.kind not in FIELD_KINDS:
            raise IndicatorError(f"未知的字段类型：{self.kind}")

    def value_label(self, value) -> str:
        if self.kind == BOOL:
            return "是" if value else "否"
        return str(self.choices.get(value, value))


@dataclass(frozen=True)
class FactSchema:
    """A fact table: its name, label, columns, and where the organization id lives.

    ``org_key`` names the column holding the organization's id, which qualification filters
    ("holds 高企 on the period's end date") look up; ``yearly`` facts have a ``year`` column
    and are defined for whole-year periods only.
    """

    name: str
    label: str
    fields: tuple[Field, ...]
    org_key: str | None = None
    yearly: bool = False
    record_label: str = "条"  # the counting word of one record (家, 个, 条)

    def field(self, name: str) -> Field:
        for item in self.fields:
            if item.name == name:
                return item
        raise IndicatorError(f"「{self.label}」没有字段 {name}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(item.name for item in self.fields)

    def polars_schema(self) -> dict[str, pl.DataType]:
        schema = {item.name: POLARS_TYPES[item.kind] for item in self.fields}
        schema.setdefault(DIVISION, pl.Utf8)
        schema.setdefault(ZONE, pl.Int64)
        if self.yearly:
            schema.setdefault(YEAR_COLUMN, pl.Int64)
        return schema

    def empty_frame(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.polars_schema())

    def check_frame(self, frame: pl.DataFrame) -> None:
        missing = set(self.polars_schema()) - set(frame.columns)
        if missing:
            raise IndicatorError(f"「{self.label}」缺少列：{', '.join(sorted(missing))}")


QUALIFICATION_COLUMNS = {
    "org_id": pl.Int64,
    "kind": pl.Utf8,
    "status": pl.Utf8,
    "granted_on": pl.Date,
    "valid_until": pl.Date,
}
VALID = "valid"


@dataclass
class Facts:
    """The frames an evaluation reads: one per fact schema, plus the qualifications
    (org_id, kind, status, granted_on, valid_until) that qualification filters look up."""

    frames: dict[str, pl.DataFrame]
    qualifications: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema=QUALIFICATION_COLUMNS)
    )
    _holders: dict[tuple[str, date], pl.Series] = field(default_factory=dict, repr=False)
    _by_kind: dict[str, pl.DataFrame] | None = field(default=None, repr=False)

    def frame(self, name: str) -> pl.DataFrame:
        try:
            return self.frames[name]
        except KeyError:
            raise IndicatorError(f"没有事实表 {name}") from None

    def holders(self, kind: str, day: date) -> pl.Series:
        """Ids of the organizations holding a ``kind`` qualification in force on ``day``
        (status valid, granted on or before, valid until on or after): memoised."""
        key = (kind, day)
        if key not in self._holders:
            if self._by_kind is None:
                valid = self.qualifications.filter(pl.col("status") == VALID)
                self._by_kind = {
                    name: frame
                    for (name,), frame in valid.partition_by("kind", as_dict=True).items()
                }
            frame = self._by_kind.get(kind)
            if frame is None:
                self._holders[key] = pl.Series("org_id", [], dtype=pl.Int64)
            else:
                in_force = (pl.col("granted_on") <= day) & (pl.col("valid_until") >= day)
                self._holders[key] = frame.filter(in_force).get_column("org_id").unique()
        return self._holders[key]


def with_prefixes(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the division prefixes a row is counted under: ``_p2`` (province), ``_p4`` (city,
    null for a province-level code) and ``_p6`` (county, null for a city-level code)."""
    code = pl.col(DIVISION)
    return frame.with_columns(
        code.str.slice(0, 2).alias("_p2"),
        pl.when(code.str.slice(2, 2) != "00").then(code.str.slice(0, 4)).alias("_p4"),
        pl.when(code.str.slice(4, 2) != "00").then(code).alias("_p6"),
    )
