"""YAML test cases: input facts → expected outputs for a period (run by ``tests/test_cases.py``).

A case file::

    policy: hnte
    defaults:                      # merged into every entity of every case
      founded_on: 2015-03-01
      years: {2021: {revenue: 40000000}, 2022: {...}, 2023: {...}}
    cases:
      - name: 最近一年收入恰为 5000 万元，适用 5%
        year: 2023                 # the period evaluated (``period: 2023-05`` for error cases)
        input: {years: {2023: {revenue: 50000000}}}   # or ``inputs: [...]``, one per entity
        parameters: {rate: {2024-01-01: 0.2}}         # optional dated overrides
        expect:                    # or ``expects: [...]``, one per entity
          eligible: false
          score: 75
          amount: 100000
          pending: false
          variables: {growth_score: 10}
          conditions: {rd_intensity: {passed: false, value: 0.045, threshold: 0.05}}
          gaps: ["研发费用占比 4.5%，需 ≥5%，三年合计差 75 万元"]
      - name: 按月份求年度变量
        period: 2023-05
        error: 按年度计算          # the error message must contain this

Merging: an entity's ``years`` are merged year by year and field by field over the defaults; a year
set to ``null`` is removed (not reported), a field set to ``null`` becomes NaN. The inputs cover the
years Y-2..Y of the case's year unless ``years: [..]`` lists them.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from pathlib import Path

import yaml

from . import ENTERPRISE_STATIC, ENTERPRISE_YEARLY, ZONE_YEARLY
from .engine import Simulation, parse_period
from .errors import RulesError
from .inputs import ZONE, Inputs
from .policies import get_policy

CASES_DIR = Path(__file__).resolve().parent / "cases"


def load_cases(directory: Path = CASES_DIR) -> list[tuple[str, dict, dict]]:
    """(id, file header, case) for every case of every ``*.yaml`` file."""
    found = []
    for path in sorted(directory.glob("*.yaml")):
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        header = {k: v for k, v in data.items() if k != "cases"}
        for case in data["cases"]:
            found.append((f"{path.stem}: {case['name']}", header, case))
    return found


def merge(base: Mapping | None, over: Mapping | None) -> dict:
    out = copy.deepcopy(dict(base or {}))
    for key, value in (over or {}).items():
        if key == "years":
            years = {int(y): dict(v) for y, v in (out.get("years") or {}).items() if v is not None}
            for year, facts in (value or {}).items():
                if facts is None:
                    years.pop(int(year), None)
                else:
                    years[int(year)] = {**years.get(int(year), {}), **facts}
            out["years"] = years
        else:
            out[key] = copy.deepcopy(value)
    return out


def build_inputs(header: Mapping, case: Mapping, policy) -> Inputs:
    year = parse_period(case.get("year", case.get("period"))).year
    years = case.get("years") or header.get("years") or [year - 2, year - 1, year]
    entities = case.get("inputs") or [case.get("input") or {}]
    records = [{"id": j + 1, **merge(header.get("defaults"), e)} for j, e in enumerate(entities)]
    if policy.entity == ZONE:
        return Inputs.from_records(records, years, yearly_fields=ZONE_YEARLY, entity=ZONE)
    return Inputs.from_records(
        records, years, yearly_fields=ENTERPRISE_YEARLY, static_fields=ENTERPRISE_STATIC
    )


def _close(actual, expected) -> bool:
    if expected is None:
        return actual is None or (isinstance(actual, float) and math.isnan(actual))
    if isinstance(expected, bool) or isinstance(actual, bool):
        return bool(actual) == bool(expected)
    if actual is None or (isinstance(actual, float) and math.isnan(actual)):
        return False
    return math.isclose(float(actual), float(expected), rel_tol=1e-9, abs_tol=1e-9)


def run_case(header: Mapping, case: Mapping) -> list[str]:
    """Evaluate one case; the list of mismatches (empty when it passes)."""
    policy = get_policy(case.get("policy", header["policy"]))
    parameters = policy.parameters
    if case.get("parameters"):
        parameters = parameters.with_values(case["parameters"])
    period = case.get("period", case.get("year"))
    inputs = build_inputs(header, case, policy)
    simulation = Simulation([policy], inputs, {policy.key: parameters})
    if "error" in case:
        try:
            if case.get("variable"):
                simulation.calculate(case["variable"], period)
            else:
                simulation.evaluate(policy.key, period)
        except RulesError as exc:
            if case["error"] in str(exc):
                return []
            return [f"错误信息不符：{exc}"]
        return ["应当报错，但没有"]
    result = simulation.evaluate(policy.key, period)
    expects = case.get("expects") or [case.get("expect") or {}]
    problems = []
    for i, expect in enumerate(expects):
        row = result.row(i)
        for key in ("eligible", "pending", "score", "amount"):
            if key in expect and not _close(row.get(key), expect[key]):
                problems.append(f"[{i}] {key} = {row.get(key)}，应为 {expect[key]}")
        for name, value in (expect.get("variables") or {}).items():
            actual = simulation.calculate(f"{policy.key}.{name}", period)[i]
            if not _close(float(actual), value):
                problems.append(f"[{i}] 变量 {name} = {actual}，应为 {value}")
        for key, fields in (expect.get("conditions") or {}).items():
            record = result.condition(key).record(i)
            for field, value in fields.items():
                same = record[field] == value if field == "text" else _close(record[field], value)
                if not same:
                    problems.append(f"[{i}] 条件 {key}.{field} = {record[field]}，应为 {value}")
        if "gaps" in expect and result.gaps(i) != expect["gaps"]:
            problems.append(f"[{i}] gaps = {result.gaps(i)}，应为 {expect['gaps']}")
    return problems
