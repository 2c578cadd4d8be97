"""API of innovation vouchers: the permission matrix, the flow over HTTP, idempotent uses."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.core.scoping import ALL_ROLES, REGISTRY_READERS, STAFF_ROLES, Roles
from kechuang.core.testing import assert_list_queries, client_for, result_keys
from kechuang.core.testing.factories import OrganizationFactory, UserFactory, user_with_role
from kechuang.core.testing.matrix import MatrixSpec, cases
from kechuang.vouchers.models import VoucherSettlement, VoucherUse

from .factories import ClaimFactory, ProviderFactory, SchemeFactory, UseFactory

VOUCHER_READERS = STAFF_ROLES | {Roles.ENTERPRISE, Roles.PROVIDER}


def make_settlement(place):
    use = UseFactory(claim__enterprise=place.organization)
    return VoucherSettlement.objects.create(
        use=use,
        enterprise=use.enterprise,
        payee=use.enterprise,
        year=use.year,
        division_code=use.division_code,
        zone=use.zone,
        amount=use.amount,
        contract_file="vouchers/c.pdf",
        invoice_file="vouchers/i.pdf",
        payment_file="vouchers/p.pdf",
        report_file="vouchers/r.pdf",
        created_by=use.created_by,
    )


MATRIX = [
    MatrixSpec(
        name="voucher-scheme",
        make=lambda place: SchemeFactory(division_code=place.division_code),
        readers=ALL_ROLES,
        reference=True,
        api="voucher-scheme",
        ui_list="vouchers:scheme-list",
        ui_detail="vouchers:scheme-detail",
    ),
    MatrixSpec(
        name="voucher-provider",
        make=lambda place: ProviderFactory(organization=place.organization, status="pending"),
        readers=REGISTRY_READERS,
        api="voucher-provider",
        ui_list="vouchers:provider-list",
        ui_detail="vouchers:provider-detail",
    ),
    MatrixSpec(
        name="voucher-claim",
        make=lambda place: ClaimFactory(enterprise=place.organization),
        readers=VOUCHER_READERS,
        api="voucher-claim",
        ui_list="vouchers:claim-list",
        ui_detail="vouchers:claim-detail",
    ),
    MatrixSpec(
        name="voucher-use",
        make=lambda place: UseFactory(claim__enterprise=place.organization),
        readers=VOUCHER_READERS,
        api="voucher-use",
        ui_list="vouchers:use-list",
        ui_detail="vouchers:use-detail",
    ),
    MatrixSpec(
        name="voucher-settlement",
        make=make_settlement,
        readers=VOUCHER_READERS,
        api="voucher-settlement",
        ui_list="vouchers:settlement-list",
        ui_detail="vouchers:settlement-detail",
    ),
]

pytestmark = pytest.mark.django_db

CLAIMS = reverse("api:voucher-claim-list")
USES = reverse("api:voucher-use-list")
SETTLEMENTS = reverse("api:voucher-settlement-list")
PROVIDERS = reverse("api:voucher-provider-list")


def action_url(basename, obj):
    return reverse(f"api:{basename}-transition", kwargs={"pk": obj.pk})


@pytest.mark.parametrize("case", cases(MATRIX))
def test_permission_matrix(case, client):
    case.run(client)


def use_body(claim, provider, amount="20000.00"):
    return {
        "claim": claim.pk,
        "provider": provider.pk,
        "contract_number": "JS-2024-001",
        "signed_on": "2024-05-01",
        "contract_amount": "40000.00",
        "amount": amount,
    }


def test_the_flow_over_http(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scheme = SchemeFactory()
    bureau = client_for(UserFactory(role=Roles.BUREAU, division_code="340400"))
    enterprise_user = user_with_role(Roles.ENTERPRISE)
    enterprise = client_for(enterprise_user)
    response = enterprise.post(CLAIMS, {"scheme": scheme.pk}, format="json")
    assert response.status_code == 201, response.content
    claim_id = response.json()["id"]
    assert response.json()["status"] == "applied"
    url = reverse("api:voucher-claim-transition", kwargs={"pk": claim_id})
    assert enterprise.post(url, {"action": "approve"}).status_code == 403
    response = bureau.post(url, {"action": "approve", "note": ""}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["remaining"] == "100000.00"
    response = bureau.post(url, {"action": "approve"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "invalid_state"

    provider = ProviderFactory()
    response = enterprise.post(
        USES, use_body(type("C", (), {"pk": claim_id}), provider), format="json"
    )
    assert response.status_code == 201, response.content
    use_id = response.json()["id"]
    files = {
        name: SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4", content_type="application/pdf")
        for name in ("contract_file", "invoice_file", "payment_file", "report_file")
    }
    response = enterprise.post(SETTLEMENTS, {"use": use_id, **files}, format="multipart")
    assert response.status_code == 201, response.content
    settlement = VoucherSettlement.objects.get(pk=response.json()["id"])
    assert settlement.report_file.name.endswith("report_file.pdf")
    for step in ("verify", "pay"):
        response = bureau.post(action_url("voucher-settlement", settlement), {"action": step})
        assert response.status_code == 200, response.content
    assert response.json()["status"] == "paid"
    provider_client = client_for(user_with_role(Roles.PROVIDER, organization=provider.organization))
    assert result_keys(provider_client.get(USES)) == [use_id]
    assert result_keys(provider_client.get(SETTLEMENTS)) == [settlement.pk]


def test_refusals_answer_their_codes():
    claim = ClaimFactory(remaining=Decimal("5000"))
    api = client_for(user_with_role(Roles.ENTERPRISE, organization=claim.enterprise))
    related = ProviderFactory(organization=claim.enterprise)
    response = api.post(USES, use_body(claim, related, "1000.00"), format="json")
    assert response.status_code == 400 and response.json()["code"] == "related_provider"
    response = api.post(USES, use_body(claim, ProviderFactory(), "6000.00"), format="json")
    assert response.status_code == 400 and response.json()["code"] == "over_remaining"
    blacklisted = ProviderFactory(status="blacklisted")
    response = api.post(USES, use_body(claim, blacklisted, "1000.00"), format="json")
    assert response.json()["code"] == "provider_blacklisted"
    stranger = client_for(user_with_role(Roles.ENTERPRISE))
    response = stranger.post(USES, use_body(claim, ProviderFactory(), "1000.00"), format="json")
    assert response.status_code == 404
    bureau_far = client_for(UserFactory(role=Roles.BUREAU, division_code="340100"))
    response = bureau_far.post(action_url("voucher-claim", claim), {"action": "approve"})
    assert response.status_code == 404


def test_a_retried_use_with_the_same_idempotency_key_returns_the_first():
    claim = ClaimFactory()
    provider = ProviderFactory()
    api = client_for(user_with_role(Roles.ENTERPRISE, organization=claim.enterprise))
    first = api.post(USES, use_body(claim, provider), format="json", HTTP_IDEMPOTENCY_KEY="abc")
    again = api.post(USES, use_body(claim, provider), format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert VoucherUse.objects.count() == 1
    claim.refresh_from_db()
    assert claim.remaining == Decimal("80000")
    other = api.post(
        USES, use_body(claim, provider, "10000.00"), format="json", HTTP_IDEMPOTENCY_KEY="abc"
    )
    assert other.status_code == 409 and other.json()["code"] == "idempotency_conflict"
    fresh = api.post(USES, use_body(claim, provider), format="json")
    assert fresh.status_code == 201 and fresh.json()["id"] != first.json()["id"]


def test_approved_providers_are_listed_to_every_organization():
    approved = ProviderFactory(organization=OrganizationFactory(division_code="340102"))
    pending = ProviderFactory(status="pending")
    enterprise = client_for(user_with_role(Roles.ENTERPRISE))
    assert result_keys(enterprise.get(PROVIDERS)) == [approved.pk]
    bureau = client_for(UserFactory(role=Roles.BUREAU, division_code="340400"))
    assert result_keys(bureau.get(PROVIDERS)) == [pending.pk]


def test_provider_registration_catalogue_and_approval():
    org = OrganizationFactory(kind="service_provider")
    own = client_for(user_with_role(Roles.PROVIDER, organization=org))
    response = own.post(PROVIDERS, {"organization": org.pk, "contact": "李工"}, format="json")
    assert response.status_code == 201, response.content
    provider_id = response.json()["id"]
    items = reverse("api:voucher-provider-items", kwargs={"pk": provider_id})
    response = own.post(items, {"name": "检验检测", "category": "testing", "price": "3000"})
    assert response.status_code == 201, response.content
    bureau = client_for(UserFactory(role=Roles.BUREAU, division_code="340400"))
    url = reverse("api:voucher-provider-transition", kwargs={"pk": provider_id})
    response = bureau.post(url, {"action": "suspend", "note": "x"})
    assert response.status_code == 409
    response = bureau.post(url, {"action": "approve"})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert response.json()["items"][0]["name"] == "检验检测"
    response = bureau.post(url, {"action": "fly"})
    assert response.status_code == 400 and response.json()["code"] == "unknown_action"


def test_lists_cost_a_fixed_number_of_queries(django_assert_max_num_queries):
    admin = client_for(user_with_role(Roles.ADMIN))
    for url, make in (
        (PROVIDERS, lambda: ProviderFactory()),
        (CLAIMS, lambda: ClaimFactory()),
        (USES, lambda: UseFactory()),
        (SETTLEMENTS, lambda: make_settlement(_Place())),
    ):
        assert_list_queries(
            django_assert_max_num_queries,
            admin,
            url,
            lambda n, make=make: [make() for _ in range(n)],
            max_queries=6,
        )


class _Place:
    @property
    def organization(self):
        return OrganizationFactory()


def test_schemes_are_edited_by_the_issuing_bureau():
    bureau = client_for(UserFactory(role=Roles.BUREAU, division_code="340400"))
    body = {
        "name": "2024 年科技创新券",
        "year": 2024,
        "amount_per_claim": "100000",
        "cap_per_enterprise": "200000",
        "share": "0.5",
        "valid_months": 12,
        "mode": "redeem",
        "budget": "5000000",
    }
    response = bureau.post(reverse("api:voucher-scheme-list"), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["division_code"] == "340400"
    far = {**body, "division_code": "340100"}
    response = bureau.post(reverse("api:voucher-scheme-list"), far, format="json")
    assert response.status_code == 400 and response.json()["field"] == "division_code"
    bad = {**body, "share": "1.5"}
    response = bureau.post(reverse("api:voucher-scheme-list"), bad, format="json")
    assert response.status_code == 400
    enterprise = client_for(user_with_role(Roles.ENTERPRISE))
    assert (
        enterprise.post(reverse("api:voucher-scheme-list"), body, format="json").status_code == 403
    )


def test_filters_of_the_lists():
    """The filtersets shared with the pages: year, mode, division, zone, scheme, provider …"""
    from kechuang.core.testing.factories import ZoneFactory

    zone = ZoneFactory()
    here = OrganizationFactory(zone=zone)
    hefei = OrganizationFactory(division_code="340102")
    general = ClaimFactory(enterprise=here, scheme=SchemeFactory(year=2024, mode="general"))
    redeem = ClaimFactory(enterprise=hefei, scheme=SchemeFactory(year=2025, mode="redeem"))
    testing = ProviderFactory()
    testing.items.create(name="检测", category="testing", price=Decimal("1000"))
    design = ProviderFactory(status="suspended")
    design.items.create(name="设计", category="rd_design", price=Decimal("1000"))
    use_here = UseFactory(claim=general, provider=testing)
    use_far = UseFactory(claim=redeem, provider=design)
    api = client_for(user_with_role(Roles.ADMIN))
    schemes = reverse("api:voucher-scheme-list")
    assert result_keys(api.get(schemes, {"mode": "redeem"})) == [redeem.scheme_id]
    assert result_keys(api.get(schemes, {"year": 2024})) == [general.scheme_id]
    assert result_keys(api.get(CLAIMS, {"division": "3404"})) == [general.pk]
    assert result_keys(api.get(CLAIMS, {"zone": zone.pk})) == [general.pk]
    assert result_keys(api.get(CLAIMS, {"mode": "redeem"})) == [redeem.pk]
    assert result_keys(api.get(CLAIMS, {"year": 2025})) == [redeem.pk]
    assert result_keys(api.get(CLAIMS, {"enterprise": hefei.pk})) == [redeem.pk]
    assert result_keys(api.get(USES, {"provider": design.pk})) == [use_far.pk]
    assert result_keys(api.get(USES, {"scheme": general.scheme_id})) == [use_here.pk]
    assert result_keys(api.get(USES, {"claim": redeem.pk})) == [use_far.pk]
    assert result_keys(api.get(USES, {"division": "340102"})) == [use_far.pk]
    assert result_keys(api.get(PROVIDERS, {"category": "rd_design"})) == [design.pk]
    assert result_keys(api.get(PROVIDERS, {"status": "approved"})) == [testing.pk]
    settlement = make_settlement(_Place())
    assert result_keys(api.get(SETTLEMENTS, {"use": settlement.use_id})) == [settlement.pk]
    assert result_keys(api.get(SETTLEMENTS, {"mode": "redeem"})) == []
    assert result_keys(api.get(SETTLEMENTS, {"provider": settlement.use.provider_id})) == [
        settlement.pk
    ]
    response = api.get(CLAIMS, {"scheme": 10**9})
    assert response.status_code == 400


def test_provider_choices_of_the_filters_are_scoped():
    """An enterprise filtering uses by provider cannot name a pending provider it may not see."""
    pending = ProviderFactory(status="pending")
    enterprise = client_for(user_with_role(Roles.ENTERPRISE))
    assert enterprise.get(USES, {"provider": pending.pk}).status_code == 400
    assert enterprise.get(USES, {"provider": ProviderFactory().pk}).status_code == 200
