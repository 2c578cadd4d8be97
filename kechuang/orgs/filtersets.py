import django_filters
from django.utils import timezone

from kechuang.core.filters import DivisionPrefixFilter

from .models import EnterpriseYear, Organization, Qualification, QualificationKind
from .selectors import organizations_qualified_on, qualified_on_q


class OrganizationFilterSet(django_filters.FilterSet):
    division = DivisionPrefixFilter(field_name="division_code")
    qualification = django_filters.ChoiceFilter(
        choices=QualificationKind.choices,
        method="filter_qualification",
        label="持有资质",
    )
    qualified_on = django_filters.DateFilter(
        method="filter_noop",
        label="资质有效日期",
        help_text="与 qualification 同用；默认今天",
    )

    class Meta:
        model = Organization
        fields = ["kind", "ownership", "zone", "hightech_field", "above_scale", "uscc"]

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_qualification(self, queryset, name, value):
        day = self.form.cleaned_data.get("qualified_on") or timezone.localdate()
        return organizations_qualified_on(queryset, kind=value, day=day)


class EnterpriseYearFilterSet(django_filters.FilterSet):
    division = DivisionPrefixFilter(field_name="organization__division_code")
    uscc = django_filters.CharFilter(field_name="organization__uscc", label="统一社会信用代码")
    year_min = django_filters.NumberFilter(field_name="year", lookup_expr="gte", label="起始年度")
    year_max = django_filters.NumberFilter(field_name="year", lookup_expr="lte", label="截止年度")

    class Meta:
        model = EnterpriseYear
        fields = ["organization", "year"]


class QualificationFilterSet(django_filters.FilterSet):
    division = DivisionPrefixFilter(field_name="organization__division_code")
    uscc = django_filters.CharFilter(field_name="organization__uscc", label="统一社会信用代码")
    in_force_on = django_filters.DateFilter(method="filter_in_force", label="在该日有效")

    class Meta:
        model = Qualification
        fields = ["organization", "kind", "level", "status"]

    def filter_in_force(self, queryset, name, value):
        return queryset.filter(qualified_on_q(value))
