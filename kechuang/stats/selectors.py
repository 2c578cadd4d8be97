"""Reads of statistics: figures for a division or zone, their records, the catalogue.

``compute`` and ``compute_children`` are what pages, the API, the command and bulletins call.
With a user, the division or zone must lie in the user's scope (else ``NotInScope``: 404) and the
user must be staff (else ``RoleNotAllowed``: 403); ``user=None`` is the system.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from kechuang.core.exceptions import NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.scoping import STAFF_ROLES, Roles, division_prefix, division_q, visible_to
from kechuang.engines.indicators import IndicatorError, Period, parse_period

from . import data
from .models import Benchmark, IndicatorValue, Snapshot
from .registry import INDICATORS, SOURCES
from .values import IndicatorInfo, StatValue

STATS_READERS = STAFF_ROLES


# --- targets and scope -----------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A division (6-digit code) or a zone: what a figure is about."""

    division: str = ""
    zone: int | None = None

    @property
    def key(self) -> str:
        return f"z{self.zone}" if self.zone is not None else self.division


def _is_admin(user) -> bool:
    return user.is_superuser or user.role == Roles.ADMIN


def check_reader(user) -> None:
    if user is None:
        return
    if not user.is_authenticated:
        raise RoleNotAllowed("请先登录")
    if not (_is_admin(user) or user.role in STATS_READERS):
        raise RoleNotAllowed("您的角色无权查看统计")


def resolve_target(user, division: str | None, zone: int | str | None, bundle=None) -> Target:
    """Check the request against the data and the user's scope: unknown or out-of-scope
    divisions and zones raise NotInScope (404), malformed ones ValidationFailed."""
    check_reader(user)
    bundle = bundle or data.current_bundle()
    division = (division or "").strip()
    if zone not in (None, ""):
        try:
            zone = int(zone)
        except (TypeError, ValueError):
            raise ValidationFailed("园区应为编号", field="zone") from None
        host = bundle.zone_hosts.get(zone)
        if host is None or not _zone_in_scope(user, zone, host):
            raise NotInScope("园区不存在")
        if division and not host.startswith(division_prefix(division)):
            raise ValidationFailed("该园区不在所选行政区划内", field="zone")
        return Target(zone=zone)
    if len(division) != 6 or not division.isdigit():
        raise ValidationFailed("行政区划代码应为 6 位数字", field="division")
    if not _division_in_scope(user, division) or division not in bundle.names:
        raise NotInScope("行政区划不存在")
    return Target(division=division)


def _zone_in_scope(user, zone: int, host: str) -> bool:
    if user is None or _is_admin(user):
        return True
    if user.role == Roles.BUREAU:
        return bool(user.division_code) and host.startswith(division_prefix(user.division_code))
    if user.role == Roles.ZONE:
        return user.zone_id == zone
    return False


def _division_in_scope(user, code: str) -> bool:
    if user is None or _is_admin(user):
        return True
    if user.role == Roles.BUREAU and user.division_code:
        return division_prefix(code).startswith(division_prefix(user.division_code))
    return False


def default_target(user) -> Target:
    """Where a user's statistics start: the bureau's division, the zone staff's zone; for
    administrators the province holding the most organizations (or the first province)."""
    if user.role == Roles.ZONE and user.zone_id and not _is_admin(user):
        return Target(zone=user.zone_id)
    if user.role == Roles.BUREAU and user.division_code and not _is_admin(user):
        return Target(division=user.division_code)
    bundle = data.current_bundle()
    organizations = bundle.facts.frames["organizations"]
    if not organizations.is_empty():
        counts = organizations.get_column("division_code").str.slice(0, 2).value_counts()
        top = counts.sort(["count", "division_code"], descending=[True, False])[0, 0]
        if f"{top}0000" in bundle.names:
            return Target(division=f"{top}0000")
    provinces = sorted(c for c in bundle.names if c.endswith("0000"))
    return Target(division=provinces[0] if provinces else "")


def default_period() -> str:
    """The latest year with yearly facts (else last year)."""
    from django.utils import timezone

    years = data.current_bundle().years()
    return str(years[-1]) if years else str(timezone.localdate().year - 1)


# --- figures ---------------------------------------------------------------------------------


def _period(period: str | Period) -> Period:
    try:
        return parse_period(period)
    except IndicatorError as exc:
        raise ValidationFailed(str(exc), field="period") from None


def _keys(indicators: list[str] | None, period: Period) -> list[str]:
    if indicators is None:
        return [i.key for i in INDICATORS if INDICATORS.applies_to(i.key, period)]
    unknown = [k for k in indicators if k not in INDICATORS]
    if unknown:
        raise ValidationFailed(f"未知的指标：{', '.join(unknown)}", field="indicators")
    for key in indicators:
        if not INDICATORS.applies_to(key, period):
            label = INDICATORS.get(key).label
            raise ValidationFailed(
                f"「{label}」来自年度数据，只能按整年统计（期间 {period.key} 不是整年）",
                code="period_not_supported",
                field="period",
            )
    return list(indicators)


def records_indicator(key: str):
    """The base indicator whose records stand behind ``key`` (itself when it is a count or sum)."""
    indicator = INDICATORS.get(key)
    while not indicator.is_base:
        indicator = INDICATORS.get(indicator.records_key)
    return indicator


