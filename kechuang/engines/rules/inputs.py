"""The columnar input of a simulation: per-entity arrays for yearly facts, static facts and
qualifications (the schema is documented in the package docstring)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .errors import RulesError

ENTERPRISE, ZONE = "enterprise", "zone"
NO_DATE = np.datetime64("NaT", "D")


def date_array(values: Sequence, n: int | None = None) -> np.ndarray:
    """datetime64[D] array from dates / ISO strings / None (None → NaT)."""
    out = np.array([NO_DATE if v is None else np.datetime64(v, "D") for v in values], "M8[D]")
    if n is not None and out.shape != (n,):
        raise RulesError(f"日期数组长度 {out.shape[0]} 与实体数 {n} 不符")
    return out


@dataclass
class Qualification:
    """One qualification kind held per entity: ``granted_on`` and ``valid_until`` (NaT = none)."""

    granted_on: np.ndarray
    valid_until: np.ndarray

    def valid_on(self, day: dt.date) -> np.ndarray:
        d = np.datetime64(day, "D")
        with np.errstate(invalid="ignore"):
            return (self.granted_on <= d) & (self.valid_until >= d)


@dataclass
class Inputs:
    """Facts of ``n`` entities of one kind over consecutive years.

    ``yearly[name]`` has shape ``(len(years), n)`` (float, NaN = not reported); ``static[name]``
    has shape ``(n,)`` (any dtype); ``qualifications[kind]`` gives validity dates.
    """

    ids: np.ndarray
    years: tuple[int, ...]
    yearly: Mapping[str, np.ndarray] = field(default_factory=dict)
    static: Mapping[str, np.ndarray] = field(default_factory=dict)
    qualifications: Mapping[str, Qualification] = field(default_factory=dict)
    entity: str = ENTERPRISE

    def __post_init__(self):
        self.ids = np.asarray(self.ids)
        self.years = tuple(int(y) for y in self.years)
        n = self.ids.shape[0]
        if list(self.years) != list(range(self.years[0], self.years[0] + len(self.years))):
            raise RulesError(f"输入年度应连续：{self.years}")
        yearly = {}
        for name, values in self.yearly.items():
            values = np.asarray(values, dtype=float)
            if values.shape != (len(self.years), n):
                raise RulesError(
                    f"输入 {name} 的形状 {values.shape} 应为 (年度数 {len(self.years)}, 实体数 {n})"
                )
            yearly[name] = values
        self.yearly = yearly
        for name, values in self.static.items():
            if np.shape(values) != (n,):
                raise RulesError(f"输入 {name} 的长度应为实体数 {n}")
        for kind, qualification in self.qualifications.items():
            if qualification.granted_on.shape != (n,) or qualification.valid_until.shape != (n,):
                raise RulesError(f"资质 {kind} 的日期数组长度应为实体数 {n}")

    def __len__(self) -> int:
        return self.ids.shape[0]

    def year_row(self, name: str, year: int) -> np.ndarray:
        return self.yearly[name][year - self.years[0]]

    def has_year(self, year: int) -> bool:
        return self.years[0] <= year <= self.years[-1]

    @classmethod
    def from_records(
        cls,
        records: Sequence[Mapping],
        years: Sequence[int],
        *,
        yearly_fields: Sequence[str],
        static_fields: Mapping[str, str] | None = None,
        entity: str = ENTERPRISE,
    ) -> Inputs:
        """Build inputs from per-entity dicts (tests, small adapters).

        A record: ``{"id": 1, "years": {2023: {"revenue": 1e7, ...}}, "founded_on": "2015-03-01",
        "qualifications": {"hnte": ["2021-10-01", "2024-09-30"]}, ...}``. ``static_fields`` maps a
        static name to its kind: ``date``, ``str`` or ``float``. Missing values: NaN / NaT / "".
        """
        years = tuple(int(y) for y in years)
        n = len(records)
        yearly = {name: np.full((len(years), n), np.nan) for name in yearly_fields}
        for j, record in enumerate(records):
            for year, facts in (record.get("years") or {}).items():
                year = int(year)
                if year not in years:
                    raise RulesError(f"记录 {record.get('id', j)} 的年度 {year} 不在 {years} 内")
                for name, value in facts.items():
                    if name not in yearly:
                        raise RulesError(f"未知的年度输入：{name}")
                    yearly[name][year - years[0], j] = np.nan if value is None else float(value)
        static = {}
        for name, kind in (static_fields or {}).items():
            raw = [record.get(name) for record in records]
            if kind == "date":
                static[name] = date_array(raw)
            elif kind == "str":
                static[name] = np.array(["" if v is None else str(v) for v in raw], dtype=object)
            else:
                static[name] = np.array([np.nan if v is None else float(v) for v in raw])
        kinds = sorted({kind for r in records for kind in (r.get("qualifications") or {})})
        qualifications = {}
        for kind in kinds:
            spans = [(r.get("qualifications") or {}).get(kind) or (None, None) for r in records]
            qualifications[kind] = Qualification(
                date_array([s[0] for s in spans]), date_array([s[1] for s in spans])
            )
        ids = np.array([record.get("id", j) for j, record in enumerate(records)])
        return cls(ids, years, yearly, static, qualifications, entity)
