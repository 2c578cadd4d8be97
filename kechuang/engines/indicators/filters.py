"""Filter specifications: small dataclasses that compile to polars expressions.

A specification is a tree of :class:`Cond` (field, op, value), :class:`Holds` ("holds
qualification K in force on the period's end date"), :class:`AllOf`, :class:`AnyOf` and
:class:`Not`. The same tree compiles to polars here and to a Django ``Q`` in ``kechuang.stats``;
both use two-valued logic: a comparison with a missing value is false, so its negation is true
(as Django's ``~Q(revenue__gt=…)`` includes rows whose revenue is NULL).

Values are natural units (yuan for money, ``date`` for dates); the tokens ``PERIOD_START`` and
``PERIOD_END`` stand for the evaluated period's first and last day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Union

import polars as pl

from .errors import IndicatorError
from .facts import BOOL, DATE, INT, MONEY, POLARS_TYPES, Facts, FactSchema, Field
from .periods import Period

PERIOD_START = "@period_start"
PERIOD_END = "@period_end"
OPS = {
    "eq": "=",
    "ne": "≠",
    "in": "属于",
    "gt": ">",
    "gte": "≥",
    "lt": "<",
    "lte": "≤",
    "isnull": "为空",
    "notnull": "不为空",
}
QUALIFICATION_LABELS = {
    "tech_sme": "科技型中小企业",
    "hnte": "高新技术企业",
    "gazelle": "瞪羚企业",
    "little_giant": "专精特新“小巨人”企业",
    "leading_innovator": "创新型领军企业",
}


@dataclass(frozen=True)
class Cond:
    field: str
    op: str
    value: Any = None

    def __post_init__(self):
        if self.op not in OPS:
            raise IndicatorError(f"未知的比较：{self.op}")
        if self.op == "in":
            object.__setattr__(self, "value", tuple(self.value))


@dataclass(frozen=True)
class Holds:
    """The record's organization holds a ``kind`` qualification in force on the period's end."""

    kind: str


@dataclass(frozen=True)
class AllOf:
    items: tuple[Spec, ...]

    def __init__(self, *items: Spec):
        object.__setattr__(self, "items", tuple(items))


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Spec, ...]

    def __init__(self, *items: Spec):
        object.__setattr__(self, "items", tuple(items))


@dataclass(frozen=True)
class Not:
    item: Spec


Spec = Union[Cond, Holds, AllOf, AnyOf, Not]  # noqa: UP007 (a runtime alias of dataclasses)


def combine(*specs: Spec | None) -> Spec | None:
    """AllOf of the given specs, skipping None; None when nothing is left."""
    items = [s for s in specs if s is not None]
    if not items:
        return None
    return items[0] if len(items) == 1 else AllOf(*items)


def walk(spec: Spec | None) -> Iterable[Spec]:
    if spec is None:
        return
    yield spec
    if isinstance(spec, AllOf | AnyOf):
        for item in spec.items:
            yield from walk(item)
    elif isinstance(spec, Not):
        yield from walk(spec.item)


def period_dependent(spec: Spec | None) -> bool:
    """Does the spec read the period (a qualification on its end date, a period token)?"""
    return any(
        isinstance(node, Holds) or (isinstance(node, Cond) and _mentions_period(node.value))
        for node in walk(spec)
    )


def _mentions_period(value: Any) -> bool:
    values = value if isinstance(value, tuple | list) else (value,)
    return any(v in (PERIOD_START, PERIOD_END) for v in values)


def resolve_value(value: Any, period: Period | None) -> Any:
    """Replace the period tokens by dates."""
    if value in (PERIOD_START, PERIOD_END):
        if period is None:
            raise IndicatorError("该筛选条件需要期间")
        return period.start if value == PERIOD_START else period.end
    return value


def _typed(field: Field, value: Any) -> Any:
    """A filter value in the frame's representation (money: yuan → integer fen)."""
    if value is None:
        return None
    if field.kind == MONEY:
        fen = Decimal(str(value)) * 100
        if fen != fen.to_integral_value():
            raise IndicatorError(f"{field.label}的比较值最多两位小数：{value}")
        return int(fen)
    if field.kind == INT:
        return int(value)
    if field.kind == BOOL:
        return bool(value)
    if field.kind == DATE:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    return str(value)


def check(spec: Spec | None, schema: FactSchema) -> None:
    """Raise IndicatorError when the spec names a field the fact does not have."""
    for node in walk(spec):
        if isinstance(node, Cond):
            field = schema.field(node.field)
            if node.op not in ("isnull", "notnull") and node.value is None:
                raise IndicatorError(f"{field.label}的比较缺少值")
        elif isinstance(node, Holds) and schema.org_key is None:
            raise IndicatorError(f"「{schema.label}」不能按资质筛选")


