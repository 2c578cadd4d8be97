"""Pages of organizations, their yearly facts and their qualifications."""

from __future__ import annotations

from dataclasses import replace

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from kechuang.core.scoping import ORG_ROLES, REGISTRY_READERS, STAFF_ROLES, Roles
from kechuang.core.templatetags.kechuang import EMPTY, wan
from kechuang.core.views import (
    Column,
    ScopedDetailView,
    ScopedListView,
    ServiceCreateView,
    ServiceFormView,
    ServiceUpdateView,
    has_role,
    merge_history,
    related_history_entries,
)
from kechuang.platforms.selectors import platform_list
from kechuang.regions.selectors import division_full_name

from . import selectors, services
from .filtersets import EnterpriseYearFilterSet, OrganizationFilterSet, QualificationFilterSet
from .forms import EnterpriseYearForm, OrganizationForm, QualificationForm, money_fields
from .models import EnterpriseYear, Qualification

FACT_WRITERS = STAFF_ROLES | {Roles.ENTERPRISE}


def organization_url(organization_id: int) -> str:
    return reverse("orgs:organization-detail", args=[organization_id])


def in_force_badge(qualification) -> str:
    if qualification.is_valid_on(timezone.localdate()):
        return format_html('<span class="badge bg-green-lt">{}</span>', "有效")
    return format_html('<span class="badge bg-secondary-lt">{}</span>', "失效")


class OrganizationListView(ScopedListView):
    selector = selectors.organization_list
    filterset_class = OrganizationFilterSet
    filter_fields = (
        "division",
        "zone",
        "kind",
        "ownership",
        "qualification",
        "qualified_on",
        "above_scale",
    )
    search_fields = ("name", "uscc")
    search_placeholder = "名称或统一社会信用代码"
    title = "机构"
    detail_url_name = "orgs:organization-detail"
    create_url_name = "orgs:organization-create"
    create_label = "登记机构"
    columns = (
        Column("名称", "name", link=True),
        Column("统一社会信用代码", "uscc"),
        Column("类型", "get_kind_display"),
        Column("行政区划", "division_code", kind="division"),
        Column("园区", "zone.name"),
        Column("所有制", "get_ownership_display"),
        Column("规上", "above_scale", kind="bool"),
    )


class OrganizationDetailView(ScopedDetailView):
    selector = selectors.organization_list
    template_name = "orgs/organization_detail.html"

    def facts_table(self, years: list[EnterpriseYear]) -> list[dict]:
        """One row per fact, one column per year (oldest first); money in 万元."""
        money = set(money_fields())
        rows = []
        for name in EnterpriseYear.FACT_FIELDS:
            field = EnterpriseYear._meta.get_field(name)
            values = []
            for record in years:
                value = getattr(record, name)
                if name in money:
                    values.append(wan(value))
                else:
                    values.append(EMPTY if value is None else value)
            label = f"{field.verbose_name}（万元）" if name in money else str(field.verbose_name)
            rows.append({"label": label, "values": values})
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, org = self.request.user, self.object
        years = list(org.years.order_by("year"))
        today = timezone.localdate()
        qualifications = list(org.qualifications.order_by("kind", "-granted_on"))
        for qualification in qualifications:
            qualification.in_force = qualification.is_valid_on(today)
        own = user.role in ORG_ROLES and user.organization_id == org.pk
        context.update(
            division_full_name=division_full_name(org.division_code),
            years=years,
            facts=self.facts_table(years),
            qualifications=qualifications,
            platforms=list(platform_list(user).filter(host=org)),
            can_edit=has_role(user, STAFF_ROLES) or (own and has_role(user, REGISTRY_READERS)),
            can_write_facts=has_role(user, STAFF_ROLES) or (own and user.role == Roles.ENTERPRISE),
            can_add_qualification=has_role(user, STAFF_ROLES),
            today=today,
            history_subjects=True,
            history=merge_history(
                [replace(e, subject="机构信息") for e in context["history"]],
                related_history_entries(
                    EnterpriseYear, organization_id=org.pk, subject=lambda r: f"{r.year} 年数据"
                ),
                related_history_entries(
                    Qualification,
                    organization_id=org.pk,
                    subject=lambda r: f"{r.get_kind_display()} {r.number}",
                ),
            ),
        )
        return context


