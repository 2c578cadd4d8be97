"""Parallel writers on PostgreSQL: a bureau's value of one parameter for one date, and an
enterprise's experts' score for one year, are stored once whoever clicks at the same time; a
budget lowered while approvals run never ends below what was approved."""

from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse

from kechuang.core.scoping import Roles
from kechuang.core.testing import client_for
from kechuang.core.testing.concurrency import POSTGRES_PARALLEL, in_parallel
from kechuang.core.testing.factories import OrganizationFactory, ZoneFactory, user_with_role
from kechuang.core.testing.matrix import Place
from kechuang.policies.models import (
    InnovationAssessment,
    ParameterValue,
    PolicyBudget,
    Redemption,
)

from .test_redemptions import POLICY, YEAR
from .test_redemptions_api import make_redemption

pytestmark = POSTGRES_PARALLEL


def test_parallel_settings_of_one_value_store_one_row():
    user = user_with_role(Roles.BUREAU, division_code="340400")
    url = reverse("api:policy-parameters", kwargs={"key": POLICY})
    rates = [0.11, 0.12, 0.13, 0.14, 0.16, 0.17]

    def put(i):
        body = {
            "parameter": "rate",
            "effective_from": "2024-01-01",
            "value": rates[i],
            "reason": f"文件 {i}",
        }
        response = client_for(user).post(url, body, format="json")
        return response.status_code, response.json()

    outcomes = in_parallel(put, len(rates))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    statuses = {status for status, _body in outcomes}
    assert statuses <= {201, 409} and 201 in statuses, outcomes
    [value] = ParameterValue.objects.all()
    assert value.value in rates


def test_budget_lowered_during_approvals_never_ends_below_approved():
    zone = ZoneFactory(division_code="340421")
    redemptions = [
        make_redemption(
            Place("340421", zone, OrganizationFactory(division_code="340421", zone=zone)),
            computed_amount=Decimal("20000"),
            amount=Decimal("20000"),
            status="verified",
        )
        for _ in range(6)
    ]
    budget = PolicyBudget.objects.create(
        policy=POLICY, year=YEAR, division_code="340400", amount=Decimal("100000")
    )
    user = user_with_role(Roles.BUREAU, division_code="340400")

    def work(i):
        api = client_for(user)
        if i == 0:
            url = reverse("api:policy-budget-detail", kwargs={"pk": budget.pk})
            return api.patch(url, {"amount": "40000"}, format="json").status_code
        url = reverse("api:redemption-transition", kwargs={"pk": redemptions[i].pk})
        return api.post(url, {"action": "approve"}, format="json").status_code

    outcomes = in_parallel(work, 6)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    budget.refresh_from_db()
    approved = Redemption.objects.filter(status="approved").aggregate(total=Sum("amount"))
    assert (approved["total"] or 0) <= budget.amount


def test_parallel_scores_of_one_enterprise_and_year_store_one_row():
    enterprise = OrganizationFactory(division_code="340421")
    user = user_with_role(Roles.BUREAU, division_code="340400")
    url = reverse("api:innovation-assessment-list")
    scores = ["70", "71", "72", "73", "74", "75"]

    def post(i):
        body = {
            "organization": enterprise.pk,
            "year": YEAR,
            "score": scores[i],
            "assessed_on": "2024-05-01",
        }
        response = client_for(user).post(url, body, format="json")
        return response.status_code, response.json()

    outcomes = in_parallel(post, len(scores))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    statuses = {status for status, _body in outcomes}
    assert statuses <= {201, 409} and 201 in statuses, outcomes
    [record] = InnovationAssessment.objects.all()
    assert str(int(record.score)) in scores
