"""The demo region: a deterministic, plausible registry built on 淮南市's real divisions.

``build(size=..., seed=...)`` writes zones, organizations, three years of facts, qualifications,
platforms and one demo user per role. The same seed gives the same data: every stage draws from
its own ``random.Random`` seeded with the seed and the stage name, so stages do not disturb each
other. Rows are written with ``bulk_create`` in batches (no per-row services); the build records
one ``demo.built`` event with its size, seed and counts, which is also how a built demo is found.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history
from tqdm import tqdm

from kechuang.accounts.models import User
from kechuang.accounts.services import user_create
from kechuang.core.db import analyze
from kechuang.core.exceptions import ApplicationError
from kechuang.core.models import AuditEvent
from kechuang.core.scoping import Roles
from kechuang.market import demo as market_demo
from kechuang.orgs.models import EnterpriseYear, Organization, Qualification
from kechuang.platforms.models import Platform
from kechuang.policies import demo as policy_demo
from kechuang.regions.models import Division, Zone
from kechuang.vouchers import demo as voucher_demo

from . import data
from .plan import (
    DEMO_YEARS,
    Firm,
    Platformer,
    Qualifier,
    enterprise_years,
    plan_organizations,
    stage_rng,
    three_years,
)

SIZES = {"small": 500, "medium": 5_000, "large": 100_000}
DEFAULT_SEED = 2025
DEMO_PASSWORD = "kechuang2025"
MARKER_VERB = "demo.built"
BATCH = 2_000
# Writing history rows doubles the time of a build; the large demo (400,000+ rows) skips them.
HISTORY_LIMIT = 20_000

# (username, role, display name); scopes are resolved in _create_users.
DEMO_USERS = (
    ("admin", Roles.ADMIN, "系统管理员"),
    ("bureau_city", Roles.BUREAU, "市科技局"),
    ("bureau_county", Roles.BUREAU, "凤台县科技局"),
    ("zone_staff", Roles.ZONE, "高新区管委会"),
    ("enterprise", Roles.ENTERPRISE, "企业填报员"),
    ("university", Roles.UNIVERSITY, "技术转移中心"),
    ("expert", Roles.EXPERT, "评审专家"),
    ("commissioner", Roles.COMMISSIONER, "科技特派员"),
    ("provider", Roles.PROVIDER, "服务机构"),
)
DEMO_USERNAMES = tuple(username for username, _role, _name in DEMO_USERS)


class DemoError(ApplicationError):
    code = "demo"


@dataclass
class DemoSummary:
    size: str
    seed: int
    enterprises: int
    history: bool
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


class _Writer:
    """Bulk-creates rows in batches, with their "created" history rows when asked to."""

    def __init__(self, *, actor: User, history: bool, progress: bool):
        self.actor, self.history, self.progress = actor, history, progress

    def write(self, model: type[models.Model], batch: list) -> None:
        if not batch:
            return
        if self.history:
            bulk_create_with_history(batch, model, batch_size=BATCH, default_user=self.actor)
        else:
            model.objects.bulk_create(batch, batch_size=BATCH)

    def stage(
        self,
        model: type[models.Model],
        label: str,
        firms: list[Firm],
        make: Callable[[Firm], Iterable[models.Model]],
        saved: Callable[[list], None] | None = None,
    ) -> None:
        batch: list = []
        bar = tqdm(
            total=len(firms), desc=label, unit="家", file=sys.stderr, disable=not self.progress
        )
        with bar:
            for firm in firms:
                batch.extend(make(firm))
                bar.update(1)
                if len(batch) >= BATCH:
                    self.write(model, batch)
                    if saved:
                        saved(batch)
                    batch = []
            self.write(model, batch)
            if saved:
                saved(batch)


def _organization(zones: dict[int, Zone]) -> Callable[[Firm], list[Organization]]:
    def make(firm: Firm) -> list[Organization]:
        org = Organization(
            uscc=firm.uscc,
            name=firm.name,
            kind=firm.kind,
            division_code=firm.division_code,
            zone=zones.get(firm.zone) if firm.zone is not None else None,
            ownership=firm.ownership,
            industry_code=firm.industry_code,
            hightech_field=firm.field,
            founded_on=firm.founded_on,
            above_scale=firm.above_scale,
        )
        org.demo_firm = firm
        return [org]

    return make


def _remember_pks(batch: list[Organization]) -> None:
    for org in batch:
        org.demo_firm.pk = org.pk


def demo_counts() -> dict[str, int]:
    """What the demo region holds now."""
    region = {"division_code__startswith": data.REGION_PREFIX}
    in_region = {"organization__division_code__startswith": data.REGION_PREFIX}
    orgs = Organization.objects.filter(**region)
    return {
        "zones": Zone.objects.filter(**region).count(),
        "organizations": orgs.count(),
        "enterprises": orgs.filter(kind="enterprise").count(),
        "enterprise_years": EnterpriseYear.objects.filter(**in_region).count(),
        "qualifications": Qualification.objects.filter(**in_region).count(),
        "platforms": Platform.objects.filter(**region).count(),
        "users": User.objects.filter(username__in=DEMO_USERNAMES).count(),
    }


def demo_marker() -> AuditEvent | None:
    return AuditEvent.objects.filter(verb=MARKER_VERB).order_by("-occurred_at", "-id").first()


def region_divisions_loaded() -> bool:
    """Are 淮南市 and its counties in the Division table?"""
    codes = {data.CITY, *data.COUNTIES}
    return Division.objects.filter(code__in=codes).count() == len(codes)


def _check_region() -> None:
    if not region_divisions_loaded():
        raise DemoError("行政区划表缺少淮南市及其区县；请先加载行政区划（kechuang load_divisions）")
    if demo_marker() is not None:
        raise DemoError("演示区域已存在；如需重建请先清除（--reset）", code="demo_exists")
    names = [z.name for z in data.ZONES]
    if (
        Zone.objects.filter(name__in=names).exists()
        or User.objects.filter(username__in=DEMO_USERNAMES).exists()
    ):
        raise DemoError("已有同名园区或演示账号；请使用 --reset 清除后重建", code="demo_conflict")


@transaction.atomic
def build(
    *,
    size: str = "small",
    seed: int = DEFAULT_SEED,
    enterprises: int | None = None,
    history: bool | None = None,
    progress: bool = False,
) -> DemoSummary:
    """Build the demo region; ``enterprises`` overrides the count that ``size`` implies."""
    started = time.perf_counter()
    if size not in SIZES:
        raise DemoError(f"未知规模 {size}；可选：{', '.join(SIZES)}")
    _check_region()
    enterprises = SIZES[size] if enterprises is None else enterprises
    if enterprises < 1:
        raise DemoError("企业数量至少为 1")
    if history is None:
        history = enterprises <= HISTORY_LIMIT
    admin = user_create(username="admin", role=Roles.ADMIN, display_name="系统管理员")
    writer = _Writer(actor=admin, history=history, progress=progress)

    zone_objs = [
        Zone(
            name=z.name,
            kind=z.kind,
            level=z.level,
            division_code=z.division_code,
            approved_on=z.approved_on,
        )
        for z in data.ZONES
    ]
    writer.write(Zone, zone_objs)
    zones = dict(enumerate(zone_objs))

    firms = plan_organizations(seed, enterprises)
    writer.stage(Organization, "机构", firms, _organization(zones), _remember_pks)
    companies = [f for f in firms if f.kind == "enterprise"]
    facts_rng = stage_rng(seed, "facts")
    writer.stage(EnterpriseYear, "年度数据", companies, lambda f: enterprise_years(facts_rng, f))
    qualifier = Qualifier(seed)
    writer.stage(Qualification, "资质", companies, qualifier)
    writer.stage(Platform, "平台", firms, Platformer(seed, zones))

    _create_users(admin, firms, zones, writer)
    market_demo.build(seed=seed, actor=admin, history=history)
    voucher_demo.build(seed=seed, actor=admin)
    policy_demo.build(seed=seed)
    summary = DemoSummary(
        size=size,
        seed=seed,
        enterprises=enterprises,
        history=history,
        seconds=round(time.perf_counter() - started, 1),
        counts=demo_counts(),
    )
    city = Division.objects.get(pk=data.CITY)
    AuditEvent.objects.create(
        actor=admin,
        verb=MARKER_VERB,
        object_type=city._meta.label_lower,
        object_id=city.pk,
        object_repr=str(city),
        data={
            "size": size,
            "seed": seed,
            "enterprises": enterprises,
            "history": history,
            "seconds": summary.seconds,
            "counts": summary.counts,
        },
    )
    analyze(Zone, Organization, EnterpriseYear, Qualification, Platform)
    return summary


def _enterprise_user_org(firms: list[Firm], writer: _Writer) -> int:
    """An enterprise with facts and a high-tech certificate in force at the end of 2025."""
    end = date(DEMO_YEARS[-1], 12, 31)
    held = Qualification.objects.filter(
        kind="hnte", status="valid", granted_on__lte=end, valid_until__gte=end
    )
    candidates = set(held.values_list("organization_id", flat=True))
    in_zone = [f.pk for f in firms if f.pk in candidates and f.zone == 0]
    anywhere = [f.pk for f in firms if f.pk in candidates]
    if in_zone or anywhere:
        return (in_zone or anywhere)[0]
    # A very small demo may draw no certificate in force: give one to the first enterprise.
    firm = next(f for f in firms if f.kind == "enterprise")
    granted = date(2024, 11, 20)
    certificate = Qualification(
        organization_id=firm.pk,
        kind="hnte",
        number="GR202434000001",
        level="national",
        granted_on=granted,
        valid_until=three_years(granted),
    )
    writer.write(Qualification, [certificate])
    return firm.pk


def _create_users(
    admin: User, firms: list[Firm], zones: dict[int, Zone], writer: _Writer
) -> list[User]:
    def org(pk: int) -> Organization:
        return Organization.objects.get(pk=pk)

    def first(kind: str, name: str = "") -> int:
        return next(f.pk for f in firms if f.kind == kind and (not name or f.name == name))

    scopes = {
        "bureau_city": {"division_code": data.CITY},
        "bureau_county": {"division_code": "340421"},
        "zone_staff": {"zone": zones[0]},
        "enterprise": {"organization": org(_enterprise_user_org(firms, writer))},
        "university": {"organization": org(first("university", "安徽理工大学"))},
        "commissioner": {"organization": org(first("institute", "淮南市农业科学研究所"))},
        "provider": {"organization": org(first("service_provider"))},
    }
    users = [admin]
    for username, role, display_name in DEMO_USERS[1:]:
        users.append(
            user_create(
                actor=admin,
                username=username,
                role=role,
                display_name=display_name,
                **scopes.get(username, {}),
            )
        )
    # One password hash for all demo users (hashing takes about half a second each).
    User.objects.filter(pk__in=[u.pk for u in users]).update(password=make_password(DEMO_PASSWORD))
    return users


def demo_logins() -> list[tuple[str, str, str, str]]:
    """(username, role, scope, password) of the demo users that exist."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=DEMO_USERNAMES).select_related(
            "zone", "organization"
        )
    }
    return [
        (name, users[name].get_role_display(), users[name].scope_label, DEMO_PASSWORD)
        for name in DEMO_USERNAMES
        if name in users
    ]


