from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Achievement, Docking, Expert, MatchEvent, TechContract, TechNeed


@admin.register(TechNeed)
class TechNeedAdmin(SimpleHistoryAdmin):
    list_display = ["title", "enterprise", "field", "mode", "status", "visibility", "published_on"]
    list_filter = ["status", "mode", "visibility"]
    search_fields = ["title", "keywords", "enterprise__name"]
    raw_id_fields = ["enterprise", "zone"]


@admin.register(Achievement)
class AchievementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "owner", "type", "maturity", "status", "visibility", "published_on"]
    list_filter = ["type", "maturity", "status", "visibility"]
    search_fields = ["title", "keywords", "patent_number", "owner__name"]
    raw_id_fields = ["owner", "zone"]


@admin.register(Expert)
class ExpertAdmin(SimpleHistoryAdmin):
    list_display = ["name", "employer", "title", "fields", "visibility"]
    search_fields = ["name", "fields", "keywords", "employer__name"]
    raw_id_fields = ["employer", "zone", "user"]
    filter_horizontal = ["achievements"]


@admin.register(Docking)
class DockingAdmin(SimpleHistoryAdmin):
    list_display = ["need", "counterpart_org", "source", "stage", "outcome", "recommended_on"]
    list_filter = ["stage", "source", "outcome"]
    search_fields = ["need__title", "counterpart_org__name", "enterprise__name"]
    raw_id_fields = [
        "need",
        "achievement",
        "expert",
        "organization",
        "enterprise",
        "counterpart_org",
        "zone",
        "event",
        "owner",
    ]
    # Stages move through the workflow service only.
    readonly_fields = ["stage", "outcome", "outcome_reason"]


@admin.register(MatchEvent)
class MatchEventAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "date", "place", "division_code"]
    list_filter = ["kind"]
    search_fields = ["name", "place"]
    raw_id_fields = ["zone", "participants", "created_by"]


@admin.register(TechContract)
class TechContractAdmin(SimpleHistoryAdmin):
    list_display = [
        "registration_number",
        "title",
        "type",
        "seller",
        "buyer_name",
        "contract_amount",
        "tech_amount",
        "registered_on",
        "revoked",
    ]
    list_filter = ["type", "revoked"]
    search_fields = ["registration_number", "title", "seller__name", "buyer_name"]
    raw_id_fields = ["seller", "buyer", "zone", "docking", "registered_by"]
    # Revocation goes through the service (reason and date are required together).
    readonly_fields = ["revoked", "revoked_on", "revoked_reason"]
