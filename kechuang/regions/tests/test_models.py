"""Divisions and zones: the loaded tree, constraints and history."""

import pytest
from django.db import IntegrityError, transaction

from kechuang.core.testing.factories import ZoneFactory
from kechuang.regions.models import Division
from kechuang.regions.selectors import (
    division_children,
    division_exists,
    division_full_name,
    division_name,
    divisions_under,
    is_leaf_division,
)

pytestmark = pytest.mark.django_db


def test_the_tree_is_loaded_by_migration():
    fengtai = Division.objects.select_related("parent__parent").get(code="340421")
    assert (fengtai.name, fengtai.level, fengtai.is_leaf) == ("凤台县", "county", True)
    assert (fengtai.parent.code, fengtai.parent.level) == ("340400", "city")
    assert (fengtai.parent.parent.code, fengtai.parent.parent.level) == ("340000", "province")
    assert fengtai.parent.is_leaf is False
    assert str(fengtai) == "凤台县（340421）"
    assert (fengtai.prefix, fengtai.parent.prefix, fengtai.parent.parent.prefix) == (
        "340421",
        "3404",
        "34",
    )
    # Municipalities have their districts directly under the province.
    assert Division.objects.get(code="110101").parent_id == "110000"
    assert Division.objects.filter(level="province").count() >= 31


def test_division_code_must_have_six_digits():
    with pytest.raises(IntegrityError), transaction.atomic():
        Division.objects.create(code="3404", name="坏", level="city")


def test_selectors():
    assert division_name("340421") == "凤台县"
    assert division_name("999999") == "999999"
    assert division_full_name("340421") == "安徽省淮南市凤台县"
    assert division_exists("340421") and not division_exists("349999")
    assert is_leaf_division("340421") and not is_leaf_division("340400")
    assert not is_leaf_division("349999")
    assert {d.code for d in division_children("340400")} == set(divisions_under("3404")) - {
        "340400"
    }
    assert "340000" in {d.code for d in division_children(None)}


def test_selector_cache_follows_writes():
    Division.objects.create(code="349901", name="测试县", level="county", parent_id="340000")
    assert division_exists("349901")
    Division.objects.filter(code="349901").delete()
    assert not division_exists("349901")


def test_zone_names_are_unique_and_history_is_kept():
    zone = ZoneFactory(name="淮南高新区")
    with pytest.raises(IntegrityError), transaction.atomic():
        ZoneFactory(name="淮南高新区")
    zone.status = "warned"
    zone.save()
    assert [h.status for h in zone.history.all()] == ["warned", "active"]
    assert str(zone) == "淮南高新区"
