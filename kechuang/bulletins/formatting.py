"""Numbers written the Chinese way, for the body text of a bulletin.

Body text uses no thousands separators. A figure is written by a *format spec* named in the
bulletin template (``{hnte_private_share:pct0}``):

=========== ================================================ ==============================
spec        meaning                                          example
=========== ================================================ ==============================
int         a whole number (the default for 家, 人, 项 …)     9068
count       a whole number and its unit                      9068 家
num0..num2  a number with that many decimals                 35.50
pct0..pct2  a ratio as a percentage                          0.5603 → 56% / 56.0% / 56.03%
pp0..pp2    percentage points against a comparison           0.77 → 高于全国 0.77 个百分点
            (``pp2:全国``; the noun after the colon)          −0.5 → 低于全国 0.50 个百分点
growth0..2  a growth ratio                                   0.551 → 增长 55.1%
ordinal     a rank                                           2 → 第二, 23 → 第二十三
money       yuan by magnitude (see :func:`money`)             47000000 → 4700 万元
wan, yi     yuan in 万元 / 亿元 (``wan2``: two decimals)       4.7 亿元
=========== ================================================ ==============================

An undefined value (``None``) is written as :data:`MISSING` and reported as a warning for the
editor; it never raises.

Money (yuan) is written by magnitude: from 1 亿元 in 亿元 with up to two decimals; from 100 万元
in whole 万元; from 1 万元 in 万元 with up to two decimals; below that in 元. Trailing zeros of
the decimals are dropped (4.70 → 4.7). A rounding that reaches the next unit moves to it
(99999999 元 is 1 亿元, not 10000 万元).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kechuang.engines.indicators import Period, PeriodError
from kechuang.engines.indicators import parse_period as engine_parse_period

MISSING = "—"

YI = Decimal(100_000_000)
WAN = Decimal(10_000)
HUNDRED_WAN = Decimal(1_000_000)
HUNDRED = Decimal(100)

COUNT_UNITS = frozenset({"家", "人", "人次", "项", "个", "件", "次", "所", "名"})
MONEY_UNITS = {"元": Decimal(1), "万元": WAN, "亿元": YI}
PERCENT_UNIT = "%"
POINTS_UNIT = "个百分点"
RANK_UNIT = "位"

DIGITS = "零一二三四五六七八九"


class FormatError(ValueError):
    """A format spec that does not exist (raised when a template or an edit is checked)."""


# --- numbers ---------------------------------------------------------------------------------


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise FormatError(f"不是数值：{value!r}") from exc


def _round(value: Decimal, places: int) -> Decimal:
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)  # never "-0"


def fixed(value: Decimal, places: int) -> str:
    """A number with exactly ``places`` decimals, rounded half up, no separators."""
    return f"{_round(value, places):f}"


def trimmed(value: Decimal, places: int = 2) -> str:
    """At most ``places`` decimals, trailing zeros dropped: 4.70 → "4.7", 100.00 → "100"."""
    text = fixed(value, places)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def integer(value) -> str:
    """9068 → "9068" (no thousands separator)."""
    return fixed(to_decimal(value), 0)


def count(value, unit: str) -> str:
    """9068, "家" → "9068 家"."""
    return f"{integer(value)} {unit}".rstrip()


def money(value, *, unit: str | None = None, places: int | None = None) -> str:
    """Yuan written by magnitude (``unit`` None) or in "万元" / "亿元" / "元".

    ``places`` None drops trailing zeros after rounding to two decimals (the magnitude rule:
    whole 万元 from 100 万元 up); a number fixes the decimals.
    """
    amount = to_decimal(value)
    if unit is None:
        unit, places = _money_unit(amount)
        if places is None:
            text = trimmed(amount / MONEY_UNITS[unit], 2)
        else:
            text = fixed(amount / MONEY_UNITS[unit], places)
        return f"{text} {unit}"
    if unit not in MONEY_UNITS:
        raise FormatError(f"未知的金额单位：{unit}")
    scaled = amount / MONEY_UNITS[unit]
    text = trimmed(scaled, 2) if places is None else fixed(scaled, places)
    return f"{text} {unit}"


def _money_unit(amount: Decimal) -> tuple[str, int | None]:
    size = abs(amount)
    if size >= YI or _round(size / WAN, 0) >= WAN:
        return "亿元", None
    if size >= HUNDRED_WAN or _round(size / WAN, 2) >= HUNDRED:
        return "万元", 0
    if size >= WAN or _round(size, 2) >= WAN:
        return "万元", None
    return "元", None


def percent(ratio, places: int = 1) -> str:
    """0.5603 → "56%" (0), "56.0%" (1), "56.03%" (2)."""
    return f"{fixed(to_decimal(ratio) * HUNDRED, places)}%"


def points(diff, places: int = 2, noun: str = "全国") -> str:
    """0.77 → "高于全国 0.77 个百分点"; −0.5 → "低于全国 0.50 个百分点"; 0 → "与全国持平"."""
    amount = _round(to_decimal(diff), places)
    if not amount:
        return f"与{noun}持平"
    word = "高于" if amount > 0 else "低于"
    return f"{word}{noun} {fixed(abs(amount), places)} {POINTS_UNIT}"


def growth(ratio, places: int = 1) -> str:
    """0.551 → "增长 55.1%"; −0.032 → "下降 3.2%"; 0 → "持平"."""
    amount = _round(to_decimal(ratio) * HUNDRED, places)
    if not amount:
        return "持平"
    word = "增长" if amount > 0 else "下降"
    return f"{word} {fixed(abs(amount), places)}%"


def chinese_number(n: int) -> str:
    """0 → 零, 10 → 十, 11 → 十一, 23 → 二十三, 105 → 一百零五, 1010 → 一千零一十."""
    if n < 0:
        return "负" + chinese_number(-n)
    if n >= 100_000_000:
        raise FormatError(f"数字过大：{n}")
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        text = chinese_number(high) + "万"
        if low:
            text += ("零" if low < 1000 else "") + chinese_number(low)
        return text
    if n < 10:
        return DIGITS[n]
    text, zero = "", False
    for power, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, power)
        if digit:
            if zero:
                text += "零"
                zero = False
            text += DIGITS[digit] + name
        elif text:
            zero = True
        if not n:
            break
    if text.startswith("一十"):
        text = text[1:]
    return text


def ordinal(value) -> str:
    """1 → 第一, 10 → 第十, 11 → 第十一, 23 → 第二十三."""
    amount = to_decimal(value)
    if amount != amount.to_integral_value() or amount < 1:
        raise FormatError(f"名次须为正整数：{value}")
    return "第" + chinese_number(int(amount))


# --- periods ---------------------------------------------------------------------------------


def parse_period(key: str) -> Period:
    try:
        return engine_parse_period(key)
    except PeriodError as exc:
        raise FormatError(str(exc)) from None


def period_label(key: str, *, with_year: bool = True) -> str:
    """ "2023" → "2023 年"; "2023YTD07" → "2023 年 1—7 月" (``with_year=False``: "1—7 月");
    the labels are the indicator engine's."""
    period = parse_period(key)
    return period.label if with_year or period.is_year else period.part_label


