"""Pages of the voucher flow: claims (quotas), uses and settlements."""

from __future__ import annotations

import posixpath

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views import View

from kechuang.core.exceptions import Conflict, ValidationFailed
from kechuang.core.scoping import STAFF_ROLES, Roles
from kechuang.core.views import (
    Column,
    RoleRequiredMixin,
    ScopedListView,
    ServiceCreateView,
    ServiceFormView,
    has_role,
    workflow_steps,
)

from .. import selectors, services
from ..filtersets import ClaimFilterSet, SettlementFilterSet, UseFilterSet
from ..forms import ClaimForm, ResubmitForm, SettlementForm, UseForm, settleable_uses
from ..models import ClaimStatus, SchemeMode, SettlementStatus, VoucherSettlement
from ..workflows import claimed_total
from .common import (
    CLAIM_WRITERS,
    PAYEES,
    USE_WRITERS,
    VOUCHER_READERS,
    TransitionView,
    VoucherDetailView,
    action_choices,
    badge,
    is_own,
    url,
)

# --- claims ----------------------------------------------------------------------------------


def claim_expiry(claim) -> str:
    if claim.expires_on is None:
        return "—"
    text = f"{claim.expires_on:%Y-%m-%d}"
    if claim.expires_on < timezone.localdate():
        return format_html('{} <span class="badge bg-red-lt">已过期</span>', text)
    return text


class ClaimListView(ScopedListView):
    read_roles = VOUCHER_READERS
    selector = selectors.claim_list
    filterset_class = ClaimFilterSet
    filter_fields = ("year", "scheme", "mode", "status", "division", "zone")
    search_fields = ("enterprise__name", "enterprise__uscc", "scheme__name")
    search_placeholder = "企业名称、统一社会信用代码或方案"
    title = "创新券申领"
    detail_url_name = "vouchers:claim-detail"
    create_url_name = "vouchers:claim-create"
    create_roles = CLAIM_WRITERS
    create_label = "申领创新券"
    columns = (
        Column("企业", "enterprise.name", link=True),
        Column("方案", "scheme.name", link=lambda c: url("scheme-detail", c.scheme_id)),
        Column("年度", "year"),
        Column("额度（万元）", "amount", kind="money"),
        Column("剩余（万元）", lambda c: c.remaining if c.status == "approved" else None, "money"),
        Column("有效期至", claim_expiry),
        Column("申领日期", lambda c: timezone.localdate(c.created_at), kind="date"),
        Column("状态", badge),
    )


class ClaimDetailView(VoucherDetailView):
    event_steps = False
    read_roles = VOUCHER_READERS
    selector = selectors.claim_list
    template_name = "vouchers/claim_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, claim = self.request.user, self.object
        today = timezone.localdate()
        expired = claim.expires_on is not None and claim.expires_on < today
        uses = list(
            selectors.use_list(user).filter(claim=claim).select_related("settlement", "item")
        )
        context.update(
            expired=expired,
            claimed=claimed_total(
                claim.scheme,
                enterprise=claim.enterprise_id,
                statuses=(ClaimStatus.APPLIED, ClaimStatus.APPROVED),
            ),
            used=claim.amount - claim.remaining if claim.status == ClaimStatus.APPROVED else 0,
            uses=uses,
            steps=workflow_steps(claim),
            actions=action_choices(claim, user),
            action_url=url("claim-transition", claim.pk),
            can_use=user.role == Roles.ENTERPRISE
            and claim.status == ClaimStatus.APPROVED
            and claim.remaining > 0
            and not expired,
        )
        return context


class ClaimCreateView(ServiceCreateView):
    write_roles = CLAIM_WRITERS
    form_class = ClaimForm
    title = "申领创新券"
    submit_label = "提交申领"
    success_message = "已提交申领：{obj}，待科技局批准"
    detail_url_name = "vouchers:claim-detail"

    def get_initial(self):
        return {"scheme": self.request.GET.get("scheme")}

    def cancel_url(self):
        return reverse("vouchers:claim-list")

    def perform(self, form):
        return services.claim_apply(actor=self.request.user, **form.service_data())


