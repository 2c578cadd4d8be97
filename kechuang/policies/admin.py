"""Redemptions are read here; amounts and states change only through the services (the API)."""

from django.contrib import admin

from .models import PolicyBudget, Redemption


@admin.register(PolicyBudget)
class PolicyBudgetAdmin(admin.ModelAdmin):
    list_display = ["policy", "year", "division_code", "amount"]
    list_filter = ["policy", "year"]
    search_fields = ["division_code"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Redemption)
class RedemptionAdmin(admin.ModelAdmin):
    list_display = ["policy", "year", "organization", "division_code", "amount", "status"]
    list_filter = ["policy", "year", "status", "source"]
    search_fields = ["organization__name", "organization__uscc"]
    raw_id_fields = ["organization", "zone", "created_by"]
    readonly_fields = [f.name for f in Redemption._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
