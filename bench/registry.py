"""Registry benchmark: CSV import throughput and scoped-list latency against raw SQL.

    uv run python bench/registry.py [--enterprises 100000] [--requests 200]
                                     [--database sqlite|postgres]

1. builds the demo region with N enterprises (3 years of facts each) in a fresh database,
2. exports organizations, enterprise-years and qualifications to CSV, empties the registry and
   imports the files back (rows/s: the import engine's whole path — parse, validate, upsert,
   history),
3. times the enterprise list API and list page filtered by division prefix + qualification held
   today (p50/p95 over --requests calls, in-process through Django's test client) against the same
   page fetched with raw SQL on the same connection, and prints the ratios.

Prints one ``name: value`` per line.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = "postgres://postgres@127.0.0.1:5432/kechuang_bench"


def fresh_database(kind: str) -> str:
    if kind == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS kechuang_bench WITH (FORCE)")
            c.execute("CREATE DATABASE kechuang_bench")
        return PG_URL
    path = ROOT / "var" / "bench" / "registry.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm caches and connections
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def emit(name: str, value) -> None:
    print(f"{name}: {value}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--division", default="340421", help="county filter of the list (6 digits)")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = fresh_database(args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from kechuang.accounts.services import token_for, user_create
    from kechuang.core.imports.engine import run_import
    from kechuang.core.imports.exports import write_export
    from kechuang.core.scoping import division_prefix
    from kechuang.demo import builder
    from kechuang.demo.data import ZONES
    from kechuang.orgs.models import EnterpriseYear, Organization, Qualification
    from kechuang.platforms.models import Platform
    from kechuang.regions.models import Zone

    call_command("migrate", verbosity=0)
    emit("database", connection.vendor)
    emit("enterprises_requested", args.enterprises)

    start = time.perf_counter()
    builder.build(size="large", enterprises=args.enterprises, history=False, progress=True)
    emit("demo_build_s", round(time.perf_counter() - start, 1))

    kinds = ["organizations", "enterprise-years", "qualifications"]
    workdir = Path(tempfile.mkdtemp(prefix="kechuang-bench-"))
    files = {}
    for kind in kinds:
        files[kind] = workdir / f"{kind}.csv"
        start = time.perf_counter()
        rows = write_export(kind, files[kind])
        seconds = time.perf_counter() - start
        emit(f"export_{kind}_rows", rows)
        emit(f"export_{kind}_rows_per_s", round(rows / seconds))

    # Empty the registry (keep divisions and zones) and import the files back.
    builder.reset()
    for z in ZONES:
        Zone.objects.create(
            name=z.name,
            kind=z.kind,
            level=z.level,
            division_code=z.division_code,
            approved_on=z.approved_on,
        )
    assert not Organization.objects.exists() and not Platform.objects.exists()

    total_rows, total_seconds = 0, 0.0
    for kind in kinds:
        start = time.perf_counter()
        report = run_import(kind, files[kind], actor=None)
        seconds = time.perf_counter() - start
        if report.errors:
            raise SystemExit(f"{kind}: {report.errors[:3]}")
        rows = report.created + report.updated + report.unchanged
        total_rows += rows
        total_seconds += seconds
        emit(f"import_{kind}_rows", rows)
        emit(f"import_{kind}_rows_per_s", round(rows / seconds))
    emit("import_total_rows_per_s", round(total_rows / total_seconds))

    start = time.perf_counter()
    report = run_import("enterprise-years", files["enterprise-years"], actor=None)
    seconds = time.perf_counter() - start
    emit("reimport_enterprise_years_unchanged", report.unchanged)
    emit("reimport_enterprise_years_rows_per_s", round(report.unchanged / seconds))

    # Latency: the enterprise list filtered by division prefix + qualification in force today.
    bureau = user_create(username="bench_bureau", role="bureau", division_code="340400")
    api = Client(HTTP_AUTHORIZATION=f"Token {token_for(bureau)}")
    page = Client()
    page.force_login(bureau)
    query = f"division={args.division}&qualification=hnte&page_size=50"

    def call_api():
        response = api.get(f"/api/v1/organizations/?{query}")
        assert response.status_code == 200, response.status_code

    def call_page():
        response = page.get(f"{reverse('orgs:organization-list')}?{query}")
        assert response.status_code == 200, response.status_code

    today = timezone.localdate()
    org, qual = Organization._meta.db_table, Qualification._meta.db_table
    scope = division_prefix(bureau.division_code)
    # The reference: the same page written by hand — scope and filter as code ranges, holders of
    # a hnte certificate in force today as one IN (…) set.
    where = f"""
        FROM {org} o
        WHERE o.division_code BETWEEN %s AND %s AND o.division_code = %s
        AND o.id IN (
            SELECT q.organization_id FROM {qual} q WHERE q.kind = 'hnte'
            AND q.status = 'valid' AND q.granted_on <= %s AND q.valid_until >= %s)
    """
    params = [scope.ljust(6, "0"), scope.ljust(6, "9"), args.division, today, today]

    page_from = where.replace("WHERE", "LEFT JOIN regions_zone z ON z.id = o.zone_id WHERE", 1)

    def call_sql():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) {where}", params)
            cursor.fetchone()
            cursor.execute(
                f"SELECT o.*, z.* {page_from} ORDER BY o.division_code, o.name LIMIT 50",
                params,
            )
            cursor.fetchall()

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {where}", params)
        emit("list_matching_rows", cursor.fetchone()[0])
    emit("enterprise_years_total", EnterpriseYear.objects.count())
    sql = timed(call_sql, args.requests)
    results = {"api": timed(call_api, args.requests), "page": timed(call_page, args.requests)}
    emit("raw_sql_p50_ms", round(statistics.median(sql), 2))
    emit("raw_sql_p95_ms", round(percentile(sql, 0.95), 2))
    for name, samples in results.items():
        emit(f"list_{name}_p50_ms", round(statistics.median(samples), 2))
        emit(f"list_{name}_p95_ms", round(percentile(samples, 0.95), 2))
        emit(
            f"list_{name}_vs_raw_sql_p50_ratio",
            round(statistics.median(samples) / statistics.median(sql), 2),
        )
        emit(
            f"list_{name}_vs_raw_sql_p95_ratio",
            round(percentile(samples, 0.95) / percentile(sql, 0.95), 2),
        )


if __name__ == "__main__":
    main()
