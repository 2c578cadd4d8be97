"""``/api/v1/redemptions/``: scoped list and detail, confirmation of the screening list, the
enterprise's application, workflow actions, amount overrides and the Excel export."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from kechuang.core.scoping import Roles
from kechuang.core.testing import client_for, result_keys
from kechuang.core.testing.factories import user_with_role
from kechuang.core.testing.matrix import MatrixSpec
from kechuang.policies.models import PolicyBudget, Redemption
from kechuang.policies.selectors import SCREEN_READERS

from .test_redemptions import POLICY, YEAR, raise_rd


def make_redemption(place, **fields) -> Redemption:
    fields = {
        "policy": POLICY,
        "year": YEAR,
        "computed_amount": Decimal("150000"),
        "amount": Decimal("150000"),
        "source": "proposed",
        "status": "proposed",
        **fields,
    }
    return Redemption.objects.create(
        organization=place.organization,
        division_code=place.division_code,
        zone=place.zone,
        **fields,
    )


# Run by the MATRIX of test_api.py (the module the matrix coverage test reads).
REDEMPTION_MATRIX = [
    MatrixSpec(
        name="redemption",
        make=make_redemption,
        readers=SCREEN_READERS,
        api="redemption",
        ui_list="policies:redemption-list",
        ui_detail="policies:redemption-detail",
    ),
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau(db):
    return client_for(user_with_role(Roles.BUREAU, division_code="340400"))


def _url(name, **kwargs):
    return reverse(f"api:redemption-{name}", kwargs=kwargs or None)


def test_confirm_then_work_through_to_paid_and_export(enterprises, bureau):
    raise_rd(enterprises["strong"])
    response = bureau.post(_url("confirm-screening"), {"policy": POLICY, "year": YEAR})
    assert response.status_code == 201, response.content
    [row] = response.json()
    assert row["status"] == "proposed" and row["amount"] == "150000.00"
    again = bureau.post(_url("confirm-screening"), {"policy": POLICY, "year": YEAR})
    assert again.json() == []
    pk = row["id"]
    patch = bureau.patch(_url("detail", pk=pk), {"amount": "120000"}, format="json")
    assert patch.status_code == 400 and patch.json()["code"] == "reason_required"
    patch = bureau.patch(
        _url("detail", pk=pk), {"amount": "120000", "override_reason": "核减"}, format="json"
    )
    assert patch.status_code == 200 and patch.json()["amount"] == "120000.00"
    PolicyBudget.objects.create(
        policy=POLICY, year=YEAR, division_code="340400", amount=Decimal(120000)
    )
    for action in ("verify", "approve"):
        step = bureau.post(_url("transition", pk=pk), {"action": action})
        assert step.status_code == 200, step.content
    export = bureau.get(_url("export"), {"status": "approved", "policy": POLICY, "year": YEAR})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("政策", "会计年度", "企业名称")
    assert rows[1][2] == "强科技有限公司" and rows[1][6] == 120000
    assert bureau.post(_url("transition", pk=pk), {"action": "pay"}).json()["status"] == "paid"
    paid = bureau.get(_url("export"), {"status": "paid"})
    assert len(list(openpyxl.load_workbook(io.BytesIO(paid.content)).active.values)) == 2
    approved = bureau.get(_url("export"), {"status": "approved"})
    assert len(list(openpyxl.load_workbook(io.BytesIO(approved.content)).active.values)) == 1


def test_over_budget_answers_its_code(enterprises, bureau):
    raise_rd(enterprises["strong"])
    [row] = bureau.post(_url("confirm-screening"), {"policy": POLICY, "year": YEAR}).json()
    PolicyBudget.objects.create(policy=POLICY, year=YEAR, division_code="340421", amount=1)
    bureau.post(_url("transition", pk=row["id"]), {"action": "verify"})
    response = bureau.post(_url("transition", pk=row["id"]), {"action": "approve"})
    assert response.status_code == 400 and response.json()["code"] == "over_budget"


def test_enterprise_applies_sees_its_own_and_cannot_confirm(enterprises):
    raise_rd(enterprises["strong"])
    owner = client_for(user_with_role(Roles.ENTERPRISE, organization=enterprises["strong"]))
    response = owner.post(_url("apply"), {"policy": POLICY, "year": YEAR})
    assert response.status_code == 201, response.content
    assert response.json()["source"] == "applied"
    assert result_keys(owner.get(_url("list"))) == [response.json()["id"]]
    refused = owner.post(_url("confirm-screening"), {"policy": POLICY, "year": YEAR})
    assert refused.status_code == 403
    weak = client_for(user_with_role(Roles.ENTERPRISE, organization=enterprises["weak"]))
    response = weak.post(_url("apply"), {"policy": POLICY, "year": YEAR})
    assert response.status_code == 400 and response.json()["code"] == "not_eligible"
    hnte = owner.post(_url("apply"), {"policy": "hnte", "year": YEAR})
    assert hnte.status_code == 400


def test_filters_and_scope(enterprises, bureau):
    raise_rd(enterprises["strong"])
    bureau.post(_url("confirm-screening"), {"policy": POLICY, "year": YEAR})
    assert len(result_keys(bureau.get(_url("list"), {"status": "proposed"}))) == 1
    assert result_keys(bureau.get(_url("list"), {"status": "paid"})) == []
    assert result_keys(bureau.get(_url("list"), {"year": 2022})) == []
    assert len(result_keys(bureau.get(_url("list"), {"division": "340421"}))) == 1
    hefei = client_for(user_with_role(Roles.BUREAU, division_code="340100"))
    assert result_keys(hefei.get(_url("list"))) == []
    assert hefei.get(_url("export")).status_code == 200