class ClaimTransitionView(TransitionView):
    read_roles = CLAIM_WRITERS
    selector = selectors.claim_list
    service = services.claim_transition
    argument = "claim"
    detail = "claim-detail"


# --- uses ------------------------------------------------------------------------------------

# Refusals about the quota itself are shown on the quota field.
CLAIM_REFUSALS = {"claim_not_approved", "quota_expired"}


class UseListView(ScopedListView):
    read_roles = VOUCHER_READERS
    selector = selectors.use_list
    filterset_class = UseFilterSet
    filter_fields = ("year", "scheme", "provider", "mode", "status", "division", "zone")
    search_fields = ("contract_number", "enterprise__name", "provider__organization__name")
    search_placeholder = "合同编号、企业或服务机构"
    title = "用券记录"
    detail_url_name = "vouchers:use-detail"
    create_url_name = "vouchers:use-create"
    create_roles = USE_WRITERS
    create_label = "使用创新券"
    columns = (
        Column("合同编号", "contract_number", link=True),
        Column("企业", "enterprise.name"),
        Column(
            "服务机构",
            "provider.organization.name",
            link=lambda u: url("provider-detail", u.provider_id),
        ),
        Column("方案", "claim.scheme.name"),
        Column("签订日期", "signed_on", kind="date"),
        Column("合同金额（万元）", "contract_amount", kind="money"),
        Column("用券金额（万元）", "amount", kind="money"),
        Column("状态", badge),
    )


class UseDetailView(VoucherDetailView):
    read_roles = VOUCHER_READERS
    selector = selectors.use_list
    template_name = "vouchers/use_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("item", "claim__enterprise")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, use = self.request.user, self.object
        settlement = VoucherSettlement.objects.filter(use=use).first()
        mode = use.claim.scheme.mode
        context.update(
            mode=mode,
            settlement=settlement,
            payee=use.enterprise if mode == SchemeMode.GENERAL else use.provider.organization,
            can_settle=settlement is None
            and has_role(user, PAYEES)
            and settleable_uses(user).filter(pk=use.pk).exists(),
        )
        return context


