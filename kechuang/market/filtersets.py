"""Filters of the market lists, shared by the API and the pages."""

import django_filters
from django.db.models import Q

from kechuang.core.filters import DivisionPrefixFilter, YearFilter

from .models import Achievement, Docking, Expert, MatchEvent, TechContract, TechNeed


class TextSearchFilter(django_filters.CharFilter):
    """``?q=`` plain text: any of ``fields`` contains the text (a ranked search replaces it)."""

    def __init__(self, *args, fields: tuple[str, ...], **kwargs):
        kwargs.setdefault("label", "搜索")
        super().__init__(*args, **kwargs)
        self.fields = fields

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        condition = Q()
        for name in self.fields:
            condition |= Q(**{f"{name}__icontains": value})
        return qs.filter(condition)


class RankedSearchFilter(django_filters.CharFilter):
    """``?q=`` ranked by the matching engine (best first, ties by id); what the user may not
    read never comes back (see ``kechuang.market.search``)."""

    def __init__(self, *args, kind: str, **kwargs):
        kwargs.setdefault("label", "检索（按相关度排序）")
        super().__init__(*args, **kwargs)
        self.kind = kind

    def filter(self, qs, value):
        from .api.matching import ranked

        value = (value or "").strip()
        if not value:
            return qs
        request = getattr(self.parent, "request", None)
        return ranked(qs, self.kind, value, getattr(request, "user", None))


class TechNeedFilterSet(django_filters.FilterSet):
    division = DivisionPrefixFilter(field_name="division_code")
    field = django_filters.CharFilter(label="技术领域", lookup_expr="icontains")

    class Meta:
        model = TechNeed
        fields = ["status", "mode", "visibility", "zone", "enterprise"]


class AchievementFilterSet(django_filters.FilterSet):
    division = DivisionPrefixFilter(field_name="division_code")
    field = django_filters.CharFilter(label="技术领域", lookup_expr="icontains")

    class Meta:
        model = Achievement
        fields = ["type", "maturity", "transfer_mode", "status", "visibility", "zone", "owner"]


class ExpertFilterSet(django_filters.FilterSet):
    division = DivisionPrefixFilter(field_name="division_code")
    fields = django_filters.CharFilter(label="技术领域", lookup_expr="icontains")

    class Meta:
        model = Expert
        fields = ["employer", "zone", "visibility"]


class DockingFilterSet(django_filters.FilterSet):
    division = DivisionPrefixFilter(field_name="division_code")

    class Meta:
        model = Docking
        fields = ["stage", "source", "outcome", "need", "event", "zone", "enterprise"]


class TechContractFilterSet(django_filters.FilterSet):
    division = DivisionPrefixFilter(field_name="division_code")
    registered_from = django_filters.DateFilter(
        field_name="registered_on", lookup_expr="gte", label="登记日期起"
    )
    registered_to = django_filters.DateFilter(
        field_name="registered_on", lookup_expr="lte", label="登记日期止"
    )

    class Meta:
        model = TechContract
        fields = ["type", "revoked", "zone", "seller", "docking"]


class MatchEventFilterSet(django_filters.FilterSet):
    division = DivisionPrefixFilter(field_name="division_code")
    year = YearFilter(field_name="date", lookup_expr="year", label="年份")

    class Meta:
        model = MatchEvent
        fields = ["kind", "zone"]


# The API's ``?q=``: ranked for needs, achievements and experts; plain text for the others.


class TechNeedApiFilterSet(TechNeedFilterSet):
    q = RankedSearchFilter(kind="needs")


class AchievementApiFilterSet(AchievementFilterSet):
    q = RankedSearchFilter(kind="achievements")


class ExpertApiFilterSet(ExpertFilterSet):
    q = RankedSearchFilter(kind="experts")


class DockingApiFilterSet(DockingFilterSet):
    q = TextSearchFilter(
        fields=("need__title", "achievement__title", "expert__name", "counterpart_org__name")
    )


class TechContractApiFilterSet(TechContractFilterSet):
    q = TextSearchFilter(fields=("registration_number", "title", "seller__name", "buyer_name"))


class MatchEventApiFilterSet(MatchEventFilterSet):
    q = TextSearchFilter(fields=("name", "place"))
