from django.urls import path

from . import views

app_name = "policies"
urlpatterns = [
    path("", views.PolicyListView.as_view(), name="policy-list"),
    path("screen/", views.ScreenView.as_view(), name="screen-list"),
    path("screen/confirm/", views.ConfirmView.as_view(), name="screen-confirm"),
    path("reserve/", views.ReserveView.as_view(), name="reserve-list"),
    path("mine/", views.MyPoliciesView.as_view(), name="mine"),
    path("redemptions/", views.RedemptionListView.as_view(), name="redemption-list"),
    path("redemptions/apply/", views.ApplyView.as_view(), name="redemption-apply"),
    path("redemptions/<int:pk>/", views.RedemptionDetailView.as_view(), name="redemption-detail"),
    path(
        "redemptions/<int:pk>/amount/",
        views.RedemptionAmountView.as_view(),
        name="redemption-amount",
    ),
    path(
        "redemptions/<int:pk>/transition/",
        views.RedemptionTransitionView.as_view(),
        name="redemption-transition",
    ),
    path("budgets/", views.BudgetListView.as_view(), name="budget-list"),
    path("budgets/new/", views.BudgetCreateView.as_view(), name="budget-create"),
    path("assessments/", views.AssessmentListView.as_view(), name="assessment-list"),
    path("assessments/new/", views.AssessmentCreateView.as_view(), name="assessment-create"),
    path("<slug:key>/", views.PolicyDetailView.as_view(), name="policy-detail"),
    path("<slug:key>/parameters/", views.ParameterValueSetView.as_view(), name="parameter-set"),
    path(
        "<slug:key>/parameters/delete/",
        views.ParameterValueDeleteView.as_view(),
        name="parameter-delete",
    ),
]
