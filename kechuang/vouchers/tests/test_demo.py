"""The vouchers of the demo region: written through the services, every stage present, removed
cleanly by reset."""

from __future__ import annotations

import pytest

from kechuang.core.models import AuditEvent, TransitionLog
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import OrganizationFactory, UserFactory, user_with_role
from kechuang.orgs.models import Organization
from kechuang.vouchers import demo
from kechuang.vouchers.models import (
    ServiceProvider,
    VoucherClaim,
    VoucherScheme,
    VoucherSettlement,
    VoucherUse,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for _ in range(12):
        OrganizationFactory()
    providers = [OrganizationFactory(kind="service_provider") for _ in range(9)]
    UserFactory(username="bureau_city", role=Roles.BUREAU, division_code="340400")
    UserFactory(
        username="enterprise",
        role=Roles.ENTERPRISE,
        division_code="",
        organization=OrganizationFactory(),
    )
    UserFactory(
        username="provider", role=Roles.PROVIDER, division_code="", organization=providers[0]
    )
    return user_with_role(Roles.ADMIN), tmp_path


def test_build_writes_every_stage_and_reset_removes_it(region):
    admin, media = region
    counts = demo.build(seed=2025, actor=admin)
    assert counts["voucher_schemes"] == 3
    assert set(ServiceProvider.objects.values_list("status", flat=True)) == {
        "approved",
        "suspended",
        "blacklisted",
        "pending",
    }
    assert {"applied", "approved"} <= set(VoucherClaim.objects.values_list("status", flat=True))
    statuses = set(VoucherSettlement.objects.values_list("status", flat=True))
    assert {"paid", "returned"} <= statuses
    modes = set(VoucherSettlement.objects.values_list("use__claim__scheme__mode", flat=True))
    assert modes == {"general", "redeem"}
    own = ServiceProvider.objects.get(organization__users__username="provider")
    assert own.status == "approved" and own.items.count() == 3
    assert list(media.rglob("*.pdf"))
    for claim in VoucherClaim.objects.filter(status="approved"):
        spent = sum(use.amount for use in claim.uses.all())
        assert claim.remaining == claim.amount - spent

    deleted = demo.reset(Organization.objects.values("pk"))
    assert deleted["vouchersettlement"] == counts["voucher_settlements"]
    for model in (VoucherScheme, ServiceProvider, VoucherClaim, VoucherUse, VoucherSettlement):
        assert not model.objects.exists()
    assert not TransitionLog.objects.filter(object_type__startswith="vouchers.").exists()
    assert not AuditEvent.objects.filter(object_type__startswith="vouchers.").exists()
    assert not list(media.rglob("*.pdf"))


def test_build_is_deterministic(region):
    admin, _media = region
    demo.build(seed=7, actor=admin)
    first = sorted(VoucherUse.objects.values_list("contract_number", "amount", "enterprise"))
    demo.reset(Organization.objects.values("pk"))
    demo.build(seed=7, actor=admin)
    again = sorted(VoucherUse.objects.values_list("contract_number", "amount", "enterprise"))
    assert first == again
