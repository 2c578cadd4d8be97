"""zone_create / zone_update and the division loader."""

import datetime as dt

import pytest

from kechuang.core.exceptions import NotInScope, ValidationFailed
from kechuang.core.models import AuditEvent
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import UserFactory, ZoneFactory, user_with_role
from kechuang.regions.models import Division, Zone
from kechuang.regions.services import divisions_load, gbt2260_rows, zone_create, zone_update

pytestmark = pytest.mark.django_db

ZONE = {"name": "凤台经济开发区", "kind": "econ_dev", "level": "provincial"}


def test_zone_create_records_who():
    actor = UserFactory()
    zone = zone_create(actor=actor, **ZONE, division_code="340421", approved_on=dt.date(2006, 3, 1))
    assert Zone.objects.get() == zone and zone.status == "active"
    event = AuditEvent.objects.get(verb="zone.created")
    assert (event.actor, event.object_id) == (actor, str(zone.pk))
    assert zone.history.get().history_user == actor


def test_zone_create_refusals():
    bureau = UserFactory()
    with pytest.raises(ValidationFailed) as raised:
        zone_create(actor=bureau, **ZONE, division_code="340102")
    assert (raised.value.code, raised.value.field) == ("invalid", "division_code")
    with pytest.raises(ValidationFailed) as raised:
        zone_create(actor=bureau, **ZONE, division_code="349999")
    assert raised.value.code == "unknown_division"
    ZoneFactory(name=ZONE["name"])
    with pytest.raises(ValidationFailed) as raised:
        zone_create(actor=bureau, **ZONE, division_code="340421")
    assert (raised.value.code, raised.value.field) == ("duplicate", "name")
    with pytest.raises(ValidationFailed):
        zone_create(
            actor=user_with_role(Roles.ZONE), **(ZONE | {"name": "新"}), division_code="340421"
        )
    with pytest.raises(ValidationFailed) as raised:
        zone_create(
            actor=bureau, **(ZONE | {"name": "新", "kind": "castle"}), division_code="340421"
        )
    assert (raised.value.code, raised.value.field) == ("invalid", "kind")
    assert Zone.objects.count() == 1 + 1  # the one from the factory and the zone user's own


def test_zone_update():
    zone = ZoneFactory()
    actor = UserFactory()
    zone_update(actor=actor, zone=zone, status="warned", level="national")
    zone.refresh_from_db()
    assert (zone.status, zone.level) == ("warned", "national")
    assert AuditEvent.objects.get(verb="zone.updated").data == {
        "status": "warned",
        "level": "national",
    }
    assert zone.history.latest().history_user == actor
    zone_update(actor=actor, zone=zone, status="warned")
    assert AuditEvent.objects.filter(verb="zone.updated").count() == 1


def test_zone_update_scope():
    hefei = ZoneFactory(division_code="340102")
    with pytest.raises(NotInScope):
        zone_update(actor=UserFactory(), zone=hefei, status="revoked")
    zone = ZoneFactory()
    with pytest.raises(ValidationFailed) as raised:
        zone_update(actor=UserFactory(), zone=zone, division_code="340102")
    assert raised.value.field == "division_code"
    with pytest.raises(NotInScope):
        zone_update(actor=user_with_role(Roles.ZONE, zone=zone), zone=zone, status="warned")
    zone_update(actor=user_with_role(Roles.ADMIN), zone=hefei, division_code="110101")
    hefei.refresh_from_db()
    assert hefei.division_code == "110101"


def test_gbt2260_rows_normalise_codes():
    rows = {code: (name, level, parent) for code, name, level, parent in gbt2260_rows()}
    assert rows["340000"] == ("安徽省", "province", None)
    assert rows["340400"] == ("淮南市", "city", "340000")
    assert rows["340421"] == ("凤台县", "county", "340400")
    assert rows["110101"][2] == "110000"
    assert all(len(code) == 6 and code.isdigit() for code in rows)


def test_divisions_load_repairs_and_is_idempotent():
    before = Division.objects.count()
    Division.objects.filter(code="340400").update(name="改错的名字")
    Division.objects.filter(code="340421").delete()
    assert divisions_load() == before
    assert Division.objects.get(code="340400").name == "淮南市"
    assert Division.objects.get(code="340421").parent_id == "340400"
    snapshot = list(Division.objects.values_list("code", "name", "level", "parent_id", "is_leaf"))
    assert divisions_load() == before
    assert list(Division.objects.values_list("code", "name", "level", "parent_id", "is_leaf")) == (
        snapshot
    )
