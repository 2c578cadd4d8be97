"""Voucher pages in headless chromium: a double-clicked use form is sent once, the same form
sent again spends once, and settlement documents are uploaded with the bad ones refused on their
fields. (Concurrent uses of one quota are proven on PostgreSQL with parallel clients.)"""

from __future__ import annotations

from decimal import Decimal

from kechuang.core.scoping import Roles
from kechuang.core.testing.browser import BROWSER_TEST, outside_hosts
from kechuang.core.testing.factories import UserFactory
from kechuang.vouchers.models import VoucherClaim, VoucherSettlement, VoucherUse

from .factories import ClaimFactory, ProviderFactory

pytestmark = BROWSER_TEST


def test_use_a_voucher_and_ask_for_payment(live_server, browser_page, settings, tmp_path):
    page = browser_page
    settings.MEDIA_ROOT = tmp_path
    claim = ClaimFactory(amount=Decimal("100000"), remaining=Decimal("100000"))
    provider = ProviderFactory()
    UserFactory(
        username="qiye", role=Roles.ENTERPRISE, division_code="", organization=claim.enterprise
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "qiye")
    page.fill("input[name=password]", "pass12345")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/vouchers/uses/new/?claim={claim.pk}")
    assert "10.00" in page.locator("#quotas").inner_text()
    page.select_option("#id_provider", str(provider.pk))
    page.fill("#id_contract_number", "JS-2025-001")
    page.fill("#id_signed_on", "2025-06-01")
    page.fill("#id_contract_amount", "40000")
    page.fill("#id_amount", "30000")  # more than 50 % of the contract
    page.click("#service-form button[type=submit]")
    page.wait_for_selector(".invalid-feedback")
    assert "超过合同金额的 50%" in page.locator("#service-form").inner_text()
    page.fill("#id_amount", "20000")
    sent = page.evaluate(
        "Object.fromEntries(new FormData(document.querySelector('#service-form')))"
    )
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    page.dblclick("#service-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/vouchers/uses/*/")
    assert len(posts) == 1  # the button is disabled once the form is sent
    first = page.url
    again = page.request.post(f"{live_server.url}/vouchers/uses/new/", form=sent)
    assert again.url == first  # the same idempotency key: the first use, not a second
    assert VoucherUse.objects.count() == 1
    assert VoucherClaim.objects.get(pk=claim.pk).remaining == Decimal("80000")

    page.click("a:has-text('申请兑付')")
    page.wait_for_url("**/vouchers/settlements/new/?use=*")
    good, bad = tmp_path / "doc.pdf", tmp_path / "invoice.exe"
    good.write_bytes(b"%PDF-1.4 document")
    bad.write_bytes(b"MZ\x90\x00")
    for name in ("contract", "payment", "report"):
        page.set_input_files(f"#id_{name}_file", str(good))
    page.set_input_files("#id_invoice_file", str(bad))
    page.click("#service-form button[type=submit]")
    page.wait_for_selector(".invalid-feedback")
    assert "发票只接受 PDF、JPG、PNG 或 OFD 文件" in page.locator("#service-form").inner_text()
    assert not VoucherSettlement.objects.exists()
    for name in ("contract", "invoice", "payment", "report"):
        page.set_input_files(f"#id_{name}_file", str(good))
    page.click("#service-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/vouchers/settlements/*/")
    assert "已提交" in page.locator("h2.page-title").inner_text()
    assert VoucherSettlement.objects.get().payee == claim.enterprise

    assert outside_hosts(page.requested) == set()
