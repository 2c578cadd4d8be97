import django_filters

from kechuang.core.filters import DivisionPrefixFilter

from .catalog import template_choices
from .models import Bulletin


class BulletinFilterSet(django_filters.FilterSet):
    division = DivisionPrefixFilter(field_name="division_code")
    period = django_filters.CharFilter(label="期间", help_text="如 2023、2023H1、2023YTD07")
    template = django_filters.ChoiceFilter(choices=template_choices(), label="模板")

    class Meta:
        model = Bulletin
        fields = ["status", "zone"]
