"""Pages of the division tree and the zone registry."""

from __future__ import annotations

from django.utils.html import format_html

from kechuang.core.scoping import (
    ALL_ROLES,
    REGISTRY_READERS,
    Roles,
    division_prefix,
    visible_to,
)
from kechuang.core.views import (
    Column,
    ScopedDetailView,
    ScopedListView,
    ServiceCreateView,
    ServiceUpdateView,
    has_role,
)
from kechuang.orgs.models import OrgKind
from kechuang.orgs.selectors import organization_list
from kechuang.platforms.selectors import platform_list

from . import services
from .filtersets import DivisionFilterSet, ZoneFilterSet
from .forms import ZoneForm
from .models import Division, DivisionLevel, Zone
from .selectors import division_exists, division_full_name, division_name, zones_visible_to

ZONE_KEEPERS = frozenset({Roles.BUREAU})


def all_divisions(user):
    return Division.objects.all()


def zones_in_scope(user):
    """The zones a user may edit: those of the user's division (bureau) — out of scope is 404."""
    return visible_to(Zone.objects.all(), user)


def _parent_code(code: str) -> str | None:
    if code.endswith("0000"):
        return None
    if code.endswith("00"):
        return code[:2] + "0000"
    city = code[:4] + "00"
    return city if division_exists(city) else code[:2] + "0000"


def _division_link(division: Division) -> str:
    if division.is_leaf:
        return division.name
    return format_html('<a href="?parent={}">{}</a>', division.code, division.name)


class DivisionListView(ScopedListView):
    """Browse the GB/T 2260 tree one level at a time (``?parent=``), or search it by name/code."""

    read_roles = ALL_ROLES
    selector = all_divisions
    filterset_class = DivisionFilterSet
    filter_fields = ("level",)
    search_fields = ("name", "code")
    search_placeholder = "名称或代码"
    title = "行政区划"
    template_name = "regions/division_list.html"
    columns = (
        Column("代码", "code"),
        Column("名称", _division_link),
        Column("级别", "get_level_display"),
        Column(
            "下级",
            lambda d: "" if d.is_leaf else format_html('<a href="?parent={}">查看下级</a>', d.code),
        ),
    )

    def start_code(self) -> str | None:
        """Where browsing starts: the bureau user's own division, else the provinces."""
        user = self.request.user
        if user.role == Roles.BUREAU and user.division_code:
            return user.division_code
        return None

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        params = self.request.GET
        if any(params.get(k) for k in ("parent", "q", "within", "level")):
            return queryset
        start = self.start_code()
        if start:
            return queryset.filter(parent_id=start)
        return queryset.filter(level=DivisionLevel.PROVINCE)

    def breadcrumbs(self) -> list[tuple[str, str]]:
        """(code, name) from the province down to the division being browsed."""
        code = self.request.GET.get("parent") or self.start_code()
        trail = []
        while code and division_exists(code):
            trail.append((code, division_name(code)))
            code = _parent_code(code)
        return list(reversed(trail))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = self.breadcrumbs()
        return context


class ZoneListView(ScopedListView):
    """Zones are reference data: every signed-in user reads the whole list."""

    read_roles = ALL_ROLES
    selector = zones_visible_to
    filterset_class = ZoneFilterSet
    filter_fields = ("division", "kind", "level", "status")
    search_fields = ("name",)
    search_placeholder = "园区名称"
    staff_filters = ()  # zones are reference data: every role may filter them by division
    title = "园区"
    detail_url_name = "regions:zone-detail"
    create_url_name = "regions:zone-create"
    create_roles = ZONE_KEEPERS
    create_label = "新建园区"
    columns = (
        Column("园区名称", "name", link=True),
        Column("类型", "get_kind_display"),
        Column("级别", "get_level_display"),
        Column("所在行政区划", "division_code", kind="division"),
        Column("批准设立日期", "approved_on", kind="date"),
        Column("状态", "get_status_display"),
    )


class ZoneDetailView(ScopedDetailView):
    read_roles = ALL_ROLES
    selector = zones_visible_to
    template_name = "regions/zone_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, zone = self.request.user, self.object
        readers = has_role(user, REGISTRY_READERS)
        organizations = organization_list(user).filter(zone=zone) if readers else None
        context.update(
            division_full_name=division_full_name(zone.division_code),
            show_registries=readers,
            organization_count=organizations.count() if readers else 0,
            enterprise_count=(
                organizations.filter(kind=OrgKind.ENTERPRISE).count() if readers else 0
            ),
            platforms=list(platform_list(user).filter(zone=zone)[:100]) if readers else [],
            can_edit=has_role(user, ZONE_KEEPERS)
            and zones_in_scope(user).filter(pk=zone.pk).exists(),
            division_prefix=division_prefix(zone.division_code),
        )
        return context


class ZoneCreateView(ServiceCreateView):
    write_roles = ZONE_KEEPERS
    form_class = ZoneForm
    title = "新建园区"
    detail_url_name = "regions:zone-detail"

    def perform(self, form):
        return services.zone_create(actor=self.request.user, **form.service_data())


class ZoneUpdateView(ServiceUpdateView):
    write_roles = ZONE_KEEPERS
    selector = zones_in_scope
    form_class = ZoneForm
    detail_url_name = "regions:zone-detail"

    @property
    def title(self):
        return f"编辑园区：{self.object}"

    def perform(self, form):
        return services.zone_update(
            actor=self.request.user, zone=self.object, **form.changed_service_data()
        )
