"""Filters shared by the filtersets of every app."""

import django_filters

from kechuang.core.scoping import division_q


class DivisionPrefixFilter(django_filters.CharFilter):
    """``?division=340400`` (or ``3404``) selects every record in that division's subtree."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "行政区划")
        kwargs.setdefault("help_text", "行政区划代码或前缀：340000 / 34、340400 / 3404、340421")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(division_q(self.field_name, value))


class YearFilter(django_filters.NumberFilter):
    """``?year=2025``: a whole year between 1900 and 2100 (anything else answers 400); on a date
    field, use ``lookup_expr="year"``."""

    field_class = django_filters.fields.forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "年度")
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)