def to_polars(spec: Spec | None, schema: FactSchema, period: Period | None, facts: Facts):
    """The boolean polars expression selecting the rows ``spec`` selects (nulls are false)."""
    if spec is None:
        return pl.lit(True)
    if isinstance(spec, Cond):
        field = schema.field(spec.field)
        column = pl.col(field.name)
        if spec.op == "isnull":
            return column.is_null()
        if spec.op == "notnull":
            return column.is_not_null()
        if spec.op == "in":
            values = [_typed(field, resolve_value(v, period)) for v in spec.value]
            series = pl.Series(values, dtype=POLARS_TYPES[field.kind])
            return column.is_in(series.implode()).fill_null(False)
        value = _typed(field, resolve_value(spec.value, period))
        if spec.op == "ne":
            return ~(column == value).fill_null(False)
        compare = {
            "eq": column.__eq__,
            "gt": column.__gt__,
            "gte": column.__ge__,
            "lt": column.__lt__,
            "lte": column.__le__,
        }[spec.op]
        return compare(value).fill_null(False)
    if isinstance(spec, Holds):
        if period is None:
            raise IndicatorError("资质条件需要期间")
        holders = facts.holders(spec.kind, period.end)
        return pl.col(schema.org_key).is_in(holders.implode()).fill_null(False)
    if isinstance(spec, AllOf):
        exprs = [to_polars(item, schema, period, facts) for item in spec.items]
        return pl.all_horizontal(exprs) if exprs else pl.lit(True)
    if isinstance(spec, AnyOf):
        exprs = [to_polars(item, schema, period, facts) for item in spec.items]
        return pl.any_horizontal(exprs) if exprs else pl.lit(False)
    if isinstance(spec, Not):
        return ~to_polars(spec.item, schema, period, facts)
    raise IndicatorError(f"无法识别的筛选条件：{spec!r}")


# --- JSON and words --------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    return value


def to_dict(spec: Spec | None) -> dict | None:
    """A JSON-able form, kept with every snapshot value."""
    if spec is None:
        return None
    if isinstance(spec, Cond):
        return {"field": spec.field, "op": spec.op, "value": _json_value(spec.value)}
    if isinstance(spec, Holds):
        return {"holds": spec.kind, "on": PERIOD_END}
    if isinstance(spec, AllOf):
        return {"all": [to_dict(item) for item in spec.items]}
    if isinstance(spec, AnyOf):
        return {"any": [to_dict(item) for item in spec.items]}
    return {"not": to_dict(spec.item)}


def from_dict(data: dict | None, schema: FactSchema | None = None) -> Spec | None:
    """The inverse of :func:`to_dict`; with a schema, date and money values get their types."""
    if data is None:
        return None
    if "holds" in data:
        return Holds(data["holds"])
    if "all" in data:
        return AllOf(*(from_dict(item, schema) for item in data["all"]))
    if "any" in data:
        return AnyOf(*(from_dict(item, schema) for item in data["any"]))
    if "not" in data:
        return Not(from_dict(data["not"], schema))
    value = data.get("value")
    if schema is not None and value is not None and value not in (PERIOD_START, PERIOD_END):
        kind = schema.field(data["field"]).kind
        convert = {DATE: date.fromisoformat, MONEY: lambda v: Decimal(str(v))}.get(kind)
        if convert:
            value = [convert(v) for v in value] if isinstance(value, list) else convert(value)
    return Cond(data["field"], data["op"], value)


def _words(value: Any, field: Field, period: Period | None) -> str:
    if value == PERIOD_END:
        return f"期末（{period.end.isoformat()}）" if period else "期末"
    if value == PERIOD_START:
        return f"期初（{period.start.isoformat()}）" if period else "期初"
    if field.kind == MONEY:
        return f"{value} 元"
    return field.value_label(value)


def describe(spec: Spec | None, schema: FactSchema, period: Period | None = None) -> str:
    """Chinese words for a spec: 持有「高新技术企业」资质（2023-12-31 有效）且 所有制 = 民营."""
    if spec is None:
        return f"全部{schema.label}"
    if isinstance(spec, Cond):
        field = schema.field(spec.field)
        if spec.op in ("isnull", "notnull"):
            return f"{field.label}{OPS[spec.op]}"
        if spec.op == "in":
            values = "、".join(_words(v, field, period) for v in spec.value)
            return f"{field.label}属于（{values}）"
        return f"{field.label} {OPS[spec.op]} {_words(spec.value, field, period)}"
    if isinstance(spec, Holds):
        name = QUALIFICATION_LABELS.get(spec.kind, spec.kind)
        day = period.end.isoformat() if period else "期末"
        return f"持有「{name}」资质（{day} 有效）"
    if isinstance(spec, AllOf):
        return " 且 ".join(_nested(item, schema, period) for item in spec.items)
    if isinstance(spec, AnyOf):
        return " 或 ".join(_nested(item, schema, period) for item in spec.items)
    return f"非（{describe(spec.item, schema, period)}）"


def _nested(spec: Spec, schema: FactSchema, period: Period | None) -> str:
    text = describe(spec, schema, period)
    return f"（{text}）" if isinstance(spec, AllOf | AnyOf) else text


__all__ = [
    "PERIOD_END",
    "PERIOD_START",
    "AllOf",
    "AnyOf",
    "Cond",
    "Holds",
    "Not",
    "Spec",
    "check",
    "combine",
    "describe",
    "from_dict",
    "to_dict",
    "to_polars",
    "walk",
]
