"""Figures as the pages show them: 56.03%, 0.77 个百分点, 5,200.00 万元, 第 2 位."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from kechuang.core.templatetags.kechuang import EMPTY, wan, yi  # the house money formatter


def _fixed(value: Decimal, places: int, grouped: bool = True) -> str:
    amount = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{amount:,.{places}f}" if grouped else f"{amount:.{places}f}"


def display(value: Decimal | None, unit: str, *, money: str = "auto") -> tuple[str, str]:
    """(number, unit) for a page: ratios as percentages, money in 万元 or 亿元 by magnitude
    (``money="wan"``: always 万元, as in a table column)."""
    if value is None:
        return EMPTY, ""
    value = Decimal(value)
    if unit == "%":
        return _fixed(value * 100, 2), "%"
    if unit == "个百分点":
        return _fixed(value, 2), unit
    if unit == "元":
        if money == "auto" and abs(value) >= Decimal("100000000"):
            return yi(value), "亿元"
        return wan(value), "万元"
    if unit == "位":
        return f"第 {int(value)}", "位"
    if value == value.to_integral_value():
        return f"{int(value):,}", unit
    return _fixed(value, 2), unit


def display_text(value: Decimal | None, unit: str) -> str:
    number, shown_unit = display(value, unit)
    if number == EMPTY:
        return EMPTY
    if shown_unit == "%":
        return f"{number}%"
    return f"{number} {shown_unit}".strip()


def chart_number(value: Decimal | None, unit: str) -> float | None:
    """The number a chart plots: percentages ×100, money in 万元."""
    if value is None:
        return None
    value = Decimal(value)
    if unit == "%":
        return float(round(value * 100, 4))
    if unit == "元":
        return float(round(value / 10000, 2))
    return float(value)


def chart_unit(unit: str) -> str:
    return "万元" if unit == "元" else unit
