"""The shape a bureau's own value of a parameter must have: the shape of the shipped value.

The unit of the parameter decides (``kechuang/engines/rules/parameters/*.yaml``): a ratio is a
number in 0..1, money (yuan) a number ≥ 0 (or null where the shipped value may be null, e.g. "no
total budget"), points a number in 0..100, counts (年, 件, 人, 个) a whole number ≥ 0, a list a
non-empty list of known qualification kinds, and bands the same list of ``[bound, value]`` pairs as
shipped: as many bands, each bound of the same form (a number, ``null`` for "no upper bound",
``[">", number]`` for a strict bound), bounds ascending or descending as shipped, values ≥ 0 (and
≤ 1 where the shipped values are ratios).

``clean_value(parameter, value)`` returns the value as it will be stored (numbers as int where
whole) or raises ``ValidationFailed`` on field ``value`` saying what is wrong, in Chinese.
"""

from __future__ import annotations

import math
from numbers import Real

from kechuang.core.exceptions import ValidationFailed
from kechuang.engines.rules import Parameter
from kechuang.orgs.models import QualificationKind

COUNT_UNITS = {"年", "件", "人", "个", "家", "count"}
POINTS_MAX = 100


def _fail(message: str) -> ValidationFailed:
    return ValidationFailed(message, field="value", code="invalid_value")


def _number(value, what: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, Real | str):
        raise _fail(f"{what}应为数字：{value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _fail(f"{what}应为数字：{value!r}") from None
    if not math.isfinite(number):
        raise _fail(f"{what}应为有限的数字：{value!r}")
    return int(number) if number.is_integer() else number


def _shipped_nullable(parameter: Parameter) -> bool:
    return any(value is None for _day, value in parameter.history)


def _latest(parameter: Parameter):
    return parameter.history[-1][1]


def clean_value(parameter: Parameter, value):
    """The value checked against the shipped shape of ``parameter`` (see the module docstring)."""
    unit = parameter.unit
    label = parameter.label
    if value is None or value == "":
        if _shipped_nullable(parameter):
            return None
        raise _fail(f"“{label}”不能为空")
    if unit == "ratio":
        number = _number(value, f"“{label}”")
        if not 0 <= number <= 1:
            raise _fail(f"“{label}”是比例，应在 0–1 之间（如 0.15 表示 15%）：{value}")
        return number
    if unit == "yuan":
        number = _number(value, f"“{label}”")
        if number < 0:
            raise _fail(f"“{label}”是金额（元），不能为负数：{value}")
        return number
    if unit == "points":
        number = _number(value, f"“{label}”")
        if not 0 <= number <= POINTS_MAX:
            raise _fail(f"“{label}”是分数，应在 0–{POINTS_MAX} 之间：{value}")
        return number
    if unit in COUNT_UNITS:
        number = _number(value, f"“{label}”")
        if number < 0 or not float(number).is_integer():
            raise _fail(f"“{label}”应为不小于 0 的整数（{unit}）：{value}")
        return int(number)
    if unit == "list":
        return _clean_list(label, value)
    if unit == "bands":
        return _clean_bands(label, _latest(parameter), value)
    raise _fail(f"“{label}”的单位 {unit or '（无）'} 不支持本地设置")


def _clean_list(label: str, value) -> list[str]:
    if not isinstance(value, list) or not value:
        raise _fail(f'“{label}”应为资质代码的列表，至少一项，如 ["hnte", "tech_sme"]')
    known = set(QualificationKind.values)
    out = []
    for item in value:
        if not isinstance(item, str) or item not in known:
            raise _fail(f"“{label}”中有未知的资质：{item!r}（可选：{'、'.join(sorted(known))}）")
        if item in out:
            raise _fail(f"“{label}”中资质 {item} 重复")
        out.append(item)
    return out


def _bound_form(bound) -> str:
    if bound is None:
        return "null"
    if isinstance(bound, list | tuple):
        return "strict"
    return "number"


FORM_TEXT = {"null": "null（不设上限）", "strict": '[">", 数字]（大于）', "number": "数字"}


def _bound_number(bound) -> float | None:
    if bound is None:
        return None
    if isinstance(bound, list | tuple):
        return float(bound[1])
    return float(bound)


def _direction(shipped: list) -> int:
    """+1 when the shipped bounds ascend, -1 when they descend (0: a single bound)."""
    numbers = [n for n in (_bound_number(b) for b, _v in shipped) if n is not None]
    if len(numbers) < 2:
        return 0
    return 1 if numbers[1] > numbers[0] else -1


def _clean_bands(label: str, shipped: list, value) -> list:
    example = "；".join(str(band) for band in shipped)
    if not isinstance(value, list) or len(value) != len(shipped):
        raise _fail(f"“{label}”应为 {len(shipped)} 档 [界限, 取值] 的列表，如 {example}")
    ratio_values = all(
        isinstance(v, Real) and not float(v).is_integer() and 0 <= v <= 1 for _b, v in shipped
    )
    out, previous = [], None
    direction = _direction(shipped)
    for position, (band, (shipped_bound, _shipped_value)) in enumerate(
        zip(value, shipped, strict=True), start=1
    ):
        where = f"“{label}”第 {position} 档"
        if not isinstance(band, list | tuple) or len(band) != 2:
            raise _fail(f"{where}应为 [界限, 取值]：{band!r}")
        bound, band_value = band
        form = _bound_form(shipped_bound)
        if _bound_form(bound) != form:
            raise _fail(f"{where}的界限应为{FORM_TEXT[form]}：{bound!r}")
        if form == "strict":
            op, limit = bound if len(bound) == 2 else (None, None)
            if op != ">":
                raise _fail(f'{where}的界限应为 [">", 数字]：{bound!r}')
            bound = [">", _number(limit, f"{where}的界限")]
        elif form == "number":
            bound = _number(bound, f"{where}的界限")
        number = _bound_number(bound)
        known = number is not None and previous is not None
        if known and direction and (number - previous) * direction <= 0:
            order = "递增" if direction > 0 else "递减"
            raise _fail(f"“{label}”各档界限应{order}：第 {position} 档 {number} 不符合")
        if number is not None:
            previous = number
        band_value = _number(band_value, f"{where}的取值")
        if band_value < 0:
            raise _fail(f"{where}的取值不能为负数：{band_value}")
        if ratio_values and band_value > 1:
            raise _fail(f"{where}的取值是比例，应在 0–1 之间：{band_value}")
        out.append([bound, band_value])
    return out
