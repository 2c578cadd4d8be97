"""Dated parameters: each value is keyed by the date it takes effect, read from YAML.

A parameter file::

    key: hnte
    label: 高新技术企业认定
    source: 国科发火〔2016〕32号
    parameters:
      rd_staff_share:
        label: 研发人员占比下限
        unit: ratio
        values:
          2016-01-01: 0.10
      rd_intensity:                 # bands: [upper bound of latest revenue (null = no bound), rate]
        label: 研发费用占比下限（按最近一年营业收入分档）
        unit: bands
        values:
          2016-01-01: [[50000000, 0.05], [200000000, 0.04], [null, 0.03]]

A value is whatever YAML holds (number, list, mapping, null). ``Parameter.at(day)`` answers the
value in force on ``day``: the one with the latest effective date not after it. A period (a year)
reads its parameters on its first day, as OpenFisca does: a rate changed on 2023-01-01 applies to
2023 and later, the old rate to 2022 and earlier.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import ParameterError


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ParameterError(f"参数生效日期格式错误：{value!r}（应为 YYYY-MM-DD）") from exc


@dataclass(frozen=True)
class Parameter:
    """One parameter: key, Chinese label, unit and its values by effective date (ascending)."""

    key: str
    label: str
    unit: str
    history: tuple[tuple[dt.date, object], ...]
    note: str = ""

    def at(self, day: dt.date):
        value, found = None, False
        for start, candidate in self.history:
            if start <= day:
                value, found = candidate, True
        if not found:
            first = self.history[0][0] if self.history else "（无取值）"
            raise ParameterError(f"参数 {self.key} 在 {day} 尚未生效（最早生效日期 {first}）")
        return copy.deepcopy(value)

    def describe(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "unit": self.unit,
            "note": self.note,
            "history": [
                {"from": start.isoformat(), "value": value} for start, value in self.history
            ],
        }


@dataclass(frozen=True)
class ParameterSet:
    """The parameters of one policy, with the policy's key, label and source document."""

    key: str
    label: str
    source: str
    parameters: Mapping[str, Parameter]

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            raise ParameterError(f"政策 {self.key} 没有参数 {name}") from None

    def at(self, name: str, day: dt.date):
        return self[name].at(day)

    def with_values(self, overrides: Mapping[str, Mapping]) -> ParameterSet:
        """A copy where the named parameters get extra dated values (a bureau's own settings).

        ``overrides = {"rate": {"2024-01-01": 0.15}}`` adds (or replaces) the value from that date.
        """
        merged = dict(self.parameters)
        for name, values in overrides.items():
            base = self[name]
            if not isinstance(values, Mapping) or not values:
                raise ParameterError(f"参数 {name} 的取值应为 {{生效日期: 值}}")
            history = dict(base.history)
            history.update({_as_date(day): value for day, value in values.items()})
            merged[name] = Parameter(
                base.key, base.label, base.unit, tuple(sorted(history.items())), base.note
            )
        return ParameterSet(self.key, self.label, self.source, merged)

    def describe(self) -> list[dict]:
        return [parameter.describe() for parameter in self.parameters.values()]


def parameters_from_mapping(data: Mapping) -> ParameterSet:
    """Build a parameter set from the parsed YAML structure (see the module docstring)."""
    for field in ("key", "label", "source", "parameters"):
        if field not in data:
            raise ParameterError(f"参数文件缺少 {field}")
    parameters = {}
    for name, spec in data["parameters"].items():
        values = spec.get("values") if isinstance(spec, Mapping) else None
        if not isinstance(values, Mapping) or not values:
            raise ParameterError(f"参数 {name} 缺少 values（生效日期 → 值）")
        history = tuple(sorted((_as_date(day), value) for day, value in values.items()))
        parameters[name] = Parameter(
            name, spec.get("label", name), spec.get("unit", ""), history, spec.get("note", "")
        )
    return ParameterSet(data["key"], data["label"], data["source"], parameters)


def load_parameters(path: str | Path) -> ParameterSet:
    with open(path, encoding="utf-8") as handle:
        return parameters_from_mapping(yaml.safe_load(handle))


def band_lookup(bands, values, *, default=0.0):
    """Descending ``[[lower bound, points], ...]`` bands (value ≥ bound earns points) over an array.

    The first band whose bound the value reaches wins; NaN or below every bound gets ``default``.
    A bound written as ``[">", 0]`` is strict (value > 0).
    """
    import numpy as np

    values = np.asarray(values, dtype=float)
    out = np.full(values.shape, float(default))
    decided = np.zeros(values.shape, dtype=bool)
    for bound, points in bands:
        if isinstance(bound, list | tuple):
            op, limit = bound
            hit = values > float(limit) if op == ">" else ge(values, float(limit))
        else:
            hit = ge(values, float(bound))
        take = hit & ~decided
        out[take] = float(points)
        decided |= hit
    return out


REL_TOL = 1e-9


def ge(values, threshold):
    """``values ≥ threshold`` allowing for binary rounding (3/30 is exactly 10 %); NaN is False."""
    import numpy as np

    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        return values >= threshold - REL_TOL * np.maximum(np.abs(threshold), 1e-300)
