from django.contrib import admin

from .models import Benchmark, IndicatorValue, Snapshot


@admin.register(Benchmark)
class BenchmarkAdmin(admin.ModelAdmin):
    list_display = ["label", "key", "year", "value", "unit", "source"]
    list_filter = ["key", "year"]
    search_fields = ["key", "label", "source"]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0
    fields = ["indicator", "label", "division_code", "zone", "period", "value", "unit", "note"]
    readonly_fields = fields
    can_delete = False


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "created_by"]
    readonly_fields = ["label", "created_at", "created_by"]
    inlines = [IndicatorValueInline]
