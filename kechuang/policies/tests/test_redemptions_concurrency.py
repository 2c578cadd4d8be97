"""The budget is never exceeded, proven with real parallel clients on PostgreSQL: approvals
lock the budget row, so twelve clerks approving at once fit exactly what the budget holds; and
parallel confirmations of one screening list create each redemption once."""

from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse

from kechuang.core.scoping import Roles
from kechuang.core.testing import client_for
from kechuang.core.testing.concurrency import POSTGRES_PARALLEL, in_parallel
from kechuang.core.testing.factories import OrganizationFactory, ZoneFactory, user_with_role
from kechuang.core.testing.matrix import Place
from kechuang.policies.models import PolicyBudget, Redemption

from .test_redemptions import POLICY, YEAR, raise_rd
from .test_redemptions_api import make_redemption

pytestmark = POSTGRES_PARALLEL
WORKERS = 12


def test_parallel_approvals_never_exceed_the_budget():
    zone = ZoneFactory(division_code="340421")
    redemptions = [
        make_redemption(
            Place("340421", zone, OrganizationFactory(division_code="340421", zone=zone)),
            computed_amount=Decimal("20000"),
            amount=Decimal("20000"),
            status="verified",
        )
        for _ in range(WORKERS)
    ]
    PolicyBudget.objects.create(
        policy=POLICY, year=YEAR, division_code="340400", amount=Decimal("100000")
    )
    user = user_with_role(Roles.BUREAU, division_code="340400")

    def approve(i):
        url = reverse("api:redemption-transition", kwargs={"pk": redemptions[i].pk})
        response = client_for(user).post(url, {"action": "approve"}, format="json")
        return response.status_code, response.json()

    outcomes = in_parallel(approve, WORKERS)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    approved = [o for o in outcomes if o[0] == 200]
    refused = [o for o in outcomes if o[0] != 200]
    assert len(approved) == 5
    assert {(status, data["code"]) for status, data in refused} == {(400, "over_budget")}
    total = Redemption.objects.filter(status="approved").aggregate(total=Sum("amount"))["total"]
    assert total == Decimal("100000")


def test_parallel_confirmations_create_each_redemption_once(enterprises):
    raise_rd(enterprises["strong"])
    user = user_with_role(Roles.BUREAU, division_code="340400")
    url = reverse("api:redemption-confirm-screening")

    def confirm(i):
        response = client_for(user).post(url, {"policy": POLICY, "year": YEAR}, format="json")
        return response.status_code, response.json()

    outcomes = in_parallel(confirm, 6)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert {status for status, _ in outcomes} == {201}
    assert sum(len(data) for _, data in outcomes) == 1
    assert Redemption.objects.filter(organization=enterprises["strong"]).count() == 1