class UseCreateView(ServiceCreateView):
    """The hidden ``idempotency_key`` makes a resent form return the first use."""

    write_roles = USE_WRITERS
    form_class = UseForm
    template_name = "vouchers/use_form.html"
    title = "使用创新券"
    submit_label = "提交用券"
    success_message = "已用券：合同 {obj.contract_number}"
    detail_url_name = "vouchers:use-detail"

    def get_initial(self):
        return {"claim": self.request.GET.get("claim")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        return context

    def cancel_url(self):
        return reverse("vouchers:use-list")

    def perform(self, form):
        data = form.service_data()
        try:
            use, created = services.use_create(actor=self.request.user, **data)
        except ValidationFailed as exc:
            if exc.field is None and exc.code in CLAIM_REFUSALS:
                raise ValidationFailed(exc.message, code=exc.code, field="claim") from exc
            raise
        except Conflict as exc:
            if exc.code == "idempotency_conflict":
                raise Conflict(
                    "这张用券表单已经提交过，且内容与首次提交不同；如需再次用券，请重新打开用券页面",
                    code=exc.code,
                ) from exc
            raise
        if not created:
            self.success_message = "此前已提交过该用券，未重复扣减额度：合同 {obj.contract_number}"
        return use


# --- settlements -----------------------------------------------------------------------------


class SettlementListView(ScopedListView):
    read_roles = VOUCHER_READERS
    selector = selectors.settlement_list
    filterset_class = SettlementFilterSet
    filter_fields = ("year", "scheme", "provider", "mode", "status", "division", "zone")
    search_fields = ("use__contract_number", "enterprise__name", "payee__name")
    search_placeholder = "合同编号、企业或收款单位"
    title = "兑付申请"
    detail_url_name = "vouchers:settlement-detail"
    create_url_name = "vouchers:settlement-create"
    create_roles = PAYEES
    create_label = "申请兑付"
    columns = (
        Column("合同编号", "use.contract_number", link=True),
        Column("企业", "enterprise.name"),
        Column("收款单位", "payee.name"),
        Column(
            "兑付方式",
            lambda s: "通用" if s.payee_id == s.enterprise_id else "通兑",
        ),
        Column("兑付金额（万元）", "amount", kind="money"),
        Column("提交日期", lambda s: timezone.localdate(s.created_at), kind="date"),
        Column("兑付日期", "paid_on", kind="date"),
        Column("状态", badge),
    )


class SettlementDetailView(VoucherDetailView):
    event_steps = False
    read_roles = VOUCHER_READERS
    selector = selectors.settlement_list
    template_name = "vouchers/settlement_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("use__claim__scheme", "use__provider__organization")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, settlement = self.request.user, self.object
        documents = [
            {
                "label": str(VoucherSettlement._meta.get_field(name).verbose_name),
                "name": posixpath.basename(getattr(settlement, name).name),
                "url": reverse("vouchers:settlement-document", args=[settlement.pk, name]),
            }
            for name in services.FILE_FIELDS
        ]
        context.update(
            mode=settlement.use.claim.scheme.mode,
            documents=documents,
            steps=workflow_steps(settlement),
            actions=action_choices(settlement, user, exclude=("resubmit",)),
            action_url=url("settlement-transition", settlement.pk),
            can_resubmit=settlement.status == SettlementStatus.RETURNED
            and (user.role == Roles.ADMIN or is_own(user, settlement.payee_id)),
        )
        return context


class SettlementCreateView(ServiceCreateView):
    write_roles = PAYEES
    form_class = SettlementForm
    title = "申请兑付"
    submit_label = "提交兑付申请"
    success_message = "已提交兑付申请：合同 {obj.use.contract_number}"
    detail_url_name = "vouchers:settlement-detail"
    template_name = "vouchers/upload_form.html"

    def get_initial(self):
        return {"use": self.request.GET.get("use")}

    def cancel_url(self):
        return reverse("vouchers:settlement-list")

    def perform(self, form):
        return services.settlement_submit(actor=self.request.user, **form.service_data())


class SettlementResubmitView(ServiceFormView):
    """A returned request: corrected documents and a note, then back to the bureau."""

    write_roles = PAYEES
    form_class = ResubmitForm
    submit_label = "重新提交"
    success_message = "已重新提交兑付申请：合同 {obj.use.contract_number}"
    template_name = "vouchers/upload_form.html"

    def access_granted(self) -> None:
        queryset = selectors.settlement_list(self.request.user)
        self.settlement = queryset.filter(pk=self.kwargs["pk"]).first()
        if self.settlement is None:
            raise Http404("兑付申请不存在")

    @property
    def title(self):
        return f"补正材料并重新提交：合同 {self.settlement.use.contract_number}"

    def success_url_for(self, obj) -> str:
        return url("settlement-detail", obj.pk)

    def cancel_url(self) -> str:
        return url("settlement-detail", self.settlement.pk)

    def perform(self, form):
        return services.settlement_resubmit(
            actor=self.request.user,
            settlement=self.settlement,
            note=form.cleaned_data.get("note", ""),
            **form.files_data(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["returned_note"] = next(
            (s["note"] for s in reversed(workflow_steps(self.settlement)) if s["note"]), ""
        )
        return context


class SettlementTransitionView(TransitionView):
    read_roles = STAFF_ROLES
    selector = selectors.settlement_list
    service = services.settlement_transition
    argument = "settlement"
    detail = "settlement-detail"


class SettlementDocumentView(RoleRequiredMixin, View):
    """One document of a settlement, for whoever may see the settlement (else 404)."""

    read_roles = VOUCHER_READERS

    def get(self, request, pk, name):
        if name not in services.FILE_FIELDS:
            raise Http404("没有该材料")
        settlement = selectors.settlement_list(request.user).filter(pk=pk).first()
        if settlement is None:
            raise Http404("兑付申请不存在")
        document = getattr(settlement, name)
        try:
            handle = document.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404("文件不存在") from exc
        return FileResponse(handle, filename=posixpath.basename(document.name))
