"""Pages: the statistics dashboard, the records behind a figure, the benchmarks."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Sum
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.views.generic import ListView, TemplateView

from kechuang.core.exceptions import NotInScope, ValidationFailed
from kechuang.core.scoping import Roles, division_prefix
from kechuang.core.views import (
    Column,
    RoleRequiredMixin,
    ScopedListView,
    ServiceCreateView,
    ServiceUpdateView,
    has_role,
)
from kechuang.regions.forms import division_choices

from . import data, selectors, services
from .filtersets import BenchmarkFilterSet
from .formatting import chart_number, chart_unit, display, display_text
from .forms import BenchmarkForm
from .registry import INDICATORS

# (figure, the smaller figure shown under it)
KEY_FIGURES = (
    ("enterprise_count", "above_scale_count"),
    ("hnte_count", "hnte_count_yoy"),
    ("tech_sme_count", "tech_sme_count_yoy"),
    ("leading_innovator_count", "leading_innovator_private_share"),
    ("little_giant_count", "little_giant_private_share"),
    ("gazelle_count", "gazelle_private_share"),
    ("platform_count", "platform_national_count"),
    ("rd_intensity", "rd_intensity_vs_national"),
    ("rd_expense_sum", "rd_expense_sum_yoy"),
    ("revenue_sum", "revenue_sum_yoy"),
    ("rd_staff_sum", "employees_sum"),
    ("invention_patents_sum", "reporting_enterprise_count"),
)
TREND = ("hnte_count", "tech_sme_count", "platform_count", "rd_intensity")
COMPARE = (
    "hnte_count",
    "tech_sme_count",
    "leading_innovator_count",
    "platform_count",
    "rd_intensity",
    "rd_expense_sum",
)
TREND_YEARS = 6


def _shown(value, money: str = "auto") -> dict:
    number, unit = display(value.value, value.unit, money=money)
    return {
        "key": value.indicator,
        "label": value.label,
        "number": number,
        "unit": unit,
        "note": value.note,
        "url": value.records_url,
        "value": value,
    }


class StatsPageMixin(RoleRequiredMixin):
    read_roles = selectors.STATS_READERS

    def target(self) -> selectors.Target:
        params = self.request.GET
        division, zone = params.get("division", ""), params.get("zone", "")
        if not division and not zone:
            default = selectors.default_target(self.request.user)
            division, zone = default.division, default.zone
        try:
            return selectors.resolve_target(self.request.user, division, zone)
        except NotInScope as exc:
            raise Http404(exc.message) from exc
        except ValidationFailed as exc:
            raise Http404(exc.message) from exc

    def target_name(self, target: selectors.Target) -> str:
        bundle = data.current_bundle()
        if target.zone is not None:
            return bundle.zone_names.get(target.zone, "")
        return bundle.names.get(target.division, target.division)


class DashboardView(StatsPageMixin, TemplateView):
    template_name = "stats/dashboard.html"

    def year(self, years: list[int]) -> int:
        raw = self.request.GET.get("year", "")
        if raw.isdigit() and 1949 <= int(raw) <= 2100:
            return int(raw)
        return years[-1] if years else int(selectors.default_period())

    def trail(self, target: selectors.Target) -> list[dict]:
        """The divisions above the target that the user may open, top first."""
        bundle = data.current_bundle()
        user = self.request.user
        parents = dict(bundle.divisions.select("code", "parent").iter_rows())
        code = bundle.zone_hosts.get(target.zone) if target.zone else parents.get(target.division)
        trail = []
        while code:
            if selectors._division_in_scope(user, code) and user.role != Roles.ZONE:
                trail.append({"code": code, "name": bundle.names.get(code, code)})
            code = parents.get(code)
        return list(reversed(trail))

    def zones(self, target: selectors.Target) -> list[dict]:
        bundle = data.current_bundle()
        user = self.request.user
        prefix = division_prefix(target.division) if target.division else None
        zones = []
        for zone_id, host in sorted(bundle.zone_hosts.items(), key=lambda z: (z[1], z[0])):
            if prefix is not None and not host.startswith(prefix):
                continue
            if selectors._zone_in_scope(user, zone_id, host):
                zones.append({"id": zone_id, "name": bundle.zone_names[zone_id]})
        return zones

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        target = self.target()
        bundle = data.current_bundle()
        years = bundle.years()
        year = self.year(years)
        period = str(year)
        division, zone = target.division, target.zone
        keys = [k for pair in KEY_FIGURES for k in pair]
        values = {
            v.indicator: v
            for v in selectors.compute(
                user=user, division=division, zone=zone, period=period, indicators=keys
            )
        }
        cards = [
            {"main": _shown(values[main]), "sub": _shown(values[sub])} for main, sub in KEY_FIGURES
        ]
        trend_years = [y for y in years if y <= year][-TREND_YEARS:] or [year]
        series = selectors.compute_series(
            user=user,
            division=division,
            zone=zone,
            periods=[str(y) for y in trend_years],
            indicators=list(TREND),
        )
        trend = {
            "years": [str(y) for y in trend_years],
            "series": [
                {
                    "key": key,
                    "label": INDICATORS.get(key).label,
                    "unit": chart_unit(INDICATORS.get(key).unit),
                    "values": [chart_number(v.value, v.unit) for v in series if v.indicator == key],
                    "urls": [v.records_url for v in series if v.indicator == key],
                }
                for key in TREND
            ],
        }
        comparison = self.comparison(target, period) if target.zone is None else None
        context.update(
            target=target,
            target_name=self.target_name(target),
            year=year,
            years=sorted(set(years) | {year}, reverse=True),
            period_label=f"{year} 年",
            cards=cards,
            trend=trend,
            comparison=comparison,
            trail=self.trail(target),
            zones=self.zones(target) if target.zone is None else [],
            division_choices=division_choices(user),
            can_choose_division=user.role != Roles.ZONE or user.is_superuser,
            definitions_url=reverse("stats:benchmark-list"),
        )
        return context

    def comparison(self, target: selectors.Target, period: str) -> dict | None:
        keys = [*COMPARE, "hnte_count_rank", "rd_intensity_rank"]
        values = selectors.compute_children(
            user=self.request.user, division=target.division, period=period, indicators=keys
        )
        if not values:
            return None
        rows: dict[str, dict] = {}
        for value in values:
            row = rows.setdefault(
                value.division,
                {
                    "code": value.division,
                    "name": value.division_name,
                    "url": f"{reverse('stats:dashboard')}?"
                    + urlencode({"division": value.division, "year": period}),
                    "cells": {},
                },
            )
            row["cells"][value.indicator] = _shown(value, money="wan")
        ordered = sorted(
            rows.values(),
            key=lambda r: (-(r["cells"]["hnte_count"]["value"].value or 0), r["code"]),
        )
        for row in ordered:
            row["columns"] = [row["cells"][key] for key in COMPARE]
        chart = {
            "names": [row["name"] for row in ordered],
            "urls": [row["url"] for row in ordered],
            "series": [
                {
                    "key": key,
                    "label": INDICATORS.get(key).label,
                    "unit": chart_unit(INDICATORS.get(key).unit),
                    "values": [
                        chart_number(row["cells"][key]["value"].value, INDICATORS.get(key).unit)
                        for row in ordered
                    ],
                }
                for key in COMPARE
            ],
        }
        return {
            "rows": ordered,
            "headers": [INDICATORS.get(key).label for key in COMPARE],
            "chart": chart,
        }


# --- the records behind a figure -------------------------------------------------------------

COLUMNS = {
    "organizations": (
        Column("名称", "name", link=lambda o: reverse("orgs:organization-detail", args=[o.pk])),
        Column("统一社会信用代码", "uscc"),
        Column("类型", "get_kind_display"),
        Column("行政区划", "division_code", kind="division"),
        Column("园区", "zone.name"),
        Column("所有制", "get_ownership_display"),
        Column("规上", "above_scale", kind="bool"),
    ),
    "enterprise_years": (
        Column(
            "机构",
            "organization.name",
            link=lambda r: reverse("orgs:organization-detail", args=[r.organization_id]),
        ),
        Column("行政区划", "organization.division_code", kind="division"),
        Column("年度", "year"),
        Column("营业收入（万元）", "revenue", kind="money"),
        Column("研发费用（万元）", "rd_expense", kind="money"),
        Column("从业人员", "employees", kind="number"),
        Column("研发人员", "rd_staff", kind="number"),
        Column("发明专利", "invention_patents", kind="number"),
    ),
    "platforms": (
        Column(
            "平台名称", "name", link=lambda p: reverse("platforms:platform-detail", args=[p.pk])
        ),
        Column("类型", "get_kind_display"),
        Column("级别", "get_level_display"),
        Column("依托单位", "host.name"),
        Column("行政区划", "division_code", kind="division"),
        Column("认定日期", "recognised_on", kind="date"),
        Column("状态", "get_status_display"),
    ),
}
RELATED = {
    "organizations": ("zone",),
    "enterprise_years": ("organization",),
    "platforms": ("host", "zone"),
}


class RecordListView(StatsPageMixin, ListView):
    """The records behind one figure: ``?indicator=&period=&division=`` (or ``&zone=``)."""

    template_name = "stats/records.html"
    results_template_name = "includes/list_results.html"
    paginate_by = 50

    def get_template_names(self) -> list[str]:
        htmx = getattr(self.request, "htmx", None)
        if htmx and not htmx.history_restore_request and not htmx.boosted:
            return [self.results_template_name]
        return [self.template_name]

    def setup_figure(self) -> None:
        params = self.request.GET
        self.indicator_key = params.get("indicator") or "enterprise_count"
        if self.indicator_key not in INDICATORS:
            raise Http404("未知的指标")
        self.period = params.get("period") or selectors.default_period()
        self.figure_target = self.target()
        try:
            self.queryset_ = selectors.records(
                self.request.user,
                indicator=self.indicator_key,
                period=self.period,
                target=self.figure_target,
            )
        except ValidationFailed as exc:
            raise Http404(exc.message) from exc
        self.base = selectors.records_indicator(self.indicator_key)

    def get_queryset(self):
        self.setup_figure()
        return self.queryset_.select_related(*RELATED.get(self.base.fact, ()))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        target = self.figure_target
        value = selectors.compute(
            user=self.request.user,
            division=target.division,
            zone=target.zone,
            period=self.period,
            indicators=[self.indicator_key],
        )[0]
        columns = COLUMNS.get(self.base.fact, (Column("记录", str),))
        measure = self.base.measure
        records_total = None
        if measure.name == "sum":
            field = measure.field
            total = self.queryset_.aggregate(total=Sum(field))["total"]
            records_total = display(None if total is None else Decimal(total), value.unit)
        page = context.get("page_obj")
        if page is not None:
            context["page_range"] = page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            )
        context.update(
            title=f"{value.label}：{self.target_name(target)} {value.period_label}",
            figure=_shown(value),
            fact_label=INDICATORS.schemas[self.base.fact].label,
            definition_text=selectors.definition_text(self.indicator_key, self.period),
            description=INDICATORS.get(self.indicator_key).description,
            records_total=records_total,
            columns=columns,
            rows=[
                {"cells": [{"html": c.render(obj, None), "numeric": c.numeric} for c in columns]}
                for obj in context["object_list"]
            ],
            dashboard_url=f"{reverse('stats:dashboard')}?"
            + urlencode(
                {"zone": target.zone} if target.zone is not None else {"division": target.division}
            ),
        )
        return context


# --- benchmarks ------------------------------------------------------------------------------


class BenchmarkListView(ScopedListView):
    read_roles = selectors.STATS_READERS
    selector = selectors.benchmark_list
    filterset_class = BenchmarkFilterSet
    staff_filters = ()
    title = "对比基准"
    create_url_name = "stats:benchmark-create"
    create_roles = services.BENCHMARK_KEEPERS
    create_label = "新增基准值"
    columns = (
        Column("名称", "label"),
        Column("基准代码", "key"),
        Column("年度", "year"),
        Column("数值", lambda b: _benchmark_value(b)),
        Column("来源", "source"),
        Column("", lambda b: _edit_link(b)),
    )

    def get_rows(self, objects):
        self._can_edit = has_role(self.request.user, services.BENCHMARK_KEEPERS)
        rows = []
        for obj in objects:
            cells = []
            for column in self.columns:
                if column.label == "" and not self._can_edit:
                    cells.append({"html": "", "numeric": False})
                else:
                    cells.append({"html": column.render(obj, None), "numeric": column.numeric})
            rows.append({"object": obj, "cells": cells})
        return rows


def _benchmark_value(benchmark) -> str:
    return display_text(benchmark.value, benchmark.unit)


def _edit_link(benchmark) -> str:
    return format_html(
        '<a href="{}">编辑</a>', reverse("stats:benchmark-edit", args=[benchmark.pk])
    )


class BenchmarkCreateView(ServiceCreateView):
    write_roles = services.BENCHMARK_KEEPERS
    form_class = BenchmarkForm
    title = "新增对比基准值"

    def success_url_for(self, obj) -> str:
        return reverse("stats:benchmark-list")

    def cancel_url(self):
        return reverse("stats:benchmark-list")

    def perform(self, form):
        return services.benchmark_create(actor=self.request.user, **form.service_data())


class BenchmarkUpdateView(ServiceUpdateView):
    write_roles = services.BENCHMARK_KEEPERS
    selector = selectors.benchmark_list
    form_class = BenchmarkForm

    @property
    def title(self):
        return f"编辑对比基准：{self.object}"

    def success_url_for(self, obj) -> str:
        return reverse("stats:benchmark-list")

    def perform(self, form):
        return services.benchmark_update(
            actor=self.request.user, benchmark=self.object, **form.changed_service_data()
        )
