"""Snapshots keep figures as computed, with their definitions, after the records change."""

from decimal import Decimal

import pytest

from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import QualificationFactory, user_with_role
from kechuang.orgs.models import EnterpriseYear
from kechuang.stats.models import IndicatorValue
from kechuang.stats.selectors import compute, snapshot_values
from kechuang.stats.services import snapshot_compute, snapshot_create

pytestmark = pytest.mark.django_db
KEYS = ["hnte_count", "hnte_private_share", "rd_intensity", "revenue_sum"]


def test_snapshot_values_survive_changes_to_the_records(region):
    bureau = user_with_role(Roles.BUREAU)
    snapshot = snapshot_compute(
        actor=bureau, division="340400", period="2023", indicators=KEYS, label="2023 年简报"
    )
    frozen = {v.indicator: v for v in snapshot_values(snapshot)}
    assert frozen["hnte_count"].value == 4
    assert frozen["rd_intensity"].value == Decimal("0.030000")
    # The records change: one more high-tech enterprise, a revised revenue.
    QualificationFactory(organization=region["university"])
    EnterpriseYear.objects.filter(year=2023).update(revenue=Decimal("8000.00"))
    now = {v.indicator: v for v in compute(user=bureau, division="340400", period="2023")}
    assert now["hnte_count"].value == 5
    again = {v.indicator: v for v in snapshot_values(snapshot.pk)}
    assert again["hnte_count"].value == 4
    assert again["rd_intensity"].value == Decimal("0.030000")
    assert again["revenue_sum"].value == Decimal("4000.00")
    assert again["hnte_private_share"].definition["measure"]["type"] == "share"
    assert [v.indicator for v in snapshot_values(snapshot)] == KEYS
    row = IndicatorValue.objects.get(snapshot=snapshot, indicator="hnte_count")
    assert row.version == 1 and row.computed_at is not None and row.division_name == "淮南市"


def test_snapshot_of_values_with_none_and_zones(region):
    values = compute(user=None, division="", zone=region["zone"].pk, period="2023")
    values += compute(user=None, division="340422", period="2023", indicators=["rd_intensity"])
    snapshot = snapshot_create(actor=None, values=values, label="")
    restored = snapshot_values(snapshot)
    assert restored == values  # equal field by field (definitions aside)
    assert restored[-1].value is None and restored[-1].note == "分母为 0"
    assert restored[0].zone_name == region["zone"].name
