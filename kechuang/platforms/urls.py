from django.urls import path

from . import views

app_name = "platforms"
urlpatterns = [
    path("", views.PlatformListView.as_view(), name="platform-list"),
    path("new/", views.PlatformCreateView.as_view(), name="platform-create"),
    path("<int:pk>/", views.PlatformDetailView.as_view(), name="platform-detail"),
    path("<int:pk>/edit/", views.PlatformUpdateView.as_view(), name="platform-edit"),
]
