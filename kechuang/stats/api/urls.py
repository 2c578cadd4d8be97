from django.urls import path

from .views import IndicatorCatalogView, StatsView

urlpatterns = [
    path("stats/", StatsView.as_view(), name="stats"),
    path("stats/indicators/", IndicatorCatalogView.as_view(), name="stats-indicators"),
]
