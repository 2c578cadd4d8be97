"""Filters of the voucher lists, shared by the API and the pages.

Choices that would name records the user may not see (providers, schemes of claims) are taken
from the user's scoped selectors; ids of claims, uses and enterprises are plain numbers (filtering
by an id out of scope simply finds nothing).
"""

import django_filters

from kechuang.core.filters import DivisionPrefixFilter
from kechuang.regions.forms import zones_for
from kechuang.regions.models import Zone

from . import selectors
from .models import (
    SchemeMode,
    ServiceCategory,
    ServiceProvider,
    VoucherClaim,
    VoucherScheme,
    VoucherSettlement,
    VoucherUse,
)


def _schemes(request):
    user = getattr(request, "user", None)
    return selectors.scheme_list(user) if user is not None else VoucherScheme.objects.none()


def _providers(request):
    user = getattr(request, "user", None)
    if user is None:
        return ServiceProvider.objects.none()
    return selectors.provider_list(user).prefetch_related(None)


def _scheme_filter(field_name: str = "scheme"):
    return django_filters.ModelChoiceFilter(
        field_name=field_name, queryset=_schemes, label="创新券方案"
    )


def _provider_filter(field_name: str = "provider"):
    return django_filters.ModelChoiceFilter(
        field_name=field_name, queryset=_providers, label="服务机构"
    )


def _mode_filter(field_name: str):
    return django_filters.ChoiceFilter(
        field_name=field_name, choices=SchemeMode.choices, label="兑付方式"
    )


def _zones(request):
    user = getattr(request, "user", None)
    return zones_for(user) if user is not None else Zone.objects.none()


def _zone_filter(field_name: str = "zone"):
    return django_filters.ModelChoiceFilter(field_name=field_name, queryset=_zones, label="园区")


class SchemeFilterSet(django_filters.FilterSet):
    division = DivisionPrefixFilter(field_name="division_code", label="发放单位行政区划")

    class Meta:
        model = VoucherScheme
        fields = ["year", "mode", "status"]


class ProviderFilterSet(django_filters.FilterSet):
    division = DivisionPrefixFilter(field_name="organization__division_code")
    zone = _zone_filter("organization__zone")
    category = django_filters.ChoiceFilter(
        choices=ServiceCategory.choices, method="filter_category", label="服务类别"
    )

    class Meta:
        model = ServiceProvider
        fields = ["status"]

    def filter_category(self, queryset, name, value):
        return queryset.filter(
            pk__in=ServiceProvider.objects.filter(items__category=value, items__active=True).values(
                "pk"
            )
        )


class _PlacedFilterSet(django_filters.FilterSet):
    """Year, division and zone are copied onto claims, uses and settlements."""

    division = DivisionPrefixFilter(field_name="division_code")
    zone = _zone_filter()
    enterprise = django_filters.NumberFilter(field_name="enterprise", label="企业（编号）")


class ClaimFilterSet(_PlacedFilterSet):
    scheme = _scheme_filter()
    mode = _mode_filter("scheme__mode")

    class Meta:
        model = VoucherClaim
        fields = ["year", "status", "scheme"]


class UseFilterSet(_PlacedFilterSet):
    scheme = _scheme_filter("claim__scheme")
    provider = _provider_filter()
    mode = _mode_filter("claim__scheme__mode")
    claim = django_filters.NumberFilter(field_name="claim", label="额度（编号）")

    class Meta:
        model = VoucherUse
        fields = ["year", "status", "provider"]


class SettlementFilterSet(_PlacedFilterSet):
    scheme = _scheme_filter("use__claim__scheme")
    provider = _provider_filter("use__provider")
    mode = _mode_filter("use__claim__scheme__mode")
    use = django_filters.NumberFilter(field_name="use", label="用券记录（编号）")

    class Meta:
        model = VoucherSettlement
        fields = ["year", "status"]
