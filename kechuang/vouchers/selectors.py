"""Reads of vouchers, scoped to the user.

Uses and settlements are seen by the enterprise's scope (staff by division or zone, the
enterprise itself) and, in addition, by the provider organization that delivered the service.
Providers are seen by staff in scope, by their own users, and — once approved — by every
organization user looking for a provider.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kechuang.core.scoping import ORG_ROLES, Roles, scope_q, visible_to

from .models import (
    ServiceItem,
    ServiceProvider,
    VoucherClaim,
    VoucherScheme,
    VoucherSettlement,
    VoucherUse,
)


def with_provider_q(model, user) -> Q:
    """``scope_q`` widened to the provider organization of a use / settlement."""
    q = scope_q(model, user)
    if user.is_authenticated and user.role == Roles.PROVIDER and user.organization_id:
        lookup = (
            "provider__organization_id" if model is VoucherUse else "use__provider__organization_id"
        )
        q |= Q(**{lookup: user.organization_id})
    return q


def provider_q(model, user) -> Q:
    q = scope_q(model, user)
    if user.is_authenticated and user.role in ORG_ROLES:
        q |= Q(status="approved")
    return q


def scheme_list(user) -> QuerySet[VoucherScheme]:
    """Schemes are public policy: every reader sees every scheme."""
    return VoucherScheme.objects.all() if user.is_authenticated else VoucherScheme.objects.none()


def provider_list(user) -> QuerySet[ServiceProvider]:
    return (
        ServiceProvider.objects.filter(provider_q(ServiceProvider, user))
        .select_related("organization")
        .prefetch_related("items")
    )


def item_list(user) -> QuerySet[ServiceItem]:
    """Catalogue entries of the providers ``user`` sees."""
    providers = ServiceProvider.objects.filter(provider_q(ServiceProvider, user))
    return ServiceItem.objects.filter(provider__in=providers).select_related(
        "provider__organization"
    )


def claim_list(user) -> QuerySet[VoucherClaim]:
    return visible_to(VoucherClaim.objects.select_related("scheme", "enterprise"), user)


def use_list(user) -> QuerySet[VoucherUse]:
    return VoucherUse.objects.filter(with_provider_q(VoucherUse, user)).select_related(
        "claim__scheme", "enterprise", "provider__organization"
    )


def settlement_list(user) -> QuerySet[VoucherSettlement]:
    return VoucherSettlement.objects.filter(
        with_provider_q(VoucherSettlement, user)
    ).select_related("use", "enterprise", "payee")
