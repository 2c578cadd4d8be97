"""Read-only admin: parameter values, experts' scores, budgets and redemptions change only through
the services (pages and API)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import InnovationAssessment, ParameterValue, PolicyBudget, Redemption


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Written only through the services (pages and API), which validate and audit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ParameterValue)
class ParameterValueAdmin(ReadOnlyHistoryAdmin):
    list_display = ["policy", "parameter", "division_code", "effective_from", "value", "reason"]
    list_filter = ["policy", "parameter"]
    search_fields = ["division_code", "reason"]


@admin.register(InnovationAssessment)
class InnovationAssessmentAdmin(ReadOnlyHistoryAdmin):
    list_display = ["organization", "year", "score", "assessed_on", "division_code"]
    list_filter = ["year"]
    search_fields = ["organization__name", "organization__uscc"]
    raw_id_fields = ["organization", "zone", "created_by"]


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