# ---------------------------------------------------------------------------------------------
# Reset and digest
# ---------------------------------------------------------------------------------------------


def _raw_delete(queryset: models.QuerySet) -> int:
    # A plain DELETE: no per-row signals, so no "deleted" history rows for 400,000 records.
    return queryset._raw_delete(queryset.db)


@transaction.atomic
def reset() -> dict[str, int]:
    """Delete the demo region: the demo users, and every zone, organization (with its facts and
    qualifications), platform and history row in 淮南市 (3404xx)."""
    prefix = data.REGION_PREFIX
    zones = Zone.objects.filter(
        Q(division_code__startswith=prefix) | Q(name__in=[z.name for z in data.ZONES])
    )
    orgs = Organization.objects.filter(Q(division_code__startswith=prefix) | Q(zone__in=zones))
    org_ids = orgs.values("pk")
    platforms = Platform.objects.filter(
        Q(division_code__startswith=prefix) | Q(zone__in=zones) | Q(host__in=org_ids)
    )
    users = User.objects.filter(
        Q(username__in=DEMO_USERNAMES) | Q(organization__in=org_ids) | Q(zone__in=zones)
    )
    user_ids = [str(pk) for pk in users.values_list("pk", flat=True)]
    deleted = {
        "history": sum(
            _raw_delete(qs)
            for qs in (
                Platform.history.filter(
                    Q(id__in=platforms.values("pk")) | Q(division_code__startswith=prefix)
                ),
                Qualification.history.filter(organization_id__in=org_ids),
                EnterpriseYear.history.filter(organization_id__in=org_ids),
                Organization.history.filter(
                    Q(id__in=org_ids) | Q(division_code__startswith=prefix)
                ),
                Zone.history.filter(
                    Q(id__in=zones.values("pk")) | Q(division_code__startswith=prefix)
                ),
            )
        ),
        "platforms": _raw_delete(platforms),
    }
    policy_demo.reset(org_ids)
    voucher_demo.reset(org_ids)
    market_demo.reset(org_ids)
    AuditEvent.objects.filter(object_type="accounts.user", object_id__in=user_ids).delete()
    deleted["users"] = users.count()
    users.delete()
    deleted["qualifications"] = _raw_delete(Qualification.objects.filter(organization__in=org_ids))
    deleted["enterprise_years"] = _raw_delete(
        EnterpriseYear.objects.filter(organization__in=org_ids)
    )
    deleted["organizations"] = _raw_delete(Organization.objects.filter(pk__in=org_ids))
    deleted["zones"] = _raw_delete(
        Zone.objects.filter(pk__in=list(zones.values_list("pk", flat=True)))
    )
    AuditEvent.objects.filter(verb=MARKER_VERB).delete()
    return deleted


