"""Writes of innovation vouchers. State changes go through kechuang.core.workflow.transition."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kechuang.core.audit import record_event
from kechuang.core.exceptions import Conflict, NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.scoping import (
    STAFF_ROLES,
    Roles,
    division_in_scope,
    division_prefix,
    object_in_scope,
    scope_q,
)
from kechuang.core.services import save_changes, save_new
from kechuang.core.workflow import transition
from kechuang.orgs.models import OrgKind
from kechuang.regions.selectors import division_exists

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
from .selectors import with_provider_q
from .workflows import claimed_total

SCHEME_FIELDS = (
    "name",
    "year",
    "division_code",
    "amount_per_claim",
    "cap_per_enterprise",
    "share",
    "expires_on",
    "valid_months",
    "mode",
    "budget",
    "status",
)


def _require_staff(actor, message: str) -> None:
    if not (actor.is_superuser or actor.role in STAFF_ROLES):
        raise RoleNotAllowed(message)


def _admin(actor) -> bool:
    return bool(actor.is_superuser or actor.role == Roles.ADMIN)


# --- schemes ---------------------------------------------------------------------------------


def _check_scheme(actor, scheme: VoucherScheme) -> None:
    if not _admin(actor) and actor.role != Roles.BUREAU:
        raise RoleNotAllowed("只有科技局可以制定创新券方案")
    if not division_exists(scheme.division_code):
        raise ValidationFailed(f"未知的行政区划代码 {scheme.division_code}", field="division_code")
    if not division_in_scope(actor, scheme.division_code):
        raise ValidationFailed("发放单位不在您的管辖范围内", field="division_code")
    if not scheme.expires_on and not scheme.valid_months:
        raise ValidationFailed("请填写有效期至或有效月数", field="expires_on")
    if not (Decimal(0) < scheme.share <= 1):
        raise ValidationFailed("用券比例须大于 0 且不超过 1", field="share")
    if scheme.cap_per_enterprise < scheme.amount_per_claim:
        raise ValidationFailed("企业年度上限不能小于每次申领额度", field="cap_per_enterprise")
    if scheme.budget < scheme.amount_per_claim:
        raise ValidationFailed("总预算不能小于每次申领额度", field="budget")


@transaction.atomic
def scheme_create(*, actor, **data) -> VoucherScheme:
    if not data.get("division_code") and actor.role == Roles.BUREAU:
        data["division_code"] = actor.division_code
    scheme = VoucherScheme(**{k: v for k, v in data.items() if k in SCHEME_FIELDS})
    _check_scheme(actor, scheme)
    return save_new(scheme, actor=actor, verb="voucher_scheme.created")


@transaction.atomic
def scheme_update(*, actor, scheme: VoucherScheme, **changes) -> VoucherScheme:
    if not _admin(actor) and not division_in_scope(actor, scheme.division_code):
        raise NotInScope("方案不存在")
    probe = VoucherScheme(**{f: getattr(scheme, f) for f in SCHEME_FIELDS})
    for key, value in changes.items():
        setattr(probe, key, value)
    _check_scheme(actor, probe)
    changes = {k: v for k, v in changes.items() if k in SCHEME_FIELDS}
    save_changes(scheme, changes, actor=actor, verb="voucher_scheme.updated")
    return scheme


# --- providers -------------------------------------------------------------------------------


@transaction.atomic
def provider_register(
    *, actor, organization, contact: str = "", phone: str = ""
) -> ServiceProvider:
    """Staff register an organization in scope; a provider user registers its own (pending)."""
    if actor.role == Roles.PROVIDER:
        if organization.pk != actor.organization_id:
            raise NotInScope("机构不存在")
    else:
        _require_staff(actor, "只有科技局、园区或服务机构本身可以登记服务机构")
        if not object_in_scope(organization, actor):
            raise NotInScope("机构不存在")
    if organization.kind != OrgKind.SERVICE_PROVIDER:
        raise ValidationFailed(
            "只有类型为“服务机构”的机构可以登记", code="not_a_provider", field="organization"
        )
    if ServiceProvider.objects.filter(organization=organization).exists():
        raise ValidationFailed("该机构已登记", code="duplicate", field="organization")
    provider = ServiceProvider(organization=organization, contact=contact, phone=phone)
    return save_new(
        provider, actor=actor, verb="voucher_provider.registered", duplicate="organization"
    )


def provider_transition(*, actor, provider: ServiceProvider, action: str, note: str = ""):
    return transition(obj=provider, action=action, actor=actor, note=note)


def _check_catalogue_writer(actor, provider: ServiceProvider) -> None:
    """A provider's catalogue is kept by its own users, or by staff in scope."""
    mine = actor.role == Roles.PROVIDER and provider.organization_id == actor.organization_id
    if not mine:
        _require_staff(actor, "只有服务机构本身或管理部门可以维护服务目录")
        if not object_in_scope(provider, actor):
            raise NotInScope("服务机构不存在")


