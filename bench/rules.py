"""Rules engine benchmark: ``hnte`` + ``tech_sme`` over synthetic enterprises × 3 fiscal years,
against a plain per-row Python implementation of the same rules in the same run.

    uv run python bench/rules.py [--enterprises 1000000] [--reference-rows 0] [--seed 2025]
                                 [--demo large|medium|small|none] [--database sqlite|postgres]

1. generates deterministic synthetic facts (integer yuan, gaps, zeros, younger enterprises, values
   on the thresholds: revenue exactly 50 M / 200 M, R&D staff exactly 10 %, …),
2. evaluates both policies for fiscal year 2023 with the engine (a fresh simulation, vectorised),
3. evaluates the same rules row by row in plain Python (written independently from the official
   numbers, not from the engine's parameter files) on every enterprise (in chunks; turning arrays
   into Python objects is not timed), or on a random sample of ``--reference-rows`` when given,
   extrapolating its time to all enterprises,
4. checks that both agree on every compared enterprise's eligibility, pending flag and score,
5. end to end from the database (unless ``--demo none``): builds the demo region of that size in
   a bench database (kept between runs; ``--rebuild`` starts afresh) and times 免申即享 screening
   of every enterprise for the demo's latest year as the platform does it (three bulk queries,
   the engine, then one explained row per enterprise, sorted), against a plain implementation:
   the same facts read row by row from the same tables and the per-row Python rules above; both
   must agree on every enterprise.

Prints one ``name: value`` per line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2023
YEARS = (YEAR - 2, YEAR - 1, YEAR)
ENTERPRISE_FACTS = (
    "employees",
    "rd_staff",
    "revenue",
    "rd_expense",
    "rd_expense_domestic",
    "hightech_revenue",
    "total_assets",
    "net_assets",
    "total_cost",
    "class_i_ip",
    "class_ii_ip",
)


def emit(name: str, value) -> None:
    print(f"{name}: {value}", flush=True)


def generate(n: int, seed: int):
    from kechuang.engines.rules import Inputs, Qualification

    rng = np.random.default_rng(seed)
    employees = rng.integers(5, 800, n).astype(float)
    rd_staff = np.floor(employees * rng.uniform(0, 0.4, n))
    edge = rng.random(n) < 0.05  # exactly 10 % R&D staff
    employees[edge] = 10 * rng.integers(1, 50, edge.sum())
    rd_staff[edge] = employees[edge] / 10
    latest = np.round(np.exp(rng.uniform(np.log(1e6), np.log(6e8), n)))
    pick = rng.random(n)
    latest[pick < 0.03] = 50_000_000
    latest[(pick >= 0.03) & (pick < 0.06)] = 200_000_000
    growth = rng.uniform(0.7, 1.6, (3, n))
    revenue = np.stack(
        [np.round(latest / growth[1] / growth[2]), np.round(latest / growth[2]), latest]
    )
    intensity = rng.uniform(0, 0.08, n)
    rd = np.round(revenue * intensity)
    exact = rng.random(n) < 0.05  # R&D exactly at 5 % each year
    rd[:, exact] = revenue[:, exact] * 5 // 100
    revenue[:, exact] = rd[:, exact] * 20
    domestic = np.round(rd * rng.uniform(0.4, 1.0, n))
    hightech = np.stack([np.full(n, np.nan)] * 2 + [np.round(latest * rng.uniform(0.3, 1.0, n))])
    net = np.round(revenue * rng.uniform(0.2, 0.8, (3, n)))
    total_assets = np.round(net[2] * rng.uniform(1.0, 2.0, n))
    total_cost = np.round(revenue[2] * rng.uniform(0.5, 1.1, n))
    class_i = np.where(rng.random(n) < 0.2, rng.integers(1, 4, n), 0).astype(float)
    class_ii = rng.integers(0, 8, n).astype(float)
    young = rng.random(n) < 0.1  # founded in 2022: no 2021 facts
    zero = rng.random(n) < 0.01
    for array in (revenue, rd, domestic, net):
        array[0, young] = np.nan
        array[:, zero] = 0 if array is revenue else array[:, zero]
    for array in (revenue, net):
        array[0, rng.random(n) < 0.02] = 0  # a zero first year
        array[1, rng.random(n) < 0.01] = 0  # a zero second year
    founded = np.datetime64("2005-01-01") + rng.integers(0, 365 * 18, n).astype("m8[D]")
    founded[young] = np.datetime64("2022-01-01") + rng.integers(0, 730, young.sum()).astype("m8[D]")
    hightech_field = np.where(rng.random(n) < 0.9, "01", "").astype(object)
    expert = np.where(rng.random(n) < 0.7, rng.integers(40, 80, n), np.nan).astype(float)
    has_hnte = rng.random(n) < 0.15
    granted = np.datetime64("2020-06-01") + rng.integers(0, 1200, n).astype("m8[D]")
    granted[~has_hnte] = np.datetime64("NaT")
    until = granted + np.timedelta64(3 * 365, "D")
    years3 = lambda a: np.stack([np.full(n, np.nan), np.full(n, np.nan), a])  # noqa: E731
    yearly = {
        "employees": years3(employees),
        "rd_staff": years3(rd_staff),
        "revenue": revenue,
        "rd_expense": rd,
        "rd_expense_domestic": domestic,
        "hightech_revenue": hightech,
        "total_assets": years3(total_assets),
        "net_assets": net,
        "total_cost": years3(total_cost),
        "class_i_ip": years3(class_i),
        "class_ii_ip": years3(class_ii),
    }
    static = {
        "founded_on": founded,
        "hightech_field": hightech_field,
        "innovation_expert_score": expert,
    }
    return Inputs(np.arange(n), YEARS, yearly, static, {"hnte": Qualification(granted, until)})


# --- the plain per-row reference (official numbers written out, no engine code) ---------------


def ge(value, threshold):
    return value >= threshold - 1e-9 * max(abs(threshold), 1e-300)


def nan(x):
    return x != x


def hnte_row(f, year=YEAR):
    """(eligible, pending, innovation total or None) of one enterprise dict."""
    ok = f["founded_on"] is not None and f["founded_on"] <= dt.date(year, 1, 1)
    i1, i2 = f["class_i_ip"][2], f["class_ii_ip"][2]
    ok &= not (nan(i1) and nan(i2)) and (0 if nan(i1) else i1) + (0 if nan(i2) else i2) >= 1
    ok &= bool(f["hightech_field"])
    emp, staff = f["employees"][2], f["rd_staff"][2]
    ok &= not nan(emp) and emp != 0 and not nan(staff) and ge(staff / emp, 0.10)
    rev = rd = dom = 0.0
    for y in range(3):
        if not nan(f["revenue"][y]):
            rev += f["revenue"][y]
            rd += 0 if nan(f["rd_expense"][y]) else f["rd_expense"][y]
            dom += 0 if nan(f["rd_expense_domestic"][y]) else f["rd_expense_domestic"][y]
    latest = f["revenue"][2]
    if nan(latest):
        ok = False
    else:
        need = 0.05 if latest <= 50_000_000 else 0.04 if latest <= 200_000_000 else 0.03
        ok &= rev != 0 and ge(rd / rev, need)
    ok &= rd != 0 and ge(dom / rd, 0.60)
    ht = f["hightech_revenue"][2]
    ok &= not nan(latest) and latest != 0 and not nan(ht) and ge(ht / latest, 0.60)
    growth = 0
    for name in ("net_assets", "revenue"):
        a, b, c = f[name]
        if nan(b) or b == 0 or nan(c):
            continue
        rate = c / b - 1 if nan(a) or a == 0 else 0.5 * (b / a + c / b) - 1
        if nan(rate):
            continue
        growth += (
            10
            if ge(rate, 0.35)
            else 8
            if ge(rate, 0.25)
            else 6
            if ge(rate, 0.15)
            else (4 if ge(rate, 0.05) else 2 if rate > 0 else 0)
        )
    expert = f["innovation_expert_score"]
    if nan(expert):
        return False, bool(ok), None
    total = expert + growth
    return bool(ok and total > 70), False, total


def tech_sme_row(f, year=YEAR):
    emp, staff, rev, rd = f["employees"][2], f["rd_staff"][2], f["revenue"][2], f["rd_expense"][2]
    assets, cost = f["total_assets"][2], f["total_cost"][2]
    size = not nan(emp) and emp <= 500 and not nan(rev) and rev <= 2e8
    size = size and not nan(assets) and assets <= 2e8
    share = staff / emp if emp and not nan(emp) and not nan(staff) else None
    staff_points = 0
    if share is not None:
        for bound, points in ((0.30, 20), (0.25, 16), (0.20, 12), (0.15, 8), (0.10, 4)):
            if ge(share, bound):
                staff_points = points
                break

    def rd_points(denominator, bands):
        if nan(rd) or nan(denominator) or denominator == 0:
            return 0
        for bound, points in bands:
            if ge(rd / denominator, bound):
                return points
        return 0

    by_revenue = rd_points(rev, ((0.06, 50), (0.05, 40), (0.04, 30), (0.03, 20), (0.02, 10)))
    by_cost = rd_points(cost, ((0.30, 50), (0.25, 40), (0.20, 30), (0.15, 20), (0.10, 10)))
    i1 = 0 if nan(f["class_i_ip"][2]) else f["class_i_ip"][2]
    i2 = 0 if nan(f["class_ii_ip"][2]) else f["class_ii_ip"][2]
    ip = (
        30
        if i1 >= 1
        else 24
        if i2 >= 4
        else 18
        if i2 >= 3
        else 12
        if i2 >= 2
        else 6
        if i2 >= 1
        else 0
    )
    score = staff_points + max(by_revenue, by_cost) + ip
    granted, until = f["hnte"]
    day = dt.date(year + 1, 1, 1)
    direct = granted is not None and granted <= day <= until
    return bool(size and ((score >= 60 and staff_points > 0) or direct)), score


def rows(inputs, index):
    """Plain dicts of Python floats and dates for the chosen enterprises."""
    yearly = {name: values[:, index].T.tolist() for name, values in inputs.yearly.items()}
    founded = inputs.static["founded_on"][index].astype(object).tolist()
    field = inputs.static["hightech_field"][index].tolist()
    expert = inputs.static["innovation_expert_score"][index].tolist()
    hnte = inputs.qualifications["hnte"]
    granted = hnte.granted_on[index].astype(object).tolist()
    until = hnte.valid_until[index].astype(object).tolist()
    for j in range(len(index)):
        record = {name: values[j] for name, values in yearly.items()}
        record.update(
            founded_on=founded[j],
            hightech_field=field[j],
            innovation_expert_score=expert[j],
            hnte=(granted[j], until[j]),
        )
        yield record


def compare(reference, index, hnte, sme, *, shown: int) -> int:
    """How many enterprises the reference and the engine disagree on (the first few on stderr)."""
    mismatches = 0
    for j, ((h_ok, h_pending, h_score), (s_ok, s_score)) in enumerate(reference):
        i = index[j]
        engine_score = hnte.score[i]
        same_score = (h_score is None and math.isnan(engine_score)) or (
            h_score is not None and math.isclose(h_score, engine_score)
        )
        if (
            h_ok != bool(hnte.eligible[i])
            or h_pending != bool(hnte.pending[i])
            or not same_score
            or s_ok != bool(sme.eligible[i])
            or s_score != sme.score[i]
        ):
            mismatches += 1
            if shown + mismatches <= 5:
                engine = (hnte.eligible[i], hnte.pending[i], engine_score)
                engine += (sme.eligible[i], sme.score[i])
                print(
                    f"# mismatch at {i}: reference {reference[j]}, engine {engine}", file=sys.stderr
                )
    return mismatches


def demo_database(kind: str, size: str, rebuild: bool) -> None:
    """Point Django at the bench database holding the ``size`` demo, building it when needed."""
    import os

    if kind == "postgres":
        import psycopg

        name = f"kechuang_bench_rules_{size}"
        server = "postgresql://postgres@127.0.0.1:5432/postgres"
        with psycopg.connect(server, autocommit=True) as c:
            exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if rebuild or not exists:
                c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                c.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        path = ROOT / "var" / "bench" / f"rules_{size}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    from kechuang.demo import builder

    call_command("migrate", verbosity=0)
    marker = builder.demo_marker()
    if marker is None or marker.data.get("size") != size:
        if marker is not None:
            builder.reset()
        started = time.perf_counter()
        builder.build(size=size, history=False, progress=True)
        emit("demo_build_seconds", f"{time.perf_counter() - started:.1f}")


def plain_screening(year: int) -> dict[str, tuple]:
    """The reference: facts read row by row from the tables, the per-row rules in Python.

    uscc → ((hnte eligible, pending, total), (tech_sme eligible, score)).
    """
    from kechuang.orgs.models import EnterpriseYear, Organization, Qualification
    from kechuang.policies.models import InnovationAssessment

    years = (year - 2, year - 1, year)
    names = ENTERPRISE_FACTS
    facts: dict[int, dict] = {}
    for org in Organization.objects.filter(kind="enterprise").iterator(chunk_size=5000):
        record = {name: [math.nan] * 3 for name in names}
        record.update(
            uscc=org.uscc,
            founded_on=org.founded_on,
            hightech_field=org.hightech_field or "",
            innovation_expert_score=math.nan,
            hnte=(None, None),
        )
        facts[org.pk] = record
    rows = EnterpriseYear.objects.filter(year__gte=years[0], year__lte=years[-1])
    for fact in rows.iterator(chunk_size=5000):
        record = facts.get(fact.organization_id)
        if record is None:
            continue
        for name in names:
            value = getattr(fact, name)
            if value is not None:
                record[name][fact.year - years[0]] = float(value)
    day = dt.date(year + 1, 1, 1)
    held = Qualification.objects.filter(kind="hnte", status="valid")
    for qualification in held.iterator(chunk_size=5000):
        record = facts.get(qualification.organization_id)
        if record is None:
            continue
        span = (qualification.granted_on, qualification.valid_until)
        current = record["hnte"]
        key = (span[0] <= day <= span[1], span[0])
        if current[0] is None or key > (current[0] <= day <= current[1], current[0]):
            record["hnte"] = span
    for assessment in InnovationAssessment.objects.filter(year=year):
        record = facts.get(assessment.organization_id)
        if record is not None:
            record["innovation_expert_score"] = float(assessment.score)
    return {
        record["uscc"]: (hnte_row(record, year), tech_sme_row(record, year))
        for record in facts.values()
    }


def end_to_end(args) -> None:
    demo_database(args.database, args.demo, args.rebuild)
    from django.db import connection

    from kechuang.demo.plan import DEMO_YEARS
    from kechuang.orgs.models import Organization
    from kechuang.policies import selectors
    from kechuang.policies.adapter import load_enterprises

    year = DEMO_YEARS[-1]
    emit("e2e_database", connection.vendor)
    emit("e2e_demo", args.demo)
    emit("e2e_enterprises", Organization.objects.filter(kind="enterprise").count())
    emit("e2e_year", year)

    started = time.perf_counter()
    enterprises = load_enterprises(Organization.objects.filter(kind="enterprise"), year)
    loaded = time.perf_counter()
    from kechuang.engines.rules import Simulation, get_policy

    simulation = Simulation([get_policy("hnte"), get_policy("tech_sme")], enterprises.inputs)
    for key in ("hnte", "tech_sme"):
        simulation.evaluate(key, year)
    evaluated = time.perf_counter()
    emit("e2e_load_seconds", f"{loaded - started:.2f}")
    emit("e2e_engine_seconds", f"{evaluated - loaded:.3f}")
    engine_seconds = evaluated - started

    screened = {}
    started = time.perf_counter()
    for key in ("hnte", "tech_sme"):
        screened[key] = selectors.screen(user=None, policy_key=key, year=year)
    screen_seconds = time.perf_counter() - started
    emit("e2e_screen_rows", sum(len(rows) for rows in screened.values()))
    emit("e2e_screen_seconds", f"{screen_seconds:.2f}")
    emit("e2e_hnte_eligible", sum(row["eligible"] for row in screened["hnte"]))
    emit("e2e_hnte_pending", sum(row["pending"] for row in screened["hnte"]))
    emit("e2e_tech_sme_eligible", sum(row["eligible"] for row in screened["tech_sme"]))

    started = time.perf_counter()
    reference = plain_screening(year)
    reference_seconds = time.perf_counter() - started
    emit("e2e_reference_seconds", f"{reference_seconds:.2f}")
    emit("e2e_ratio_reference_over_load_and_engine", f"{reference_seconds / engine_seconds:.1f}")
    emit("e2e_ratio_reference_over_screening", f"{reference_seconds / screen_seconds:.2f}")

    mismatches = 0
    by_uscc = {key: {row["uscc"]: row for row in rows} for key, rows in screened.items()}
    for uscc, ((h_ok, h_pending, _), (s_ok, s_score)) in reference.items():
        h, s = by_uscc["hnte"][uscc], by_uscc["tech_sme"][uscc]
        if (h["eligible"], h["pending"], s["eligible"]) != (h_ok, h_pending, s_ok) or not (
            math.isclose(s["score"], s_score)
        ):
            mismatches += 1
            if mismatches <= 5:
                print(f"mismatch {uscc}: {h_ok, h_pending, s_ok, s_score}", file=sys.stderr)
    emit("e2e_compared_enterprises", len(reference))
    emit("e2e_mismatches", mismatches)
    if mismatches:
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--reference-rows", type=int, default=0, help="0 = every enterprise")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--demo", choices=["large", "medium", "small", "none"], default="large")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rebuild", action="store_true", help="build the demo afresh")
    args = parser.parse_args()

    from kechuang.engines.rules import Simulation, get_policy

    n = args.enterprises
    emit("enterprises", n)
    emit("years", f"{YEARS[0]}-{YEARS[-1]}")
    started = time.perf_counter()
    inputs = generate(n, args.seed)
    emit("generate_seconds", f"{time.perf_counter() - started:.2f}")

    started = time.perf_counter()
    simulation = Simulation([get_policy("hnte"), get_policy("tech_sme")], inputs)
    hnte = simulation.evaluate("hnte", YEAR)
    sme = simulation.evaluate("tech_sme", YEAR)
    engine_seconds = time.perf_counter() - started
    emit("engine_seconds", f"{engine_seconds:.3f}")
    emit("engine_enterprises_per_second", f"{n / engine_seconds:,.0f}")
    emit("hnte_eligible", int(hnte.eligible.sum()))
    emit("hnte_pending", int(hnte.pending.sum()))
    emit("tech_sme_eligible", int(sme.eligible.sum()))

    rng = np.random.default_rng(args.seed + 1)
    limit = args.reference_rows or n
    sampled = n > limit
    index = np.sort(rng.choice(n, limit, replace=False)) if sampled else np.arange(n)
    reference_seconds, mismatches = 0.0, 0
    for chunk in np.array_split(index, max(1, math.ceil(len(index) / 100_000))):
        records = list(rows(inputs, chunk))  # conversion to Python objects is not timed
        started = time.perf_counter()
        reference = [(hnte_row(r), tech_sme_row(r)) for r in records]
        reference_seconds += time.perf_counter() - started
        mismatches += compare(reference, chunk, hnte, sme, shown=mismatches)
    estimated = reference_seconds * n / len(index)
    emit("reference_rows", len(index))
    emit("reference_sampled", "yes (time extrapolated to all enterprises)" if sampled else "no")
    emit("reference_seconds" + ("_extrapolated" if sampled else ""), f"{estimated:.2f}")
    emit("ratio_reference_over_engine", f"{estimated / engine_seconds:.1f}")
    emit("compared_enterprises", len(index))
    emit("mismatches", mismatches)
    emit("agree", "yes" if mismatches == 0 else "no")
    if mismatches:
        sys.exit(1)
    if args.demo != "none":
        end_to_end(args)


if __name__ == "__main__":
    main()
