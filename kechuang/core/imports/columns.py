"""Typed columns: how a cell of an imported file is read, and how a value is written back.

A column is known by its English key (the model field name), its Chinese label and a few
aliases clerks use. ``parse`` turns a cell (a string from CSV; a number, date or string from
xlsx) into a Python value, or raises ``CellError`` with the reason; ``render`` does the reverse
for exports, so that an exported file imports back unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

# Units a money header may carry, e.g. "营业收入（万元）".
MONEY_UNITS = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10_000),
    "亿元": Decimal(10**8),
}
UNIT_RE = re.compile(r"^(?P<base>.+?)\((?P<unit>元|千元|万元|亿元)\)$")
QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")
CENT = Decimal("0.01")


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message is the reason."""


def normalise_name(text: Any) -> str:
    """Fold a header or a choice label for matching: NFKC (full-width → ASCII), no spaces, no
    quotes, lower case. "营业收入（万元） " and "营业收入(万元)" fold alike."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return re.sub(r"\s+", "", text).translate(QUOTES).lower()


def is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def cell_text(raw: Any) -> str:
    """A cell as the clerk sees it, for error reports."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime) and raw.time() == dt.time(0):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).strip()


def _plain_text(raw: Any) -> str:
    if isinstance(raw, bool):
        return "1" if raw else "0"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


class Column:
    """A column of an import/export table."""

    kind_label = "文本"

    def __init__(
        self,
        key: str,
        label: str,
        *,
        aliases: tuple[str, ...] = (),
        required: bool = False,
        blank: bool = True,
        informational: bool = False,
        help_text: str = "",
    ):
        self.key = key
        self.label = label
        self.aliases = aliases
        # A required column must have a value in every row that creates a record.
        self.required = required
        # An empty cell in a blank column clears the value; in any other column it means "not
        # given": a new record takes the model default, an existing one keeps its value.
        self.blank = blank
        # An informational column (e.g. the organization name beside a USCC in a facts file) is
        # exported for the reader and accepted on import, but never written.
        self.informational = informational
        self.help_text = help_text

    accepts_units = False

    def names(self) -> set[str]:
        return {normalise_name(n) for n in (self.key, self.label, *self.aliases)}

    def prepare(self) -> None:
        """Load what parsing needs (lookup tables) once per import."""

    def parse(self, raw: Any, factor: Decimal = Decimal(1)) -> Any:
        if is_empty(raw):
            return self.empty()
        return self.convert(raw, factor)

    def empty(self) -> Any:
        return None

    def convert(self, raw: Any, factor: Decimal) -> Any:
        raise NotImplementedError

    def render(self, value: Any) -> Any:
        return "" if value is None else value

    @property
    def header(self) -> str:
        """The header written on export."""
        return self.label

    def describe(self) -> str:
        return self.help_text or self.kind_label


class Text(Column):
    def __init__(self, key, label, *, max_length: int, upper: bool = False, **kwargs):
        super().__init__(key, label, **kwargs)
        self.max_length = max_length
        self.upper = upper

    def empty(self) -> str:
        return ""

    def convert(self, raw, factor):
        text = _plain_text(raw)
        if self.upper:
            text = text.upper()
        if len(text) > self.max_length:
            raise CellError(f"超过 {self.max_length} 个字符")
        return text

    def describe(self) -> str:
        return self.help_text or f"文本，最多 {self.max_length} 个字符"


class Integer(Column):
    kind_label = "整数"

    def __init__(self, key, label, *, min_value: int | None = 0, **kwargs):
        super().__init__(key, label, **kwargs)
        self.min_value = min_value

    def convert(self, raw, factor):
        if isinstance(raw, bool):
            raise CellError("应为整数")
        if isinstance(raw, int):
            value = raw
        elif isinstance(raw, str) and (text := raw.strip()).isascii() and text.isdigit():
            value = int(text)
        else:
            try:
                number = Decimal(_plain_text(raw).replace(",", ""))
            except InvalidOperation:
                raise CellError("应为整数") from None
            if not number.is_finite() or number != number.to_integral_value():
                raise CellError("应为整数")
            value = int(number)
        if self.min_value is not None and value < self.min_value:
            raise CellError(f"应为不小于 {self.min_value} 的整数")
        if value > 2_147_483_647:
            raise CellError("数值过大")
        return value