def _check_item_name(provider: ServiceProvider, name: str, *, item: ServiceItem | None = None):
    same = ServiceItem.objects.filter(provider=provider, name=name)
    if item is not None:
        same = same.exclude(pk=item.pk)
    if same.exists():
        raise ValidationFailed("服务目录中已有同名项目", code="duplicate", field="name")


@transaction.atomic
def item_add(*, actor, provider: ServiceProvider, name: str, category: str, price) -> ServiceItem:
    """Add to a provider's catalogue."""
    _check_catalogue_writer(actor, provider)
    _check_item_name(provider, name)
    item = ServiceItem(provider=provider, name=name, category=category, price=price)
    return save_new(item, actor=actor, verb="voucher_item.added")


ITEM_FIELDS = ("name", "category", "price", "active")


@transaction.atomic
def item_update(*, actor, item: ServiceItem, **changes) -> ServiceItem:
    """Change a catalogue entry; one taken off sale (``active`` false) is no longer offered for
    new uses, and the uses already made keep it."""
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise ValidationFailed(f"不能修改：{'、'.join(sorted(unknown))}", code="read_only")
    _check_catalogue_writer(actor, item.provider)
    if "name" in changes:
        _check_item_name(item.provider, changes["name"], item=item)
    save_changes(item, changes, actor=actor, verb="voucher_item.updated", duplicate="name")
    return item


# --- claims ----------------------------------------------------------------------------------


@transaction.atomic
def claim_apply(*, actor, scheme: VoucherScheme, enterprise=None, amount=None) -> VoucherClaim:
    """An enterprise applies for a quota under ``scheme`` (staff may apply on its behalf)."""
    if actor.role == Roles.ENTERPRISE:
        enterprise = actor.organization
    else:
        _require_staff(actor, "只有企业可以申领创新券")
        if enterprise is None or not object_in_scope(enterprise, actor):
            raise NotInScope("企业不存在")
    if enterprise is None or enterprise.kind != OrgKind.ENTERPRISE:
        raise ValidationFailed("只有企业可以申领创新券", code="not_an_enterprise")
    if scheme.status != SchemeStatus.OPEN:
        raise ValidationFailed("该创新券方案未在申领期", code="scheme_closed", field="scheme")
    if not enterprise.division_code.startswith(division_prefix(scheme.division_code)):
        raise ValidationFailed("企业不在该方案的发放范围内", code="out_of_area", field="scheme")
    amount = scheme.amount_per_claim if amount is None else Decimal(amount)
    if amount <= 0 or amount > scheme.amount_per_claim:
        raise ValidationFailed("申领额度须大于 0 且不超过每次申领额度", field="amount")
    VoucherScheme.objects.select_for_update().filter(pk=scheme.pk).first()
    pending = (ClaimStatus.APPLIED, ClaimStatus.APPROVED)
    if claimed_total(scheme, enterprise=enterprise, statuses=pending) + amount > (
        scheme.cap_per_enterprise
    ):
        raise ValidationFailed("超过每家企业年度额度上限", code="over_cap", field="amount")
    claim = VoucherClaim(
        scheme=scheme,
        enterprise=enterprise,
        year=scheme.year,
        division_code=enterprise.division_code,
        zone=enterprise.zone,
        amount=amount,
        remaining=0,
    )
    return save_new(claim, actor=actor, verb="voucher_claim.applied")


def claim_transition(*, actor, claim: VoucherClaim, action: str, note: str = ""):
    return transition(obj=claim, action=action, actor=actor, note=note)


# --- uses: never spend twice -----------------------------------------------------------------


def request_digest(data: dict[str, Any]) -> str:
    canonical = {k: str(getattr(v, "pk", v)) for k, v in sorted(data.items())}
    return hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode()).hexdigest()


