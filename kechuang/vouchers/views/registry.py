"""Pages of voucher schemes and service providers."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from kechuang.core.scoping import (
    ALL_ROLES,
    REGISTRY_READERS,
    STAFF_ROLES,
    Roles,
    division_in_scope,
    object_in_scope,
)
from kechuang.core.views import (
    Column,
    ScopedListView,
    ServiceCreateView,
    ServiceFormView,
    ServiceUpdateView,
    has_role,
)
from kechuang.regions.selectors import division_full_name

from .. import selectors, services
from ..filtersets import ProviderFilterSet, SchemeFilterSet
from ..forms import ItemEditForm, ItemForm, ProviderForm, SchemeForm
from ..models import (
    ClaimStatus,
    SchemeStatus,
    ServiceProvider,
    SettlementStatus,
)
from ..workflows import claimed_total
from .common import (
    PROVIDER_WRITERS,
    SCHEME_WRITERS,
    TransitionView,
    VoucherDetailView,
    action_choices,
    badge,
    is_own,
    percent,
    url,
)

# --- schemes ---------------------------------------------------------------------------------


def scheme_expiry(scheme) -> str:
    if scheme.expires_on:
        return f"{scheme.expires_on:%Y-%m-%d}"
    return f"批准后 {scheme.valid_months} 个月"


class SchemeListView(ScopedListView):
    read_roles = ALL_ROLES
    selector = selectors.scheme_list
    filterset_class = SchemeFilterSet
    filter_fields = ("year", "mode", "status", "division")
    staff_filters = ()
    search_fields = ("name",)
    search_placeholder = "方案名称"
    title = "创新券方案"
    detail_url_name = "vouchers:scheme-detail"
    create_url_name = "vouchers:scheme-create"
    create_roles = SCHEME_WRITERS
    create_label = "制定方案"
    columns = (
        Column("方案名称", "name", link=True),
        Column("年度", "year"),
        Column("发放单位", "division_code", kind="division"),
        Column("兑付方式", lambda s: s.get_mode_display()[:2]),
        Column("每次申领（万元）", "amount_per_claim", kind="money"),
        Column("企业年度上限（万元）", "cap_per_enterprise", kind="money"),
        Column("可用券比例", lambda s: percent(s.share)),
        Column("总预算（万元）", "budget", kind="money"),
        Column("有效期", scheme_expiry),
        Column("状态", badge),
    )


def scheme_figures(scheme, user) -> dict:
    """Issued (approved quotas), used and settled (paid) within the user's scope, each with the
    list of records behind it; what is left of the scheme's whole budget."""
    claims = (
        selectors.claim_list(user)
        .filter(scheme=scheme)
        .aggregate(
            issued=Sum("amount", filter=Q(status=ClaimStatus.APPROVED)),
            issued_count=Count("id", filter=Q(status=ClaimStatus.APPROVED)),
            enterprises=Count("enterprise", filter=Q(status=ClaimStatus.APPROVED), distinct=True),
            pending=Sum("amount", filter=Q(status=ClaimStatus.APPLIED)),
            pending_count=Count("id", filter=Q(status=ClaimStatus.APPLIED)),
        )
    )
    uses = (
        selectors.use_list(user)
        .filter(claim__scheme=scheme)
        .aggregate(used=Sum("amount"), used_count=Count("id"))
    )
    settled = (
        selectors.settlement_list(user)
        .filter(use__claim__scheme=scheme, status=SettlementStatus.PAID)
        .aggregate(settled=Sum("amount"), settled_count=Count("id"))
    )
    figures = {**claims, **uses, **settled}
    figures["available"] = scheme.budget - claimed_total(scheme)
    query = f"?scheme={scheme.pk}"
    figures["links"] = {
        "issued": reverse("vouchers:claim-list") + f"{query}&status={ClaimStatus.APPROVED}",
        "pending": reverse("vouchers:claim-list") + f"{query}&status={ClaimStatus.APPLIED}",
        "used": reverse("vouchers:use-list") + query,
        "settled": reverse("vouchers:settlement-list") + f"{query}&status={SettlementStatus.PAID}",
    }
    return figures


class SchemeDetailView(VoucherDetailView):
    read_roles = ALL_ROLES
    selector = selectors.scheme_list
    template_name = "vouchers/scheme_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, scheme = self.request.user, self.object
        claims = selectors.claim_list(user).filter(scheme=scheme)
        context.update(
            division_full_name=division_full_name(scheme.division_code),
            share_percent=percent(scheme.share),
            expiry=scheme_expiry(scheme),
            figures=scheme_figures(scheme, user),
            figures_scope=user.scope_label,
            can_edit=has_role(user, SCHEME_WRITERS)
            and division_in_scope(user, scheme.division_code),
            can_claim=user.role == Roles.ENTERPRISE and scheme.status == SchemeStatus.OPEN,
            claims=claims[:20],
            claims_count=claims.count(),
        )
        return context


class SchemeCreateView(ServiceCreateView):
    write_roles = SCHEME_WRITERS
    form_class = SchemeForm
    title = "制定创新券方案"
    detail_url_name = "vouchers:scheme-detail"

    def cancel_url(self):
        return reverse("vouchers:scheme-list")

    def perform(self, form):
        return services.scheme_create(actor=self.request.user, **form.service_data())


