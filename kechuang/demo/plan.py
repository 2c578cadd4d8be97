"""The plan of the demo region: which organizations, facts, qualifications and platforms it holds.

Everything here is drawn from seeded generators, so the same seed gives the same plan. Each stage
(organizations, facts, qualifications, platforms) has its own ``random.Random`` seeded with the
seed and the stage name, so a change in one stage does not shift the others. The functions return
unsaved model instances; kechuang.demo.builder writes them in bulk.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from kechuang.core.identifiers import USCC_CHARSET, make_uscc, org_code_check_char
from kechuang.orgs.models import EnterpriseYear, Qualification
from kechuang.platforms.models import Platform
from kechuang.regions.models import Zone

from . import data
from .data import Industry

DEMO_YEARS = (2023, 2024, 2025)  # the last three complete years
TECH_SME_YEARS = (2023, 2024, 2025, 2026)  # yearly registrations, the current one included
HNTE_YEARS = (2022, 2023, 2024, 2025)


@dataclass(slots=True)
class Firm:
    """One planned organization; enterprises carry their size path over DEMO_YEARS."""

    kind: str
    uscc: str
    name: str
    trade: str
    division_code: str
    zone: int | None
    industry_code: str
    field: str
    ownership: str
    founded_on: date
    industry: Industry | None = None
    employees: tuple[int, ...] = ()
    revenue: tuple[float, ...] = ()
    above_scale: bool = False
    pk: int | None = None


def stage_rng(seed: int, stage: str) -> random.Random:
    return random.Random(f"kechuang-demo:{seed}:{stage}")


def _weighted(rng: random.Random, pairs) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def yuan(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


# ---------------------------------------------------------------------------------------------
# Plan: organizations
# ---------------------------------------------------------------------------------------------


class _Names:
    """Unique company names and USCCs, drawn from a seeded generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.names: set[str] = set()
        self.usccs: set[str] = set()

    def uscc(self, kind_prefix: str, division_code: str, founded_on: date) -> str:
        while True:
            if founded_on.year >= 2016:  # codes issued since the 2015 reform start with MA
                body = "MA" + "".join(self.rng.choices(USCC_CHARSET, k=6))
            else:
                body = "".join(self.rng.choices("0123456789", k=8))
            code = make_uscc(f"{kind_prefix}{division_code}{body}{org_code_check_char(body)}")
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def company(self, division_code: str, words: tuple[str, ...], big: bool) -> tuple[str, str]:
        rng = self.rng
        while True:
            trade = "".join(rng.sample(data.TRADE_CHARS, 2))
            prefix = _weighted(rng, data.NAME_PREFIXES)
            if prefix == "county":
                prefix = data.COUNTIES[division_code][1]
            roll = rng.random()
            form = "有限公司"
            if big and roll < 0.35:
                form = "股份有限公司"
            elif roll > 0.9:
                form = "有限责任公司"
            name = f"{prefix}{trade}{rng.choice(words)}{form}"
            if name not in self.names:
                self.names.add(name)
                return name, trade

    def fixed(self, name: str) -> str:
        self.names.add(name)
        return name


def _place(rng: random.Random) -> tuple[str, int | None]:
    county = _weighted(rng, [(code, w) for code, (w, _short) in data.COUNTIES.items()])
    zones = [i for i, z in enumerate(data.ZONES) if z.division_code == county]
    zone = zones[0] if zones and rng.random() < data.IN_ZONE_SHARE else None
    return county, zone


