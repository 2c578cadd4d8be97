from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Division, Zone


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_leaf"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(Zone)
class ZoneAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "level", "division_code", "approved_on", "status"]
    list_filter = ["kind", "level", "status"]
    search_fields = ["name", "division_code"]
