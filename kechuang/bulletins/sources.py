"""Where a bulletin's figures come from, and the snapshot that freezes them.

A *source* answers two questions, in the shape of ``kechuang.stats.selectors``: the values of
some indicators for one division or zone and period (``values``), and the same for each child
division (``children``). :class:`StatsSource` asks the statistics app; :class:`FixedSource`
serves values given in advance (tests, previews of a template).

The snapshot is plain JSON stored on the bulletin: for every figure its value (as a decimal
string, never a float), unit, label, definition, the URL of the records behind it and when it
was computed. A bulletin renders from its snapshot only, so a published bulletin reads the same
however the records change later.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.utils import timezone

from kechuang.regions.models import Division, Zone

from .formatting import period_label


@dataclass(frozen=True)
class Value:
    """A value in the shape of ``kechuang.stats.values.StatValue`` (the fields bulletins read)."""

    indicator: str
    value: Decimal | None
    unit: str = ""
    label: str = ""
    division: str = ""
    division_name: str = ""
    zone: int | None = None
    period: str = ""
    period_label: str = ""
    records_url: str | None = None
    definition: dict = field(default_factory=dict)
    note: str = ""


class Source(Protocol):
    def values(
        self, *, division: str, period: str, zone: int | None, indicators: list[str] | None
    ) -> Iterable[Any]: ...

    def children(self, *, division: str, period: str, indicators: list[str]) -> Iterable[Any]: ...


class StatsSource:
    """The statistics app's values, as ``user`` may see them (None: the system, no limit)."""

    def __init__(self, user=None):
        self.user = user

    def values(self, *, division, period, zone, indicators):
        from kechuang.stats.selectors import compute

        return compute(
            user=self.user, division=division, period=period, zone=zone, indicators=indicators
        )

    def children(self, *, division, period, indicators):
        from kechuang.stats.selectors import compute_children

        return compute_children(
            user=self.user, division=division, period=period, indicators=indicators
        )


class FixedSource:
    """Values given in advance: ``values`` maps an indicator key to a :class:`Value` (or any
    object of that shape) or to a bare number (then ``units`` gives its unit); ``children`` maps
    a child division code to such a mapping."""

    def __init__(
        self,
        values: Mapping[str, Any],
        children: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        units: Mapping[str, str] | None = None,
    ):
        self._values = values
        self._children = children or {}
        self._units = units or {}

    def _value(self, key: str, raw, division: str, period: str):
        if hasattr(raw, "indicator"):
            return raw
        amount = None if raw is None else Decimal(str(raw))
        return Value(key, amount, unit=self._units.get(key, ""), division=division, period=period)

    def values(self, *, division, period, zone, indicators):
        return [
            self._value(key, self._values[key], division, period)
            for key in (self._values if indicators is None else indicators)
            if key in self._values
        ]

    def children(self, *, division, period, indicators):
        return [
            self._value(key, values[key], code, period)
            for code, values in sorted(self._children.items())
            for key in indicators
            if key in values
        ]


def _json_safe(data: Any) -> Any:
    """A definition as stored JSON (dates, decimals and the like become strings)."""
    return json.loads(json.dumps(data or {}, default=str, ensure_ascii=False))


def figure_record(value) -> dict:
    amount = value.value
    return {
        "label": value.label or value.indicator,
        "unit": value.unit or "",
        "value": None if amount is None else str(amount),
        "records_url": value.records_url or "",
        "definition": _json_safe(value.definition),
        "note": value.note or "",
    }


@dataclass(frozen=True)
class Place:
    """The division or zone a bulletin is about."""

    division: Division
    zone: Zone | None = None

    @property
    def name(self) -> str:
        return self.zone.name if self.zone else self.division.name

    @property
    def has_children(self) -> bool:
        return self.zone is None and not self.division.is_leaf


def take_snapshot(source: Source, *, place: Place, period: str, child_indicators) -> dict:
    """Ask ``source`` for every indicator of ``place`` (so that an editor may name any of them)
    and for ``child_indicators`` of its child divisions; freeze the answers."""
    division = place.division.code
    zone_id = place.zone.pk if place.zone else None
    figures = {
        v.indicator: figure_record(v)
        for v in source.values(division=division, period=period, zone=zone_id, indicators=None)
    }
    wanted = [key for key in child_indicators if key in figures]
    children: dict[str, dict] = {}
    if place.has_children and wanted:
        for v in source.children(division=division, period=period, indicators=wanted):
            child = children.setdefault(
                v.division,
                {"division": v.division, "division_name": v.division_name, "figures": {}},
            )
            child["figures"][v.indicator] = figure_record(v)
    names = dict(Division.objects.filter(code__in=children).values_list("code", "name"))
    for code, child in children.items():
        child["division_name"] = child["division_name"] or names.get(code, code)
    return {
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "division": division,
        "division_name": place.division.name,
        "level": place.division.level,
        "zone": zone_id,
        "zone_name": place.zone.name if place.zone else "",
        "has_children": place.has_children,
        "period": period,
        "period_label": period_label(period),
        "figures": figures,
        "children": [children[code] for code in sorted(children)],
    }


def snapshot_values(snapshot: dict) -> list[Value]:
    """Every figure of a snapshot (the division's or zone's, then each child division's), as
    values in the statistics' shape."""
    period, label = snapshot.get("period", ""), snapshot.get("period_label", "")

    def value(key: str, record: dict, division: str, name: str, zone) -> Value:
        amount = record.get("value")
        return Value(
            indicator=key,
            value=None if amount is None else Decimal(amount),
            unit=record.get("unit", ""),
            label=record.get("label", key),
            division=division,
            division_name=name,
            zone=zone,
            period=period,
            period_label=label,
            records_url=record.get("records_url") or None,
            definition=record.get("definition", {}),
            note=record.get("note", ""),
        )

    zone = snapshot.get("zone")
    values = [
        value(key, record, "" if zone else snapshot["division"], snapshot["division_name"], zone)
        for key, record in snapshot.get("figures", {}).items()
    ]
    for child in snapshot.get("children", []):
        values += [
            value(key, record, child["division"], child["division_name"], None)
            for key, record in child["figures"].items()
        ]
    return values
