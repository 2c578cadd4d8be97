"""The home page: the key counts of the user's scope, each linking to the records behind it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from kechuang.core.scoping import REGISTRY_READERS, Roles, division_prefix, visible_to
from kechuang.orgs.models import OrgKind, QualificationKind
from kechuang.orgs.selectors import organization_list, organizations_qualified_on
from kechuang.platforms.selectors import platform_list
from kechuang.regions.models import Zone
from kechuang.regions.selectors import division_name

from .access import RoleRequiredMixin, has_role

CHART_DIVISIONS = 30


def _url(name: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return reverse(name) + (f"?{query}" if query else "")


class HomeView(RoleRequiredMixin, TemplateView):
    template_name = "core/home.html"

    def cards(self) -> list[dict]:
        user = self.request.user
        today = timezone.localdate()
        orgs = organization_list(user)
        org_list = "orgs:organization-list"
        zone_division = division_prefix(user.division_code) if user.role == Roles.BUREAU else ""
        return [
            {
                "label": "机构",
                "count": orgs.count(),
                "url": _url(org_list),
            },
            {
                "label": "企业",
                "count": orgs.filter(kind=OrgKind.ENTERPRISE).count(),
                "url": _url(org_list, kind=OrgKind.ENTERPRISE),
            },
            {
                "label": "有效高新技术企业",
                "count": organizations_qualified_on(
                    orgs, kind=QualificationKind.HNTE, day=today
                ).count(),
                "url": _url(org_list, qualification=QualificationKind.HNTE),
            },
            {
                "label": "有效科技型中小企业",
                "count": organizations_qualified_on(
                    orgs, kind=QualificationKind.TECH_SME, day=today
                ).count(),
                "url": _url(org_list, qualification=QualificationKind.TECH_SME),
            },
            {
                "label": "创新平台",
                "count": platform_list(user).count(),
                "url": _url("platforms:platform-list"),
            },
            {
                "label": "园区",
                "count": visible_to(Zone.objects.all(), user).count(),
                "url": _url("regions:zone-list", division=zone_division),
            },
        ]

    def chart(self) -> list[dict]:
        """Enterprises by county (the largest first), for the bar chart."""
        rows = (
            organization_list(self.request.user)
            .filter(kind=OrgKind.ENTERPRISE)
            .order_by()
            .values("division_code")
            .annotate(n=Count("id"))
            .order_by("-n", "division_code")[:CHART_DIVISIONS]
        )
        return [
            {
                "code": row["division_code"],
                "name": division_name(row["division_code"]),
                "count": row["n"],
                "url": _url(
                    "orgs:organization-list", kind="enterprise", division=row["division_code"]
                ),
            }
            for row in rows
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reader = has_role(self.request.user, REGISTRY_READERS)
        context["cards"] = self.cards() if reader else []
        context["chart"] = self.chart() if reader else []
        context["today"] = timezone.localdate()
        return context
