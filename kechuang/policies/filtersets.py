import django_filters

from kechuang.core.filters import DivisionPrefixFilter
from kechuang.engines.rules import POLICIES

from .models import InnovationAssessment, PolicyBudget, Redemption

POLICY_CHOICES = [(key, policy.label) for key, policy in sorted(POLICIES.items())]


class RedemptionFilterSet(django_filters.FilterSet):
    policy = django_filters.ChoiceFilter(
        choices=[(key, policy.label) for key, policy in sorted(POLICIES.items())], label="政策"
    )
    division = DivisionPrefixFilter(field_name="division_code")
    uscc = django_filters.CharFilter(field_name="organization__uscc", label="统一社会信用代码")

    class Meta:
        model = Redemption
        fields = ["policy", "year", "status", "source", "zone", "organization"]


class InnovationAssessmentFilterSet(django_filters.FilterSet):
    division = DivisionPrefixFilter(field_name="division_code")
    uscc = django_filters.CharFilter(field_name="organization__uscc", label="统一社会信用代码")

    class Meta:
        model = InnovationAssessment
        fields = ["year", "organization", "zone"]


class PolicyBudgetFilterSet(django_filters.FilterSet):
    policy = django_filters.ChoiceFilter(choices=POLICY_CHOICES, label="政策")
    division = DivisionPrefixFilter(field_name="division_code")

    class Meta:
        model = PolicyBudget
        fields = ["policy", "year"]
