"""Writes of the statistics app: benchmarks (reference values) and snapshots of figures."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kechuang.core.audit import record_event
from kechuang.core.exceptions import RoleNotAllowed, ValidationFailed
from kechuang.core.scoping import Roles
from kechuang.core.services import save_changes, save_new

from . import selectors
from .models import Benchmark, IndicatorValue, Snapshot
from .values import StatValue

BENCHMARK_FIELDS = ("key", "label", "value", "unit", "year", "source")
BENCHMARK_KEEPERS = frozenset({Roles.ADMIN, Roles.BUREAU})


def _check_keeper(actor) -> None:
    if actor is not None and not (actor.is_superuser or actor.role in BENCHMARK_KEEPERS):
        raise RoleNotAllowed("只有管理员和科技局工作人员可以维护对比基准")


def _check_benchmark(data: dict, instance: Benchmark | None = None) -> None:
    key = (data.get("key") or "").strip()
    if not key:
        raise ValidationFailed("基准代码不能为空", field="key")
    if not (data.get("source") or "").strip():
        raise ValidationFailed("请注明数据来源", field="source")
    clash = Benchmark.objects.filter(key=key, year=data.get("year"))
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationFailed(
            f"{key} 已有 {data.get('year')} 年的基准值", code="duplicate", field="year"
        )


@transaction.atomic
def benchmark_create(*, actor, **data) -> Benchmark:
    _check_keeper(actor)
    data = {k: data[k] for k in BENCHMARK_FIELDS if k in data}
    _check_benchmark(data)
    return save_new(Benchmark(**data), actor=actor, verb="benchmark.created")


@transaction.atomic
def benchmark_update(*, actor, benchmark: Benchmark, **changes) -> Benchmark:
    _check_keeper(actor)
    changes = {k: v for k, v in changes.items() if k in BENCHMARK_FIELDS}
    merged = {f: changes.get(f, getattr(benchmark, f)) for f in BENCHMARK_FIELDS}
    _check_benchmark(merged, benchmark)
    save_changes(benchmark, changes, actor=actor, verb="benchmark.updated")
    return benchmark


def _value_field(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.000001"))


@transaction.atomic
def snapshot_create(*, actor, values: list[StatValue], label: str = "") -> Snapshot:
    """Freeze ``values`` (as computed, with their definitions) under one snapshot."""
    snapshot = Snapshot.objects.create(
        label=label, created_by=actor if getattr(actor, "pk", None) else None
    )
    now = timezone.now()
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                snapshot=snapshot,
                indicator=v.indicator,
                label=v.label,
                unit=v.unit,
                version=int(v.definition.get("version", 1)),
                definition=v.definition,
                division_code=v.division,
                division_name=v.division_name,
                zone_id=v.zone,
                period=v.period,
                period_label=v.period_label,
                value=_value_field(v.value),
                note=v.note,
                records_url=v.records_url or "",
                computed_at=now,
                position=position,
            )
            for position, v in enumerate(values)
        ]
    )
    record_event(actor=actor, verb="snapshot.created", obj=snapshot, data={"values": len(values)})
    return snapshot


def snapshot_compute(
    *,
    actor,
    division: str,
    period: str,
    zone: int | None = None,
    indicators: list[str] | None = None,
    label: str = "",
) -> Snapshot:
    """Compute figures (in the actor's scope) and freeze them."""
    values = selectors.compute(
        user=actor, division=division, period=period, zone=zone, indicators=indicators
    )
    return snapshot_create(actor=actor, values=values, label=label)
