"""The fact frames, read in bulk and cached until the data changes.

A bundle (every fact frame, the qualifications, the division tree, the zones, the benchmarks and
an evaluator with its memoised results) is kept in process memory and in Django's cache. It is
valid while

* the data version (a counter in Django's cache) is unchanged: ``post_save`` / ``post_delete`` of
  every watched model bump it; an audit event (the import engine and the demo builder write with
  ``bulk_create``, which sends no signals, but record one) asks for a fingerprint check, and
* the fingerprint (per watched table: row count and latest ``updated_at``) is unchanged — which
  also catches bulk writes by other processes. Outside a transaction the fingerprint is checked
  at most every ``STATS_FINGERPRINT_SECONDS`` (default 2); inside one (a test, an atomic
  request) on every read, since what the transaction sees may not be what others see.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import threading
import time
from dataclasses import dataclass, field

import polars as pl
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from kechuang.core.models import AuditEvent
from kechuang.engines.indicators import (
    BenchmarkValue,
    Evaluator,
    Facts,
    division_level,
    target_frame,
)

from . import facts as registry_facts
from .models import Benchmark
from .registry import INDICATORS, SOURCES, WATCHED_MODELS

VERSION_KEY = "stats:data-version"
CHECK_KEY = "stats:data-check"
BUNDLE_KEY = "stats:bundle:{token}"
BUNDLE_TIMEOUT = 24 * 3600
_lock = threading.RLock()


@dataclass
class Bundle:
    """Everything the statistics read, as of one data version and fingerprint."""

    version: int
    fingerprint: str
    facts: Facts
    divisions: pl.DataFrame  # code, name, parent
    zones: pl.DataFrame  # id, name, division_code
    benchmarks: dict[str, list[BenchmarkValue]]
    checked_at: float = 0.0
    check: int = 0
    names: dict[str, str] = field(default_factory=dict)
    zone_names: dict[int, str] = field(default_factory=dict)
    zone_hosts: dict[int, str] = field(default_factory=dict)
    evaluator: Evaluator | None = None
    _definitions: dict[tuple[str, str], dict] = field(default_factory=dict)

    def __post_init__(self):
        self.names = dict(self.divisions.select("code", "name").iter_rows())
        self.zone_names = dict(self.zones.select("id", "name").iter_rows())
        self.zone_hosts = dict(self.zones.select("id", "division_code").iter_rows())
        parents = {c: p or "" for c, p in self.divisions.select("code", "parent").iter_rows()}
        targets = target_frame(parents, self.zone_hosts, parents=parents)
        self.evaluator = Evaluator(INDICATORS, self.facts, targets, self.benchmarks)

    def definition(self, key: str, period) -> dict:
        """The indicator's definition for a period (memoised: shared, do not modify)."""
        memo = (key, period.key)
        if memo not in self._definitions:
            self._definitions[memo] = self.evaluator.definition(key, period)
        return self._definitions[memo]

    @property
    def token(self) -> tuple[int, str]:
        return (self.version, self.fingerprint)

    def years(self) -> list[int]:
        """Years with yearly facts, oldest first."""
        frame = self.facts.frames.get("enterprise_years")
        if frame is None or frame.is_empty():
            return []
        return sorted(frame.get_column("year").unique().to_list())

    def children(self, code: str) -> list[str]:
        return sorted(
            c for c, p in self.divisions.select("code", "parent").iter_rows() if p == code
        )

    def level(self, code: str) -> str:
        return division_level(code)

    # --- Django cache: frames as Arrow IPC ---------------------------------------------------

    def dumps(self) -> bytes:
        frames = {name: _ipc(frame) for name, frame in self.facts.frames.items()}
        payload = {
            "frames": frames,
            "qualifications": _ipc(self.facts.qualifications),
            "divisions": _ipc(self.divisions),
            "zones": _ipc(self.zones),
            "benchmarks": self.benchmarks,
        }
        return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def loads(cls, data: bytes, version: int, fingerprint: str) -> Bundle:
        payload = pickle.loads(data)  # noqa: S301 (written by this module into our own cache)
        facts = Facts(
            {name: _frame(raw) for name, raw in payload["frames"].items()},
            _frame(payload["qualifications"]),
        )
        return cls(
            version,
            fingerprint,
            facts,
            _frame(payload["divisions"]),
            _frame(payload["zones"]),
            payload["benchmarks"],
        )


def _ipc(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="lz4")
    return buffer.getvalue()


def _frame(raw: bytes) -> pl.DataFrame:
    return pl.read_ipc(io.BytesIO(raw))


# --- version and fingerprint -----------------------------------------------------------------


