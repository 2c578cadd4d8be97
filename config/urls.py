from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(("config.api_urls", "api"))),
    path("accounts/", include("kechuang.accounts.urls")),
    path("regions/", include("kechuang.regions.urls")),
    path("orgs/", include("kechuang.orgs.urls")),
    path("platforms/", include("kechuang.platforms.urls")),
    path("bulletins/", include("kechuang.bulletins.urls")),
    path("stats/", include("kechuang.stats.urls")),
    path("policies/", include("kechuang.policies.urls")),
    path("vouchers/", include("kechuang.vouchers.urls")),
    path("market/", include("kechuang.market.urls")),
    path("", include("kechuang.core.urls")),
]
