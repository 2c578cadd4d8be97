"""Writes to organizations, their yearly facts and qualifications.

The ``*_problems`` functions hold the rules a record must satisfy; single writes and file imports
both call them, so a rule is stated once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from kechuang.core.exceptions import NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.identifiers import normalise_uscc, uscc_problem
from kechuang.core.scoping import STAFF_ROLES, Roles, division_in_scope, object_in_scope
from kechuang.core.services import save_changes, save_new
from kechuang.regions.models import Zone
from kechuang.regions.selectors import division_exists, is_leaf_division

from .models import EnterpriseYear, Organization, Qualification

Problems = dict[str, str]


def _raise_first(problems: Problems) -> None:
    if problems:
        field, message = next(iter(problems.items()))
        raise ValidationFailed(message, code="invalid", field=field)


def _require_staff(actor) -> None:
    if not (actor.is_superuser or actor.role in STAFF_ROLES):
        raise RoleNotAllowed("只有科技局、园区工作人员可以执行此操作")


def organization_problems(
    data: dict[str, Any], *, actor=None, zone: Zone | None = None
) -> Problems:
    problems: Problems = {}
    uscc = data.get("uscc", "")
    if (why := uscc_problem(uscc)) is not None:
        problems["uscc"] = why
    if not (data.get("name") or "").strip():
        problems["name"] = "名称不能为空"
    code = data.get("division_code", "")
    if not division_exists(code):
        problems["division_code"] = f"未知的行政区划代码 {code}"
    elif not is_leaf_division(code):
        problems["division_code"] = f"{code} 不是县级行政区划，机构应登记到区县"
    elif actor is not None and actor.role == Roles.BUREAU and not division_in_scope(actor, code):
        problems["division_code"] = f"行政区划 {code} 不在您的管辖范围内"
    if (
        zone is not None
        and actor is not None
        and actor.role == Roles.ZONE
        and zone.pk != actor.zone_id
    ):
        problems["zone"] = "只能登记本园区的机构"
    if actor is not None and actor.role == Roles.ZONE and zone is None:
        problems["zone"] = "园区工作人员登记的机构须属于本园区"
    founded = data.get("founded_on")
    if founded and founded > date.today():
        problems["founded_on"] = "成立日期不能晚于今天"
    return problems


ORG_FIELDS = (
    "uscc",
    "name",
    "kind",
    "division_code",
    "zone",
    "ownership",
    "industry_code",
    "hightech_field",
    "founded_on",
    "above_scale",
)


@transaction.atomic
def organization_create(*, actor, **data) -> Organization:
    _require_staff(actor)
    data["uscc"] = normalise_uscc(data.get("uscc", ""))
    _raise_first(organization_problems(data, actor=actor, zone=data.get("zone")))
    if Organization.objects.filter(uscc=data["uscc"]).exists():
        raise ValidationFailed(
            f"统一社会信用代码 {data['uscc']} 已登记", code="duplicate", field="uscc"
        )
    org = Organization(**{k: v for k, v in data.items() if k in ORG_FIELDS})
    return save_new(org, actor=actor, verb="organization.created", duplicate="uscc")


@transaction.atomic
def organization_update(*, actor, organization: Organization, **changes) -> Organization:
    if not object_in_scope(organization, actor):
        raise NotInScope("机构不存在")
    if actor.role not in STAFF_ROLES and not actor.is_superuser:
        # An organization's own user keeps its profile but cannot move or rename it.
        locked = {"uscc", "division_code", "zone", "name", "kind"} & set(changes)
        if locked:
            raise RoleNotAllowed(f"以下字段只能由主管部门修改：{'、'.join(sorted(locked))}")
    if "uscc" in changes:
        changes["uscc"] = normalise_uscc(changes["uscc"])
    merged = {f: getattr(organization, f) for f in ORG_FIELDS} | changes
    _raise_first(organization_problems(merged, actor=actor, zone=merged.get("zone")))
    if (
        changes.get("uscc", organization.uscc) != organization.uscc
        and Organization.objects.filter(uscc=changes["uscc"]).exists()
    ):
        raise ValidationFailed("统一社会信用代码已被其他机构使用", code="duplicate", field="uscc")
    save_changes(organization, changes, actor=actor, verb="organization.updated", duplicate="uscc")
    return organization


def enterprise_year_problems(data: dict[str, Any]) -> Problems:
    problems: Problems = {}
    year = data.get("year")
    if year is None:
        problems["year"] = "年度不能为空"
    elif not 1949 <= int(year) <= date.today().year:
        problems["year"] = f"年度 {year} 超出范围（1949–{date.today().year}）"
    for field in EnterpriseYear.NON_NEGATIVE_MONEY:
        value = data.get(field)
        if value is not None and value < 0:
            problems[field] = "不能为负数"
    pairs = (
        ("rd_staff", "employees", "研发人员不能多于从业人员"),
        ("rd_expense_domestic", "rd_expense", "境内研发费用不能大于研发费用"),
        ("hightech_revenue", "revenue", "高新技术产品（服务）收入不能大于营业收入"),
    )
    for part, whole, message in pairs:
        a, b = data.get(part), data.get(whole)
        if a is not None and b is not None and a > b and part not in problems:
            problems[part] = message
    return problems


def _require_can_write_facts(actor, organization: Organization) -> None:
    if not object_in_scope(organization, actor):
        raise NotInScope("机构不存在")
    if not (actor.is_superuser or actor.role in STAFF_ROLES or actor.role == Roles.ENTERPRISE):
        raise RoleNotAllowed("无权填报企业年度数据")


@transaction.atomic
def enterprise_year_save(
    *, actor, organization: Organization, year: int, **facts
) -> EnterpriseYear:
    """Create or update the facts of ``organization`` for ``year`` (only the given fields)."""
    _require_can_write_facts(actor, organization)
    unknown = set(facts) - set(EnterpriseYear.FACT_FIELDS)
    if unknown:
        raise ValidationFailed(f"未知字段：{', '.join(sorted(unknown))}")
    # Lock the organization row: concurrent saves of the same year then run one after the other.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    record = EnterpriseYear.objects.filter(organization=organization, year=year).first()
    current = {f: getattr(record, f) for f in EnterpriseYear.FACT_FIELDS} if record else {}
    _raise_first(enterprise_year_problems(current | facts | {"year": year}))
    if record is None:
        record = EnterpriseYear(organization=organization, year=year, **facts)
        return save_new(record, actor=actor, verb="enterprise_year.created")
    save_changes(record, facts, actor=actor, verb="enterprise_year.updated")
    return record


def qualification_problems(data: dict[str, Any]) -> Problems:
    problems: Problems = {}
    if not (data.get("number") or "").strip():
        problems["number"] = "证书编号不能为空"
    granted, until = data.get("granted_on"), data.get("valid_until")
    if granted is None:
        problems["granted_on"] = "认定日期不能为空"
    if until is None:
        problems["valid_until"] = "有效期不能为空"
    if granted and until and until < granted:
        problems["valid_until"] = "有效期不能早于认定日期"
    return problems


QUALIFICATION_FIELDS = ("kind", "number", "level", "granted_on", "valid_until", "status")


@transaction.atomic
def qualification_save(*, actor, organization: Organization, **data) -> Qualification:
    """Create or update a qualification, keyed by organization + kind + number."""
    _require_staff(actor)
    if not object_in_scope(organization, actor):
        raise NotInScope("机构不存在")
    _raise_first(qualification_problems(data))
    record = Qualification.objects.filter(
        organization=organization, kind=data["kind"], number=data["number"]
    ).first()
    if record is None:
        record = Qualification(organization=organization, **data)
        return save_new(record, actor=actor, verb="qualification.created")
    save_changes(record, data, actor=actor, verb="qualification.updated")
    return record
