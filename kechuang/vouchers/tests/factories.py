"""Factories of voucher records, for this app's tests (and demo data later)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from kechuang.core.testing.factories import OrganizationFactory, UserFactory
from kechuang.vouchers.models import (
    ServiceProvider,
    VoucherClaim,
    VoucherScheme,
    VoucherUse,
)


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VoucherScheme

    name = factory.Sequence(lambda n: f"科技创新券{n}")
    year = 2024
    division_code = "340400"
    amount_per_claim = Decimal("100000.00")
    cap_per_enterprise = Decimal("200000.00")
    share = Decimal("0.5000")
    valid_months = 12
    mode = "general"
    budget = Decimal("10000000.00")
    status = "open"


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceProvider

    organization = factory.SubFactory(OrganizationFactory, kind="service_provider")
    status = "approved"


class ClaimFactory(factory.django.DjangoModelFactory):
    """An approved quota, ready to spend."""

    class Meta:
        model = VoucherClaim

    scheme = factory.SubFactory(SchemeFactory)
    enterprise = factory.SubFactory(OrganizationFactory)
    year = factory.SelfAttribute("scheme.year")
    division_code = factory.SelfAttribute("enterprise.division_code")
    zone = factory.SelfAttribute("enterprise.zone")
    amount = Decimal("100000.00")
    remaining = factory.SelfAttribute("amount")
    expires_on = dt.date(2099, 12, 31)
    status = "approved"


class UseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VoucherUse

    claim = factory.SubFactory(ClaimFactory)
    enterprise = factory.SelfAttribute("claim.enterprise")
    year = factory.SelfAttribute("claim.year")
    division_code = factory.SelfAttribute("claim.division_code")
    zone = factory.SelfAttribute("claim.zone")
    provider = factory.SubFactory(ProviderFactory)
    contract_number = factory.Sequence(lambda n: f"JS2024{n:04d}")
    signed_on = dt.date(2024, 5, 1)
    contract_amount = Decimal("40000.00")
    amount = Decimal("20000.00")
    created_by = factory.SubFactory(
        UserFactory,
        role="enterprise",
        division_code="",
        organization=factory.SelfAttribute("..claim.enterprise"),
    )
