"""Forms of the voucher pages: shape only; kechuang.vouchers.services decides the rest."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.utils import timezone

from kechuang.core.exceptions import ValidationFailed
from kechuang.core.identifiers import normalise_uscc
from kechuang.core.scoping import Roles, division_prefix
from kechuang.core.templatetags.kechuang import wan
from kechuang.core.views import ServiceModelForm, style_form
from kechuang.orgs.models import OrgKind
from kechuang.orgs.selectors import organization_list
from kechuang.regions.forms import division_form_field

from . import selectors, services
from .models import (
    ClaimStatus,
    ProviderStatus,
    SchemeMode,
    SchemeStatus,
    ServiceItem,
    ServiceProvider,
    VoucherClaim,
    VoucherScheme,
    VoucherSettlement,
    VoucherUse,
)

HUNDRED = Decimal(100)


def _organization_by_uscc(user, uscc: str, kind: str, what: str):
    organization = organization_list(user).filter(uscc=normalise_uscc(uscc)).first()
    if organization is None:
        raise forms.ValidationError("在您的管辖范围内没有该统一社会信用代码的机构")
    if organization.kind != kind:
        raise forms.ValidationError(f"{organization.name}不是{what}")
    return organization


# --- schemes ---------------------------------------------------------------------------------


class SchemeForm(ServiceModelForm):
    """The share is typed as a percentage (50 = 50 %) and stored as a ratio."""

    share_percent = forms.DecimalField(
        label="合同金额可用券比例（%）",
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=HUNDRED,
        help_text="用券金额不超过服务合同金额的该比例，如 50",
    )
    error_fields = {"share": "share_percent"}

    class Meta:
        model = VoucherScheme
        fields = [
            "name",
            "year",
            "division_code",
            "mode",
            "amount_per_claim",
            "cap_per_enterprise",
            "budget",
            "expires_on",
            "valid_months",
            "status",
        ]
        help_texts = {
            "cap_per_enterprise": "同一企业已申领和待批准额度之和的上限",
            "budget": "批准的额度之和不超过总预算",
            "expires_on": "额度统一到期日；或填写下一项",
            "valid_months": "自批准之日起计算；已填“有效期至”时以其为准",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["division_code"] = division_form_field(
            user, label="发放单位行政区划", required=False, leaf_only=False
        )
        self.fields["division_code"].help_text = "留空则为本局行政区划"
        if self.instance.pk is not None:
            self.initial["share_percent"] = (self.instance.share * HUNDRED).normalize()
        else:
            self.initial.setdefault("year", timezone.localdate().year)
            self.initial.setdefault("status", SchemeStatus.OPEN)
        self.order_fields(
            [
                "name",
                "year",
                "division_code",
                "mode",
                "amount_per_claim",
                "cap_per_enterprise",
                "share_percent",
                "budget",
            ]
        )
        style_form(self)

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "share_percent"}
        data["share"] = (self.cleaned_data["share_percent"] / HUNDRED).quantize(Decimal("0.0001"))
        if not data.get("division_code"):
            data.pop("division_code", None)
        return data

    def changed_service_data(self) -> dict:
        data = self.service_data()
        changed = set(self.changed_data)
        if "share_percent" in changed:
            changed.add("share")
        return {k: v for k, v in data.items() if k in changed}


# --- providers -------------------------------------------------------------------------------


class ProviderForm(ServiceModelForm):
    """Staff name the organization by its USCC; a provider user registers its own."""

    organization_uscc = forms.CharField(label="机构统一社会信用代码", max_length=18)
    error_fields = {"organization": "organization_uscc"}

    class Meta:
        model = ServiceProvider
        fields = ["contact", "phone"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.organization = None
        if user.role == Roles.PROVIDER:
            self.fields.pop("organization_uscc")
            self.organization = user.organization
        else:
            self.order_fields(["organization_uscc"])
        style_form(self)

    def clean_organization_uscc(self):
        self.organization = _organization_by_uscc(
            self.user,
            self.cleaned_data["organization_uscc"],
            OrgKind.SERVICE_PROVIDER,
            "服务机构类型的机构",
        )
        return self.cleaned_data["organization_uscc"]

    def service_data(self) -> dict:
        return {
            "organization": self.organization,
            "contact": self.cleaned_data.get("contact", ""),
            "phone": self.cleaned_data.get("phone", ""),
        }


class ItemForm(ServiceModelForm):
    class Meta:
        model = ServiceItem
        fields = ["name", "category", "price"]


class ItemEditForm(ItemForm):
    class Meta(ItemForm.Meta):
        fields = [*ItemForm.Meta.fields, "active"]
        help_texts = {"active": "取消勾选后，新的用券不能再选择此项目；已有用券不受影响"}


# --- claims ----------------------------------------------------------------------------------


def _scheme_label(scheme: VoucherScheme) -> str:
    return (
        f"{scheme.year} {scheme.name}（每次 {wan(scheme.amount_per_claim)} 万元，"
        f"{scheme.get_mode_display()[:2]}）"
    )


class ClaimForm(ServiceModelForm):
    """An enterprise applies for itself; staff apply on behalf of an enterprise (by USCC)."""

    enterprise_uscc = forms.CharField(label="企业统一社会信用代码", max_length=18)

    class Meta:
        model = VoucherClaim
        fields = ["scheme", "amount"]
        labels = {"amount": "申领额度（元）"}
        help_texts = {"amount": "留空按方案的每次申领额度"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.enterprise = None
        schemes = VoucherScheme.objects.filter(status=SchemeStatus.OPEN).order_by("-year", "name")
        if user.role == Roles.ENTERPRISE:
            self.fields.pop("enterprise_uscc")
            self.enterprise = user.organization
            code = self.enterprise.division_code if self.enterprise else ""
            schemes = [s for s in schemes if code.startswith(division_prefix(s.division_code))]
            schemes = VoucherScheme.objects.filter(pk__in=[s.pk for s in schemes]).order_by(
                "-year", "name"
            )
        field = self.fields["scheme"]
        field.queryset = schemes
        field.label_from_instance = _scheme_label
        field.empty_label = "请选择"
        self.fields["amount"].required = False
        style_form(self)

    def clean_enterprise_uscc(self):
        self.enterprise = _organization_by_uscc(
            self.user, self.cleaned_data["enterprise_uscc"], OrgKind.ENTERPRISE, "企业"
        )
        return self.cleaned_data["enterprise_uscc"]

    def service_data(self) -> dict:
        return {
            "scheme": self.cleaned_data["scheme"],
            "amount": self.cleaned_data.get("amount"),
            "enterprise": self.enterprise,
        }


# --- uses ------------------------------------------------------------------------------------


def _claim_label(claim: VoucherClaim) -> str:
    expired = claim.expires_on is not None and claim.expires_on < timezone.localdate()
    until = f"有效期至 {claim.expires_on:%Y-%m-%d}" if claim.expires_on else "长期有效"
    return (
        f"{claim.scheme.name} · 剩余 {wan(claim.remaining)} 万元 · "
        f"{until}{'（已过期）' if expired else ''}"
    )


def _item_label(item: ServiceItem) -> str:
    return f"{item.provider.organization.name} · {item.name}（参考价 {wan(item.price)} 万元）"


class UseForm(ServiceModelForm):
    """Spend part of an approved quota on a service contract.

    ``idempotency_key`` is generated when the form is first rendered and sent back with every
    submission of it, so that a double click or a resent form never spends twice.
    """

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    class Meta:
        model = VoucherUse
        fields = [
            "claim",
            "provider",
            "item",
            "contract_number",
            "signed_on",
            "contract_amount",
            "amount",
        ]
        help_texts = {"amount": "不超过合同金额乘以方案的可用券比例，也不超过剩余额度"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
        claims = (
            selectors.claim_list(user)
            .filter(status=ClaimStatus.APPROVED)
            .order_by("expires_on", "-id")
        )
        claim = self.fields["claim"]
        claim.queryset = claims
        claim.label_from_instance = _claim_label
        self.quotas = list(claims.filter(remaining__gt=0))
        claim.widget.choices = [("", "请选择"), *((c.pk, _claim_label(c)) for c in self.quotas)]
        # Validation accepts suspended and blacklisted providers, so that choosing one that was
        # struck off after the form was opened is answered with the reason, not "invalid choice".
        known = (
            ServiceProvider.objects.filter(
                status__in=[
                    ProviderStatus.APPROVED,
                    ProviderStatus.SUSPENDED,
                    ProviderStatus.BLACKLISTED,
                ]
            )
            .select_related("organization")
            .order_by("organization__name")
        )
        provider = self.fields["provider"]
        provider.queryset = known
        provider.widget.choices = [
            ("", "请选择"),
            *((p.pk, p.organization.name) for p in known if p.status == ProviderStatus.APPROVED),
        ]
        items = ServiceItem.objects.filter(
            provider__status=ProviderStatus.APPROVED, active=True
        ).select_related("provider__organization")
        item = self.fields["item"]
        item.queryset = items.order_by("provider__organization__name", "name")
        item.label_from_instance = _item_label
        item.required = False
        item.widget.choices = [("", "（不指定）"), *((i.pk, _item_label(i)) for i in item.queryset)]
        self.fields["contract_number"].label = "服务合同编号"
        style_form(self)

    def clean_idempotency_key(self):
        key = self.cleaned_data["idempotency_key"].strip()
        try:
            uuid.UUID(key)
        except ValueError:
            raise forms.ValidationError("表单已失效（缺少有效的提交标识）") from None
        return key

    def clean(self):
        data = super().clean()
        item, provider = data.get("item"), data.get("provider")
        if item is not None and provider is not None and item.provider_id != provider.pk:
            self.add_error("item", "该服务项目不属于所选服务机构")
        return data

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


# --- settlements -----------------------------------------------------------------------------


class DocumentsForm(forms.Form):
    """The four documents; each upload is checked (type, size, content) by the service's rule."""

    contract_file = forms.FileField(label="技术服务合同")
    invoice_file = forms.FileField(label="发票")
    payment_file = forms.FileField(label="付款凭证")
    report_file = forms.FileField(label="服务报告")

    def __init__(self, *args, user, required: bool = True, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        accept = ",".join(services.DOCUMENT_SIGNATURES)
        for name in services.FILE_FIELDS:
            field = self.fields[name]
            field.required = required
            field.widget = forms.FileInput(attrs={"accept": accept})
            field.help_text = f"{services.DOCUMENT_KINDS}，不超过 10 MB"
            field.error_messages["required"] = f"请上传{field.label}"
            field.error_messages["empty"] = f"{field.label}是空文件"
        style_form(self)

    def clean(self):
        data = super().clean()
        for name in services.FILE_FIELDS:
            upload = data.get(name)
            if upload:
                try:
                    services.check_document(name, upload)
                except ValidationFailed as exc:
                    self.add_error(name, exc.message)
        return data

    def files_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in services.FILE_FIELDS}


