"""Template helpers of the web UI: the house money formatter, division names, navigation.

Money is stored in yuan. Tables show 万元 (or 亿元) with two decimals and thousands separators;
body text uses no separators (``|wan:"plain"``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.urls import NoReverseMatch, reverse

from kechuang.regions.selectors import division_full_name, division_name

register = template.Library()

EMPTY = "—"
CENT = Decimal("0.01")


def _scaled(value, unit: int, style: str = "") -> str:
    if value is None or value == "":
        return EMPTY
    try:
        amount = (Decimal(str(value)) / unit).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        return EMPTY
    return f"{amount:.2f}" if style == "plain" else f"{amount:,.2f}"


@register.filter
def wan(value, style: str = "") -> str:
    """Yuan → 万元: 52000000 → "5,200.00" (``|wan:"plain"`` → "5200.00"); None → "—"."""
    return _scaled(value, 10_000, style)


@register.filter
def yi(value, style: str = "") -> str:
    """Yuan → 亿元: 520000000 → "5.20"."""
    return _scaled(value, 100_000_000, style)


@register.filter(name="division_name")
def division_name_filter(code: str) -> str:
    """340421 → 凤台县"""
    return division_name(code) if code else EMPTY


@register.filter(name="division_full_name")
def division_full_name_filter(code: str) -> str:
    """340421 → 安徽省淮南市凤台县"""
    return (division_full_name(code) or code) if code else EMPTY


@register.filter
def dash(value):
    """None or an empty string shows as a dash."""
    return EMPTY if value is None or value == "" else value


def _matches(path: str, href: str) -> bool:
    return path == "/" if href == "/" else path.startswith(href)


@register.simple_tag(takes_context=True)
def nav_active(context, href: str) -> str:
    """ "active" when ``href`` is the navigation entry the current page lies under.

    The longest matching entry wins: /orgs/years/ marks 年度数据, not 机构 (/orgs/).
    """
    request = context.get("request")
    if request is None or not href or not _matches(request.path, href):
        return ""
    for _label, url_name in context.get("nav_items", []):
        try:
            other = reverse(url_name)
        except NoReverseMatch:
            continue
        if len(other) > len(href) and _matches(request.path, other):
            return ""
    return "active"


@register.simple_tag(takes_context=True)
def nav_group_active(context, entries) -> str:
    """ "active" when one of a drop-down group's entries is the active one."""
    for _label, url_name in entries:
        if nav_active(context, reverse(url_name)):
            return "active"
    return ""


@register.simple_tag
def field_widget(bound_field):
    """Render a form field's widget, marked ``is-invalid`` when the field has errors."""
    if not bound_field.errors:
        return bound_field.as_widget()
    css = bound_field.field.widget.attrs.get("class", "")
    return bound_field.as_widget(attrs={"class": f"{css} is-invalid".strip()})