class Number(Column):
    """A decimal quantity (area, energy) stored with ``places`` decimals."""

    kind_label = "数值"

    def __init__(self, key, label, *, max_digits: int = 18, places: int = 2, **kwargs):
        super().__init__(key, label, **kwargs)
        self.quantum = Decimal(1).scaleb(-places)
        self.limit = Decimal(10) ** (max_digits - places)

    def convert(self, raw, factor):
        if isinstance(raw, bool):
            raise CellError("应为数值")
        if isinstance(raw, float):
            raw = repr(raw)  # shortest text of the float as Excel shows it
        try:
            value = Decimal(raw)
        except (InvalidOperation, TypeError):
            try:
                value = Decimal(str(raw).strip().replace(",", "").replace("，", ""))
            except InvalidOperation:
                raise CellError("应为数值") from None
        if factor != 1:
            value *= factor
        if not value.is_finite():
            raise CellError("应为数值")
        value = value.quantize(self.quantum, rounding=ROUND_HALF_UP)
        if abs(value) >= self.limit:
            raise CellError("数值过大")
        return value


class Money(Number):
    """Money in yuan; a unit in the header (元 / 千元 / 万元 / 亿元) scales the cells."""

    kind_label = "金额"
    accepts_units = True

    @property
    def header(self) -> str:
        return f"{self.label}（元）"

    def describe(self) -> str:
        return self.help_text or "金额；表头可注明单位：元、千元、万元、亿元（未注明按元）"


DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
EXCEL_EPOCH = dt.date(1899, 12, 30)


class Date(Column):
    kind_label = "日期"

    def convert(self, raw, factor):
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return self._from_number(raw)
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        text = TIME_SUFFIX.sub("", text)
        for pattern in DATE_PATTERNS:
            if match := pattern.match(text):
                return self._make(*map(int, match.groups()))
        raise CellError("日期格式应为 2023-10-16、2023/10/16、2023年10月16日 或 20231016")

    def _from_number(self, number):
        if float(number).is_integer() and 19000101 <= number <= 21001231:
            text = str(int(number))
            return self._make(int(text[:4]), int(text[4:6]), int(text[6:]))
        if 1 <= number < 100_000:  # an Excel serial day number
            return EXCEL_EPOCH + dt.timedelta(days=int(number))
        raise CellError("无法识别的日期")

    @staticmethod
    def _make(year, month, day):
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise CellError("日期不存在") from None

    def describe(self) -> str:
        return "日期，如 2023-10-16、2023/10/16、2023年10月16日、20231016"


TRUE_WORDS = {"是", "1", "true", "yes", "y", "t", "对", "√"}
FALSE_WORDS = {"否", "0", "false", "no", "n", "f", "不是", "×"}


class Boolean(Column):
    kind_label = "是/否"

    def __init__(self, key, label, **kwargs):
        kwargs.setdefault("blank", False)
        super().__init__(key, label, **kwargs)

    def convert(self, raw, factor):
        word = normalise_name(_plain_text(raw))
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise CellError("应为 是 或 否")

    def render(self, value):
        return "是" if value else "否"

    def describe(self) -> str:
        return "是 / 否（也可填 1 / 0、true / false）"


class Choice(Column):
    """A value of a set of choices, given by key or by Chinese label."""

    kind_label = "选项"

    def __init__(self, key, label, *, choices, extra: dict[str, str] | None = None, **kwargs):
        super().__init__(key, label, **kwargs)
        self.choices = list(choices)
        self.labels = dict(self.choices)
        self.lookup = {normalise_name(k): k for k, _ in self.choices}
        self.lookup |= {normalise_name(v): k for k, v in self.choices}
        self.lookup |= {normalise_name(word): k for word, k in (extra or {}).items()}
        self.width = max(len(k) for k, _ in self.choices)

    def empty(self) -> str:
        return ""

    def convert(self, raw, factor):
        text = normalise_name(_plain_text(raw))
        if text.isdigit():
            text = text.zfill(self.width)
        if text in self.lookup:
            return self.lookup[text]
        raise CellError(f"未知的选项，可选：{'、'.join(self.labels.values())}")

    def render(self, value):
        return self.labels.get(value, value or "")

    def describe(self) -> str:
        return "可选：" + "、".join(f"{label}（{key}）" for key, label in self.choices)


class ZoneRef(Column):
    """A zone given by its id or its name; parses to the Zone."""

    kind_label = "园区"

    def prepare(self) -> None:
        from kechuang.regions.models import Zone

        zones = list(Zone.objects.all())
        self.by_name = {normalise_name(z.name): z for z in zones}
        self.by_id = {str(z.pk): z for z in zones}

    def convert(self, raw, factor):
        text = _plain_text(raw)
        zone = self.by_id.get(text) or self.by_name.get(normalise_name(text))
        if zone is None:
            raise CellError("未知的园区（填园区名称或编号）")
        return zone

    def render(self, value):
        return value.name if value is not None else ""

    def describe(self) -> str:
        return "园区名称或编号，可空"
