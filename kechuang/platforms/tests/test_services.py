"""platform_create / platform_update."""

import datetime as dt

import pytest

from kechuang.core.exceptions import NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.models import AuditEvent
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import (
    OrganizationFactory,
    PlatformFactory,
    UserFactory,
    ZoneFactory,
    user_with_role,
)
from kechuang.platforms.models import Platform
from kechuang.platforms.services import platform_create, platform_problems, platform_update

pytestmark = pytest.mark.django_db


def new(host, **changes):
    return {
        "name": "凤台煤化工工程技术研究中心",
        "kind": "eng_research_center",
        "level": "provincial",
        "host": host,
    } | changes


def test_platform_create_takes_the_host_division_and_records_who():
    host = OrganizationFactory()
    actor = UserFactory()
    platform = platform_create(actor=actor, **new(host), recognised_on=dt.date(2021, 5, 1))
    assert Platform.objects.get() == platform
    assert platform.division_code == "340421" and platform.status == "active"
    event = AuditEvent.objects.get(verb="platform.created")
    assert (event.actor, event.object_id) == (actor, str(platform.pk))
    assert platform.history.get().history_user == actor


def test_platform_create_refusals():
    host = OrganizationFactory()
    bureau = UserFactory()
    with pytest.raises(ValidationFailed) as raised:
        platform_create(actor=bureau, **new(host, division_code="340102"))
    assert raised.value.field == "division_code"
    with pytest.raises(ValidationFailed) as raised:
        platform_create(actor=bureau, **new(host, name=" "))
    assert raised.value.field == "name"
    with pytest.raises(ValidationFailed) as raised:
        platform_create(actor=bureau, **new(OrganizationFactory(division_code="340102")))
    assert raised.value.field == "host"
    with pytest.raises(RoleNotAllowed):
        platform_create(actor=user_with_role(Roles.ENTERPRISE, organization=host), **new(host))
    platform_create(actor=bureau, **new(host))
    with pytest.raises(ValidationFailed) as raised:
        platform_create(actor=bureau, **new(host))
    assert (raised.value.code, raised.value.field) == ("duplicate", "name")
    assert Platform.objects.count() == 1


def test_zone_staff_register_platforms_in_their_zone():
    zone = ZoneFactory()
    staff = user_with_role(Roles.ZONE, zone=zone)
    host = OrganizationFactory(zone=zone)
    with pytest.raises(ValidationFailed) as raised:
        platform_create(actor=staff, **new(host, zone=ZoneFactory()))
    assert raised.value.field == "zone"
    assert platform_create(actor=staff, **new(host, zone=zone)).zone == zone


def test_platform_problems_without_actor():
    assert platform_problems({"name": "x", "division_code": "340421"}) == {}
    assert set(platform_problems({"name": "", "division_code": "3404"})) == {
        "name",
        "division_code",
    }


def test_platform_update():
    platform = PlatformFactory()
    actor = UserFactory()
    platform_update(actor=actor, platform=platform, status="warned")
    platform.refresh_from_db()
    assert platform.status == "warned"
    assert AuditEvent.objects.get(verb="platform.updated").data == {"status": "warned"}
    assert platform.history.latest().history_user == actor
    platform_update(actor=actor, platform=platform, status="warned")
    assert AuditEvent.objects.filter(verb="platform.updated").count() == 1


def test_platform_update_scope():
    hefei = PlatformFactory(host=OrganizationFactory(division_code="340102"))
    with pytest.raises(NotInScope):
        platform_update(actor=UserFactory(), platform=hefei, status="revoked")
    platform = PlatformFactory()
    with pytest.raises(ValidationFailed):
        platform_update(actor=UserFactory(), platform=platform, division_code="340102")
    member = user_with_role(Roles.ENTERPRISE, organization=platform.host)
    with pytest.raises(RoleNotAllowed):
        platform_update(actor=member, platform=platform, status="revoked")
    platform.refresh_from_db()
    assert (platform.status, platform.division_code) == ("active", "340421")
