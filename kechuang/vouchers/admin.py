from django.contrib import admin

from .models import (
    ServiceItem,
    ServiceProvider,
    VoucherClaim,
    VoucherScheme,
    VoucherSettlement,
    VoucherUse,
)


@admin.register(VoucherScheme)
class VoucherSchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "division_code", "mode", "amount_per_claim", "budget", "status"]
    list_filter = ["year", "mode", "status"]


class ServiceItemInline(admin.TabularInline):
    model = ServiceItem
    extra = 0


@admin.register(ServiceProvider)
class ServiceProviderAdmin(admin.ModelAdmin):
    list_display = ["organization", "status"]
    list_filter = ["status"]
    raw_id_fields = ["organization"]
    inlines = [ServiceItemInline]


@admin.register(VoucherClaim)
class VoucherClaimAdmin(admin.ModelAdmin):
    list_display = ["scheme", "enterprise", "amount", "remaining", "expires_on", "status"]
    list_filter = ["status"]
    raw_id_fields = ["enterprise", "zone"]
    readonly_fields = ["remaining"]


@admin.register(VoucherUse)
class VoucherUseAdmin(admin.ModelAdmin):
    list_display = ["contract_number", "enterprise", "provider", "amount", "status"]
    raw_id_fields = ["claim", "enterprise", "provider", "item", "zone", "created_by"]


@admin.register(VoucherSettlement)
class VoucherSettlementAdmin(admin.ModelAdmin):
    list_display = ["use", "payee", "amount", "status", "paid_on"]
    list_filter = ["status"]
    raw_id_fields = ["use", "enterprise", "payee", "zone", "created_by"]
