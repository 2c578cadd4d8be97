"""Writes to organizations, yearly facts and qualifications go through these services."""

import datetime as dt
from decimal import Decimal

import pytest

from kechuang.core.exceptions import NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.models import AuditEvent
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import (
    EnterpriseYearFactory,
    OrganizationFactory,
    UserFactory,
    ZoneFactory,
    user_with_role,
)
from kechuang.orgs.models import EnterpriseYear, Organization, Qualification
from kechuang.orgs.services import (
    enterprise_year_problems,
    enterprise_year_save,
    organization_create,
    organization_update,
    qualification_save,
)

pytestmark = pytest.mark.django_db

ORG = {
    "uscc": "914403001922038216",
    "name": "凤台测试科技有限公司",
    "kind": "enterprise",
    "division_code": "340421",
}


def events(verb):
    return list(AuditEvent.objects.filter(verb=verb))


# --- organization_create / organization_update ----------------------------------------------


def test_organization_create_records_who():
    actor = UserFactory()
    org = organization_create(actor=actor, **ORG, founded_on=dt.date(2018, 1, 1))
    assert Organization.objects.get() == org
    [event] = events("organization.created")
    assert (event.actor, event.object_id, event.object_repr) == (actor, str(org.pk), ORG["name"])
    history = org.history.get()
    assert (history.history_type, history.history_user) == ("+", actor)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"uscc": "914403001922038217"}, "uscc"),
        ({"uscc": ""}, "uscc"),
        ({"name": ""}, "name"),
        ({"division_code": "340102"}, "division_code"),
        ({"division_code": "340400"}, "division_code"),
        ({"division_code": "000000"}, "division_code"),
    ],
)
def test_organization_create_validation(changes, field):
    with pytest.raises(ValidationFailed) as raised:
        organization_create(actor=UserFactory(), **(ORG | changes))
    assert (raised.value.code, raised.value.field) == ("invalid", field)
    assert not Organization.objects.exists() and not AuditEvent.objects.exists()


def test_organization_create_duplicate():
    OrganizationFactory(uscc=ORG["uscc"])
    with pytest.raises(ValidationFailed) as raised:
        organization_create(actor=UserFactory(), **(ORG | {"uscc": ORG["uscc"].lower()}))
    assert (raised.value.code, raised.value.field) == ("duplicate", "uscc")


def test_county_bureau_and_admin_scopes():
    county = UserFactory(division_code="340421")
    assert organization_create(actor=county, **ORG).division_code == "340421"
    other_county = UserFactory(division_code="340422")
    with pytest.raises(ValidationFailed):
        organization_create(actor=other_county, **(ORG | {"uscc": "91440300708461136T"}))
    admin = user_with_role(Roles.ADMIN)
    far = organization_create(
        actor=admin, **(ORG | {"uscc": "91110108551385082Q", "division_code": "110101"})
    )
    assert far.division_code == "110101"


def test_zone_staff_create_in_their_zone_only():
    zone = ZoneFactory()
    staff = user_with_role(Roles.ZONE, zone=zone)
    with pytest.raises(ValidationFailed) as raised:
        organization_create(actor=staff, **ORG)
    assert raised.value.field == "zone"
    with pytest.raises(ValidationFailed):
        organization_create(actor=staff, **ORG, zone=ZoneFactory())
    assert organization_create(actor=staff, **ORG, zone=zone).zone == zone


@pytest.mark.parametrize("role", [Roles.ENTERPRISE, Roles.EXPERT, Roles.PROVIDER])
def test_organization_roles_cannot_create(role):
    with pytest.raises(RoleNotAllowed):
        organization_create(actor=user_with_role(role), **ORG)


def test_organization_update_records_changes():
    org = OrganizationFactory(ownership="private")
    actor = UserFactory()
    organization_update(actor=actor, organization=org, ownership="mixed", above_scale=True)
    org.refresh_from_db()
    assert (org.ownership, org.above_scale) == ("mixed", True)
    [event] = events("organization.updated")
    assert event.data == {"ownership": "mixed", "above_scale": "True"}
    assert org.history.latest().history_user == actor
    organization_update(actor=actor, organization=org, ownership="mixed")
    assert len(events("organization.updated")) == 1  # nothing changed, nothing recorded


def test_organization_update_scope_and_locks():
    org = OrganizationFactory()
    with pytest.raises(NotInScope):
        organization_update(
            actor=UserFactory(division_code="340102"), organization=org, name="改名"
        )
    member = user_with_role(Roles.ENTERPRISE, organization=org)
    for locked in ({"division_code": "340422"}, {"name": "改名"}, {"uscc": ORG["uscc"]}):
        with pytest.raises(RoleNotAllowed):
            organization_update(actor=member, organization=org, **locked)
    organization_update(actor=member, organization=org, industry_code="3985")
    org.refresh_from_db()
    assert org.industry_code == "3985"
    with pytest.raises(NotInScope):
        organization_update(actor=member, organization=OrganizationFactory(), industry_code="1")


def test_organization_update_uscc_must_stay_unique():
    taken = OrganizationFactory()
    org = OrganizationFactory()
    with pytest.raises(ValidationFailed) as raised:
        organization_update(actor=UserFactory(), organization=org, uscc=taken.uscc)
    assert raised.value.code == "duplicate"


# --- enterprise_year_save ------------------------------------------------------------------