def data_version() -> int:
    return cache.get(VERSION_KEY) or 0


def _state() -> tuple[int, int]:
    values = cache.get_many([VERSION_KEY, CHECK_KEY])
    return values.get(VERSION_KEY) or 0, values.get(CHECK_KEY) or 0


def bump_version(**_kwargs) -> None:
    """Signal receiver of the watched models: the figures changed (now, and once committed)."""
    _bump(VERSION_KEY)
    transaction.on_commit(lambda: _bump(VERSION_KEY))


def request_check(**_kwargs) -> None:
    """Signal receiver of audit events: bulk writes (imports, the demo builder) record one after
    their ``bulk_create``; the next read compares the fingerprint instead of trusting its copy."""
    _bump(CHECK_KEY)
    transaction.on_commit(lambda: _bump(CHECK_KEY))


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, None)


def connect_signals() -> None:
    for model in {*WATCHED_MODELS, Benchmark}:
        uid = f"stats-{model._meta.label}"
        post_save.connect(bump_version, sender=model, dispatch_uid=uid)
        post_delete.connect(bump_version, sender=model, dispatch_uid=uid)
    post_save.connect(request_check, sender=AuditEvent, dispatch_uid="stats-audit")


def fingerprint_tables() -> list[tuple[str, bool]]:
    """(table, has updated_at) of every table the figures read."""
    tables = []
    for model in {*WATCHED_MODELS, Benchmark}:
        names = {f.name for f in model._meta.concrete_fields}
        tables.append((model._meta.db_table, "updated_at" in names))
    return sorted(tables)


def fingerprint() -> str:
    """One query: per table, the row count and the latest ``updated_at``."""
    quote = connection.ops.quote_name
    parts = []
    for table, stamped in fingerprint_tables():
        latest = "MAX(updated_at)" if stamped else "NULL"
        parts.append(f"SELECT '{table}', COUNT(*), {latest} FROM {quote(table)}")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        rows = sorted(cursor.fetchall(), key=lambda r: r[0])
    return hashlib.sha1(repr(rows).encode()).hexdigest()[:16]


def _shared_cache() -> bool:
    """Frames go to Django's cache only when other processes can read it (not a per-process
    local-memory cache, where they would just be a second copy)."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return not backend.endswith(("LocMemCache", "DummyCache"))


def fingerprint_seconds() -> float:
    return float(getattr(settings, "STATS_FINGERPRINT_SECONDS", 2.0))


# --- the bundle ------------------------------------------------------------------------------

_memory: dict[str, Bundle | None] = {"bundle": None}


def load_bundle(version: int, print_: str) -> Bundle:
    """Read every frame from the database."""
    loaded: dict[str, pl.DataFrame] = {}
    for name, source in SOURCES.items():
        loaded[name] = source.load(connection, loaded)
    facts = Facts(loaded, registry_facts.load_qualifications(connection))
    benchmarks: dict[str, list[BenchmarkValue]] = {}
    for item in Benchmark.objects.order_by("key", "year"):
        benchmarks.setdefault(item.key, []).append(
            BenchmarkValue(item.key, item.year, float(item.value), item.label, item.source)
        )
    return Bundle(
        version,
        print_,
        facts,
        registry_facts.load_divisions(connection),
        registry_facts.load_zones(connection),
        benchmarks,
    )


def current_bundle() -> Bundle:
    """The bundle for the data as it is now (from memory, Django's cache or the database)."""
    with _lock:
        version, check = _state()
        bundle = _memory["bundle"]
        now = time.monotonic()
        trusted = (
            bundle is not None
            and bundle.version == version
            and bundle.check == check
            and not connection.in_atomic_block
            and now - bundle.checked_at < fingerprint_seconds()
        )
        if trusted:
            return bundle
        print_ = fingerprint()
        if bundle is not None and bundle.token == (version, print_):
            bundle.checked_at, bundle.check = now, check
            return bundle
        key = BUNDLE_KEY.format(token=f"{version}:{print_}")
        shared = _shared_cache()
        cached = cache.get(key) if shared else None
        if cached is not None:
            bundle = Bundle.loads(cached, version, print_)
        else:
            bundle = load_bundle(version, print_)
            if shared and not connection.in_atomic_block:
                cache.set(key, bundle.dumps(), BUNDLE_TIMEOUT)
        bundle.checked_at, bundle.check = time.monotonic(), check
        _memory["bundle"] = bundle
        return bundle


def forget() -> None:
    """Drop the bundle kept in this process (tests, benchmarks)."""
    with _lock:
        _memory["bundle"] = None
