"""Pages of the platform registry (孵化器, 重点实验室 …)."""

from __future__ import annotations

from django.urls import reverse

from kechuang.core.scoping import STAFF_ROLES
from kechuang.core.views import (
    Column,
    ScopedDetailView,
    ScopedListView,
    ServiceCreateView,
    ServiceUpdateView,
    has_role,
)
from kechuang.regions.selectors import division_full_name

from . import selectors, services
from .filtersets import PlatformFilterSet
from .forms import PlatformForm


def host_url(platform) -> str:
    return reverse("orgs:organization-detail", args=[platform.host_id])


class PlatformListView(ScopedListView):
    selector = selectors.platform_list
    filterset_class = PlatformFilterSet
    filter_fields = ("division", "zone", "kind", "level", "status")
    search_fields = ("name", "host__name")
    search_placeholder = "平台名称或依托单位"
    title = "创新平台"
    detail_url_name = "platforms:platform-detail"
    create_url_name = "platforms:platform-create"
    create_label = "登记平台"
    columns = (
        Column("平台名称", "name", link=True),
        Column("类型", "get_kind_display"),
        Column("级别", "get_level_display"),
        Column("依托单位", "host.name", link=host_url),
        Column("行政区划", "division_code", kind="division"),
        Column("园区", "zone.name"),
        Column("认定日期", "recognised_on", kind="date"),
        Column("状态", "get_status_display"),
    )


class PlatformDetailView(ScopedDetailView):
    selector = selectors.platform_list
    template_name = "platforms/platform_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["division_full_name"] = division_full_name(self.object.division_code)
        context["can_edit"] = has_role(self.request.user, STAFF_ROLES)
        return context


class PlatformCreateView(ServiceCreateView):
    form_class = PlatformForm
    title = "登记创新平台"
    detail_url_name = "platforms:platform-detail"

    def cancel_url(self):
        return reverse("platforms:platform-list")

    def perform(self, form):
        return services.platform_create(actor=self.request.user, **form.service_data())


class PlatformUpdateView(ServiceUpdateView):
    selector = selectors.platform_list
    form_class = PlatformForm
    detail_url_name = "platforms:platform-detail"

    @property
    def title(self):
        return f"编辑平台：{self.object}"

    def perform(self, form):
        return services.platform_update(
            actor=self.request.user, platform=self.object, **form.changed_service_data()
        )
