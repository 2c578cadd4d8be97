"""kechuang load_divisions."""

from io import StringIO

import pytest
from django.core.management import call_command

from kechuang.regions.models import Division

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_divisions", stdout=out)
    return out.getvalue()


def test_load_divisions_is_idempotent():
    before = list(Division.objects.values_list("code", "name", "level", "parent_id", "is_leaf"))
    output = load()
    assert f"共 {len(before)} 条" in output
    load()
    after = list(Division.objects.values_list("code", "name", "level", "parent_id", "is_leaf"))
    assert after == before


def test_load_divisions_restores_missing_divisions():
    before = Division.objects.count()
    Division.objects.filter(code__startswith="3404").exclude(code="340400").delete()
    Division.objects.filter(code="340400").delete()
    Division.objects.filter(code__startswith="11").exclude(code="110000").delete()
    Division.objects.filter(code="110000").delete()
    assert not Division.objects.filter(code__in=["340400", "340421", "110000", "110101"]).exists()
    load()
    assert Division.objects.count() == before
    assert Division.objects.get(code="340400").level == "city"
    assert Division.objects.get(code="340400").parent_id == "340000"
    assert Division.objects.get(code="340421").parent_id == "340400"
    assert Division.objects.get(code="110000").level == "province"
    assert Division.objects.get(code="110101").parent_id == "110000"
    assert not Division.objects.exclude(code__regex=r"^[0-9]{6}$").exists()
