from django.contrib import admin

from .models import Bulletin


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    """Read-only: bulletins are written through their services (the site's pages)."""

    list_display = ["title", "division_code", "zone", "period", "status", "issue_number"]
    list_filter = ["status", "template"]
    search_fields = ["title", "division_code"]
    readonly_fields = [f.name for f in Bulletin._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