def settleable_uses(user):
    """The uses ``user`` may ask to be paid for: the payee's, not yet requested."""
    uses = selectors.use_list(user).filter(settlement__isnull=True)
    if user.is_superuser or user.role == Roles.ADMIN:
        return uses
    if user.role == Roles.ENTERPRISE:
        return uses.filter(claim__scheme__mode=SchemeMode.GENERAL, enterprise=user.organization_id)
    if user.role == Roles.PROVIDER:
        return uses.filter(
            claim__scheme__mode=SchemeMode.REDEEM,
            provider__organization=user.organization_id,
        )
    return uses.none()


def _use_label(use: VoucherUse, user) -> str:
    """The contract, the other party (the enterprise sees the provider and vice versa), amount."""
    if user.role == Roles.ENTERPRISE:
        party = use.provider.organization.name
    elif user.role == Roles.PROVIDER:
        party = use.enterprise.name
    else:
        party = f"{use.enterprise.name} · {use.provider.organization.name}"
    return f"{use.contract_number} · {party} · 用券 {wan(use.amount)} 万元"


class SettlementForm(DocumentsForm):
    use = forms.ModelChoiceField(label="用券记录", queryset=VoucherUse.objects.none())

    field_order = ["use", *services.FILE_FIELDS]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        field = self.fields["use"]
        field.queryset = settleable_uses(user).order_by("-created_at")
        field.label_from_instance = lambda use: _use_label(use, user)
        field.empty_label = "请选择"
        field.error_messages["invalid_choice"] = "该用券记录不能由您申请兑付，或已申请过"
        if not field.queryset.exists():
            field.help_text = "没有待申请兑付的用券记录"
        style_form(self)

    def service_data(self) -> dict:
        return {"use": self.cleaned_data["use"], **self.files_data()}


class ResubmitForm(DocumentsForm):
    note = forms.CharField(label="补正说明", required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, required=False, **kwargs)
        for name in services.FILE_FIELDS:
            self.fields[name].help_text += "；不上传则沿用原文件"


SETTLEMENT_LABELS = {
    name: str(VoucherSettlement._meta.get_field(name).verbose_name) for name in services.FILE_FIELDS
}