def test_enterprise_year_save_upserts():
    org = OrganizationFactory()
    actor = UserFactory()
    first = enterprise_year_save(
        actor=actor, organization=org, year=2024, employees=50, revenue=Decimal("100.00")
    )
    second = enterprise_year_save(actor=actor, organization=org, year=2024, employees=60)
    assert first.pk == second.pk and EnterpriseYear.objects.count() == 1
    second.refresh_from_db()
    assert (second.employees, second.revenue) == (60, Decimal("100.00"))
    assert [e.verb for e in AuditEvent.objects.order_by("id")] == [
        "enterprise_year.created",
        "enterprise_year.updated",
    ]
    assert AuditEvent.objects.latest("id").data == {"employees": "60"}
    enterprise_year_save(actor=actor, organization=org, year=2024, employees=60)
    assert AuditEvent.objects.count() == 2
    assert [h.history_user for h in second.history.all()] == [actor, actor]


def test_enterprise_year_rules_see_stored_values():
    record = EnterpriseYearFactory(employees=10, rd_staff=5)
    with pytest.raises(ValidationFailed) as raised:
        enterprise_year_save(
            actor=UserFactory(), organization=record.organization, year=record.year, rd_staff=11
        )
    assert raised.value.field == "rd_staff"
    record.refresh_from_db()
    assert record.rd_staff == 5


def test_enterprise_year_save_refusals():
    org = OrganizationFactory()
    with pytest.raises(ValidationFailed, match="未知字段"):
        enterprise_year_save(actor=UserFactory(), organization=org, year=2024, colour="red")
    with pytest.raises(NotInScope):
        enterprise_year_save(actor=UserFactory(division_code="340102"), organization=org, year=2024)
    with pytest.raises(RoleNotAllowed):
        enterprise_year_save(
            actor=user_with_role(Roles.UNIVERSITY, organization=org), organization=org, year=2024
        )
    own = enterprise_year_save(
        actor=user_with_role(Roles.ENTERPRISE, organization=org), organization=org, year=2024
    )
    assert own.year == 2024


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"year": 1948}, "year"),
        ({"year": None}, "year"),
        ({"revenue": Decimal("-1")}, "revenue"),
        ({"employees": 3, "rd_staff": 4}, "rd_staff"),
        ({"rd_expense": Decimal(1), "rd_expense_domestic": Decimal(2)}, "rd_expense_domestic"),
        ({"revenue": Decimal(1), "hightech_revenue": Decimal(2)}, "hightech_revenue"),
    ],
)
def test_enterprise_year_problems(facts, field):
    assert field in enterprise_year_problems({"year": 2023} | facts)


def test_enterprise_year_problems_accept_a_clean_record():
    assert enterprise_year_problems({"year": 2023, "employees": 3, "rd_staff": 3}) == {}


# --- qualification_save ----------------------------------------------------------------------

QUALIFICATION = {
    "kind": "hnte",
    "number": "GR202334000001",
    "level": "national",
    "granted_on": dt.date(2023, 10, 16),
    "valid_until": dt.date(2026, 10, 15),
}


def test_qualification_save_upserts_by_number():
    org = OrganizationFactory()
    actor = UserFactory()
    first = qualification_save(actor=actor, organization=org, **QUALIFICATION)
    second = qualification_save(
        actor=actor, organization=org, **(QUALIFICATION | {"status": "revoked"})
    )
    assert first.pk == second.pk and Qualification.objects.get().status == "revoked"
    other = qualification_save(
        actor=actor, organization=org, **(QUALIFICATION | {"number": "GR202334000002"})
    )
    assert other.pk != first.pk
    assert [e.verb for e in AuditEvent.objects.order_by("id")] == [
        "qualification.created",
        "qualification.updated",
        "qualification.created",
    ]
    assert AuditEvent.objects.get(verb="qualification.updated").data == {"status": "revoked"}
    assert first.history.latest().history_user == actor


def test_qualification_save_refusals():
    org = OrganizationFactory()
    with pytest.raises(ValidationFailed) as raised:
        qualification_save(
            actor=UserFactory(),
            organization=org,
            **(QUALIFICATION | {"valid_until": dt.date(2023, 1, 1)}),
        )
    assert raised.value.field == "valid_until"
    with pytest.raises(ValidationFailed):
        qualification_save(
            actor=UserFactory(), organization=org, **(QUALIFICATION | {"number": ""})
        )
    with pytest.raises(NotInScope):
        qualification_save(
            actor=UserFactory(division_code="340102"), organization=org, **QUALIFICATION
        )
    with pytest.raises(RoleNotAllowed):
        qualification_save(
            actor=user_with_role(Roles.ENTERPRISE, organization=org),
            organization=org,
            **QUALIFICATION,
        )
    assert not Qualification.objects.exists()


def test_zone_staff_keep_qualifications_of_their_zone():
    zone = ZoneFactory()
    staff = user_with_role(Roles.ZONE, zone=zone)
    assert qualification_save(
        actor=staff, organization=OrganizationFactory(zone=zone), **QUALIFICATION
    )
    with pytest.raises(NotInScope):
        qualification_save(actor=staff, organization=OrganizationFactory(), **QUALIFICATION)
    assert Qualification.objects.count() == 1


def test_a_unique_violation_at_save_is_a_duplicate():
    # What a concurrent writer causes (tests/test_concurrency.py races it on PostgreSQL): the
    # pre-check saw no such USCC, the database's unique constraint does.
    from kechuang.core.services import save_new

    taken = OrganizationFactory()
    twin = Organization(uscc=taken.uscc, name="同码机构", division_code="340421")
    with pytest.raises(ValidationFailed) as raised:
        save_new(twin, actor=UserFactory(), verb="organization.created", duplicate="uscc")
    assert (raised.value.code, raised.value.field) == ("duplicate", "uscc")
    assert Organization.objects.count() == 1