def _replay(claim, actor, key: str, digest: str) -> VoucherUse | None:
    if not key:
        return None
    use = VoucherUse.objects.filter(claim=claim, created_by=actor, idempotency_key=key).first()
    if use is not None and use.request_digest != digest:
        raise Conflict("同一幂等键已用于内容不同的请求", code="idempotency_conflict")
    return use


def use_create(
    *,
    actor,
    claim: VoucherClaim,
    provider: ServiceProvider,
    contract_number: str,
    signed_on,
    contract_amount,
    amount,
    item: ServiceItem | None = None,
    idempotency_key: str = "",
) -> tuple[VoucherUse, bool]:
    """Spend ``amount`` of ``claim`` on a contract with ``provider``; returns (use, created).

    The claim row is locked for the whole check-and-decrement, so concurrent uses of one quota
    are serialised and can never exceed it (the ``remaining >= 0`` constraint is the backstop).
    A repeated ``idempotency_key`` (per claim and actor) returns the first use unchanged.
    """
    if not (_admin(actor) or actor.role == Roles.ENTERPRISE):
        raise RoleNotAllowed("只有企业可以使用创新券")
    data = {
        "provider": provider,
        "contract_number": contract_number,
        "signed_on": signed_on,
        "contract_amount": Decimal(contract_amount),
        "amount": Decimal(amount),
        "item": item,
    }
    digest = request_digest(data)
    key = (idempotency_key or "").strip()
    try:
        with transaction.atomic():
            locked = (
                VoucherClaim.objects.select_for_update()
                .filter(scope_q(VoucherClaim, actor), pk=claim.pk)
                .first()
            )
            if locked is None:
                raise NotInScope("额度不存在")
            existing = _replay(locked, actor, key, digest)
            if existing is not None:
                return existing, False
            _check_use(locked, **data)
            locked.remaining -= data["amount"]
            locked.save(update_fields=["remaining", "updated_at"])
            scheme = locked.scheme
            use = VoucherUse(
                claim=locked,
                enterprise_id=locked.enterprise_id,
                year=locked.year,
                division_code=locked.division_code,
                zone_id=locked.zone_id,
                created_by=actor,
                idempotency_key=key,
                request_digest=digest if key else "",
                **data,
            )
            use.save()
            record_event(
                actor=actor,
                verb="voucher_use.created",
                obj=use,
                data={"claim": locked.pk, "amount": str(use.amount), "mode": scheme.mode},
            )
            return use, True
    except IntegrityError:
        # The same key committed by a concurrent request between our check and insert.
        existing = _replay(claim, actor, key, digest)
        if existing is None:
            raise
        return existing, False


def _check_use(claim: VoucherClaim, *, provider, contract_amount, amount, item, **_) -> None:
    if claim.status != ClaimStatus.APPROVED:
        raise ValidationFailed("额度尚未批准，不能使用", code="claim_not_approved")
    if claim.expires_on is not None and claim.expires_on < timezone.localdate():
        raise ValidationFailed(f"额度已于 {claim.expires_on} 过期", code="quota_expired")
    status = provider.status
    if status == ProviderStatus.BLACKLISTED:
        raise ValidationFailed(
            "服务机构已列入黑名单", code="provider_blacklisted", field="provider"
        )
    if status == ProviderStatus.SUSPENDED:
        raise ValidationFailed("服务机构已被暂停", code="provider_suspended", field="provider")
    if status != ProviderStatus.APPROVED:
        raise ValidationFailed(
            "服务机构尚未审核入库", code="provider_not_approved", field="provider"
        )
    if provider.organization_id == claim.enterprise_id:
        raise ValidationFailed(
            "不能向本单位购买服务（关联交易）", code="related_provider", field="provider"
        )
    if item is not None and item.provider_id != provider.pk:
        raise ValidationFailed("服务项目不属于该服务机构", field="item")
    if contract_amount <= 0 or amount <= 0:
        raise ValidationFailed("金额须大于 0", field="amount")
    limit = (contract_amount * claim.scheme.share).quantize(Decimal("0.01"))
    if amount > limit:
        raise ValidationFailed(
            f"用券金额超过合同金额的 {claim.scheme.share:.0%}（上限 {limit} 元）",
            code="over_share",
            field="amount",
        )
    if amount > claim.remaining:
        raise ValidationFailed(
            f"用券金额超过剩余额度（剩余 {claim.remaining} 元）",
            code="over_remaining",
            field="amount",
        )


# --- settlements -----------------------------------------------------------------------------

