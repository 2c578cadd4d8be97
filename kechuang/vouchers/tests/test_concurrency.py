"""Never spend twice, proven with real parallel clients on PostgreSQL: the quota row lock keeps
concurrent uses within the quota, and one Idempotency-Key yields one use however many retries
race each other."""

from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse

from kechuang.core.scoping import Roles
from kechuang.core.testing import client_for
from kechuang.core.testing.concurrency import POSTGRES_PARALLEL, in_parallel
from kechuang.core.testing.factories import user_with_role
from kechuang.vouchers.models import VoucherClaim, VoucherUse

from .factories import ClaimFactory, ProviderFactory

pytestmark = POSTGRES_PARALLEL

USES = reverse("api:voucher-use-list")
WORKERS = 20


def body(claim, provider, n=0):
    return {
        "claim": claim.pk,
        "provider": provider.pk,
        "contract_number": f"JS-{n:03d}",
        "signed_on": "2024-05-01",
        "contract_amount": "40000.00",
        "amount": "20000.00",
    }


def test_twenty_parallel_uses_of_a_quota_that_fits_five():
    claim = ClaimFactory(amount=Decimal("100000"), remaining=Decimal("100000"))
    provider = ProviderFactory()
    user = user_with_role(Roles.ENTERPRISE, organization=claim.enterprise)

    def use(i):
        response = client_for(user).post(USES, body(claim, provider, i), format="json")
        return response.status_code, response.json()

    outcomes = in_parallel(use, WORKERS)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    created = [o for o in outcomes if o[0] == 201]
    refused = [o for o in outcomes if o[0] != 201]
    assert len(created) == 5
    assert len(refused) == 15
    assert {(status, data["code"]) for status, data in refused} == {(400, "over_remaining")}
    spent = VoucherUse.objects.filter(claim=claim).aggregate(total=Sum("amount"))["total"]
    assert spent == Decimal("100000")
    assert VoucherClaim.objects.get(pk=claim.pk).remaining == Decimal("0")


def test_parallel_retries_with_one_idempotency_key_make_one_use():
    claim = ClaimFactory(amount=Decimal("100000"), remaining=Decimal("100000"))
    provider = ProviderFactory()
    user = user_with_role(Roles.ENTERPRISE, organization=claim.enterprise)

    def retry(i):
        response = client_for(user).post(
            USES, body(claim, provider), format="json", HTTP_IDEMPOTENCY_KEY="retry-1"
        )
        return response.status_code, response.json()

    outcomes = in_parallel(retry, WORKERS)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert {status for status, _ in outcomes} == {201}
    assert len({data["id"] for _, data in outcomes}) == 1
    assert VoucherUse.objects.filter(claim=claim).count() == 1
    assert VoucherClaim.objects.get(pk=claim.pk).remaining == Decimal("80000")


def test_a_use_form_sent_many_times_at_once_makes_one_use():
    """The page's hidden key: a form resent in parallel (double clicks, a flaky network) spends
    once, and every response leads to the same use."""
    from http.cookies import SimpleCookie

    from django.test import Client

    claim = ClaimFactory(amount=Decimal("100000"), remaining=Decimal("100000"))
    provider = ProviderFactory()
    user = user_with_role(Roles.ENTERPRISE, organization=claim.enterprise)
    signed_in = Client()
    signed_in.force_login(user)
    form = {
        **body(claim, provider),
        "item": "",
        "idempotency_key": "5f0c1d2e3a4b5c6d7e8f90a1b2c3d4e5",
    }

    def send(i):
        client = Client()
        client.cookies = SimpleCookie(signed_in.cookies.output(header="", sep=";"))
        response = client.post(reverse("vouchers:use-create"), form)
        return response.status_code, response.get("Location")

    outcomes = in_parallel(send, 10)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    use = VoucherUse.objects.get(claim=claim)
    assert set(outcomes) == {(302, reverse("vouchers:use-detail", args=[use.pk]))}
    assert VoucherClaim.objects.get(pk=claim.pk).remaining == Decimal("80000")
