"""The engine: variables with vectorised formulas, structured conditions, policies, simulations.

A ``Policy`` is a module of variables (``@policy.variable``) plus its dated parameters. A
``Simulation`` computes any variable for a period over every entity at once, caching each
(variable, period); a formula that reaches itself again raises ``CycleError`` naming the cycle.
Conditions are variables whose formula returns a ``Condition`` (value, threshold, passed, gap …).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .errors import CycleError, PeriodError, RulesError
from .inputs import ENTERPRISE, Inputs
from .parameters import ParameterSet

YEAR, MONTH = "year", "month"
RATIO, YUAN, COUNT, POINTS, DAYS, FLAG = "ratio", "yuan", "count", "points", "days", "flag"


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    month: int | None = None

    def __str__(self) -> str:
        return str(self.year) if self.kind == YEAR else f"{self.year}-{self.month:02d}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month or 1, 1)


def parse_period(value) -> Period:
    """``2023`` / ``"2023"`` is a year; ``"2023-05"`` or ``"2023M05"`` a month."""
    if isinstance(value, Period):
        return value
    if isinstance(value, int | np.integer):
        return Period(YEAR, int(value))
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return Period(YEAR, int(text))
    match = re.fullmatch(r"(\d{4})(?:-|M)(\d{2})", text)
    if match and 1 <= int(match[2]) <= 12:
        return Period(MONTH, int(match[1]), int(match[2]))
    raise PeriodError(f"无法识别的期间：{value!r}（应为 2023 或 2023-05）")


@dataclass(frozen=True)
class Variable:
    key: str  # "<policy>.<name>"
    label: str
    formula: Callable
    unit: str = ""
    period: str = YEAR
    policy: str = ""


@dataclass
class Condition:
    """One condition over all entities (arrays of length n).

    ``value`` and ``threshold`` are in ``unit``; ``passed`` is False where ``pending`` (the
    input that decides it is not known yet); ``gap`` is what is missing to pass, in ``gap_unit``
    (0 where passed, NaN where it cannot be said), described by ``gap_label`` ("三年合计差").
    """

    key: str
    label: str
    value: np.ndarray
    threshold: np.ndarray
    passed: np.ndarray
    op: str = "≥"
    unit: str = RATIO
    gap: np.ndarray | None = None
    gap_unit: str = ""
    gap_label: str = "差"
    pending: np.ndarray | None = None
    pending_text: str = "待评审"
    fail_text: str = ""  # a fixed sentence for yes/no conditions ("未填报高新技术领域")

    def __post_init__(self):
        n = np.shape(self.passed)[0]
        self.value = np.broadcast_to(np.asarray(self.value, dtype=float), (n,))
        self.threshold = np.broadcast_to(np.asarray(self.threshold, dtype=float), (n,))
        self.passed = np.asarray(self.passed, dtype=bool)
        if self.pending is None:
            self.pending = np.zeros(n, dtype=bool)
        self.passed = self.passed & ~self.pending
        if self.gap is not None:
            gap = np.array(np.broadcast_to(np.asarray(self.gap, dtype=float), (n,)))
            gap[self.passed] = 0.0
            self.gap = gap

    def text(self, i: int) -> str:
        """Plain Chinese for entity ``i``: empty when passed."""
        return self.records([i])[0]["text"]

    def record(self, i: int) -> dict:
        return self.records([i])[0]

    def records(self, indices) -> list[dict]:
        """The records of the entities at ``indices``: value, threshold, pass, gap and text.

        The arrays are read once into Python values (a screening lists every enterprise in
        scope: per-element numpy access would dominate its time).
        """
        indices = np.asarray(indices, dtype=np.int64)
        values = _plain(self.value[indices])
        thresholds = _plain(self.threshold[indices])
        passed = self.passed[indices].tolist()
        pending = self.pending[indices].tolist()
        gaps = [None] * len(indices) if self.gap is None else _plain(self.gap[indices])
        return [
            {
                "key": self.key,
                "label": self.label,
                "value": value,
                "threshold": threshold,
                "op": self.op,
                "unit": self.unit,
                "passed": ok,
                "pending": waiting,
                "gap": gap,
                "text": self._text(value, threshold, ok, waiting, gap),
            }
            for value, threshold, ok, waiting, gap in zip(
                values, thresholds, passed, pending, gaps, strict=True
            )
        ]

    def _text(self, value, threshold, ok: bool, waiting: bool, gap) -> str:
        if ok:
            return ""
        if waiting:
            return f"{self.label}{self.pending_text}"
        if self.fail_text:
            return self.fail_text
        shown = "无数据" if value is None else fmt(value, self.unit)
        text = f"{self.label} {shown}，需 {self.op}{fmt(_nan(threshold), self.unit)}"
        if gap is not None and gap > 0:
            text += f"，{self.gap_label} {fmt(gap, self.gap_unit)}"
        return text


def _plain(values: np.ndarray) -> list:
    """Floats, None where not finite."""
    return [x if math.isfinite(x) else None for x in values.tolist()]


def _nan(value):
    return math.nan if value is None else value


def _trim(number: float, digits: int) -> str:
    text = f"{number:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt(value: float, unit: str) -> str:
    """House display: ratios as %, yuan in 万元, counts with their word."""
    if not math.isfinite(value):
        return "无数据"
    if unit == RATIO:
        return f"{_trim(value * 100, 1)}%"
    if unit == YUAN:
        if abs(value) >= 1e8:
            return f"{_trim(value / 1e8, 2)} 亿元"
        return f"{_trim(value / 1e4, 1)} 万元"
    if unit == POINTS:
        return f"{_trim(value, 1)} 分"
    if unit == DAYS:
        return f"{_trim(value, 0)} 天"
    if unit in ("", FLAG):
        return _trim(value, 2)
    return f"{_trim(value, 2)} {unit}"


class Scope:
    """What a formula sees: ``s(name, period)`` and ``s.param(name, period)`` for its policy."""

    def __init__(self, simulation: Simulation, policy: Policy):
        self.simulation, self.policy = simulation, policy
        self.n = len(simulation.inputs)

    def __call__(self, name: str, period):
        local = f"{self.policy.key}.{name}"
        key = local if local in self.simulation.variables else name
        return self.simulation.calculate(key, period)

    def param(self, name: str, period):
        return self.simulation.parameters_of(self.policy.key).at(name, parse_period(period).start)

    def optional(self, name: str, period, default=np.nan) -> np.ndarray:
        """An input that may be absent from the inputs (then ``default`` for everyone)."""
        inputs = self.simulation.inputs
        if name in inputs.yearly or name in inputs.static:
            return self.simulation.calculate(name, period)
        return np.full(self.n, default, dtype=float)

    def holds(self, kind: str, day: dt.date) -> np.ndarray:
        """Entities holding a valid ``kind`` qualification on ``day``."""
        qualification = self.simulation.inputs.qualifications.get(kind)
        if qualification is None:
            return np.zeros(self.n, dtype=bool)
        return qualification.valid_on(day)


@dataclass
class Policy:
    key: str
    label: str
    source: str
    parameters: ParameterSet
    entity: str = ENTERPRISE
    conditions: list[str] = field(default_factory=list)
    score: str | None = None
    amount: str | None = None
    variables: dict[str, Variable] = field(default_factory=dict)
    summary: str = ""

    def variable(self, name: str, label: str, *, unit: str = "", condition: bool = False):
        def register(formula):
            key = f"{self.key}.{name}"
            if key in self.variables:
                raise RulesError(f"变量重复定义：{key}")
            self.variables[key] = Variable(key, label, formula, unit, YEAR, self.key)
            if condition:
                self.conditions.append(name)
            return formula

        return register

    def describe(self, parameters: ParameterSet | None = None) -> dict:
        parameters = parameters or self.parameters
        return {
            "key": self.key,
            "label": self.label,
            "source": self.source,
            "entity": self.entity,
            "summary": self.summary,
            "conditions": [
                {"key": name, "label": self.variables[f"{self.key}.{name}"].label}
                for name in self.conditions
            ],
            "has_score": self.score is not None,
            "has_amount": self.amount is not None,
            "parameters": parameters.describe(),
        }

    def evaluate(
        self, inputs: Inputs, period, *, parameters: ParameterSet | None = None
    ) -> PolicyResult:
        simulation = Simulation([self], inputs, {self.key: parameters} if parameters else None)
        return simulation.evaluate(self.key, period)


class Simulation:
    """Variables of some policies over one ``Inputs``; results cached per (variable, period)."""

    def __init__(
        self,
        policies: Sequence[Policy],
        inputs: Inputs,
        parameters: Mapping[str, ParameterSet] | None = None,
    ):
        self.policies = {policy.key: policy for policy in policies}
        self.inputs = inputs
        self.parameters = {key: policy.parameters for key, policy in self.policies.items()}
        self.parameters.update(parameters or {})
        self.variables: dict[str, Variable] = {}
        for policy in policies:
            if policy.entity != inputs.entity:
                raise RulesError(
                    f"政策 {policy.key} 适用于 {policy.entity}，输入是 {inputs.entity}"
                )
            self.variables.update(policy.variables)
        self._cache: dict[tuple[str, Period], object] = {}
        self._stack: list[tuple[str, Period]] = []

    def parameters_of(self, policy: str) -> ParameterSet:
        return self.parameters[policy]

    def calculate(self, key: str, period):
        period = parse_period(period)
        variable = self.variables.get(key)
        if variable is None:
            return self._input(key, period)
        if variable.period == YEAR and period.kind != YEAR:
            raise PeriodError(f"变量 {key}（{variable.label}）按年度计算，不能按期间 {period} 求值")
        frame = (key, period)
        if frame in self._cache:
            return self._cache[frame]
        if frame in self._stack:
            cycle = [f"{k}@{p}" for k, p in self._stack[self._stack.index(frame) :]]
            raise CycleError(f"公式循环依赖：{' → '.join([*cycle, f'{key}@{period}'])}")
        self._stack.append(frame)
        try:
            value = variable.formula(Scope(self, self.policies[variable.policy]), period.year)
        finally:
            self._stack.pop()
        self._cache[frame] = value
        return value

    def _input(self, key: str, period: Period):
        inputs = self.inputs
        if key in inputs.yearly:
            if period.kind != YEAR:
                raise PeriodError(f"输入 {key} 按年度填报，不能按期间 {period} 取值")
            if not inputs.has_year(period.year):
                raise PeriodError(
                    f"输入 {key} 没有 {period} 年的数据"
                    f"（已有 {inputs.years[0]}–{inputs.years[-1]} 年）"
                )
            return inputs.year_row(key, period.year)
        if key in inputs.static:
            return inputs.static[key]
        raise RulesError(f"未定义的变量或输入：{key}")

    def evaluate(self, policy_key: str, period) -> PolicyResult:
        policy = self.policies[policy_key]
        period = parse_period(period)
        conditions = [self.calculate(f"{policy.key}.{name}", period) for name in policy.conditions]
        passed = np.ones(len(self.inputs), dtype=bool)
        pending = np.zeros(len(self.inputs), dtype=bool)
        failed = np.zeros(len(self.inputs), dtype=np.int32)
        for condition in conditions:
            passed &= condition.passed
            pending |= condition.pending
            failed += ~condition.passed & ~condition.pending
        score = self.calculate(f"{policy.key}.{policy.score}", period) if policy.score else None
        amount = self.calculate(f"{policy.key}.{policy.amount}", period) if policy.amount else None
        return PolicyResult(
            policy,
            period,
            self.inputs.ids,
            conditions,
            passed,
            pending & (failed == 0),
            failed,
            score,
            amount,
        )


@dataclass
class PolicyResult:
    """One policy for one period over every entity: eligible flags, score, amount, conditions.

    ``pending`` marks entities that fail nothing decidable but wait on an input (the expert
    score); ``failed`` counts failed decidable conditions (the reserve's closeness).
    """

    policy: Policy
    period: Period
    ids: np.ndarray
    conditions: list[Condition]
    eligible: np.ndarray
    pending: np.ndarray
    failed: np.ndarray
    score: np.ndarray | None
    amount: np.ndarray | None

    def condition(self, key: str) -> Condition:
        for condition in self.conditions:
            if condition.key == key:
                return condition
        raise RulesError(f"政策 {self.policy.key} 没有条件 {key}")

    def gaps(self, i: int) -> list[str]:
        return self.rows([i])[0]["gaps"]

    def row(self, i: int) -> dict:
        return self.rows([i])[0]

    def rows(self, indices) -> list[dict]:
        """One dict per entity at ``indices``: id, eligible, pending, conditions (records), gaps
        (the texts of the conditions not passed), score and amount where the policy has them."""
        indices = np.asarray(indices, dtype=np.int64)
        records = [condition.records(indices) for condition in self.conditions]
        ids = self.ids[indices].tolist()
        eligible = self.eligible[indices].tolist()
        pending = self.pending[indices].tolist()
        scores = None if self.score is None else _plain(self.score[indices].astype(float))
        amounts = None if self.amount is None else self.amount[indices].astype(np.int64).tolist()
        rows = []
        for j, entity in enumerate(ids):
            conditions = [by_condition[j] for by_condition in records]
            row = {
                "id": entity,
                "eligible": eligible[j],
                "pending": pending[j],
                "conditions": conditions,
                "gaps": [c["text"] for c in conditions if not c["passed"]],
            }
            if scores is not None:
                row["score"] = scores[j]
            if amounts is not None:
                row["amount"] = amounts[j]
            rows.append(row)
        return rows