def _enterprise(rng: random.Random, names: _Names) -> Firm:
    county, zone = _place(rng)
    industry = rng.choices(data.INDUSTRIES, [i.weight for i in data.INDUSTRIES])[0]
    ownership = _weighted(rng, data.OWNERSHIP_WEIGHTS)
    oldest = 1985 if ownership in {"state", "collective"} else 1995
    founded = date(max(oldest, 2021 - int(rng.expovariate(1 / 7))), 1, 1)
    founded = _day(rng, founded, date(founded.year, 12, 28))
    # Log-normal sizes: median 22 employees, about 25 % above the 20-million-yuan scale line.
    employees = max(3.0, rng.lognormvariate(3.1, 1.0))
    per_head = rng.lognormvariate(12.95 if industry.industrial else 12.35, 0.45)
    if ownership == "state":
        employees *= 3
    mean_growth = 0.10 if industry.field else 0.05
    staff, revenue = [], []
    for _year in DEMO_YEARS:
        staff.append(max(1, round(employees)))
        revenue.append(employees * per_head)
        growth = min(0.6, max(-0.35, rng.gauss(mean_growth, 0.14)))
        employees *= 1 + growth * 0.5 + rng.gauss(0, 0.04)
        employees = max(3.0, employees)
        per_head *= 1 + growth * 0.5
    above_scale = revenue[-1] >= 20_000_000
    name, trade = names.company(county, industry.words, big=above_scale)
    return Firm(
        kind="enterprise",
        uscc=names.uscc("91", county, founded),
        name=name,
        trade=trade,
        division_code=county,
        zone=zone,
        industry_code=industry.code,
        field=industry.field if industry.field and rng.random() < 0.92 else "",
        ownership=ownership,
        founded_on=founded,
        industry=industry,
        employees=tuple(staff),
        revenue=tuple(revenue),
        above_scale=above_scale,
    )


def _provider(rng: random.Random, names: _Names) -> Firm:
    county, zone = _place(rng)
    code, words, field_code = rng.choice(data.PROVIDER_TRADES)
    founded = _day(rng, date(2008, 1, 1), date(2021, 12, 28))
    name, trade = names.company(county, (words,), big=False)
    return Firm(
        kind="service_provider",
        uscc=names.uscc("91", county, founded),
        name=name,
        trade=trade,
        division_code=county,
        zone=zone,
        industry_code=code,
        field=field_code,
        ownership="private",
        founded_on=founded,
    )


def _public(names: _Names, rng, kind: str, name: str, county: str, code: str, founded) -> Firm:
    return Firm(
        kind=kind,
        uscc=names.uscc("12", county, date(1990, 1, 1)),
        name=names.fixed(name),
        trade="",
        division_code=county,
        zone=None,
        industry_code=code,
        field="",
        ownership="state",
        founded_on=founded or _day(rng, date(1952, 1, 1), date(1990, 12, 28)),
    )


def plan_organizations(seed: int, enterprises: int) -> list[Firm]:
    """Every organization of the demo, in a fixed order: public bodies, enterprises, providers."""
    rng = stage_rng(seed, "organizations")
    names = _Names(rng)
    firms = [
        _public(names, rng, "university", name, county, "8341", founded)
        for name, county, founded in data.UNIVERSITIES
    ]
    firms += [
        _public(names, rng, "institute", name, county, code, None)
        for name, county, code in data.INSTITUTES
    ]
    firms += [
        _public(names, rng, "hospital", name, county, "8411", None)
        for name, county in data.HOSPITALS
    ]
    firms += [_enterprise(rng, names) for _ in range(enterprises)]
    firms += [_provider(rng, names) for _ in range(max(5, round(enterprises * 0.02)))]
    return firms


# ---------------------------------------------------------------------------------------------
# Plan: facts, qualifications, platforms (one firm at a time)
# ---------------------------------------------------------------------------------------------


