"""Writes to the platform registry."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kechuang.core.exceptions import NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.scoping import STAFF_ROLES, Roles, division_in_scope, object_in_scope
from kechuang.core.services import save_changes, save_new
from kechuang.regions.selectors import division_exists

from .models import Platform

PLATFORM_FIELDS = (
    "name",
    "kind",
    "level",
    "host",
    "division_code",
    "zone",
    "recognised_on",
    "status",
)


def platform_problems(data: dict[str, Any], *, actor=None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not (data.get("name") or "").strip():
        problems["name"] = "平台名称不能为空"
    code = data.get("division_code") or ""
    if not division_exists(code):
        problems["division_code"] = f"未知的行政区划代码 {code}"
    elif actor is not None and actor.role == Roles.BUREAU and not division_in_scope(actor, code):
        problems["division_code"] = f"行政区划 {code} 不在您的管辖范围内"
    zone = data.get("zone")
    if (
        actor is not None
        and actor.role == Roles.ZONE
        and getattr(zone, "pk", None) != actor.zone_id
    ):
        problems["zone"] = "只能登记本园区的平台"
    return problems


def _check(actor, data) -> None:
    if not (actor.is_superuser or actor.role in STAFF_ROLES):
        raise RoleNotAllowed("只有科技局、园区工作人员可以登记平台")
    host = data.get("host")
    if host is not None and not object_in_scope(host, actor) and actor.role == Roles.BUREAU:
        raise ValidationFailed("依托单位不在您的管辖范围内", field="host")
    problems = platform_problems(data, actor=actor)
    if problems:
        field, message = next(iter(problems.items()))
        raise ValidationFailed(message, field=field)


@transaction.atomic
def platform_create(*, actor, **data) -> Platform:
    if not data.get("division_code") and data.get("host") is not None:
        data["division_code"] = data["host"].division_code
    _check(actor, data)
    if Platform.objects.filter(host=data["host"], kind=data["kind"], name=data["name"]).exists():
        raise ValidationFailed("该依托单位已有同名同类平台", code="duplicate", field="name")
    platform = Platform(**{k: v for k, v in data.items() if k in PLATFORM_FIELDS})
    return save_new(platform, actor=actor, verb="platform.created")


@transaction.atomic
def platform_update(*, actor, platform: Platform, **changes) -> Platform:
    if not object_in_scope(platform, actor):
        raise NotInScope("平台不存在")
    merged = {f: getattr(platform, f) for f in PLATFORM_FIELDS} | changes
    _check(actor, merged)
    save_changes(platform, changes, actor=actor, verb="platform.updated")
    return platform