FILE_FIELDS = ("contract_file", "invoice_file", "payment_file", "report_file")
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Accepted documents: the suffix and the first bytes every such file starts with.
DOCUMENT_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".ofd": (b"PK\x03\x04",),  # OFD (GB/T 33190) is a zip package
}
DOCUMENT_KINDS = "PDF、JPG、PNG 或 OFD"


def _document_label(name: str) -> str:
    return str(VoucherSettlement._meta.get_field(name).verbose_name)


def check_document(name: str, upload) -> None:
    """Refuse an upload that is empty, too large, or not the document type its name claims."""
    label = _document_label(name)
    filename = getattr(upload, "name", "") or ""
    suffix = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    if suffix not in DOCUMENT_SIGNATURES:
        raise ValidationFailed(
            f"{label}只接受 {DOCUMENT_KINDS} 文件，“{filename}”不是",
            code="bad_document_type",
            field=name,
        )
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise ValidationFailed(f"{label}“{filename}”是空文件", code="empty_document", field=name)
    if size > MAX_DOCUMENT_BYTES:
        raise ValidationFailed(
            f"{label}“{filename}”超过 10 MB（{size / 1024 / 1024:.1f} MB）",
            code="document_too_large",
            field=name,
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(DOCUMENT_SIGNATURES[suffix]):
        raise ValidationFailed(
            f"{label}“{filename}”的内容不是有效的 {suffix[1:].upper()} 文件",
            code="bad_document_content",
            field=name,
        )


@transaction.atomic
def settlement_submit(*, actor, use: VoucherUse, **files) -> VoucherSettlement:
    """The payee asks for payment: the enterprise (通用) or the provider (通兑)."""
    use = (
        VoucherUse.objects.select_for_update(of=("self",))
        .filter(with_provider_q(VoucherUse, actor), pk=use.pk)
        .first()
    )
    if use is None:
        raise NotInScope("用券记录不存在")
    mode = use.claim.scheme.mode
    payee_id = use.enterprise_id if mode == SchemeMode.GENERAL else use.provider.organization_id
    if not _admin(actor) and actor.organization_id != payee_id:
        raise RoleNotAllowed(
            "通用券由企业申请兑付" if mode == SchemeMode.GENERAL else "通兑券由服务机构申请兑付"
        )
    if VoucherSettlement.objects.filter(use=use).exists():
        raise ValidationFailed("该用券记录已申请兑付", code="duplicate", field="use")
    missing = [name for name in FILE_FIELDS if not files.get(name)]
    if missing:
        raise ValidationFailed(
            f"请上传全部材料，缺少{'、'.join(_document_label(name) for name in missing)}",
            code="documents_missing",
            field=missing[0],
        )
    for name in FILE_FIELDS:
        check_document(name, files[name])
    settlement = VoucherSettlement(
        use=use,
        enterprise_id=use.enterprise_id,
        payee_id=payee_id,
        year=use.year,
        division_code=use.division_code,
        zone_id=use.zone_id,
        amount=use.amount,
        created_by=actor,
        **{name: files[name] for name in FILE_FIELDS},
    )
    settlement.save()
    record_event(
        actor=actor,
        verb="voucher_settlement.submitted",
        obj=settlement,
        data={"amount": str(settlement.amount), "mode": mode},
    )
    return settlement


def settlement_transition(*, actor, settlement: VoucherSettlement, action: str, note: str = ""):
    return transition(obj=settlement, action=action, actor=actor, note=note)


@transaction.atomic
def settlement_resubmit(
    *, actor, settlement: VoucherSettlement, note: str = "", **files
) -> VoucherSettlement:
    """A returned request comes back with corrected documents (those given replace the old).

    The replaced files stay in storage, named in the ``documents_replaced`` audit event: the
    papers a return was decided on remain on file."""
    files = {name: upload for name, upload in files.items() if name in FILE_FIELDS and upload}
    for name, upload in files.items():
        check_document(name, upload)
    settlement = settlement_transition(
        actor=actor, settlement=settlement, action="resubmit", note=note
    )
    if files:
        replaced = {name: getattr(settlement, name).name for name in files}
        for name, upload in files.items():
            setattr(settlement, name, upload)
        settlement.save(update_fields=[*files, "updated_at"])
        record_event(
            actor=actor,
            verb="voucher_settlement.documents_replaced",
            obj=settlement,
            data={
                "documents": "、".join(_document_label(name) for name in files),
                "replaced": replaced,
            },
        )
    return settlement
