"""Zone-level screening: a zone policy (高新区认定条件) over every zone in the user's scope.

The zone inputs of fiscal year Y are counted from the registries, as the enterprise screening
reads them: enterprises registered in the zone (founded by the end of Y), those among them holding
a valid 高新技术企业 or 科技型中小企业 qualification on the day after Y ends (each counted once),
and the zone's national or provincial platforms recognised by the end of Y and not revoked.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db.models import Count, Q, QuerySet

from kechuang.core.exceptions import RoleNotAllowed, ValidationFailed
from kechuang.core.scoping import STAFF_ROLES, division_q, visible_to
from kechuang.engines.rules import ZONE, Inputs, Policy, PolicyResult, RulesError
from kechuang.orgs.models import Organization, OrgKind, QualificationKind, QualificationStatus
from kechuang.platforms.models import Platform, PlatformStatus
from kechuang.regions.models import Level, Zone

from .selectors import (
    DIVISION_RE,
    check_year,
    parameters_for,
    policy_detail,
    screening_division,
)

HITECH_KINDS = (QualificationKind.HNTE, QualificationKind.TECH_SME)
PLATFORM_LEVELS = (Level.NATIONAL, Level.PROVINCIAL)


def zone_policy(key: str) -> Policy:
    policy = policy_detail(key)
    if policy.entity != ZONE:
        raise ValidationFailed(
            f"“{policy.label}”按企业评价，请用企业筛查", code="enterprise_policy", field="policy"
        )
    return policy


def zones_in_scope(user, division: str | None = None) -> QuerySet[Zone]:
    queryset = Zone.objects.all()
    if user is not None:
        if not (user.is_superuser or user.role in STAFF_ROLES):
            raise RoleNotAllowed("您的角色无权进行园区评价。")
        queryset = visible_to(queryset, user)
    if division:
        division = division.strip()
        if not DIVISION_RE.match(division):
            raise ValidationFailed(
                f"行政区划代码应为 2、4 或 6 位数字：{division}", field="division"
            )
        queryset = queryset.filter(division_q("division_code", division))
    return queryset.order_by("pk")


def zone_counts(zones: QuerySet[Zone], year: int) -> dict[str, dict[int, int]]:
    """Per zone id: enterprises, hitech_enterprises and platforms of fiscal year ``year``."""
    year_end, day = dt.date(year, 12, 31), dt.date(year + 1, 1, 1)
    enterprises = Organization.objects.filter(kind=OrgKind.ENTERPRISE, zone__in=zones).filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=year_end)
    )
    held = Q(
        qualifications__kind__in=HITECH_KINDS,
        qualifications__status=QualificationStatus.VALID,
        qualifications__granted_on__lte=day,
        qualifications__valid_until__gte=day,
    )
    counts = enterprises.values("zone_id").annotate(
        total=Count("pk", distinct=True), hitech=Count("pk", filter=held, distinct=True)
    )
    platforms = (
        Platform.objects.filter(zone__in=zones, level__in=PLATFORM_LEVELS)
        .exclude(status=PlatformStatus.REVOKED)
        .filter(Q(recognised_on__isnull=True) | Q(recognised_on__lte=year_end))
        .values("zone_id")
        .annotate(total=Count("pk"))
    )
    return {
        "enterprises": {row["zone_id"]: row["total"] for row in counts},
        "hitech_enterprises": {row["zone_id"]: row["hitech"] for row in counts},
        "platforms": {row["zone_id"]: row["total"] for row in platforms},
    }


def zone_inputs(zones: list[Zone], year: int) -> Inputs:
    ids = [zone.pk for zone in zones]
    counts = zone_counts(Zone.objects.filter(pk__in=ids), year)
    yearly = {
        name: np.array([[float(by_zone.get(pk, 0)) for pk in ids]])
        for name, by_zone in counts.items()
    }
    return Inputs(np.array(ids, dtype=np.int64), (year,), yearly, entity=ZONE)


def screen_zones(*, user, policy_key: str, year, division: str | None = None) -> list[dict]:
    """Every zone in scope, eligible first, each with its conditions and gaps in plain terms,
    with the parameters of the screening's division (a bureau's own values laid over)."""
    policy = zone_policy(policy_key)
    year = check_year(year)
    zones = list(zones_in_scope(user, division))
    parameters = parameters_for(policy.key, screening_division(user, division))
    try:
        result: PolicyResult = policy.evaluate(
            zone_inputs(zones, year), year, parameters=parameters
        )
    except RulesError as exc:
        raise ValidationFailed(str(exc), field="year") from exc
    rows = []
    for zone, row in zip(zones, result.rows(range(len(zones))), strict=True):
        rows.append(
            {
                "id": zone.pk,
                "name": zone.name,
                "division_code": zone.division_code,
                "level": zone.get_level_display(),
                "eligible": row["eligible"],
                "pending": row["pending"],
                "failed": sum(not c["passed"] and not c["pending"] for c in row["conditions"]),
                "conditions": row["conditions"],
                "gaps": row["gaps"],
            }
        )
    rows.sort(key=lambda r: (not r["eligible"], r["failed"], r["id"]))
    return rows
