"""user_create and token_for."""

import pytest

from kechuang.accounts.models import User
from kechuang.accounts.services import token_for, user_create
from kechuang.core.exceptions import ValidationFailed
from kechuang.core.models import AuditEvent
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import OrganizationFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def test_bureau_user_with_a_division_prefix():
    admin = UserFactory(role=Roles.ADMIN, division_code="")
    user = user_create(
        actor=admin, username="hn", role="bureau", division_code="3404", password="s3cret-pass"
    )
    assert (user.division_code, user.check_password("s3cret-pass")) == ("340400", True)
    assert not (user.is_staff or user.is_superuser)
    event = AuditEvent.objects.get(verb="user.created")
    assert (event.actor, event.data) == (admin, {"role": "bureau", "scope": "3404"})


def test_zone_and_organization_users():
    zone, org = ZoneFactory(), OrganizationFactory()
    assert user_create(username="z", role="zone", zone=zone).zone == zone
    member = user_create(username="e", role="enterprise", organization=org)
    assert member.organization == org and not member.has_usable_password()
    expert = user_create(username="x", role="expert", organization=org)
    assert expert.organization == org
    # A zone user keeps no organization.
    assert user_create(username="z2", role="zone", zone=zone, organization=org).organization is None


def test_admins_are_superusers():
    admin = user_create(username="root", role="admin")
    assert admin.is_staff and admin.is_superuser


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"role": "mayor"}, "role"),
        ({"role": "bureau"}, "division_code"),
        ({"role": "bureau", "division_code": "349999"}, "division_code"),
        ({"role": "zone"}, "zone"),
        ({"role": "enterprise"}, "organization"),
        ({"role": "university"}, "organization"),
        ({"role": "provider"}, "organization"),
    ],
)
def test_user_create_refusals(kwargs, field):
    with pytest.raises(ValidationFailed) as raised:
        user_create(username="new", **kwargs)
    assert raised.value.field == field
    assert not User.objects.filter(username="new").exists()


def test_usernames_are_unique():
    UserFactory(username="taken")
    with pytest.raises(ValidationFailed) as raised:
        user_create(username="taken", role="expert")
    assert raised.value.code == "duplicate"


def test_token_is_stable_per_user():
    user, other = UserFactory(), UserFactory()
    assert token_for(user) == token_for(user)
    assert len(token_for(user)) == 40
    assert token_for(other) != token_for(user)
