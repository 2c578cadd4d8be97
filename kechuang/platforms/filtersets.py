import django_filters

from kechuang.core.filters import DivisionPrefixFilter

from .models import Platform


class PlatformFilterSet(django_filters.FilterSet):
    division = DivisionPrefixFilter(field_name="division_code")

    class Meta:
        model = Platform
        fields = ["kind", "level", "status", "zone", "host"]
