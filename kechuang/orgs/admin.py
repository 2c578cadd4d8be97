from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EnterpriseYear, Organization, Qualification


class EnterpriseYearInline(admin.TabularInline):
    model = EnterpriseYear
    extra = 0
    fields = ["year", "employees", "rd_staff", "revenue", "rd_expense", "hightech_revenue"]


class QualificationInline(admin.TabularInline):
    model = Qualification
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "uscc", "kind", "division_code", "zone", "ownership", "above_scale"]
    list_filter = ["kind", "ownership", "above_scale", "hightech_field"]
    search_fields = ["name", "uscc"]
    raw_id_fields = ["zone"]
    inlines = [EnterpriseYearInline, QualificationInline]


@admin.register(EnterpriseYear)
class EnterpriseYearAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "year", "employees", "revenue", "rd_expense"]
    list_filter = ["year"]
    search_fields = ["organization__name", "organization__uscc"]
    raw_id_fields = ["organization"]


@admin.register(Qualification)
class QualificationAdmin(SimpleHistoryAdmin):
    list_display = [
        "organization",
        "kind",
        "number",
        "level",
        "granted_on",
        "valid_until",
        "status",
    ]
    list_filter = ["kind", "status", "level"]
    search_fields = ["number", "organization__name", "organization__uscc"]
    raw_id_fields = ["organization"]