def records_url(key: str, target: Target, period: Period) -> str:
    """The page listing the records behind a figure, filtered exactly as the figure."""
    params = {"indicator": records_indicator(key).key, "period": period.key}
    if target.zone is not None:
        params["zone"] = target.zone
    else:
        params["division"] = target.division
    return f"{reverse('stats:record-list')}?{urlencode(params)}"


def _values(targets: list[Target], period: Period, keys: list[str], bundle) -> list[StatValue]:
    evaluator = bundle.evaluator
    with data._lock:
        results = evaluator.values(period, keys, [t.key for t in targets])
        definitions = {key: bundle.definition(key, period) for key in keys}
    by_target = {t.key: t for t in targets}
    values = []
    for result in results:
        target = by_target[result.target]
        indicator = INDICATORS.get(result.key)
        values.append(
            StatValue(
                indicator=result.key,
                label=indicator.label,
                unit=indicator.unit,
                division=target.division,
                division_name=bundle.names.get(target.division, ""),
                zone=target.zone,
                zone_name=bundle.zone_names.get(target.zone, "") if target.zone else "",
                period=period.key,
                period_label=period.label,
                value=result.value,
                records_url=records_url(result.key, target, period),
                definition=definitions[result.key],
                note=result.note,
            )
        )
    return values


def compute(
    *,
    user,
    division: str,
    period: str,
    zone: int | None = None,
    indicators: list[str] | None = None,
) -> list[StatValue]:
    """Values of ``indicators`` (all that apply to the period when None) for one division
    (the whole subtree by code prefix) or one zone, in the order asked."""
    bundle = data.current_bundle()
    target = resolve_target(user, division, zone, bundle)
    period_ = _period(period)
    return _values([target], period_, _keys(indicators, period_), bundle)


def compute_children(*, user, division: str, period: str, indicators: list[str]) -> list[StatValue]:
    """The same for each child division (province → cities, city → counties), by code."""
    bundle = data.current_bundle()
    target = resolve_target(user, division, None, bundle)
    period_ = _period(period)
    keys = _keys(indicators, period_)
    children = [Target(division=code) for code in bundle.children(target.division)]
    return _values(children, period_, keys, bundle) if children else []


def compute_series(
    *, user, division: str, periods: list[str], zone: int | None = None, indicators: list[str]
) -> list[StatValue]:
    """The same figures over several periods (trend charts), period by period."""
    bundle = data.current_bundle()
    target = resolve_target(user, division, zone, bundle)
    checked = [_period(period) for period in periods]
    for period in checked:
        _keys(indicators, period)
    with data._lock:
        bundle.evaluator.prepare(checked, indicators)  # one pass over the facts for all periods
    values = []
    for period in periods:
        period_ = _period(period)
        values += _values([target], period_, _keys(indicators, period_), bundle)
    return values


def indicator_catalog() -> list[IndicatorInfo]:
    return [
        IndicatorInfo(
            key=i.key,
            label=i.label,
            unit=i.unit,
            description=i.description,
            version=i.version,
            yearly_only=INDICATORS.yearly_only(i.key),
            measure=i.measure.name,
        )
        for i in INDICATORS
    ]


def definition_text(key: str, period: Period | str) -> str:
    """The filters of the indicator whose records stand behind ``key``, in words."""
    from kechuang.engines.indicators import describe

    period = _period(period)
    indicator = records_indicator(key)
    return describe(indicator.filters, INDICATORS.schemas[indicator.fact], period)


# --- records ---------------------------------------------------------------------------------


def records(user, *, indicator: str, period: str, target: Target) -> QuerySet:
    """The records behind a figure: the indicator's fact model, in the user's scope, in the
    target, filtered by the same specification the engine evaluated."""
    from .orm import to_q

    period_ = _period(period)
    if indicator not in INDICATORS:
        raise ValidationFailed(f"未知的指标：{indicator}", field="indicator")
    _keys([indicator], period_)
    base = records_indicator(indicator)
    source = SOURCES[base.fact]
    queryset = source.model._default_manager.all()
    if user is not None:
        queryset = visible_to(queryset, user)
    if target.zone is not None:
        queryset = queryset.filter(**{source.zone_lookup: target.zone})
    else:
        queryset = queryset.filter(division_q(source.division_lookup, target.division))
    if source.schema.yearly:
        queryset = queryset.filter(year=period_.year)
    queryset = queryset.filter(to_q(base.filters, source, period_))
    return queryset.order_by(*source.ordering, "pk")


# --- benchmarks and snapshots ----------------------------------------------------------------


def benchmark_list(user) -> QuerySet[Benchmark]:
    return Benchmark.objects.all()


def snapshot_values(snapshot: Snapshot | int) -> list[StatValue]:
    """The values frozen in a snapshot, as they were computed."""
    snapshot_id = snapshot.pk if isinstance(snapshot, Snapshot) else snapshot
    rows = IndicatorValue.objects.filter(snapshot_id=snapshot_id).select_related("zone")
    return [
        StatValue(
            indicator=row.indicator,
            label=row.label,
            unit=row.unit,
            division=row.division_code,
            division_name=row.division_name,
            zone=row.zone_id,
            zone_name=row.zone.name if row.zone_id else "",
            period=row.period,
            period_label=row.period_label,
            value=row.value,
            records_url=row.records_url or None,
            definition=row.definition,
            note=row.note,
        )
        for row in rows.order_by("position", "pk")
    ]
