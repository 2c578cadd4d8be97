from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("divisions/", views.DivisionListView.as_view(), name="division-list"),
    path("zones/", views.ZoneListView.as_view(), name="zone-list"),
    path("zones/new/", views.ZoneCreateView.as_view(), name="zone-create"),
    path("zones/<int:pk>/", views.ZoneDetailView.as_view(), name="zone-detail"),
    path("zones/<int:pk>/edit/", views.ZoneUpdateView.as_view(), name="zone-edit"),
]