class OrganizationCreateView(ServiceCreateView):
    form_class = OrganizationForm
    title = "登记机构"
    detail_url_name = "orgs:organization-detail"

    def cancel_url(self):
        return reverse("orgs:organization-list")

    def perform(self, form):
        return services.organization_create(actor=self.request.user, **form.service_data())


class OrganizationUpdateView(ServiceUpdateView):
    """Staff edit every field; an organization's own user edits its profile (not name, place)."""

    write_roles = REGISTRY_READERS
    selector = selectors.organization_list
    form_class = OrganizationForm
    detail_url_name = "orgs:organization-detail"

    @property
    def title(self):
        return f"编辑机构：{self.object}"

    def perform(self, form):
        return services.organization_update(
            actor=self.request.user, organization=self.object, **form.changed_service_data()
        )


class OrganizationChildFormView(ServiceFormView):
    """A form reached from an organization's detail page (the organization must be in scope)."""

    def access_granted(self) -> None:
        queryset = selectors.organization_list(self.request.user)
        self.organization = queryset.filter(pk=self.kwargs["pk"]).first()
        if self.organization is None:
            raise Http404("机构不存在")

    def success_url_for(self, obj) -> str:
        return organization_url(self.organization.pk)

    def cancel_url(self) -> str:
        return organization_url(self.organization.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organization"] = self.organization
        return context


class EnterpriseYearFormView(OrganizationChildFormView):
    """Add a year (``…/years/add/``) or edit one (``…/years/<year>/edit/``)."""

    write_roles = FACT_WRITERS
    form_class = EnterpriseYearForm
    success_message = "已保存：{obj}"

    def access_granted(self) -> None:
        super().access_granted()
        year = self.kwargs.get("year")
        self.record = None
        if year is not None:
            self.record = self.organization.years.filter(year=year).first()
            if self.record is None:
                raise Http404("该年度数据不存在")

    @property
    def title(self):
        if self.record is not None:
            return f"{self.organization} · {self.record.year} 年度数据"
        return f"{self.organization} · 添加年度数据"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.record
        return kwargs

    def perform(self, form):
        data = form.service_data()
        year = data.pop("year")
        return services.enterprise_year_save(
            actor=self.request.user, organization=self.organization, year=year, **data
        )


class QualificationCreateView(OrganizationChildFormView):
    write_roles = STAFF_ROLES
    form_class = QualificationForm
    success_message = "已保存资质：{obj}"

    @property
    def title(self):
        return f"{self.organization} · 添加资质"

    def perform(self, form):
        return services.qualification_save(
            actor=self.request.user, organization=self.organization, **form.service_data()
        )


class EnterpriseYearListView(ScopedListView):
    selector = selectors.enterprise_year_list
    filterset_class = EnterpriseYearFilterSet
    filter_fields = ("year", "division")
    search_fields = ("organization__name", "organization__uscc")
    search_placeholder = "机构名称或统一社会信用代码"
    title = "企业年度数据"
    columns = (
        Column("机构", "organization.name", link=lambda r: organization_url(r.organization_id)),
        Column("年度", "year"),
        Column("从业人员", "employees", kind="number"),
        Column("研发人员", "rd_staff", kind="number"),
        Column("营业收入（万元）", "revenue", kind="money"),
        Column("研发费用（万元）", "rd_expense", kind="money"),
        Column("高新技术产品（服务）收入（万元）", "hightech_revenue", kind="money"),
        Column("实缴税金（万元）", "tax_paid", kind="money"),
    )


class QualificationListView(ScopedListView):
    selector = selectors.qualification_list
    filterset_class = QualificationFilterSet
    filter_fields = ("kind", "level", "status", "in_force_on", "division")
    search_fields = ("number", "organization__name", "organization__uscc")
    search_placeholder = "证书编号、机构名称或统一社会信用代码"
    title = "资质"
    columns = (
        Column("机构", "organization.name", link=lambda q: organization_url(q.organization_id)),
        Column("资质类型", "get_kind_display"),
        Column("证书编号", "number"),
        Column("级别", "get_level_display"),
        Column("认定日期", "granted_on", kind="date"),
        Column("有效期至", "valid_until", kind="date"),
        Column("状态", "get_status_display"),
        Column("今日", in_force_badge),
    )
