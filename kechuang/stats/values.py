"""The figures handed to pages, the API, commands and bulletins."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class StatValue:
    """One indicator's value for one division (or zone) and period.

    Ratios, shares and growth are ratios (0.5603 = 56.03 %) with unit "%"; percentage-point
    differences are points (0.77) with unit "个百分点"; ranks are integers with unit "位";
    money is yuan ("元"). ``value`` is None when undefined, ``note`` says why.
    """

    indicator: str
    label: str
    unit: str
    division: str  # 6-digit code ("" for a zone-only value)
    division_name: str
    zone: int | None
    period: str
    period_label: str
    value: Decimal | None
    records_url: str | None
    definition: dict = field(compare=False, hash=False)
    note: str = ""
    zone_name: str = ""

    def as_dict(self) -> dict:
        data = asdict(self)
        data["value"] = None if self.value is None else str(self.value)
        return data


@dataclass(frozen=True)
class IndicatorInfo:
    key: str
    label: str
    unit: str
    description: str
    version: int
    yearly_only: bool = False  # from yearly facts: whole-year periods only
    measure: str = ""
