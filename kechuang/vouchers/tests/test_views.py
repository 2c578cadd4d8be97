"""Pages of innovation vouchers: each role's lists and details, the forms through the services,
the refusals as form errors, idempotent use forms and settlement documents."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.core.models import AuditEvent, TransitionLog
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import OrganizationFactory, UserFactory, user_with_role
from kechuang.vouchers import services
from kechuang.vouchers.models import (
    ServiceItem,
    ServiceProvider,
    VoucherClaim,
    VoucherScheme,
    VoucherSettlement,
    VoucherUse,
)

from .factories import ClaimFactory, ProviderFactory, SchemeFactory, UseFactory

pytestmark = pytest.mark.django_db


def page(name, *args):
    return reverse(f"vouchers:{name}", args=args)


@pytest.fixture
def bureau():
    return UserFactory(role=Roles.BUREAU, division_code="340400")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pdf(name="doc.pdf", body=b"%PDF-1.4 test document"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def documents(**overrides):
    files = {name: pdf(f"{name}.pdf") for name in services.FILE_FIELDS}
    files.update(overrides)
    return files


def shown(response) -> list:
    return [row["object"] for row in response.context["rows"]]


def errors(response) -> dict:
    form = response.context["form"]
    return {name: " ".join(messages) for name, messages in form.errors.items()}


def flashed(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def use_form_data(claim, provider, key, **changes):
    data = {
        "claim": claim.pk,
        "provider": provider.pk,
        "item": "",
        "contract_number": "JS-2024-018",
        "signed_on": "2024-06-01",
        "contract_amount": "40000",
        "amount": "20000",
        "idempotency_key": key,
    }
    data.update(changes)
    return data


def settlement_for(use, payee=None):
    return services.settlement_submit(
        actor=user_with_role(
            Roles.ENTERPRISE if payee is None else Roles.PROVIDER,
            organization=payee or use.enterprise,
        ),
        use=use,
        **documents(),
    )


# --- lists and details by role ----------------------------------------------------------------


def test_every_list_shows_money_in_wan_to_staff(client, bureau, media):
    use = UseFactory(amount=Decimal("20000"), contract_amount=Decimal("40000"))
    settlement_for(use)
    client.force_login(bureau)
    for name, text in (
        ("scheme-list", "10.00"),  # 100,000 yuan per claim
        ("provider-list", use.provider.organization.name),
        ("claim-list", "10.00"),
        ("use-list", "4.00"),
        ("settlement-list", "2.00"),
    ):
        response = client.get(page(name))
        assert response.status_code == 200, name
        assert text in response.content.decode(), name


def test_each_role_sees_its_own_pages(client, media):
    use = UseFactory()
    settlement = settlement_for(use)
    enterprise = user_with_role(Roles.ENTERPRISE, organization=use.enterprise)
    provider = user_with_role(Roles.PROVIDER, organization=use.provider.organization)
    zone_staff = user_with_role(Roles.ZONE, zone=use.zone) if use.zone else None
    for user in filter(None, (enterprise, provider, zone_staff)):
        client.force_login(user)
        assert shown(client.get(page("use-list"))) == [use]
        assert shown(client.get(page("settlement-list"))) == [settlement]
        assert client.get(page("use-detail", use.pk)).status_code == 200
        assert client.get(page("settlement-detail", settlement.pk)).status_code == 200
    client.force_login(provider)
    assert shown(client.get(page("claim-list"))) == []  # a quota is the enterprise's own
    assert client.get(page("claim-detail", use.claim_id)).status_code == 404
    client.force_login(user_with_role(Roles.EXPERT))
    assert client.get(page("scheme-list")).status_code == 200  # a scheme is public policy
    assert client.get(page("claim-list")).status_code == 403


def test_out_of_scope_details_answer_404(client, media):
    use = UseFactory()
    settlement = settlement_for(use)
    far_bureau = UserFactory(role=Roles.BUREAU, division_code="340100")
    client.force_login(far_bureau)
    for name, obj in (
        ("claim-detail", use.claim),
        ("use-detail", use),
        ("settlement-detail", settlement),
        ("provider-detail", ProviderFactory(status="pending")),
    ):
        assert client.get(page(name, obj.pk)).status_code == 404, name
    document = page("settlement-document", settlement.pk, "invoice_file")
    assert client.get(document).status_code == 404
    other = user_with_role(Roles.ENTERPRISE)
    client.force_login(other)
    assert client.get(page("settlement-document", settlement.pk, "invoice_file")).status_code == 404
    assert (
        client.post(page("claim-transition", use.claim_id), {"action": "withdraw"}).status_code
        == 404
    )


def test_filters_of_the_pages(client, bureau):
    general = ClaimFactory(scheme=SchemeFactory(year=2024, mode="general"))
    redeem = ClaimFactory(scheme=SchemeFactory(year=2025, mode="redeem"), status="applied")
    client.force_login(bureau)
    assert shown(client.get(page("claim-list"), {"mode": "redeem"})) == [redeem]
    assert shown(client.get(page("claim-list"), {"year": 2024})) == [general]
    assert shown(client.get(page("claim-list"), {"status": "applied"})) == [redeem]
    assert shown(client.get(page("claim-list"), {"scheme": general.scheme_id})) == [general]
    assert shown(client.get(page("claim-list"), {"q": redeem.enterprise.name})) == [redeem]
    partial = client.get(page("claim-list"), {"mode": "general"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()


# --- schemes ---------------------------------------------------------------------------------


SCHEME_FORM = {
    "name": "科技创新券",
    "year": "2025",
    "division_code": "",
    "mode": "redeem",
    "amount_per_claim": "100000",
    "cap_per_enterprise": "300000",
    "budget": "5000000",
    "share_percent": "50",
    "expires_on": "",
    "valid_months": "12",
    "status": "open",
}


def test_the_bureau_makes_and_edits_a_scheme(client, bureau):
    client.force_login(bureau)
    response = client.post(page("scheme-create"), SCHEME_FORM)
    scheme = VoucherScheme.objects.get()
    assert response.status_code == 302 and response["Location"] == page("scheme-detail", scheme.pk)
    assert (scheme.division_code, scheme.share, scheme.mode) == ("340400", Decimal("0.5"), "redeem")
    response = client.post(page("scheme-edit", scheme.pk), {**SCHEME_FORM, "share_percent": "40"})
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.share == Decimal("0.4")
    detail = client.get(page("scheme-detail", scheme.pk)).content.decode()
    assert "40%" in detail and "10.00 万元" in detail and "批准后 12 个月" in detail


def test_scheme_form_shows_the_services_refusals(client, bureau):
    client.force_login(bureau)
    response = client.post(page("scheme-create"), {**SCHEME_FORM, "cap_per_enterprise": "50000"})
    assert "企业年度上限不能小于每次申领额度" in errors(response)["cap_per_enterprise"]
    response = client.post(page("scheme-create"), {**SCHEME_FORM, "valid_months": ""})
    assert "请填写有效期至或有效月数" in errors(response)["expires_on"]
    response = client.post(page("scheme-create"), {**SCHEME_FORM, "share_percent": "150"})
    assert "share_percent" in errors(response)
    assert not VoucherScheme.objects.exists()
    far = UserFactory(role=Roles.BUREAU, division_code="340100")
    scheme = SchemeFactory()
    client.force_login(far)
    assert client.get(page("scheme-edit", scheme.pk)).status_code == 404
    client.force_login(user_with_role(Roles.ENTERPRISE))
    assert client.get(page("scheme-create")).status_code == 403


def test_scheme_detail_figures(client, bureau, media):
    scheme = SchemeFactory()
    claim = ClaimFactory(scheme=scheme, amount=Decimal("100000"))
    ClaimFactory(scheme=scheme, status="applied", remaining=0)
    use = UseFactory(claim=claim, amount=Decimal("30000"), contract_amount=Decimal("60000"))
    settlement = settlement_for(use)
    services.settlement_transition(actor=bureau, settlement=settlement, action="verify")
    services.settlement_transition(actor=bureau, settlement=settlement, action="pay")
    client.force_login(bureau)
    response = client.get(page("scheme-detail", scheme.pk))
    figures = response.context["figures"]
    assert figures["issued"] == Decimal("100000") and figures["enterprises"] == 1
    assert figures["used"] == Decimal("30000") and figures["settled"] == Decimal("30000")
    assert figures["available"] == Decimal("9900000") and figures["pending_count"] == 1
    assert "990.00" in response.content.decode()
    issued = client.get(figures["links"]["issued"])
    assert shown(issued) == [claim]  # the number leads to the records behind it
    client.force_login(UserFactory(role=Roles.BUREAU, division_code="340100"))
    far = client.get(page("scheme-detail", scheme.pk)).context["figures"]
    assert far["issued"] is None and far["used"] is None  # nothing in that scope
    assert far["available"] == Decimal("9900000")  # the budget is the scheme's


# --- providers -------------------------------------------------------------------------------


def test_a_provider_registers_adds_services_and_is_approved(client, bureau):
    org = OrganizationFactory(kind="service_provider")
    own = user_with_role(Roles.PROVIDER, organization=org)
    client.force_login(own)
    assert client.get(page("provider-list")).context["create_url"] == page("provider-register")
    response = client.post(page("provider-register"), {"contact": "李工", "phone": "0554-1234567"})
    provider = ServiceProvider.objects.get(organization=org)
    assert response.status_code == 302 and provider.status == "pending"
    assert client.get(page("provider-list")).context["create_url"] is None
    response = client.post(
        page("provider-item-add", provider.pk),
        {"name": "材料检测", "category": "testing", "price": "3000"},
    )
    assert response.status_code == 302
    response = client.post(
        page("provider-item-add", provider.pk),
        {"name": "材料检测", "category": "testing", "price": "3000"},
    )
    assert "服务目录中已有同名项目" in errors(response)["name"]
    assert (
        client.post(page("provider-transition", provider.pk), {"action": "approve"}).status_code
        == 403
    )

    client.force_login(bureau)
    detail = client.get(page("provider-detail", provider.pk))
    assert [a["action"] for a in detail.context["actions"]] == ["approve", "blacklist"]
    response = client.post(
        page("provider-transition", provider.pk), {"action": "approve"}, follow=True
    )
    assert "已审核入库" in flashed(response)
    response = client.post(
        page("provider-transition", provider.pk), {"action": "suspend", "note": ""}, follow=True
    )
    assert "“暂停”须说明理由" in flashed(response)
    provider.refresh_from_db()
    assert provider.status == "approved"
    client.post(
        page("provider-transition", provider.pk), {"action": "blacklist", "note": "虚开发票"}
    )
    provider.refresh_from_db()
    assert provider.status == "blacklisted"
    detail = client.get(page("provider-detail", provider.pk)).content.decode()
    assert "虚开发票" in detail and "列入黑名单" in detail
    assert "材料检测" in detail and "0.30" in detail


def test_a_catalogue_entry_is_edited_or_taken_off_sale(client, bureau):
    provider = ProviderFactory()
    item = ServiceItem.objects.create(
        provider=provider, name="材料检测", category="testing", price=Decimal("3000")
    )
    ServiceItem.objects.create(
        provider=provider, name="专利检索", category="testing", price=Decimal("800")
    )
    own = user_with_role(Roles.PROVIDER, organization=provider.organization)
    client.force_login(own)
    detail = client.get(page("provider-detail", provider.pk)).content.decode()
    assert page("item-edit", item.pk) in detail
    form = client.get(page("item-edit", item.pk)).context["form"]
    assert form.initial["name"] == "材料检测" and form.initial["active"] is True
    edit = {"name": "专利检索", "category": "testing", "price": "3000", "active": "on"}
    assert "服务目录中已有同名项目" in errors(client.post(page("item-edit", item.pk), edit))["name"]
    edit |= {"name": "材料成分检测", "price": "3500"}
    del edit["active"]  # an unticked box: off sale
    response = client.post(page("item-edit", item.pk), edit)
    assert response["Location"] == page("provider-detail", provider.pk) + "#catalogue"
    item.refresh_from_db()
    assert (item.name, item.price, item.active) == ("材料成分检测", Decimal("3500"), False)

    claim = ClaimFactory()
    client.force_login(user_with_role(Roles.ENTERPRISE, organization=claim.enterprise))
    offered = client.get(page("use-create")).context["form"].fields["item"].queryset
    assert item not in offered  # off sale: no new use can choose it
    assert client.get(page("item-edit", item.pk)).status_code == 403
    client.force_login(user_with_role(Roles.PROVIDER))  # another provider's user
    response = client.post(page("item-edit", item.pk), edit | {"price": "1"})
    assert response.status_code == 200 and "只有服务机构本身" in str(
        response.context["form"].errors
    )
    client.force_login(UserFactory(role=Roles.BUREAU, division_code="340100"))
    assert client.get(page("item-edit", item.pk)).status_code == 404  # out of scope
    client.force_login(bureau)
    assert client.post(page("item-edit", item.pk), edit | {"active": "on"}).status_code == 302
    item.refresh_from_db()
    assert item.active and item.price == Decimal("3500")


def test_staff_register_a_provider_by_uscc(client, bureau):
    org = OrganizationFactory(kind="service_provider")
    enterprise = OrganizationFactory()
    client.force_login(bureau)
    response = client.post(page("provider-register"), {"organization_uscc": enterprise.uscc})
    assert "不是服务机构类型的机构" in errors(response)["organization_uscc"]
    response = client.post(page("provider-register"), {"organization_uscc": org.uscc.lower()})
    assert response.status_code == 302
    assert ServiceProvider.objects.get().organization == org


# --- claims ----------------------------------------------------------------------------------


def test_an_enterprise_claims_and_the_bureau_approves(client, bureau):
    scheme = SchemeFactory(cap_per_enterprise=Decimal("150000"))
    enterprise = user_with_role(Roles.ENTERPRISE)
    client.force_login(enterprise)
    response = client.get(page("claim-create"), {"scheme": scheme.pk})
    assert response.context["form"]["scheme"].value() == str(scheme.pk)
    response = client.post(page("claim-create"), {"scheme": scheme.pk, "amount": ""})
    claim = VoucherClaim.objects.get()
    assert response.status_code == 302 and claim.amount == Decimal("100000")
    response = client.post(page("claim-create"), {"scheme": scheme.pk, "amount": "100000"})
    assert "超过每家企业年度额度上限" in errors(response)["amount"]
    assert VoucherClaim.objects.count() == 1

    client.force_login(bureau)
    response = client.post(page("claim-transition", claim.pk), {"action": "approve"}, follow=True)
    assert "已批准" in flashed(response)
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.remaining == Decimal("100000")
    assert response.context["steps"][0]["target"] == "已批准"
    client.force_login(enterprise)
    detail = client.get(page("claim-detail", claim.pk))
    assert detail.context["can_use"] is True
    assert 'id="remaining">10.00<' in detail.content.decode()


def test_approval_over_budget_is_shown_disabled_with_the_reason(client, bureau):
    scheme = SchemeFactory(budget=Decimal("150000"))
    ClaimFactory(scheme=scheme)
    waiting = ClaimFactory(scheme=scheme, status="applied", remaining=0)
    client.force_login(bureau)
    actions = client.get(page("claim-detail", waiting.pk)).context["actions"]
    approve = next(a for a in actions if a["action"] == "approve")
    assert approve["blocked"] == "批准后将超出方案总预算"
    response = client.post(page("claim-transition", waiting.pk), {"action": "reject"}, follow=True)
    assert "“不予批准”须说明理由" in flashed(response)


# --- uses ------------------------------------------------------------------------------------


def test_the_use_form_carries_a_key_and_a_double_submit_spends_once(client):
    claim = ClaimFactory()
    provider = ProviderFactory()
    client.force_login(user_with_role(Roles.ENTERPRISE, organization=claim.enterprise))
    form = client.get(page("use-create"), {"claim": claim.pk}).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', form).group(1)
    first = client.post(page("use-create"), use_form_data(claim, provider, key))
    again = client.post(page("use-create"), use_form_data(claim, provider, key), follow=True)
    use = VoucherUse.objects.get()
    assert first["Location"] == page("use-detail", use.pk)
    assert again.redirect_chain[-1][0] == page("use-detail", use.pk)
    assert any("未重复扣减额度" in m for m in flashed(again))
    claim.refresh_from_db()
    assert claim.remaining == Decimal("80000")
    changed = client.post(page("use-create"), use_form_data(claim, provider, key, amount="10000"))
    assert "已经提交过" in " ".join(changed.context["form"].non_field_errors())
    other_key = client.get(page("use-create")).context["form"].initial["idempotency_key"]
    assert other_key != key
    client.post(page("use-create"), use_form_data(claim, provider, other_key))
    assert VoucherUse.objects.count() == 2


def test_use_refusals_are_form_errors(client):
    claim = ClaimFactory(remaining=Decimal("15000"))
    client.force_login(user_with_role(Roles.ENTERPRISE, organization=claim.enterprise))
    key = "0" * 32
    provider = ProviderFactory()

    def post(**changes):
        data = use_form_data(claim, changes.pop("provider", provider), key, **changes)
        return errors(client.post(page("use-create"), data))

    assert "超过剩余额度（剩余 15000.00 元）" in post(amount="15001")["amount"]
    assert "超过合同金额的 50%" in post(amount="12000", contract_amount="20000")["amount"]
    blacklisted = ProviderFactory(status="blacklisted")
    assert "服务机构已列入黑名单" in post(provider=blacklisted)["provider"]
    related = ProviderFactory(organization=claim.enterprise)
    assert "关联交易" in post(provider=related)["provider"]
    assert "选择一个有效的选项" in post(provider=ProviderFactory(status="pending"))["provider"]
    claim.expires_on = dt.date(2020, 12, 31)
    claim.save()
    assert "额度已于 2020-12-31 过期" in post()["claim"]
    assert (
        "表单已失效"
        in errors(client.post(page("use-create"), use_form_data(claim, provider, "not-a-uuid")))[
            "idempotency_key"
        ]
    )
    assert not VoucherUse.objects.exists()
    claim.refresh_from_db()
    assert claim.remaining == Decimal("15000")


def test_only_approved_providers_are_offered(client):
    claim = ClaimFactory()
    approved = ProviderFactory()
    suspended = ProviderFactory(status="suspended")
    client.force_login(user_with_role(Roles.ENTERPRISE, organization=claim.enterprise))
    form = client.get(page("use-create")).context["form"]
    offered = [value for value, _label in form.fields["provider"].widget.choices if value]
    assert offered == [approved.pk] and suspended.pk not in offered
    client.force_login(user_with_role(Roles.PROVIDER))
    assert client.get(page("use-create")).status_code == 403


# --- settlements -----------------------------------------------------------------------------


def test_an_enterprise_requests_settlement_with_documents(client, bureau, media):
    use = UseFactory()
    enterprise = user_with_role(Roles.ENTERPRISE, organization=use.enterprise)
    client.force_login(enterprise)
    detail = client.get(page("use-detail", use.pk))
    assert detail.context["can_settle"] is True
    form = client.get(page("settlement-create"), {"use": use.pk}).content.decode()
    assert 'enctype="multipart/form-data"' in form
    response = client.post(page("settlement-create"), {"use": use.pk, **documents()})
    settlement = VoucherSettlement.objects.get()
    assert response["Location"] == page("settlement-detail", settlement.pk)
    assert settlement.payee == use.enterprise and settlement.amount == use.amount
    document = client.get(page("settlement-document", settlement.pk, "invoice_file"))
    assert document.status_code == 200
    assert b"".join(document.streaming_content).startswith(b"%PDF-1.4")
    assert client.get(page("settlement-document", settlement.pk, "secret")).status_code == 404

    client.force_login(bureau)
    detail = client.get(page("settlement-detail", settlement.pk))
    assert [a["action"] for a in detail.context["actions"]] == ["verify", "return"]
    client.post(
        page("settlement-transition", settlement.pk), {"action": "return", "note": "发票模糊"}
    )
    client.force_login(enterprise)
    assert client.get(page("settlement-detail", settlement.pk)).context["can_resubmit"]
    resubmit = client.get(page("settlement-resubmit", settlement.pk))
    assert "发票模糊" in resubmit.content.decode()
    bad = client.post(
        page("settlement-resubmit", settlement.pk),
        {"invoice_file": SimpleUploadedFile("invoice.exe", b"MZ\x90\x00")},
    )
    assert "只接受" in errors(bad)["invoice_file"]
    settlement.refresh_from_db()
    assert settlement.status == "returned"
    response = client.post(
        page("settlement-resubmit", settlement.pk),
        {"invoice_file": pdf("invoice-clear.pdf"), "note": "已换清晰发票"},
    )
    assert response.status_code == 302
    settlement.refresh_from_db()
    assert settlement.status == "submitted"
    assert settlement.invoice_file.name.endswith("invoice-clear.pdf")
    event = AuditEvent.objects.get(verb="voucher_settlement.documents_replaced")
    replaced = event.data["replaced"]["invoice_file"]
    assert replaced.endswith("invoice_file.pdf") and (media / replaced).exists()  # kept on file

    client.force_login(bureau)
    for action in ("verify", "pay"):
        client.post(page("settlement-transition", settlement.pk), {"action": action})
    settlement.refresh_from_db()
    use.refresh_from_db()
    assert settlement.status == "paid" and use.status == "settled"
    detail = client.get(page("settlement-detail", settlement.pk))
    assert [s["label"] for s in detail.context["steps"]] == [
        "退回补正",
        "重新提交",
        "审核通过",
        "兑付",
    ]
    assert TransitionLog.objects.filter(object_id=str(settlement.pk)).count() == 4


def test_bad_documents_are_refused_clearly_and_nothing_is_saved(client, media):
    use = UseFactory()
    client.force_login(user_with_role(Roles.ENTERPRISE, organization=use.enterprise))
    files = documents(
        contract_file=SimpleUploadedFile("contract.exe", b"MZ\x90\x00"),
        invoice_file=pdf("invoice.pdf", b"<html>not a pdf</html>"),
        payment_file=SimpleUploadedFile("payment.png", b"\x89PNG\r\n\x1a\n...", "image/png"),
    )
    del files["report_file"]
    response = client.post(page("settlement-create"), {"use": use.pk, **files})
    found = errors(response)
    assert "技术服务合同只接受 PDF、JPG、PNG 或 OFD 文件" in found["contract_file"]
    assert "不是有效的 PDF 文件" in found["invoice_file"]
    assert "payment_file" not in found
    assert "请上传服务报告" in found["report_file"]
    assert not VoucherSettlement.objects.exists()
    assert not list(media.rglob("*.pdf"))


def test_redeem_vouchers_are_settled_by_the_provider(client, media):
    use = UseFactory(claim__scheme__mode="redeem")
    client.force_login(user_with_role(Roles.ENTERPRISE, organization=use.enterprise))
    assert client.get(page("use-detail", use.pk)).context["can_settle"] is False
    response = client.post(page("settlement-create"), {"use": use.pk, **documents()})
    assert "不能由您申请兑付" in errors(response)["use"]
    provider_user = user_with_role(Roles.PROVIDER, organization=use.provider.organization)
    client.force_login(provider_user)
    assert client.get(page("use-detail", use.pk)).context["can_settle"] is True
    response = client.post(page("settlement-create"), {"use": use.pk, **documents()})
    assert response.status_code == 302
    assert VoucherSettlement.objects.get().payee == use.provider.organization


def test_services_refuse_bad_documents_for_the_api_too(media):
    use = UseFactory()
    actor = user_with_role(Roles.ENTERPRISE, organization=use.enterprise)
    empty = SimpleUploadedFile("report.pdf", b"")
    with pytest.raises(services.ValidationFailed) as caught:
        services.settlement_submit(actor=actor, use=use, **documents(report_file=empty))
    assert (caught.value.code, caught.value.field) == ("empty_document", "report_file")
    assert not ServiceItem.objects.exists() and not VoucherSettlement.objects.exists()


def test_list_pages_cost_the_same_queries_for_few_and_many_rows(client, media):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = user_with_role(Roles.ADMIN)
    client.force_login(admin)

    def settled(n):
        for _ in range(n):
            settlement_for(UseFactory())

    def providers(n):
        for _ in range(n):
            ProviderFactory().items.create(name="检测", category="testing", price=Decimal(1))

    for name, add in (
        ("scheme-list", lambda n: [SchemeFactory() for _ in range(n)]),
        ("provider-list", providers),
        ("claim-list", lambda n: [ClaimFactory() for _ in range(n)]),
        ("use-list", lambda n: [UseFactory() for _ in range(n)]),
        ("settlement-list", settled),
    ):
        add(2)
        client.get(page(name))
        counts = []
        for more in (1, 10):
            add(more)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(page(name)).status_code == 200
            counts.append(len(captured.captured_queries))
        assert counts[0] == counts[1], f"{name}: {counts}"


def test_an_enterprise_withdraws_its_pending_claim(client):
    claim = ClaimFactory(status="applied", remaining=0)
    client.force_login(user_with_role(Roles.ENTERPRISE, organization=claim.enterprise))
    detail = client.get(page("claim-detail", claim.pk))
    assert [a["action"] for a in detail.context["actions"]] == ["withdraw"]
    response = client.post(page("claim-transition", claim.pk), {"action": "withdraw"}, follow=True)
    assert "已撤回" in flashed(response)
    claim.refresh_from_db()
    assert claim.status == "withdrawn"
    response = client.post(page("claim-transition", claim.pk), {"action": "approve"}, follow=True)
    assert "您的角色无权执行“批准”" in flashed(response)


def test_only_the_payee_resubmits_a_returned_settlement(client, bureau, media):
    use = UseFactory()  # 通用: the enterprise is the payee
    settlement = settlement_for(use)
    services.settlement_transition(
        actor=bureau, settlement=settlement, action="return", note="缺少盖章"
    )
    provider = user_with_role(Roles.PROVIDER, organization=use.provider.organization)
    client.force_login(provider)
    assert client.get(page("settlement-detail", settlement.pk)).context["can_resubmit"] is False
    response = client.post(page("settlement-resubmit", settlement.pk), {"note": "x"})
    assert "只有收款单位可以重新提交" in " ".join(response.context["form"].non_field_errors())
    settlement.refresh_from_db()
    assert settlement.status == "returned"


def test_a_long_document_name_is_shortened_to_fit(client, media):
    use = UseFactory()
    client.force_login(user_with_role(Roles.ENTERPRISE, organization=use.enterprise))
    long_name = "关于技术服务合同履约情况的说明" * 8 + ".pdf"
    response = client.post(
        page("settlement-create"), {"use": use.pk, **documents(report_file=pdf(long_name))}
    )
    assert response.status_code == 302
    stored = VoucherSettlement.objects.get().report_file.name
    assert len(stored) <= 100 and stored.endswith(".pdf")
