"""The voucher flow through its services: claim → approve → use → settle → verify → pay, and
every refusal with its code."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kechuang.core.audit import events_for
from kechuang.core.exceptions import Conflict, NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.models import AuditEvent
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import OrganizationFactory, UserFactory, user_with_role
from kechuang.core.workflow import history
from kechuang.vouchers import services
from kechuang.vouchers.models import VoucherClaim, VoucherSettlement

from .factories import ClaimFactory, ProviderFactory, SchemeFactory

pytestmark = pytest.mark.django_db

Y = Decimal


@pytest.fixture
def bureau():
    return UserFactory(role=Roles.BUREAU, division_code="340400")


def documents():
    return {
        name: SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        for name in services.FILE_FIELDS
    }


def spend(claim, provider, amount="20000", contract="40000", key="", actor=None):
    actor = actor or user_with_role(Roles.ENTERPRISE, organization=claim.enterprise)
    return services.use_create(
        actor=actor,
        claim=claim,
        provider=provider,
        contract_number="JS-1",
        signed_on=dt.date(2024, 5, 1),
        contract_amount=Y(contract),
        amount=Y(amount),
        idempotency_key=key,
    )


def test_the_whole_flow_in_general_mode(bureau, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scheme = SchemeFactory(valid_months=6)
    enterprise_user = user_with_role(Roles.ENTERPRISE)
    claim = services.claim_apply(actor=enterprise_user, scheme=scheme)
    assert (claim.status, claim.amount, claim.remaining) == ("applied", Y("100000"), 0)
    services.claim_transition(actor=bureau, claim=claim, action="approve")
    assert claim.status == "approved" and claim.remaining == Y("100000")
    assert claim.expires_on > dt.date.today()
    provider = ProviderFactory()
    use, created = spend(claim, provider, "30000", "60000", actor=enterprise_user)
    assert created and use.amount == Y("30000")
    claim.refresh_from_db()
    assert claim.remaining == Y("70000")
    settlement = services.settlement_submit(actor=enterprise_user, use=use, **documents())
    assert settlement.payee_id == claim.enterprise_id and settlement.amount == Y("30000")
    assert settlement.invoice_file.name.startswith(f"vouchers/settlements/{use.pk}/")
    assert (tmp_path / settlement.invoice_file.name).exists()
    services.settlement_transition(
        actor=bureau, settlement=settlement, action="return", note="发票不清晰"
    )
    services.settlement_transition(actor=enterprise_user, settlement=settlement, action="resubmit")
    services.settlement_transition(actor=bureau, settlement=settlement, action="verify")
    services.settlement_transition(actor=bureau, settlement=settlement, action="pay")
    settlement.refresh_from_db()
    assert settlement.status == "paid" and settlement.paid_on == dt.date.today()
    use.refresh_from_db()
    assert use.status == "settled"
    assert [log.action for log in history(settlement)] == ["return", "resubmit", "verify", "pay"]
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {
        "voucher_claim.applied",
        "voucher_claim.approve",
        "voucher_use.created",
        "voucher_settlement.submitted",
        "voucher_settlement.pay",
    } <= verbs


def test_redeem_mode_is_settled_by_the_provider(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    claim = ClaimFactory(scheme=SchemeFactory(mode="redeem"))
    provider = ProviderFactory()
    use, _ = spend(claim, provider)
    enterprise_user = user_with_role(Roles.ENTERPRISE, organization=claim.enterprise)
    with pytest.raises(RoleNotAllowed):
        services.settlement_submit(actor=enterprise_user, use=use, **documents())
    provider_user = user_with_role(Roles.PROVIDER, organization=provider.organization)
    settlement = services.settlement_submit(actor=provider_user, use=use, **documents())
    assert settlement.payee_id == provider.organization_id
    with pytest.raises(ValidationFailed) as caught:
        services.settlement_submit(actor=provider_user, use=use, **documents())
    assert caught.value.code == "duplicate"
    assert VoucherSettlement.objects.count() == 1


def test_documents_are_required(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    claim = ClaimFactory()
    use, _ = spend(claim, ProviderFactory())
    files = documents()
    del files["report_file"]
    with pytest.raises(ValidationFailed) as caught:
        services.settlement_submit(
            actor=user_with_role(Roles.ENTERPRISE, organization=claim.enterprise),
            use=use,
            **files,
        )
    assert (caught.value.code, caught.value.field) == ("documents_missing", "report_file")


@pytest.mark.parametrize(
    ("setup", "amount", "contract", "code"),
    [
        ({"expires_on": dt.date(2020, 1, 1)}, "100", "200", "quota_expired"),
        ({"provider": "blacklisted"}, "100", "200", "provider_blacklisted"),
        ({"provider": "suspended"}, "100", "200", "provider_suspended"),
        ({"provider": "pending"}, "100", "200", "provider_not_approved"),
        ({"related": True}, "100", "200", "related_provider"),
        ({"status": "applied"}, "100", "200", "claim_not_approved"),
        ({}, "20000.01", "40000", "over_share"),
        ({}, "20000", "40000", None),
        ({"remaining": Y("999.99")}, "1000", "4000", "over_remaining"),
        ({"remaining": Y("1000")}, "1000", "4000", None),
    ],
)
def test_uses_are_refused_with_clear_codes(setup, amount, contract, code):
    claim_kwargs = {k: v for k, v in setup.items() if k in ("expires_on", "status", "remaining")}
    claim = ClaimFactory(**claim_kwargs)
    if setup.get("related"):
        provider = ProviderFactory(organization=claim.enterprise)
    else:
        provider = ProviderFactory(status=setup.get("provider", "approved"))
    if code is None:
        use, created = spend(claim, provider, amount, contract)
        assert created
        return
    with pytest.raises(ValidationFailed) as caught:
        spend(claim, provider, amount, contract)
    assert caught.value.code == code
    assert VoucherClaim.objects.get(pk=claim.pk).remaining == claim.remaining


def test_claims_respect_the_cap_the_budget_and_the_scheme(bureau):
    scheme = SchemeFactory(
        amount_per_claim=Y("100000"), cap_per_enterprise=Y("150000"), budget=Y("200000")
    )
    enterprise = user_with_role(Roles.ENTERPRISE)
    first = services.claim_apply(actor=enterprise, scheme=scheme)
    with pytest.raises(ValidationFailed) as caught:
        services.claim_apply(actor=enterprise, scheme=scheme)
    assert caught.value.code == "over_cap"
    second = services.claim_apply(actor=enterprise, scheme=scheme, amount="50000")
    other = services.claim_apply(actor=user_with_role(Roles.ENTERPRISE), scheme=scheme)
    for claim in (first, other):
        services.claim_transition(actor=bureau, claim=claim, action="approve")
    with pytest.raises(ValidationFailed) as caught:
        services.claim_transition(actor=bureau, claim=second, action="approve")
    assert caught.value.code == "over_budget"
    with pytest.raises(ValidationFailed) as caught:
        services.claim_transition(actor=bureau, claim=second, action="reject")
    assert caught.value.code == "note_required"
    services.claim_transition(actor=bureau, claim=second, action="reject", note="预算已用完")
    with pytest.raises(Conflict):
        services.claim_transition(actor=bureau, claim=second, action="approve")
    closed = SchemeFactory(status="closed")
    with pytest.raises(ValidationFailed) as caught:
        services.claim_apply(actor=enterprise, scheme=closed)
    assert caught.value.code == "scheme_closed"
    far = user_with_role(Roles.ENTERPRISE, organization=OrganizationFactory(division_code="340102"))
    with pytest.raises(ValidationFailed) as caught:
        services.claim_apply(actor=far, scheme=scheme)
    assert caught.value.code == "out_of_area"


def test_expiry_by_date_or_months(bureau):
    fixed = SchemeFactory(expires_on=dt.date(2030, 6, 30), valid_months=None)
    claim = ClaimFactory(scheme=fixed, status="applied", remaining=0, expires_on=None)
    services.claim_transition(actor=bureau, claim=claim, action="approve")
    assert claim.expires_on == dt.date(2030, 6, 30)
    from kechuang.vouchers.workflows import add_months

    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 11, 15), 14) == dt.date(2026, 1, 15)


def test_out_of_scope_and_wrong_roles(bureau):
    claim = ClaimFactory(enterprise=OrganizationFactory(division_code="340102"))
    with pytest.raises(NotInScope):
        services.claim_transition(actor=bureau, claim=claim, action="approve")
    stranger = user_with_role(Roles.ENTERPRISE)
    with pytest.raises(NotInScope):
        spend(claim, ProviderFactory(), actor=stranger)
    with pytest.raises(RoleNotAllowed):
        spend(claim, ProviderFactory(), actor=bureau)


def test_idempotency_key_replays_and_conflicts():
    claim = ClaimFactory()
    provider = ProviderFactory()
    actor = user_with_role(Roles.ENTERPRISE, organization=claim.enterprise)
    first, created = spend(claim, provider, "10000", "20000", key="k-1", actor=actor)
    again, created_again = spend(claim, provider, "10000", "20000", key="k-1", actor=actor)
    assert created and not created_again and again.pk == first.pk
    claim.refresh_from_db()
    assert claim.remaining == Y("90000")
    with pytest.raises(Conflict) as caught:
        spend(claim, provider, "10001", "20002", key="k-1", actor=actor)
    assert caught.value.code == "idempotency_conflict"
    other, created = spend(claim, provider, "10000", "20000", key="k-2", actor=actor)
    assert created and other.pk != first.pk


def test_providers_register_and_move_through_their_workflow(bureau):
    org = OrganizationFactory(kind="service_provider")
    own = user_with_role(Roles.PROVIDER, organization=org)
    provider = services.provider_register(actor=own, organization=org, contact="张工")
    assert provider.status == "pending"
    with pytest.raises(ValidationFailed) as caught:
        services.provider_register(actor=bureau, organization=OrganizationFactory())
    assert caught.value.code == "not_a_provider"
    item = services.item_add(
        actor=own, provider=provider, name="材料检测", category="testing", price=Y("5000")
    )
    assert item.provider == provider
    services.provider_transition(actor=bureau, provider=provider, action="approve")
    services.provider_transition(actor=bureau, provider=provider, action="suspend", note="投诉")
    services.provider_transition(actor=bureau, provider=provider, action="approve")
    services.provider_transition(
        actor=bureau, provider=provider, action="blacklist", note="虚开发票"
    )
    assert provider.status == "blacklisted"
    with pytest.raises(Conflict):
        services.provider_transition(actor=bureau, provider=provider, action="approve")
    with pytest.raises(RoleNotAllowed):
        services.provider_transition(actor=own, provider=provider, action="approve")


def test_catalogue_entries_are_changed_by_their_provider_or_staff_in_scope(bureau):
    provider = ProviderFactory()
    own = user_with_role(Roles.PROVIDER, organization=provider.organization)
    item = services.item_add(
        actor=own, provider=provider, name="材料检测", category="testing", price=Y("5000")
    )
    services.item_add(
        actor=own, provider=provider, name="专利检索", category="testing", price=Y("800")
    )
    with pytest.raises(ValidationFailed) as caught:
        services.item_update(actor=own, item=item, name="专利检索")
    assert caught.value.code == "duplicate"
    with pytest.raises(ValidationFailed) as caught:
        services.item_update(actor=own, item=item, provider=ProviderFactory())
    assert caught.value.code == "read_only"
    with pytest.raises(RoleNotAllowed):
        services.item_update(actor=user_with_role(Roles.PROVIDER), item=item, price=Y("1"))
    with pytest.raises(NotInScope):
        services.item_update(
            actor=UserFactory(role=Roles.BUREAU, division_code="340100"), item=item, active=False
        )
    services.item_update(actor=bureau, item=item, price=Y("5200"), active=False)
    item.refresh_from_db()
    assert (item.price, item.active) == (Y("5200"), False)
    assert [e.verb for e in events_for(item).order_by("pk")] == [
        "voucher_item.added",
        "voucher_item.updated",
    ]
