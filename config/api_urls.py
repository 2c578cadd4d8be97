"""/api/v1/: every app's router plus the OpenAPI schema and a CDN-free Swagger UI."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("kechuang.regions.api.urls")),
    path("", include("kechuang.orgs.api.urls")),
    path("", include("kechuang.platforms.api.urls")),
    path("", include("kechuang.stats.api.urls")),
    path("", include("kechuang.vouchers.api.urls")),
    path("", include("kechuang.policies.api.urls")),
    path("", include("kechuang.market.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