def enterprise_years(rng: random.Random, firm: Firm) -> list[EnterpriseYear]:
    tech = bool(firm.field)
    rd_share = rng.uniform(0.08, 0.30) if tech else rng.uniform(0.01, 0.06)
    rd_intensity = rng.uniform(0.03, 0.08) if tech else rng.uniform(0.003, 0.015)
    domestic = 1.0 if rng.random() < 0.7 else rng.uniform(0.85, 1.0)
    hightech_share = rng.uniform(0.5, 0.92) if tech else 0.0
    assets_ratio, equity_ratio = rng.uniform(0.8, 2.2), rng.uniform(0.25, 0.65)
    cost_ratio, tax_rate = rng.uniform(0.82, 0.97), rng.uniform(0.015, 0.06)
    value_added_ratio = rng.uniform(0.18, 0.35)
    industrial = firm.industry is not None and firm.industry.industrial
    land = max(2.0, firm.employees[0] / rng.uniform(3, 8)) if industrial else None
    energy_per_10k = rng.uniform(0.03, 0.25) if industrial else None
    ip_rate = rng.uniform(0.05, 0.3) if tech else rng.uniform(0.0, 0.05)
    class_i = class_ii = 0
    rows = []
    for year, employees, revenue in zip(DEMO_YEARS, firm.employees, firm.revenue, strict=True):
        jitter = rng.uniform(0.9, 1.1)
        rd_staff = min(employees, round(employees * rd_share * jitter))
        rd_expense = revenue * rd_intensity * jitter
        total_assets = revenue * assets_ratio
        class_i += int(rd_staff * ip_rate * rng.random())
        class_ii += int(rd_staff * rng.uniform(0.1, 0.6) * ip_rate * 4)
        rows.append(
            EnterpriseYear(
                organization_id=firm.pk,
                year=year,
                employees=employees,
                rd_staff=rd_staff,
                revenue=yuan(revenue),
                rd_expense=yuan(rd_expense),
                rd_expense_domestic=yuan(rd_expense * domestic),
                hightech_revenue=yuan(revenue * min(1.0, hightech_share * jitter)),
                total_assets=yuan(total_assets),
                net_assets=yuan(total_assets * equity_ratio),
                total_cost=yuan(revenue * cost_ratio),
                tax_paid=yuan(revenue * tax_rate),
                value_added=yuan(revenue * value_added_ratio),
                land_area_mu=yuan(land) if land is not None else None,
                energy_tce=yuan(revenue / 10_000 * energy_per_10k) if industrial else None,
                class_i_ip=class_i,
                class_ii_ip=class_ii,
                invention_patents=round(class_i * 0.8),
            )
        )
    return rows


def three_years(granted: date) -> date:
    return granted.replace(year=granted.year + 3) - timedelta(days=1)


class Qualifier:
    """Draws the qualifications of each enterprise; certificate numbers run per year."""

    def __init__(self, seed: int):
        self.rng = stage_rng(seed, "qualifications")
        self.counters: dict[tuple[str, ...], int] = {}

    def _next(self, *key: str, start: int = 1) -> int:
        value = self.counters.get(key, start)
        self.counters[key] = value + 1
        return value

    def _status(self, share: float) -> str:
        return "revoked" if self.rng.random() < share else "valid"

    def __call__(self, firm: Firm) -> list[Qualification]:
        rng, out = self.rng, []

        def add(kind, number, level, granted, until, status="valid"):
            out.append(
                Qualification(
                    organization_id=firm.pk,
                    kind=kind,
                    number=number,
                    level=level,
                    granted_on=granted,
                    valid_until=until,
                    status=status,
                )
            )

        if firm.kind != "enterprise" or not firm.field:
            return out
        small = firm.employees[-1] <= 500 and firm.revenue[-1] <= 200_000_000
        growth = firm.revenue[-1] / firm.revenue[0] - 1
        if small and rng.random() < 0.36:
            for year in TECH_SME_YEARS:
                if rng.random() < 0.8:
                    seq = self._next("tech_sme", str(year), firm.division_code)
                    add(
                        "tech_sme",
                        f"{year}{firm.division_code}{seq:08d}",
                        "provincial",
                        _day(rng, date(year, 3, 1), date(year, 9, 30)),
                        date(year + 1, 3, 31),
                        self._status(0.02),
                    )
        if rng.random() < (0.35 if firm.above_scale else 0.09):
            first = rng.choice(HNTE_YEARS)
            grants = [first] + ([first + 3] if first == 2022 and rng.random() < 0.75 else [])
            for year in grants:
                granted = date(year, rng.choice((10, 11, 12)), rng.randint(1, 28))
                seq = self._next("hnte", str(year), start=rng.randint(100, 400))
                add(
                    "hnte",
                    f"GR{year}34{seq:06d}",
                    "national",
                    granted,
                    three_years(granted),
                    self._status(0.03),
                )
        if growth > 0.2 and rng.random() < 0.04:
            year = rng.choice(DEMO_YEARS)
            granted = _day(rng, date(year, 11, 1), date(year, 12, 28))
            seq = self._next("gazelle", str(year))
            add("gazelle", f"WDL{year}{seq:04d}", "provincial", granted, three_years(granted))
        if firm.above_scale and rng.random() < 0.02:
            year = rng.choice(DEMO_YEARS)
            granted = _day(rng, date(year, 7, 1), date(year, 8, 31))
            seq = self._next("little_giant", str(year))
            add("little_giant", f"XJR{year}{seq:04d}", "national", granted, three_years(granted))
        if firm.revenue[-1] >= 150_000_000 and rng.random() < 0.3:
            year = rng.choice(DEMO_YEARS)
            granted = _day(rng, date(year, 12, 1), date(year, 12, 28))
            seq = self._next("leading_innovator", str(year))
            add(
                "leading_innovator",
                f"WLJ{year}{seq:03d}",
                "provincial",
                granted,
                three_years(granted),
            )
        return out


