"""Indicator engine benchmark: the registry's indicators for every division and year, against
the same aggregation written directly in DuckDB SQL; fact loading from PostgreSQL and SQLite;
a warm province dashboard.

    uv run python bench/indicators.py [--rows 1000000] [--seed 2025] [--skip-load]

1. generates deterministic synthetic facts for every county of 安徽省 (organizations,
   ``--rows`` enterprise-years over 2019–2024, qualifications, platforms, zones),
2. evaluates every registry indicator for every division (county, city, province) and zone and
   every year with the engine (fresh, nothing memoised), and the same figures with one DuckDB
   SQL statement over the same frames; checks that both agree and prints the time ratio,
3. writes the rows into a throwaway PostgreSQL database and a throwaway SQLite file and times the
   stats loader (``kechuang.stats.data.load_bundle``) on each,
4. times the province dashboard (/stats/?division=340000) cold and warm on PostgreSQL.

Prints one ``name: value`` per line.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_NAME = "kechuang_bench_stats"
SQLITE_PATH = ROOT / "var" / "bench" / "indicators.sqlite3"
PROVINCE = "34"
YEARS = list(range(2019, 2025))
QUALIFICATIONS = (  # kind, share of organizations, years of validity
    ("tech_sme", 0.35, 1),
    ("hnte", 0.15, 3),
    ("gazelle", 0.03, 3),
    ("little_giant", 0.02, 3),
    ("leading_innovator", 0.005, 3),
)
PLATFORM_KINDS = (
    "incubator",
    "makerspace",
    "eng_research_center",
    "tech_innovation_center",
    "key_lab",
    "enterprise_institute",
    "new_rd_institute",
    "university_park",
    "innovation_consortium",
)
ZONES = 24


def emit(name: str, value) -> None:
    print(f"{name}: {value}", flush=True)


# --- synthetic facts -------------------------------------------------------------------------


def counties() -> list[str]:
    from kechuang.regions.services import gbt2260_rows

    return [
        code
        for code, _name, level, _parent in gbt2260_rows()
        if level == "county" and code.startswith(PROVINCE)
    ]


def generate(rows: int, seed: int) -> dict:
    """Frames in the loaders' shapes (money in fen), plus the zones' host counties."""
    import datetime as dt

    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    codes = np.array(counties())
    per_org = 5
    n_orgs = -(-rows // per_org)
    zone_hosts = rng.choice(codes, ZONES)
    org_ids = np.arange(1, n_orgs + 1)
    division = rng.choice(codes, n_orgs)
    in_zone = rng.random(n_orgs) < 0.3
    zone_id = np.where(in_zone, rng.integers(1, ZONES + 1, n_orgs), 0)
    # A zone's enterprises sit in its host county.
    division = np.where(in_zone, zone_hosts[np.maximum(zone_id - 1, 0)], division)
    kind = np.where(rng.random(n_orgs) < 0.97, "enterprise", "university")
    ownership = rng.choice(
        ["private", "state", "foreign", "mixed"], n_orgs, p=[0.8, 0.1, 0.05, 0.05]
    )
    above_scale = rng.random(n_orgs) < 0.25
    founded = pl.Series(
        [dt.date(2000, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 8000, n_orgs)]
    )
    organizations = pl.DataFrame(
        {
            "id": org_ids,
            "division_code": division,
            "zone_id": pl.Series(zone_id).replace(0, None),
            "kind": kind,
            "ownership": ownership,
            "above_scale": above_scale,
            "hightech_field": rng.choice(["01", "02", "04", "08", ""], n_orgs),
            "industry_code": rng.choice(["3911", "2710", "3512", "6510"], n_orgs),
            "founded_on": founded,
        }
    )
    first_year = rng.integers(YEARS[0], YEARS[-1] - per_org + 2, n_orgs)
    ey_org = np.repeat(org_ids, per_org)[:rows]
    ey_year = (np.repeat(first_year, per_org) + np.tile(np.arange(per_org), n_orgs))[:rows]
    revenue = rng.lognormal(17, 1.2, rows).astype(np.int64) * 100  # fen
    rd = (revenue * rng.uniform(0.005, 0.08, rows)).astype(np.int64)
    employees = rng.integers(10, 2000, rows)
    years = pl.DataFrame(
        {
            "id": np.arange(1, rows + 1),
            "org_id": ey_org,
            "year": ey_year,
            "revenue": revenue,
            "rd_expense": rd,
            "rd_expense_domestic": (rd * 0.9).astype(np.int64),
            "hightech_revenue": (revenue * 0.5).astype(np.int64),
            "total_assets": revenue * 2,
            "net_assets": revenue,
            "total_cost": (revenue * 0.85).astype(np.int64),
            "tax_paid": (revenue * 0.03).astype(np.int64),
            "value_added": (revenue * 0.25).astype(np.int64),
            "employees": employees,
            "rd_staff": (employees * rng.uniform(0.05, 0.3, rows)).astype(np.int64),
            "class_i_ip": rng.integers(0, 5, rows),
            "class_ii_ip": rng.integers(0, 20, rows),
            "invention_patents": rng.integers(0, 8, rows),
        }
    )
    attributes = organizations.rename({"id": "org_id"})
    years = years.join(attributes, on="org_id", how="left")
    quals = []
    for kind_, share, validity in QUALIFICATIONS:
        holders = org_ids[rng.random(n_orgs) < share]
        start = rng.integers(YEARS[0] - validity, YEARS[-1] + 1, len(holders))
        for renewal in range(2):  # held, and renewed once on expiry
            granted = start + renewal * validity
            quals.append(
                pl.DataFrame(
                    {
                        "org_id": holders,
                        "kind": kind_,
                        "status": np.where(rng.random(len(holders)) < 0.97, "valid", "revoked"),
                        "granted_on": [dt.date(int(y), 6, 1) for y in granted],
                        "valid_until": [dt.date(int(y) + validity, 5, 31) for y in granted],
                        "number": [f"{kind_}-{renewal}-{i}" for i in range(len(holders))],
                    }
                )
            )
    qualifications = pl.concat(quals)
    n_platforms = max(1, n_orgs // 40)
    hosts = rng.choice(org_ids, n_platforms, replace=False)
    host_rows = organizations.filter(pl.col("id").is_in(hosts.tolist())).sort("id")
    platforms = pl.DataFrame(
        {
            "id": np.arange(1, len(host_rows) + 1),
            "host_id": host_rows["id"],
            "division_code": host_rows["division_code"],
            "zone_id": host_rows["zone_id"],
            "kind": rng.choice(PLATFORM_KINDS, len(host_rows)),
            "level": rng.choice(
                ["national", "provincial", "municipal"], len(host_rows), p=[0.1, 0.4, 0.5]
            ),
            "status": rng.choice(
                ["active", "warned", "revoked"], len(host_rows), p=[0.9, 0.05, 0.05]
            ),
            "recognised_on": [
                dt.date(int(y), 3, 1) for y in rng.integers(2010, YEARS[-1] + 1, len(host_rows))
            ],
        }
    )
    return {
        "organizations": organizations,
        "enterprise_years": years,
        "qualifications": qualifications,
        "platforms": platforms,
        "zone_hosts": {i + 1: str(code) for i, code in enumerate(zone_hosts)},
    }


# --- the engine and DuckDB -------------------------------------------------------------------


def engine_tables(generated: dict, indicators):
    from kechuang.engines.indicators import BenchmarkValue, Evaluator, Facts, target_frame
    from kechuang.regions.services import gbt2260_rows

    divisions = [c for c, *_ in gbt2260_rows() if c.startswith(PROVINCE)]
    facts = Facts(
        {
            "organizations": generated["organizations"],
            "enterprise_years": generated["enterprise_years"],
            "platforms": generated["platforms"],
        },
        generated["qualifications"].drop("number"),
    )
    benchmarks = {"national.rd_intensity": [BenchmarkValue("national.rd_intensity", 2019, 0.0265)]}
    evaluator = Evaluator(
        indicators, facts, target_frame(divisions, generated["zone_hosts"]), benchmarks
    )
    evaluator.prepare([str(year) for year in YEARS])
    return {year: evaluator.table(str(year)) for year in YEARS}


def duckdb_sql() -> str:
    """Every registry figure for every division, zone and year, written directly in SQL."""
    kinds = [k for k, _s, _v in QUALIFICATIONS]
    ends = ", ".join(f"({y}, DATE '{y}-12-31')" for y in YEARS)
    holder_flags = ",\n".join(f"  BOOL_OR(q.kind = '{k}') AS q_{k}" for k in kinds)
    org_counts = [f"SUM(CASE WHEN h.q_{k} THEN 1 ELSE 0 END) AS {k}_count" for k in kinds]
    org_counts += [
        f"SUM(CASE WHEN h.q_{k} AND o.ownership = 'private' THEN 1 ELSE 0 END) AS {k}_private_count"
        for k in kinds
    ]
    org_counts += [
        "SUM(CASE WHEN o.kind = 'enterprise' THEN 1 ELSE 0 END) AS enterprise_count",
        "SUM(CASE WHEN o.kind = 'enterprise' AND o.above_scale THEN 1 ELSE 0 END) "
        "AS above_scale_count",
    ]
    existing = "p.status <> 'revoked' AND (p.recognised_on IS NULL OR p.recognised_on <= e.day)"
    platform_counts = [f"SUM(CASE WHEN {existing} THEN 1 ELSE 0 END) AS platform_count"]
    platform_counts += [
        f"SUM(CASE WHEN {existing} AND p.level = '{lv}' THEN 1 ELSE 0 END) AS platform_{lv}_count"
        for lv in ("national", "provincial", "municipal")
    ]
    platform_counts += [
        f"SUM(CASE WHEN {existing} AND p.kind = '{k}' THEN 1 ELSE 0 END) AS platform_{k}_count"
        for k in PLATFORM_KINDS
    ]
    sums = [
        ("rd_expense_sum", "rd_expense"),
        ("revenue_sum", "revenue"),
        ("hightech_revenue_sum", "hightech_revenue"),
        ("employees_sum", "employees"),
        ("rd_staff_sum", "rd_staff"),
        ("invention_patents_sum", "invention_patents"),
    ]
    year_sums = [f"SUM({col}) AS {key}" for key, col in sums] + [
        "COUNT(*) AS reporting_enterprise_count"
    ]
    base_org = [c.rsplit(" AS ", 1)[1] for c in org_counts]
    base_platform = [c.rsplit(" AS ", 1)[1] for c in platform_counts]
    base_years = [c.rsplit(" AS ", 1)[1] for c in year_sums]

    def rolled(name: str, columns: list[str]) -> str:
        """County groups rolled up by code prefix (county, city, province) and by zone."""
        sums_ = ", ".join(f"SUM({c}) AS {c}" for c in columns)
        return f"""
        SELECT year, target, {", ".join(columns)} FROM (
          SELECT year, division_code AS target, {sums_} FROM {name}
            WHERE substr(division_code, 5, 2) <> '00' GROUP BY year, division_code
          UNION ALL
          SELECT year, substr(division_code, 1, 4) || '00', {sums_} FROM {name}
            WHERE substr(division_code, 3, 2) <> '00' GROUP BY year, substr(division_code, 1, 4)
          UNION ALL
          SELECT year, substr(division_code, 1, 2) || '0000', {sums_} FROM {name}
            GROUP BY year, substr(division_code, 1, 2)
          UNION ALL
          SELECT year, 'z' || zone_id, {sums_} FROM {name}
            WHERE zone_id IS NOT NULL GROUP BY year, zone_id
        )"""

    shares = ",\n".join(
        f"  CASE WHEN cur.{k}_count = 0 THEN NULL ELSE cur.{k}_private_count / cur.{k}_count END "
        f"AS {k}_private_share"
        for k in kinds
    )
    growth_keys = [f"{k}_count" for k in kinds] + ["revenue_sum", "rd_expense_sum"]
    growths = ",\n".join(
        f"  CASE WHEN prev.{g} IS NULL OR prev.{g} = 0 THEN NULL "
        f"ELSE (cur.{g} - prev.{g}) / prev.{g} END AS {g}_yoy"
        for g in growth_keys
    )
    return f"""
    WITH ends(year, day) AS (VALUES {ends}),
    holders AS (
      SELECT e.year, q.org_id,
{holder_flags}
      FROM qualifications q JOIN ends e
        ON q.status = 'valid' AND q.granted_on <= e.day AND q.valid_until >= e.day
      GROUP BY e.year, q.org_id
    ),
    org_groups AS (
      SELECT e.year, o.division_code, o.zone_id, {", ".join(org_counts)}
      FROM organizations o CROSS JOIN ends e
        LEFT JOIN holders h ON h.org_id = o.id AND h.year = e.year
      GROUP BY e.year, o.division_code, o.zone_id
    ),
    platform_groups AS (
      SELECT e.year, p.division_code, p.zone_id, {", ".join(platform_counts)}
      FROM platforms p CROSS JOIN ends e
      GROUP BY e.year, p.division_code, p.zone_id
    ),
    year_groups AS (
      SELECT year, division_code, zone_id, {", ".join(year_sums)}
      FROM enterprise_years WHERE year IN ({", ".join(map(str, YEARS))})
      GROUP BY year, division_code, zone_id
    ),
    targets AS (
      SELECT t.target, t.peers, t.province, e.year FROM target_list t CROSS JOIN ends e
    ),
    base AS (
      SELECT t.target, t.peers, t.province, t.year,
        {", ".join(f"COALESCE(o.{c}, 0) AS {c}" for c in base_org)},
        {", ".join(f"COALESCE(p.{c}, 0) AS {c}" for c in base_platform)},
        {", ".join(f"y.{c}" for c in base_years if c != "reporting_enterprise_count")},
        COALESCE(y.reporting_enterprise_count, 0) AS reporting_enterprise_count,
        CASE WHEN y.revenue_sum = 0 THEN NULL
             ELSE CAST(y.rd_expense_sum AS DOUBLE) / y.revenue_sum END AS rd_intensity
      FROM targets t
        LEFT JOIN ({rolled("org_groups", base_org)}) o ON o.target = t.target AND o.year = t.year
        LEFT JOIN ({rolled("platform_groups", base_platform)}) p
          ON p.target = t.target AND p.year = t.year
        LEFT JOIN ({rolled("year_groups", base_years)}) y ON y.target = t.target AND y.year = t.year
    ),
    ranked AS (
      SELECT *,
        CASE WHEN rd_intensity IS NULL THEN NULL
             ELSE RANK() OVER (PARTITION BY year, peers, rd_intensity IS NULL
                               ORDER BY rd_intensity DESC) END AS rd_intensity_rank,
        RANK() OVER (PARTITION BY year, peers ORDER BY hnte_count DESC) AS hnte_count_rank
      FROM base
    )
    SELECT cur.*,
{shares},
{growths},
      (cur.rd_intensity - 0.0265) * 100 AS rd_intensity_vs_national,
      (cur.rd_intensity - prov.rd_intensity) * 100 AS rd_intensity_vs_province,
      prev.rd_intensity_rank - cur.rd_intensity_rank AS rd_intensity_rank_change
    FROM ranked cur
      LEFT JOIN ranked prev ON prev.target = cur.target AND prev.year = cur.year - 1
      LEFT JOIN ranked prov ON prov.target = cur.province AND prov.year = cur.year
    """


def duckdb_tables(generated: dict):
    """DuckDB reads the same frames (through Parquet, into its own in-memory tables); only the
    SQL statement is timed."""
    import tempfile

    import duckdb
    import polars as pl

    from kechuang.engines.indicators import target_frame
    from kechuang.regions.services import gbt2260_rows

    divisions = [c for c, *_ in gbt2260_rows() if c.startswith(PROVINCE)]
    frames = {
        "organizations": generated["organizations"],
        "enterprise_years": generated["enterprise_years"],
        "qualifications": generated["qualifications"],
        "platforms": generated["platforms"],
        "target_list": target_frame(divisions, generated["zone_hosts"]).select(
            "target", "peers", "province"
        ),
    }
    con = duckdb.connect()
    with tempfile.TemporaryDirectory() as folder:
        for name, frame in frames.items():
            path = Path(folder) / f"{name}.parquet"
            frame.write_parquet(path)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{path}')")
    sql = duckdb_sql()
    start = time.perf_counter()
    columns = con.execute(sql).fetchnumpy()
    seconds = time.perf_counter() - start
    result = pl.DataFrame(
        {name: pl.Series(name, _unmask(values)) for name, values in columns.items()}
    )
    return seconds, result


def _unmask(values):
    """numpy masked arrays (NULLs) → lists with None."""
    import numpy as np

    if isinstance(values, np.ma.MaskedArray):
        return (
            [
                None if m else v
                for v, m in zip(values.data.tolist(), values.mask.tolist(), strict=True)
            ]
            if values.mask.any()
            else (values.data.tolist())
        )
    return values.tolist() if hasattr(values, "tolist") else list(values)


def compare(tables: dict, reference) -> int:
    """Check the engine's figures against DuckDB's; return how many values were compared."""
    import polars as pl

    keys = [
        "hnte_count",
        "tech_sme_private_share",
        "hnte_count_yoy",
        "platform_count",
        "platform_key_lab_count",
        "revenue_sum",
        "rd_intensity",
        "rd_intensity_vs_national",
        "rd_intensity_vs_province",
        "rd_intensity_rank",
        "rd_intensity_rank_change",
        "hnte_count_rank",
    ]
    compared = 0
    for year, table in tables.items():
        if year == YEARS[0]:
            continue  # the SQL has no year before the first for growth and rank changes
        ours = table.select("target", *keys)
        theirs = reference.filter(pl.col("year") == year).select("target", *keys)
        joined = ours.join(theirs, on="target", suffix="_ref")
        assert len(joined) == len(ours), "targets differ"
        for key in keys:
            a = joined.get_column(key).cast(pl.Float64)
            b = joined.get_column(f"{key}_ref").cast(pl.Float64)
            same = ((a - b).abs() <= 1e-9 * (1 + b.abs())) | (a.is_null() & b.is_null())
            if not same.all():
                bad = joined.filter(~same).select("target", key, f"{key}_ref").head(5)
                raise SystemExit(f"engine and DuckDB differ on {key} {year}:\n{bad}")
            compared += len(joined)
    return compared


# --- databases -------------------------------------------------------------------------------


def fresh_databases() -> dict[str, str]:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {PG_NAME}")
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
    return {
        "default": f"postgres://postgres@127.0.0.1:5432/{PG_NAME}",
        "sqlite": f"sqlite:///{SQLITE_PATH}",
    }


def yuan(column: str):
    """Integer fen → the exact yuan text "1234.56" (no float on the way)."""
    import polars as pl

    fen = pl.col(column)
    return (
        pl.when(fen.is_null())
        .then(None)
        .otherwise((fen // 100).cast(pl.Utf8) + "." + (fen % 100).cast(pl.Utf8).str.zfill(2))
        .alias(column)
    )


def database_rows(generated: dict):
    """(table, columns, frame) in insertion order, money back in yuan."""
    import datetime as dt

    import polars as pl

    from kechuang.orgs.models import EnterpriseYear, Organization, Qualification
    from kechuang.platforms.models import Platform

    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    stamp = [pl.lit(now).alias("created_at"), pl.lit(now).alias("updated_at")]
    orgs = generated["organizations"].select(
        "id",
        (pl.lit("91") + pl.col("division_code") + pl.col("id").cast(pl.Utf8).str.zfill(10)).alias(
            "uscc"
        ),
        (pl.lit("企业") + pl.col("id").cast(pl.Utf8)).alias("name"),
        "kind",
        "division_code",
        "zone_id",
        "ownership",
        "industry_code",
        "hightech_field",
        "founded_on",
        "above_scale",
        *stamp,
    )
    money = [
        "revenue",
        "rd_expense",
        "rd_expense_domestic",
        "hightech_revenue",
        "total_assets",
        "net_assets",
        "total_cost",
        "tax_paid",
        "value_added",
    ]
    years = generated["enterprise_years"].select(
        "id",
        pl.col("org_id").alias("organization_id"),
        "year",
        *[yuan(m) for m in money],
        "employees",
        "rd_staff",
        "class_i_ip",
        "class_ii_ip",
        "invention_patents",
        *stamp,
    )
    quals = generated["qualifications"].select(
        pl.int_range(1, pl.len() + 1).alias("id"),
        pl.col("org_id").alias("organization_id"),
        "kind",
        "number",
        pl.lit("national").alias("level"),
        "granted_on",
        "valid_until",
        "status",
        *stamp,
    )
    platforms = generated["platforms"].select(
        "id",
        (pl.lit("平台") + pl.col("id").cast(pl.Utf8)).alias("name"),
        "kind",
        "level",
        "host_id",
        "division_code",
        "zone_id",
        "recognised_on",
        "status",
        *stamp,
    )
    return [
        (Organization._meta.db_table, orgs),
        (EnterpriseYear._meta.db_table, years),
        (Qualification._meta.db_table, quals),
        (Platform._meta.db_table, platforms),
    ]


def write_rows(alias: str, generated: dict) -> float:
    from django.db import connections, transaction

    from kechuang.regions.models import Zone

    start = time.perf_counter()
    Zone.objects.using(alias).bulk_create(
        [
            Zone(
                id=zone_id,
                name=f"高新区{zone_id}",
                kind="hitech",
                level="provincial",
                division_code=host,
            )
            for zone_id, host in generated["zone_hosts"].items()
        ]
    )
    connection = connections[alias]
    for table, frame in database_rows(generated):
        columns = ", ".join(frame.columns)
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            frame.write_csv(buffer, include_header=False, null_value="")
            connection.ensure_connection()
            with (
                connection.connection.cursor() as cursor,
                cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy,
            ):
                copy.write(buffer.getvalue())
            connection.connection.commit()
        else:
            marks = ", ".join("?" for _ in frame.columns)
            with transaction.atomic(using=alias), connection.cursor() as cursor:
                for batch in frame.iter_slices(50_000):
                    cursor.executemany(
                        f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch.rows()
                    )
    with connection.cursor() as cursor:
        for table, _frame in database_rows(generated):
            cursor.execute(f"ANALYZE {table}")
        if connection.vendor == "postgresql":
            for table, frame in database_rows(generated):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {len(frame) + 1})"
                )
    return time.perf_counter() - start


def time_loader(alias: str, label: str, repeat: int = 3) -> float:
    from django.db import connections

    from kechuang.stats import facts as stats_facts
    from kechuang.stats.registry import SOURCES

    connection = connections[alias]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        loaded = {}
        for name, source in SOURCES.items():
            loaded[name] = source.load(connection, loaded)
        stats_facts.load_qualifications(connection)
        stats_facts.load_divisions(connection)
        stats_facts.load_zones(connection)
        samples.append(time.perf_counter() - start)
    emit(f"load_{label}_rows", sum(len(f) for f in loaded.values()))
    megabytes = sum(f.estimated_size() for f in loaded.values()) / 2**20
    emit(f"load_{label}_frames_mb", round(megabytes))
    return min(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="enterprise-years")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--skip-load", action="store_true", help="engine and DuckDB only")
    parser.add_argument("--requests", type=int, default=20, help="warm dashboard requests")
    args = parser.parse_args()

    urls = {} if args.skip_load else fresh_databases()
    os.environ["DATABASE_URL"] = urls.get("default", f"sqlite:///{SQLITE_PATH}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    import dj_database_url
    from django.conf import settings

    if urls:
        settings.DATABASES["sqlite"] = dj_database_url.parse(urls["sqlite"])
        settings.DATABASES["sqlite"]["CONN_MAX_AGE"] = 0
    import django

    django.setup()
    import polars as pl

    from kechuang.stats.registry import INDICATORS

    emit("rows_requested", args.rows)
    emit("polars_threads", pl.thread_pool_size())
    start = time.perf_counter()
    generated = generate(args.rows, args.seed)
    emit("generate_s", round(time.perf_counter() - start, 2))
    emit("enterprise_years", len(generated["enterprise_years"]))
    emit("organizations", len(generated["organizations"]))
    emit("qualifications", len(generated["qualifications"]))
    emit("platforms", len(generated["platforms"]))
    emit("indicators", len(INDICATORS))

    engine_samples, duck_samples = [], []
    for _ in range(3):
        start = time.perf_counter()
        tables = engine_tables(generated, INDICATORS)
        engine_samples.append(time.perf_counter() - start)
        seconds, reference = duckdb_tables(generated)
        duck_samples.append(seconds)
    targets = len(next(iter(tables.values())))
    emit("targets_per_year", targets)
    emit("years", len(YEARS))
    emit("values_per_run", targets * len(YEARS) * len(INDICATORS))
    emit("agreeing_values_checked", compare(tables, reference))
    engine_s, duck_s = min(engine_samples), min(duck_samples)
    emit("engine_s", round(engine_s, 3))
    emit("duckdb_s", round(duck_s, 3))
    emit("engine_to_duckdb_ratio", round(engine_s / duck_s, 2))
    if args.skip_load:
        return

    from django.core.management import call_command

    for alias in ("default", "sqlite"):
        call_command("migrate", database=alias, verbosity=0)
        emit(f"write_{alias}_s", round(write_rows(alias, generated), 1))
    emit("load_postgresql_s", round(time_loader("default", "postgresql"), 2))
    emit("load_sqlite_s", round(time_loader("sqlite", "sqlite"), 2))
    dashboard(args.requests)


def dashboard(requests: int) -> None:
    from django.test import Client

    from kechuang.accounts.models import User
    from kechuang.stats import data

    admin = User.objects.create(username="bench_admin", role="admin", is_superuser=True)
    client = Client()
    client.force_login(admin)
    url = "/stats/?division=340000&year=2024"
    data.forget()
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    emit("dashboard_cold_s", round(time.perf_counter() - start, 2))
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200
        samples.append((time.perf_counter() - start) * 1000)
    emit("dashboard_warm_p50_ms", round(statistics.median(samples), 1))
    emit("dashboard_warm_max_ms", round(max(samples), 1))
    start = time.perf_counter()
    data.fingerprint()
    emit("fingerprint_ms", round((time.perf_counter() - start) * 1000, 1))


if __name__ == "__main__":
    main()
