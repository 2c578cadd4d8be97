"""Voucher figures through the statistics engine: issued, used and paid amounts, by year and
division, with the records behind each figure."""

from decimal import Decimal

import pytest

from kechuang.core.testing.factories import OrganizationFactory
from kechuang.stats.selectors import Target, compute, records
from kechuang.vouchers.models import VoucherSettlement

from .factories import ClaimFactory, SchemeFactory, UseFactory

pytestmark = pytest.mark.django_db

KEYS = [
    "voucher_issued_sum",
    "voucher_issued_count",
    "voucher_used_sum",
    "voucher_settled_sum",
    "voucher_settled_count",
]


def settle(use, status):
    return VoucherSettlement.objects.create(
        use=use,
        enterprise=use.enterprise,
        payee=use.enterprise,
        year=use.year,
        division_code=use.division_code,
        amount=use.amount,
        status=status,
        created_by=use.created_by,
        contract_file="c.pdf",
        invoice_file="i.pdf",
        payment_file="p.pdf",
        report_file="r.pdf",
    )


def figures(division, period="2024"):
    return {
        v.indicator: v.value
        for v in compute(user=None, division=division, period=period, indicators=KEYS)
    }


def test_issued_used_and_paid_amounts_by_year_and_division():
    scheme = SchemeFactory(year=2024)
    fengtai = OrganizationFactory(division_code="340421")
    hefei = OrganizationFactory(division_code="340102")
    claim = ClaimFactory(scheme=scheme, enterprise=fengtai, amount=Decimal("100000.50"))
    ClaimFactory(scheme=scheme, enterprise=fengtai, status="applied", remaining=0)
    ClaimFactory(scheme=SchemeFactory(year=2023), enterprise=fengtai)
    ClaimFactory(scheme=scheme, enterprise=hefei)
    paid = UseFactory(claim=claim, amount=Decimal("20000.25"), contract_amount=Decimal("50000"))
    open_ = UseFactory(claim=claim, amount=Decimal("10000"), contract_amount=Decimal("50000"))
    settle(paid, "paid")
    settle(open_, "verified")
    got = figures("340400")
    assert got["voucher_issued_sum"] == Decimal("100000.50")
    assert got["voucher_issued_count"] == 1
    assert got["voucher_used_sum"] == Decimal("30000.25")
    assert got["voucher_settled_sum"] == Decimal("20000.25")
    assert got["voucher_settled_count"] == 1
    assert figures("340000")["voucher_issued_sum"] == Decimal("200000.50")
    assert figures("340400", "2023")["voucher_issued_count"] == 1
    behind = records(
        None, indicator="voucher_settled_sum", period="2024", target=Target(division="340400")
    )
    assert [s.use_id for s in behind] == [paid.pk]
