from django.urls import include, path

from kechuang.core.imports.urls import urlpatterns as import_urlpatterns
from kechuang.core.views import HomeView, JobView

app_name = "core"
urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("jobs/<int:pk>/", JobView.as_view(), name="job"),
    # The import pages' names (core:import, core:import-preview …) stay in this namespace.
    path("import/", include(import_urlpatterns)),
]