class Platformer:
    """Draws the platforms hosted by enterprises, providers and universities."""

    KIND_LABELS = {
        "eng_research_center": "工程技术研究中心",
        "enterprise_institute": "企业研究院",
        "tech_innovation_center": "技术创新中心",
        "key_lab": "重点实验室",
        "new_rd_institute": "研究院",
        "innovation_consortium": "创新联合体",
        "incubator": "科技企业孵化器",
        "makerspace": "众创空间",
        "university_park": "大学科技园",
    }

    def __init__(self, seed: int, zones: dict[int, Zone]):
        self.rng = stage_rng(seed, "platforms")
        self.zones = zones
        self.names: set[str] = set()

    def _name(self, firm: Firm, kind: str, level: str, domain: str) -> str:
        label = self.KIND_LABELS[kind]
        if kind == "incubator":
            candidates = [f"淮南{firm.trade}{label}"]
        elif kind == "makerspace":
            candidates = [f"{firm.trade}{domain}{label}"]
        else:
            prefix = data.LEVEL_NAME_PREFIX[level]
            candidates = [f"{prefix}{domain}{label}", f"{prefix}{firm.trade}{domain}{label}"]
        # The host's name makes the last candidate unique: an enterprise hosts one platform.
        candidates.append(f"{firm.name}{domain}{label}")
        name = next((c for c in candidates if c not in self.names), candidates[-1])
        self.names.add(name)
        return name

    def _platform(self, firm: Firm, kind, level, name, recognised_on) -> Platform:
        roll = self.rng.random()
        self.names.add(name)
        return Platform(
            name=name,
            kind=kind,
            level=level,
            host_id=firm.pk,
            division_code=firm.division_code,
            zone=self.zones.get(firm.zone) if firm.zone is not None else None,
            recognised_on=recognised_on,
            status="revoked" if roll < 0.01 else "warned" if roll < 0.05 else "active",
        )

    def __call__(self, firm: Firm) -> list[Platform]:
        rng = self.rng
        if firm.kind == "university":
            return [
                self._platform(firm, kind, level, name, on)
                for host, kind, level, name, on in data.UNIVERSITY_PLATFORMS
                if host == firm.name
            ]
        start = max(date(2010, 1, 1), firm.founded_on + timedelta(days=730))
        recognised_on = _day(rng, start, date(2025, 12, 28))
        if firm.kind == "service_provider" and "孵化器" in firm.name:
            level = "provincial" if rng.random() < 0.3 else "municipal"
            name = self._name(firm, "incubator", level, "")
            return [self._platform(firm, "incubator", level, name, recognised_on)]
        if firm.kind != "enterprise" or rng.random() >= (0.075 if firm.above_scale else 0.013):
            return []
        kind = _weighted(rng, data.ENTERPRISE_PLATFORM_KINDS)
        level = _weighted(rng, (("municipal", 0.55), ("provincial", 0.40), ("national", 0.05)))
        name = self._name(firm, kind, level, rng.choice(firm.industry.domains))
        return [self._platform(firm, kind, level, name, recognised_on)]