# --- specs -----------------------------------------------------------------------------------

SPEC_RE = re.compile(r"^(?P<kind>[a-z]+)(?P<places>[0-3])?(?::(?P<arg>.*))?$")
KINDS = {
    # kind: (takes places, default places, takes an argument)
    "int": (False, 0, False),
    "count": (False, 0, False),
    "num": (True, 2, False),
    "pct": (True, 1, False),
    "pp": (True, 2, True),
    "growth": (True, 1, False),
    "ordinal": (False, 0, False),
    "money": (False, None, False),
    "wan": (True, None, False),
    "yi": (True, None, False),
}


@dataclass(frozen=True)
class Spec:
    kind: str
    places: int | None = None
    arg: str = ""

    def __str__(self) -> str:
        text = self.kind + ("" if self.places is None else str(self.places))
        return f"{text}:{self.arg}" if self.arg else text


def parse_spec(text: str) -> Spec:
    """ "pct0" → Spec("pct", 0); "pp2:全国" → Spec("pp", 2, "全国"); raises FormatError."""
    match = SPEC_RE.match(text or "")
    kind = match["kind"] if match else ""
    if kind not in KINDS:
        raise FormatError(f"未知的数字格式：{text}")
    takes_places, default_places, takes_arg = KINDS[kind]
    if match["places"] is not None and not takes_places:
        raise FormatError(f"格式 {kind} 不带小数位数：{text}")
    if match["arg"] is not None and not takes_arg:
        raise FormatError(f"格式 {kind} 不带参数：{text}")
    places = int(match["places"]) if match["places"] is not None else default_places
    return Spec(kind, places, (match["arg"] or "").strip())