def demo_digest() -> str:
    """A SHA-256 over the demo's natural keys and values (no ids, no timestamps)."""
    prefix = data.REGION_PREFIX
    queries = (
        Zone.objects.filter(division_code__startswith=prefix)
        .order_by("name")
        .values_list("name", "kind", "level", "division_code", "approved_on", "status"),
        Organization.objects.filter(division_code__startswith=prefix)
        .order_by("uscc")
        .values_list(
            "uscc",
            "name",
            "kind",
            "division_code",
            "zone__name",
            "ownership",
            "industry_code",
            "hightech_field",
            "founded_on",
            "above_scale",
        ),
        EnterpriseYear.objects.filter(organization__division_code__startswith=prefix)
        .order_by("organization__uscc", "year")
        .values_list("organization__uscc", "year", *EnterpriseYear.FACT_FIELDS),
        Qualification.objects.filter(organization__division_code__startswith=prefix)
        .order_by("organization__uscc", "kind", "number")
        .values_list(
            "organization__uscc", "kind", "number", "level", "granted_on", "valid_until", "status"
        ),
        Platform.objects.filter(division_code__startswith=prefix)
        .order_by("host__uscc", "kind", "name")
        .values_list(
            "host__uscc",
            "name",
            "kind",
            "level",
            "division_code",
            "zone__name",
            "recognised_on",
            "status",
        ),
    )
    digest = hashlib.sha256()
    for query in queries:
        for row in query.iterator(chunk_size=5_000):
            digest.update("|".join("" if v is None else str(v) for v in row).encode())
            digest.update(b"\n")
    return digest.hexdigest()
