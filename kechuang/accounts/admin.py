from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "division_code", "zone", "organization"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["zone", "organization"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            "角色与范围",
            {"fields": ["role", "display_name", "division_code", "zone", "organization"]},
        ),
    ]