class SchemeUpdateView(ServiceUpdateView):
    write_roles = SCHEME_WRITERS
    selector = selectors.scheme_list
    form_class = SchemeForm
    detail_url_name = "vouchers:scheme-detail"

    def access_granted(self) -> None:
        super().access_granted()
        user = self.request.user
        if not (user.role == Roles.ADMIN or division_in_scope(user, self.object.division_code)):
            raise Http404("方案不存在")

    @property
    def title(self):
        return f"编辑方案：{self.object}"

    def perform(self, form):
        return services.scheme_update(
            actor=self.request.user, scheme=self.object, **form.changed_service_data()
        )


# --- providers -------------------------------------------------------------------------------


def provider_categories(provider) -> str:
    labels = sorted({item.get_category_display() for item in provider.items.all() if item.active})
    return "、".join(labels) or "—"


class ProviderListView(ScopedListView):
    read_roles = REGISTRY_READERS
    selector = selectors.provider_list
    filterset_class = ProviderFilterSet
    filter_fields = ("status", "category", "division", "zone")
    search_fields = ("organization__name", "organization__uscc")
    search_placeholder = "机构名称或统一社会信用代码"
    title = "服务机构"
    detail_url_name = "vouchers:provider-detail"
    create_url_name = "vouchers:provider-register"
    create_roles = PROVIDER_WRITERS
    create_label = "登记服务机构"
    columns = (
        Column("机构名称", "organization.name", link=True),
        Column("统一社会信用代码", "organization.uscc"),
        Column("行政区划", "organization.division_code", kind="division"),
        Column("服务类别", provider_categories),
        Column("服务项目", lambda p: sum(1 for item in p.items.all() if item.active), "number"),
        Column("登记日期", lambda p: timezone.localdate(p.created_at), kind="date"),
        Column("状态", badge),
    )

    def get_create_url(self):
        user = self.request.user
        if user.role == Roles.PROVIDER and (
            not user.organization_id
            or ServiceProvider.objects.filter(organization=user.organization_id).exists()
        ):
            return None
        return super().get_create_url()


class ProviderDetailView(VoucherDetailView):
    read_roles = REGISTRY_READERS
    selector = selectors.provider_list
    template_name = "vouchers/provider_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, provider = self.request.user, self.object
        staff_in_scope = has_role(user, STAFF_ROLES) and object_in_scope(provider, user)
        own = user.role == Roles.PROVIDER and is_own(user, provider.organization_id)
        uses = selectors.use_list(user).filter(provider=provider)
        context.update(
            items=list(provider.items.all()),
            actions=action_choices(provider, user) if staff_in_scope else [],
            action_url=url("provider-transition", provider.pk),
            can_add_item=staff_in_scope or own,
            item_form=ItemForm(user=user),
            can_see_contact=staff_in_scope or own,
            uses=uses.aggregate(total=Sum("amount"), count=Count("id")),
        )
        return context


class ProviderRegisterView(ServiceCreateView):
    write_roles = PROVIDER_WRITERS
    form_class = ProviderForm
    title = "登记服务机构"
    submit_label = "提交登记"
    success_message = "已登记：{obj}，待科技局审核入库"
    detail_url_name = "vouchers:provider-detail"

    def cancel_url(self):
        return reverse("vouchers:provider-list")

    def perform(self, form):
        return services.provider_register(actor=self.request.user, **form.service_data())


class ProviderTransitionView(TransitionView):
    read_roles = STAFF_ROLES
    selector = selectors.provider_list
    service = services.provider_transition
    argument = "provider"
    detail = "provider-detail"


class ItemAddView(ServiceFormView):
    """Add a service to a provider's catalogue (from the provider's page)."""

    write_roles = PROVIDER_WRITERS
    form_class = ItemForm
    success_message = "已添加服务项目：{obj}"
    template_name = "generic/form.html"

    def access_granted(self) -> None:
        self.provider = selectors.provider_list(self.request.user).filter(pk=self.kwargs["pk"])
        self.provider = self.provider.first()
        if self.provider is None:
            raise Http404("服务机构不存在")

    @property
    def title(self):
        return f"{self.provider} · 添加服务项目"

    def success_url_for(self, obj) -> str:
        return url("provider-detail", self.provider.pk) + "#catalogue"

    def cancel_url(self) -> str:
        return url("provider-detail", self.provider.pk)

    def perform(self, form):
        return services.item_add(
            actor=self.request.user, provider=self.provider, **form.service_data()
        )


class ItemUpdateView(ServiceUpdateView):
    """Edit a catalogue entry or take it off sale (from the provider's page)."""

    write_roles = PROVIDER_WRITERS
    selector = selectors.item_list
    form_class = ItemEditForm

    @property
    def title(self):
        return f"{self.object.provider} · 修改服务项目"

    def success_url_for(self, obj) -> str:
        return url("provider-detail", obj.provider_id) + "#catalogue"

    def perform(self, form):
        return services.item_update(
            actor=self.request.user, item=self.object, **form.changed_service_data()
        )