def default_spec(unit: str) -> Spec:
    """How a figure is written when the template names no spec, by its unit."""
    if unit in MONEY_UNITS:
        return Spec("money")
    if unit == PERCENT_UNIT:
        return Spec("pct", 1)
    if unit == POINTS_UNIT:
        return Spec("pp", 2)
    if unit == RANK_UNIT:
        return Spec("ordinal")
    if unit in COUNT_UNITS:
        return Spec("int", 0)
    return Spec("num", 2)


@dataclass(frozen=True)
class Formatted:
    text: str
    warning: str = ""

    @property
    def missing(self) -> bool:
        return bool(self.warning)


def format_value(
    value,
    spec: Spec | str | None,
    *,
    unit: str = "",
    label: str = "",
    note: str = "",
    noun: str = "",
    bare: bool = False,
) -> Formatted:
    """Write ``value`` (in ``unit``) by ``spec``. ``None`` gives :data:`MISSING` and a warning
    naming the figure (``label``) and why it is undefined (``note``). ``noun`` is the comparison
    of a ``pp`` spec that names none. ``bare`` leaves out the unit of ``count``, ``wan`` and
    ``yi`` (a table column names it in its header)."""
    if isinstance(spec, str):
        spec = parse_spec(spec)
    spec = spec or default_spec(unit)
    name = label or "数值"
    if value is None or value == "":
        return Formatted(MISSING, f"{name}无数据" + (f"（{note}）" if note else ""))
    try:
        text = _write(to_decimal(value), spec, unit, noun)
    except FormatError as exc:
        return Formatted(MISSING, f"{name}：{exc}")
    if bare and spec.kind in ("count", "wan", "yi"):
        text = text.rsplit(" ", 1)[0]
    return Formatted(text)


def _write(amount: Decimal, spec: Spec, unit: str, noun: str) -> str:
    kind, places = spec.kind, spec.places
    if kind == "int":
        return integer(amount)
    if kind == "count":
        return count(amount, unit)
    if kind == "num":
        return fixed(amount, places)
    if kind == "pct":
        return percent(amount, places)
    if kind == "pp":
        return points(amount, places, spec.arg or noun or "全国")
    if kind == "growth":
        return growth(amount, places)
    if kind == "ordinal":
        return ordinal(amount)
    yuan = amount * MONEY_UNITS.get(unit, Decimal(1))
    if kind == "money":
        return money(yuan)
    return money(yuan, unit="万元" if kind == "wan" else "亿元", places=places)


# --- places ----------------------------------------------------------------------------------


def area_word(name: str, level: str, *, zone: bool = False) -> str:
    """ "全市" / "全省" / "全县" / "全区" for a division (by its level and name) or a zone."""
    if zone:
        return "全区"
    if level == "province":
        if name.endswith("自治区"):
            return "全区"
        return "全市" if name.endswith("市") else "全省"
    if level == "city":
        return "全州" if name.endswith("州") else ("全盟" if name.endswith("盟") else "全市")
    for suffix, word in (("区", "全区"), ("县", "全县"), ("市", "全市"), ("旗", "全旗")):
        if name.endswith(suffix):
            return word
    return "全县"


def peers_word(level: str, *, zone: bool = False) -> str:
    """Where a rank among peers is taken: a city ranks in its province (全省), a county in its
    city (全市), a province in the country (全国), a zone among the province's zones."""
    if zone:
        return "全省"
    return {"province": "全国", "city": "全省"}.get(level, "全市")
