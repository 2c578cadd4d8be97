from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "vouchers"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="vouchers:scheme-list"), name="home"),
    path("schemes/", views.SchemeListView.as_view(), name="scheme-list"),
    path("schemes/new/", views.SchemeCreateView.as_view(), name="scheme-create"),
    path("schemes/<int:pk>/", views.SchemeDetailView.as_view(), name="scheme-detail"),
    path("schemes/<int:pk>/edit/", views.SchemeUpdateView.as_view(), name="scheme-edit"),
    path("providers/", views.ProviderListView.as_view(), name="provider-list"),
    path("providers/register/", views.ProviderRegisterView.as_view(), name="provider-register"),
    path("providers/<int:pk>/", views.ProviderDetailView.as_view(), name="provider-detail"),
    path(
        "providers/<int:pk>/transition/",
        views.ProviderTransitionView.as_view(),
        name="provider-transition",
    ),
    path("providers/<int:pk>/items/add/", views.ItemAddView.as_view(), name="provider-item-add"),
    path("items/<int:pk>/edit/", views.ItemUpdateView.as_view(), name="item-edit"),
    path("claims/", views.ClaimListView.as_view(), name="claim-list"),
    path("claims/new/", views.ClaimCreateView.as_view(), name="claim-create"),
    path("claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path(
        "claims/<int:pk>/transition/", views.ClaimTransitionView.as_view(), name="claim-transition"
    ),
    path("uses/", views.UseListView.as_view(), name="use-list"),
    path("uses/new/", views.UseCreateView.as_view(), name="use-create"),
    path("uses/<int:pk>/", views.UseDetailView.as_view(), name="use-detail"),
    path("settlements/", views.SettlementListView.as_view(), name="settlement-list"),
    path("settlements/new/", views.SettlementCreateView.as_view(), name="settlement-create"),
    path("settlements/<int:pk>/", views.SettlementDetailView.as_view(), name="settlement-detail"),
    path(
        "settlements/<int:pk>/resubmit/",
        views.SettlementResubmitView.as_view(),
        name="settlement-resubmit",
    ),
    path(
        "settlements/<int:pk>/transition/",
        views.SettlementTransitionView.as_view(),
        name="settlement-transition",
    ),
    path(
        "settlements/<int:pk>/documents/<str:name>/",
        views.SettlementDocumentView.as_view(),
        name="settlement-document",
    ),
]
