"""One filter specification, two compilers: polars (the engine) and the ORM (the records page)
select the same records — property-based, on random data and random filters, on whichever
database the suite runs (SQLite by default, PostgreSQL with DATABASE_URL)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum as SumOf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.core.scoping import division_q
from kechuang.core.testing.factories import uscc_for
from kechuang.engines.indicators import (
    PERIOD_END,
    AllOf,
    AnyOf,
    Cond,
    Count,
    Evaluator,
    Holds,
    Indicator,
    IndicatorSet,
    Not,
    Period,
    Sum,
    target_frame,
)
from kechuang.orgs.models import EnterpriseYear, Organization, Qualification
from kechuang.regions.models import Zone
from kechuang.stats import data
from kechuang.stats.orm import to_q
from kechuang.stats.registry import INDICATORS, SOURCES

DIVISIONS = ("340421", "340422", "340403", "340102", "340400")
TARGETS = ("340000", "340400", "340100", "340421", "340422", "340403", "340102")
KINDS = ("hnte", "tech_sme", "gazelle")
MONEY = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
COUNT = st.one_of(st.none(), st.integers(min_value=0, max_value=500))
DAY = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2025, 12, 31))


class Rollback(Exception):
    pass


organizations = st.lists(
    st.fixed_dictionaries(
        {
            "division_code": st.sampled_from(DIVISIONS),
            "zone": st.sampled_from([None, 0, 1]),
            "kind": st.sampled_from(["enterprise", "enterprise", "university"]),
            "ownership": st.sampled_from(["private", "state", "foreign"]),
            "above_scale": st.booleans(),
            "hightech_field": st.sampled_from(["", "01", "04"]),
            "founded_on": st.one_of(st.none(), DAY),
            "years": st.dictionaries(
                st.sampled_from([2022, 2023, 2024]),
                st.fixed_dictionaries({"revenue": MONEY, "rd_expense": MONEY, "employees": COUNT}),
                max_size=3,
            ),
            "qualifications": st.lists(
                st.tuples(st.sampled_from(KINDS), DAY, st.integers(0, 1200), st.booleans()),
                max_size=3,
            ),
        }
    ),
    min_size=0,
    max_size=14,
)


def leaf(fact: str):
    money = ["revenue", "rd_expense"] if fact == "enterprise_years" else []
    conditions = [
        st.builds(
            Cond,
            st.just("ownership"),
            st.sampled_from(["eq", "ne"]),
            st.sampled_from(["private", "state"]),
        ),
        st.builds(
            Cond,
            st.just("kind"),
            st.just("in"),
            st.lists(st.sampled_from(["enterprise", "university", "institute"]), max_size=2),
        ),
        st.builds(Cond, st.just("above_scale"), st.just("eq"), st.booleans()),
        st.builds(
            Cond,
            st.just("hightech_field"),
            st.sampled_from(["eq", "ne"]),
            st.sampled_from(["", "01"]),
        ),
        st.builds(Cond, st.just("zone_id"), st.sampled_from(["isnull", "notnull"])),
        st.builds(
            Cond,
            st.just("founded_on"),
            st.sampled_from(["lte", "gt"]),
            st.one_of(DAY, st.just(PERIOD_END)),
        ),
        st.builds(Holds, st.sampled_from(KINDS)),
    ]
    for field in money:
        conditions.append(
            st.builds(
                Cond,
                st.just(field),
                st.sampled_from(["gt", "lte", "isnull"]),
                st.decimals(min_value=0, max_value=10**9, places=2),
            )
        )
    if fact == "enterprise_years":
        conditions.append(
            st.builds(
                Cond, st.just("employees"), st.sampled_from(["gte", "lt"]), st.integers(0, 500)
            )
        )
    return st.one_of(conditions)


def specs(fact: str):
    return st.recursive(
        leaf(fact),
        lambda inner: st.one_of(
            st.lists(inner, min_size=1, max_size=3).map(lambda items: AllOf(*items)),
            st.lists(inner, min_size=1, max_size=3).map(lambda items: AnyOf(*items)),
            inner.map(Not),
        ),
        max_leaves=5,
    )


def write(rows, zones):
    for n, row in enumerate(rows):
        zone = None if row["zone"] is None else zones[row["zone"]]
        org = Organization.objects.create(
            uscc=uscc_for(n + 1, row["division_code"]),
            name=f"机构{n}",
            kind=row["kind"],
            division_code=row["division_code"],
            zone=zone,
            ownership=row["ownership"],
            above_scale=row["above_scale"],
            hightech_field=row["hightech_field"],
            founded_on=row["founded_on"],
        )
        for year, facts in row["years"].items():
            EnterpriseYear.objects.create(organization=org, year=year, **facts)
        for i, (kind, granted, days, valid) in enumerate(row["qualifications"]):
            Qualification.objects.create(
                organization=org,
                kind=kind,
                number=f"Q{n}-{i}",
                granted_on=granted,
                valid_until=granted + dt.timedelta(days=days),
                status="valid" if valid else "revoked",
            )


def check_agreement(fact: str, spec, period: Period) -> None:
    source = SOURCES[fact]
    bundle = data.load_bundle(0, "agreement")
    indicators = IndicatorSet(INDICATORS.schemas)
    indicators.add(Indicator("n", "n", "条", Count(), fact=fact, filters=spec))
    sums = ["revenue", "rd_expense", "employees"] if fact == "enterprise_years" else []
    for field in sums:
        indicators.add(Indicator(f"s_{field}", field, "元", Sum(field), fact=fact, filters=spec))
    evaluator = Evaluator(indicators, bundle.facts, target_frame(TARGETS))
    results = {(r.key, r.target): r.value for r in evaluator.values(period, None, TARGETS)}
    base = source.model.objects.filter(to_q(spec, source, period))
    if source.schema.yearly:
        base = base.filter(year=period.year)
    for target in TARGETS:
        records = base.filter(division_q(source.division_lookup, target))
        assert results[("n", target)] == records.count(), (target, spec)
        for field in sums:
            expected = records.aggregate(total=SumOf(field))["total"]
            got = results[(f"s_{field}", target)]
            if expected is None:
                assert got is None, (target, field, spec)
            else:
                assert got == Decimal(expected), (target, field, spec)


SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


@pytest.mark.django_db
@SETTINGS
@given(
    rows=organizations,
    spec=specs("organizations"),
    period=st.sampled_from([Period(2023), Period(2024, "quarter", 2), Period(2022, "ytd", 7)]),
)
def test_organization_counts_agree(rows, spec, period):
    run("organizations", rows, spec, period)


@pytest.mark.django_db
@SETTINGS
@given(
    rows=organizations,
    spec=specs("enterprise_years"),
    period=st.sampled_from([Period(2022), Period(2023), Period(2024)]),
)
def test_enterprise_year_counts_and_sums_agree(rows, spec, period):
    run("enterprise_years", rows, spec, period)


def run(fact, rows, spec, period):
    try:
        with transaction.atomic():
            zones = [
                Zone.objects.create(
                    name=f"园区{i}", kind="hitech", level="provincial", division_code="340421"
                )
                for i in range(2)
            ]
            write(rows, zones)
            check_agreement(fact, spec, period)
            raise Rollback
    except Rollback:
        pass
