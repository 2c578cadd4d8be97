"""Division-prefix scoping: division_prefix, scope_q for every role, visible_to and friends."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from kechuang.accounts.models import User
from kechuang.core.scoping import (
    NOTHING,
    Roles,
    division_in_scope,
    division_prefix,
    object_in_scope,
    scope_q,
    visible_to,
)
from kechuang.core.testing.factories import (
    EnterpriseYearFactory,
    OrganizationFactory,
    PlatformFactory,
    QualificationFactory,
    UserFactory,
    ZoneFactory,
    user_with_role,
)
from kechuang.orgs.models import EnterpriseYear, Organization, Qualification
from kechuang.platforms.models import Platform
from kechuang.regions.models import Division, Zone


@pytest.mark.parametrize(
    ("code", "prefix"),
    [
        ("340000", "34"),
        ("340400", "3404"),
        ("340421", "340421"),
        ("110000", "11"),
        ("110101", "110101"),
        ("3404", "3404"),
        ("34", "34"),
        (" 340400 ", "3404"),
        ("", ""),
        (None, ""),
    ],
)
def test_division_prefix(code, prefix):
    assert division_prefix(code) == prefix


# --- scope_q as a filter, role by role (unsaved users: no database needed) ---------------------


def user(role, **kwargs):
    return User(username="u", role=role, **kwargs)


def test_anonymous_and_inactive_users_see_nothing():
    assert scope_q(Organization, AnonymousUser()) == NOTHING
    assert scope_q(Organization, None) == NOTHING
    assert scope_q(Organization, user(Roles.ADMIN, is_active=False)) == NOTHING


def test_admins_and_superusers_see_everything():
    assert scope_q(Organization, user(Roles.ADMIN)) == Q()
    assert scope_q(Platform, user(Roles.ENTERPRISE, is_superuser=True)) == Q()


@pytest.mark.parametrize(
    ("division_code", "low", "high"),
    [("340000", "340000", "349999"), ("340400", "340400", "340499"), ("340421", None, None)],
)
def test_bureau_scope_is_a_division_code_range(division_code, low, high):
    bureau = user(Roles.BUREAU, division_code=division_code)

    def expected(lookup):
        if low is None:
            return Q(**{lookup: division_code})
        return Q(**{f"{lookup}__gte": low, f"{lookup}__lte": high})

    assert scope_q(Organization, bureau) == expected("division_code")
    assert scope_q(EnterpriseYear, bureau) == expected("organization__division_code")
    assert scope_q(Qualification, bureau) == expected("organization__division_code")
    assert scope_q(Platform, bureau) == expected("division_code")
    assert scope_q(Zone, bureau) == expected("division_code")


def test_zone_scope_is_the_zone():
    staff = user(Roles.ZONE, zone_id=7)
    assert scope_q(Organization, staff) == Q(zone_id=7)
    assert scope_q(EnterpriseYear, staff) == Q(organization__zone_id=7)
    assert scope_q(Platform, staff) == Q(zone_id=7)
    assert scope_q(Zone, staff) == Q(id=7)


@pytest.mark.parametrize(
    "role",
    [Roles.ENTERPRISE, Roles.UNIVERSITY, Roles.PROVIDER, Roles.EXPERT, Roles.COMMISSIONER],
)
def test_organization_roles_see_their_organization(role):
    member = user(role, organization_id=5)
    assert scope_q(Organization, member) == Q(id=5)
    assert scope_q(EnterpriseYear, member) == Q(organization_id=5)
    assert scope_q(Qualification, member) == Q(organization_id=5)
    assert scope_q(Platform, member) == Q(host_id=5)
    # Zones declare no organization lookup: an organization's user gets none through scoping.
    assert scope_q(Zone, member) == NOTHING


@pytest.mark.parametrize(
    "member",
    [
        user(Roles.BUREAU, division_code=""),
        user(Roles.ZONE),
        user(Roles.ENTERPRISE),
        user(Roles.EXPERT),
        user(Roles.COMMISSIONER, division_code="340400"),
    ],
    ids=["bureau-without-division", "zone-without-zone", "enterprise-alone", "expert", "comm"],
)
def test_users_without_their_scope_see_nothing(member):
    assert scope_q(Organization, member) == NOTHING


def test_model_without_scope_is_refused():
    with pytest.raises(TypeError, match="Division declares no SCOPE"):
        scope_q(Division, user(Roles.BUREAU, division_code="340400"))


def test_division_in_scope():
    assert division_in_scope(user(Roles.ADMIN), "110101")
    bureau = user(Roles.BUREAU, division_code="340400")
    assert division_in_scope(bureau, "340421")
    assert not division_in_scope(bureau, "340102")
    assert not division_in_scope(user(Roles.BUREAU, division_code=""), "340421")
    assert not division_in_scope(user(Roles.ZONE, zone_id=1), "340421")
    assert not division_in_scope(user(Roles.ENTERPRISE, organization_id=1), "340421")


# --- the same rules against rows ---------------------------------------------------------


ORGANIZATION_KEY = {
    Organization: "id",
    EnterpriseYear: "organization_id",
    Qualification: "organization_id",
    Platform: "host_id",
}


@pytest.mark.django_db
def test_visible_to_filters_rows_for_every_role():
    zone, other_zone = ZoneFactory(), ZoneFactory()
    own = OrganizationFactory(zone=zone)
    neighbour = OrganizationFactory(zone=other_zone)
    hefei = OrganizationFactory(division_code="340102")
    for org in (own, neighbour, hefei):
        EnterpriseYearFactory(organization=org)
        QualificationFactory(organization=org)
        PlatformFactory(host=org, zone=org.zone)

    def seen(member):
        return {
            model.__name__: set(visible_to(model.objects.all(), member).values_list(key, flat=True))
            for model, key in ORGANIZATION_KEY.items()
        }

    def everywhere(*orgs):
        return {model.__name__: {o.pk for o in orgs} for model in ORGANIZATION_KEY}

    assert seen(user_with_role(Roles.ADMIN)) == everywhere(own, neighbour, hefei)
    assert seen(UserFactory(division_code="340000")) == everywhere(own, neighbour, hefei)
    assert seen(UserFactory(division_code="340400")) == everywhere(own, neighbour)
    assert seen(UserFactory(division_code="340102")) == everywhere(hefei)
    assert seen(user_with_role(Roles.ZONE, zone=zone)) == everywhere(own)
    for role in (Roles.ENTERPRISE, Roles.UNIVERSITY, Roles.PROVIDER, Roles.EXPERT):
        assert seen(user_with_role(role, organization=neighbour)) == everywhere(neighbour)
    inactive = user_with_role(Roles.ADMIN, is_active=False)
    assert seen(inactive) == everywhere()
    assert set(Organization.objects.visible_to(UserFactory()).values_list("id", flat=True)) == {
        own.pk,
        neighbour.pk,
    }


@pytest.mark.django_db
def test_object_in_scope():
    org = OrganizationFactory()
    hefei = OrganizationFactory(division_code="340102")
    bureau = UserFactory()
    assert object_in_scope(org, bureau)
    assert not object_in_scope(hefei, bureau)
    assert object_in_scope(hefei, user_with_role(Roles.ENTERPRISE, organization=hefei))
    assert not object_in_scope(org, user_with_role(Roles.ENTERPRISE, organization=hefei))
