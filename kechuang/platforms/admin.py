from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Platform


@admin.register(Platform)
class PlatformAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "level", "host", "division_code", "zone", "status"]
    list_filter = ["kind", "level", "status"]
    search_fields = ["name", "host__name"]
    raw_id_fields = ["host", "zone"]
