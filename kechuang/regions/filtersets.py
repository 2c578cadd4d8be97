import django_filters

from kechuang.core.filters import DivisionPrefixFilter

from .models import Division, Zone


class DivisionFilterSet(django_filters.FilterSet):
    within = DivisionPrefixFilter(field_name="code", label="所属区划")

    class Meta:
        model = Division
        fields = ["level", "parent"]


class ZoneFilterSet(django_filters.FilterSet):
    division = DivisionPrefixFilter(field_name="division_code")

    class Meta:
        model = Zone
        fields = ["kind", "level", "status"]
