from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("records/", views.RecordListView.as_view(), name="record-list"),
    path("benchmarks/", views.BenchmarkListView.as_view(), name="benchmark-list"),
    path("benchmarks/new/", views.BenchmarkCreateView.as_view(), name="benchmark-create"),
    path("benchmarks/<int:pk>/edit/", views.BenchmarkUpdateView.as_view(), name="benchmark-edit"),
]
