"""Parameter values in plain Chinese for the pages: 15%, 100 万元, 高新技术企业、科技型中小企业,
bands as "≤5000 万：5%；≤2 亿：4%；其余：3%"."""

from __future__ import annotations

from kechuang.engines.rules.policies.common import QUALIFICATION_LABELS

UNIT_TEXT = {"ratio": "比例", "yuan": "元", "points": "分", "bands": "分档", "list": "列表"}


def _number(value) -> str:
    number = float(value)
    if abs(number) >= 1e8:
        return f"{number / 1e8:g} 亿"
    if abs(number) >= 1e4:
        return f"{number / 1e4:g} 万"
    if not number.is_integer() and abs(number) <= 1:
        return f"{number * 100:g}%"
    return f"{number:g}"


def _bound(bound, ascending: bool) -> str:
    if bound is None:
        return "其余"
    if isinstance(bound, list | tuple):
        return f"{bound[0]}{_number(bound[1])}"
    return f"{'≤' if ascending else '≥'}{_number(bound)}"


def parameter_text(value, unit: str) -> str:
    """A parameter value as a clerk reads it."""
    if value is None:
        return "不设"
    if unit == "ratio":
        return f"{float(value) * 100:g}%"
    if unit == "yuan":
        return f"{float(value) / 1e4:g} 万元"
    if unit == "points":
        return f"{float(value):g} 分"
    if unit == "list":
        return "、".join(QUALIFICATION_LABELS.get(item, item) for item in value)
    if unit == "bands" and isinstance(value, list):
        numbers = [
            float(b[1]) if isinstance(b, list | tuple) else float(b)
            for b, _v in value
            if b is not None
        ]
        ascending = len(numbers) < 2 or numbers[1] > numbers[0]
        return "；".join(f"{_bound(b, ascending)}：{_number(v)}" for b, v in value)
    if isinstance(value, int | float):
        return f"{value:g} {unit}".strip()
    return str(value)
