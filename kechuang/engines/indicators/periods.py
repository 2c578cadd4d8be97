"""Reporting periods: year, half, quarter, month and cumulative-to-month (1—N 月).

Keys are canonical strings: ``2023``, ``2023H1``, ``2023Q3``, ``2023M07``, ``2023YTD07``.
Each period knows its first and last day, a Chinese label and the same period a year earlier.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .errors import IndicatorError

YEAR, HALF, QUARTER, MONTH, YTD = "year", "half", "quarter", "month", "ytd"
_KEY = re.compile(r"^(\d{4})(?:(H)([12])|(Q)([1-4])|(M)(\d{2})|(YTD)(\d{2}))?$")
_QUARTERS = "一二三四"
_HALVES = {1: "上半年", 2: "下半年"}


class PeriodError(IndicatorError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str = YEAR
    number: int = 0  # half 1–2, quarter 1–4, month 1–12 (also the last month of a YTD period)

    def __post_init__(self):
        limits = {YEAR: (0, 0), HALF: (1, 2), QUARTER: (1, 4), MONTH: (1, 12), YTD: (1, 12)}
        if self.kind not in limits:
            raise PeriodError(f"未知的期间类型：{self.kind}")
        low, high = limits[self.kind]
        if not low <= self.number <= high:
            raise PeriodError(f"期间序号超出范围：{self.kind} {self.number}")
        if not 1900 <= self.year <= 2100:
            raise PeriodError(f"年份超出范围：{self.year}")

    @property
    def key(self) -> str:
        if self.kind == YEAR:
            return str(self.year)
        if self.kind == HALF:
            return f"{self.year}H{self.number}"
        if self.kind == QUARTER:
            return f"{self.year}Q{self.number}"
        if self.kind == MONTH:
            return f"{self.year}M{self.number:02d}"
        return f"{self.year}YTD{self.number:02d}"

    @property
    def is_year(self) -> bool:
        return self.kind == YEAR

    @property
    def months(self) -> tuple[int, int]:
        """First and last month (1–12)."""
        if self.kind == YEAR:
            return 1, 12
        if self.kind == HALF:
            return (1, 6) if self.number == 1 else (7, 12)
        if self.kind == QUARTER:
            return 3 * self.number - 2, 3 * self.number
        if self.kind == MONTH:
            return self.number, self.number
        return 1, self.number

    @property
    def start(self) -> date:
        return date(self.year, self.months[0], 1)

    @property
    def end(self) -> date:
        last = self.months[1]
        return date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def part_label(self) -> str:
        """The label without its year: "" for a year, "上半年", "第三季度", "7 月", "1—7 月"."""
        if self.kind == YEAR:
            return ""
        if self.kind == HALF:
            return _HALVES[self.number]
        if self.kind == QUARTER:
            return f"第{_QUARTERS[self.number - 1]}季度"
        if self.kind == MONTH or self.number == 1:
            return f"{self.number} 月"
        return f"1—{self.number} 月"

    @property
    def label(self) -> str:
        """ "2023 年", "2023 年上半年", "2023 年第三季度", "2023 年 7 月", "2023 年 1—7 月"."""
        part = self.part_label
        if not part:
            return f"{self.year} 年"
        return f"{self.year} 年{part}" if part[0] in "上下第" else f"{self.year} 年 {part}"

    def previous_year(self) -> Period:
        """The same period a year earlier (2023Q3 → 2022Q3)."""
        return Period(self.year - 1, self.kind, self.number)

    def __str__(self) -> str:
        return self.key


def parse_period(value: str | int | Period) -> Period:
    """``"2023"``, ``"2023H1"``, ``"2023Q3"``, ``"2023M07"``, ``"2023YTD07"`` → Period.

    Lower-case letters and one-digit months (``2023m7``, ``2023ytd7``) are accepted too.
    """
    if isinstance(value, Period):
        return value
    text = str(value).strip().upper()
    text = re.sub(r"^(\d{4})(M|YTD)(\d)$", r"\g<1>\g<2>0\3", text)
    match = _KEY.match(text)
    if not match:
        raise PeriodError(
            f"无法识别的期间「{value}」：应为 2023、2023H1、2023Q3、2023M07 或 2023YTD07"
        )
    year = int(match[1])
    if match[2]:
        return Period(year, HALF, int(match[3]))
    if match[4]:
        return Period(year, QUARTER, int(match[5]))
    if match[6]:
        return Period(year, MONTH, int(match[7]))
    if match[8]:
        return Period(year, YTD, int(match[9]))
    return Period(year)
