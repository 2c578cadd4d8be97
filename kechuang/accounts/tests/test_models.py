"""Users: one role, the scope the role needs (database constraints), labels."""

import pytest
from django.db import IntegrityError, transaction

from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import (
    OrganizationFactory,
    UserFactory,
    ZoneFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fields",
    [
        {"role": Roles.BUREAU, "division_code": ""},
        {"role": Roles.ZONE, "division_code": ""},
        {"role": Roles.ENTERPRISE, "division_code": ""},
        {"role": Roles.UNIVERSITY, "division_code": ""},
        {"role": Roles.PROVIDER, "division_code": ""},
    ],
    ids=lambda fields: fields["role"],
)
def test_roles_need_their_scope(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(**fields)


@pytest.mark.parametrize("role", [Roles.EXPERT, Roles.COMMISSIONER, Roles.ADMIN])
def test_roles_without_a_required_scope(role):
    assert UserFactory(role=role, division_code="").pk


def test_scope_labels():
    assert UserFactory(division_code="340400").scope_label == "安徽省淮南市"
    assert UserFactory(division_code="340421").scope_label == "安徽省淮南市凤台县"
    assert user_with_role(Roles.ADMIN).scope_label == "全部"
    zone = ZoneFactory(name="淮南高新区")
    assert user_with_role(Roles.ZONE, zone=zone).scope_label == "淮南高新区"
    org = OrganizationFactory(name="凤台甲公司")
    assert user_with_role(Roles.ENTERPRISE, organization=org).scope_label == "凤台甲公司"
    assert UserFactory(role=Roles.EXPERT, division_code="").scope_label == "仅本人"


def test_staff_role_and_str():
    assert UserFactory().is_staff_role
    assert user_with_role(Roles.ZONE).is_staff_role
    assert not user_with_role(Roles.ENTERPRISE).is_staff_role
    assert str(UserFactory(username="li", display_name="李明")) == "李明"
    assert str(UserFactory(username="wang")) == "wang"
