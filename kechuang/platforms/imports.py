"""Import/export of innovation platforms, keyed by host USCC + kind + name."""

from __future__ import annotations

from typing import Any

from kechuang.core.imports import Importer, register
from kechuang.core.imports.columns import Choice, Column, Date, Text, ZoneRef
from kechuang.core.imports.engine import Row
from kechuang.core.scoping import Roles
from kechuang.orgs.imports import OrganizationLookup, level_column

from .models import Platform, PlatformKind, PlatformStatus
from .services import PLATFORM_FIELDS, platform_problems


@register
class PlatformImporter(OrganizationLookup, Importer):
    kind = "platforms"
    label = "创新平台"
    model = Platform
    key = ("host_uscc", "kind", "name")

    def columns(self) -> list[Column]:
        return [
            Text("name", "平台名称", max_length=200, aliases=("名称",)),
            Choice("kind", "平台类型", choices=PlatformKind.choices, aliases=("类型",)),
            level_column(required=True, blank=False),
            Text(
                "host_uscc",
                "依托单位统一社会信用代码",
                max_length=18,
                upper=True,
                aliases=("依托单位信用代码", "依托单位代码"),
            ),
            Text(
                "host_name",
                "依托单位名称",
                max_length=200,
                aliases=("依托单位",),
                informational=True,
            ),
            Text(
                "division_code",
                "行政区划代码",
                max_length=6,
                aliases=("区划代码",),
                blank=False,
                help_text="6 位行政区划代码；不填时取依托单位所在区县",
            ),
            ZoneRef("zone", "所在园区", aliases=("园区",)),
            Date("recognised_on", "认定日期", aliases=("认定时间", "批准日期")),
            Choice("status", "状态", choices=PlatformStatus.choices, blank=False),
        ]

    def load(self, rows: list[Row]) -> None:
        self.load_organizations({r.values["host_uscc"] for r in rows})
        names = {r.values["name"] for r in rows}
        platforms = Platform.objects.filter(
            host_id__in=[o.pk for o in self.orgs.values()], name__in=names
        ).select_related("zone")
        self.existing = {(p.host_id, p.kind, p.name): p for p in platforms}
        self.visible = self.visible_pks(Platform, [p.pk for p in self.existing.values()])

    def _current(self, row: Row) -> Platform | None:
        host = self.orgs.get(row.values["host_uscc"])
        if host is None:
            return None
        return self.existing.get((host.pk, row.values["kind"], row.values["name"]))

    def problems(self, row: Row) -> dict[str, str]:
        host_uscc = row.values["host_uscc"]
        # As platform_create: bureau staff register platforms of hosts in their scope only.
        bureau = self.actor is not None and self.actor.role == Roles.BUREAU
        if problem := self.organization_problem(host_uscc, "host_uscc", in_scope=bureau):
            return problem
        current = self._current(row)
        if current is not None and not self.can_see(self.visible, current.pk):
            return {"name": "该平台不在您的管辖范围内"}
        merged = {f: getattr(current, f) for f in self.writable} if current else {}
        merged |= self.data(row)
        if not merged.get("division_code"):
            merged["division_code"] = self.orgs[host_uscc].division_code
        return platform_problems(merged, actor=self.actor) | self.missing(row, current is None)

    def apply(self, row: Row):
        values = self.data(row)
        current = self._current(row)
        if current is None:
            host = self.orgs[row.values["host_uscc"]]
            values.setdefault("division_code", host.division_code)
            return Platform(host_id=host.pk, **values), None
        return current, self.changes(current, values)

    def export_queryset(self):
        return Platform.objects.select_related("host", "zone").order_by(
            "division_code", "host__uscc", "kind", "name"
        )

    def export_values(self, obj) -> dict[str, Any]:
        values = {f: getattr(obj, f) for f in PLATFORM_FIELDS if f != "host"}
        return values | {"host_uscc": obj.host.uscc, "host_name": obj.host.name}
