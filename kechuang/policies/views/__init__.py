"""Pages of policies: the policy library with a bureau's own parameter values, 免申即享 screening
(with export and confirmation of the list), the 梯次培育 reserve, an enterprise's 我的政策,
政策兑现 (list, detail, amount, workflow), budgets and the experts' innovation scores."""

from .library import (
    ParameterValueDeleteView,
    ParameterValueSetView,
    PolicyDetailView,
    PolicyListView,
)
from .redemptions import (
    AssessmentCreateView,
    AssessmentListView,
    BudgetCreateView,
    BudgetListView,
    RedemptionAmountView,
    RedemptionDetailView,
    RedemptionListView,
    RedemptionTransitionView,
)
from .screening import ApplyView, ConfirmView, MyPoliciesView, ReserveView, ScreenView

__all__ = [
    "ApplyView",
    "AssessmentCreateView",
    "AssessmentListView",
    "BudgetCreateView",
    "BudgetListView",
    "ConfirmView",
    "MyPoliciesView",
    "ParameterValueDeleteView",
    "ParameterValueSetView",
    "PolicyDetailView",
    "PolicyListView",
    "RedemptionAmountView",
    "RedemptionDetailView",
    "RedemptionListView",
    "RedemptionTransitionView",
    "ReserveView",
    "ScreenView",
]
