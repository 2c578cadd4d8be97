"""Innovation vouchers of the demo region (for the demo builder, once the registry and the demo
users exist): the city bureau's two 2025 schemes (通用 and 通兑) and a closed 2024 one, service
providers in every state with their catalogues, quotas at every stage, uses, and settlements
submitted, returned, verified and paid, each with its four documents.

Everything is written through the services (a few dozen records), so every step has its audit
event and transition log, as if clerks had done it. Deterministic for a seed: organizations are
read in a fixed order and every draw comes from ``random.Random`` seeded with the seed.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_CEILING, Decimal

from django.core.files.base import ContentFile
from django.db.models import Q

from kechuang.accounts.models import User
from kechuang.core.models import AuditEvent, TransitionLog
from kechuang.orgs.models import Organization, OrgKind

from . import services
from .models import (
    ServiceItem,
    ServiceProvider,
    VoucherClaim,
    VoucherScheme,
    VoucherSettlement,
    VoucherUse,
)

CLAIMING_ENTERPRISES = 36
PROVIDERS = 8
CATALOGUE = (
    ("检验检测服务", "testing", 30_000),
    ("研发设计服务", "rd_design", 80_000),
    ("技术咨询服务", "consulting", 20_000),
    ("专利申请代理", "ip", 12_000),
    ("成果转化服务", "transfer", 50_000),
)
DOCUMENT = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _documents(tag: str) -> dict[str, ContentFile]:
    return {name: ContentFile(DOCUMENT, name=f"{tag}-{name}.pdf") for name in services.FILE_FIELDS}


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def build(*, seed: int, actor, region_prefix: str = "3404") -> dict[str, int]:
    """Write the voucher records; ``actor`` (an administrator) acts for enterprises without a
    demo user. Needs the demo users ``bureau_city``; uses ``enterprise`` and ``provider`` when
    present. Returns the counts written."""
    rng = random.Random(f"{seed}-vouchers")
    bureau = _user("bureau_city")
    if bureau is None:
        return {}
    enterprise_user, provider_user = _user("enterprise"), _user("provider")
    city = bureau.division_code
    general = services.scheme_create(
        actor=bureau,
        name="科技创新券（通用券）",
        year=2025,
        division_code=city,
        amount_per_claim=Decimal("100000"),
        cap_per_enterprise=Decimal("200000"),
        share=Decimal("0.5"),
        valid_months=12,
        mode="general",
        budget=Decimal("8000000"),
    )
    redeem = services.scheme_create(
        actor=bureau,
        name="科技创新券（通兑券）",
        year=2025,
        division_code=city,
        amount_per_claim=Decimal("50000"),
        cap_per_enterprise=Decimal("100000"),
        share=Decimal("0.3"),
        expires_on=dt.date(2026, 12, 31),
        mode="redeem",
        budget=Decimal("3000000"),
    )
    services.scheme_create(
        actor=bureau,
        name="科技创新券",
        year=2024,
        division_code=city,
        amount_per_claim=Decimal("80000"),
        cap_per_enterprise=Decimal("160000"),
        share=Decimal("0.5"),
        expires_on=dt.date(2025, 6, 30),
        mode="general",
        budget=Decimal("5000000"),
        status="closed",
    )

    # Providers: the demo provider (approved) and others in every state.
    organizations = Organization.objects.filter(
        kind=OrgKind.SERVICE_PROVIDER, division_code__startswith=region_prefix
    ).order_by("uscc")
    own_org = provider_user.organization if provider_user else None
    candidates = [o for o in organizations[: PROVIDERS + 1] if o != own_org][:PROVIDERS]
    approved: list[ServiceProvider] = []
    if own_org is not None:
        own = services.provider_register(
            actor=provider_user, organization=own_org, contact="王经理", phone="0554-6671234"
        )
        for name, category, price in CATALOGUE[:3]:
            services.item_add(
                actor=provider_user, provider=own, name=name, category=category, price=price
            )
        services.provider_transition(actor=bureau, provider=own, action="approve")
        approved.append(own)
    states = ["approve"] * (PROVIDERS - 3) + ["suspend", "blacklist", "pending"]
    for organization, state in zip(candidates, states, strict=False):
        provider = services.provider_register(actor=bureau, organization=organization)
        for name, category, price in rng.sample(CATALOGUE, 2):
            services.item_add(
                actor=bureau, provider=provider, name=name, category=category, price=price
            )
        if state == "approve":
            services.provider_transition(actor=bureau, provider=provider, action="approve")
            approved.append(provider)
        elif state == "suspend":
            services.provider_transition(actor=bureau, provider=provider, action="approve")
            services.provider_transition(
                actor=bureau, provider=provider, action="suspend", note="服务报告不规范，暂停受理"
            )
        elif state == "blacklist":
            services.provider_transition(
                actor=bureau, provider=provider, action="blacklist", note="虚开服务发票"
            )
    if not approved:
        return _counts(region_prefix)

    def spend(claim, who, share: Decimal, n: int):
        provider = approved[n % len(approved)]
        amount = (claim.amount * share).quantize(Decimal("1"))
        contract = (amount / claim.scheme.share).quantize(
            Decimal("1"), rounding=ROUND_CEILING
        ) + rng.randrange(0, 5) * 1000
        return services.use_create(
            actor=who,
            claim=claim,
            provider=provider,
            item=provider.items.order_by("name").first(),
            contract_number=f"HNJS-2025-{n:04d}",
            signed_on=dt.date(2025, 3, 1) + dt.timedelta(days=rng.randrange(0, 240)),
            contract_amount=contract,
            amount=amount,
            idempotency_key=f"demo-{seed}-{n}",
        )[0]

    def settle(use, steps: tuple[str, ...], n: int):
        payee = use.enterprise if use.claim.scheme.mode == "general" else None
        who = actor
        if payee is not None and enterprise_user and enterprise_user.organization_id == payee.pk:
            who = enterprise_user
        if (
            payee is None
            and provider_user
            and provider_user.organization_id == (use.provider.organization_id)
        ):
            who = provider_user
        settlement = services.settlement_submit(actor=who, use=use, **_documents(f"d{n}"))
        for step in steps:
            note = "付款凭证金额与合同不一致，请补正" if step == "return" else ""
            services.settlement_transition(
                actor=bureau, settlement=settlement, action=step, note=note
            )

    counter = 0
    # The demo enterprise: a quota of each 2025 scheme, spent and settled at several stages.
    if enterprise_user is not None and enterprise_user.organization_id:
        for scheme in (general, redeem):
            claim = services.claim_apply(actor=enterprise_user, scheme=scheme)
            services.claim_transition(actor=bureau, claim=claim, action="approve")
            for share, steps in ((Decimal("0.3"), ("verify", "pay")), (Decimal("0.25"), ())):
                counter += 1
                use = spend(claim, enterprise_user, share, counter)
                if scheme is general and not steps:
                    steps = ("return",)
                settle(use, steps, counter)

    # Other enterprises: staff apply on their behalf; quotas at every stage.
    enterprises = Organization.objects.filter(
        kind=OrgKind.ENTERPRISE, division_code__startswith=region_prefix
    ).order_by("uscc")
    if enterprise_user is not None:
        enterprises = enterprises.exclude(pk=enterprise_user.organization_id)
    outcomes = ("approve", "approve", "approve", "approve", "wait", "reject")
    settle_steps = ((), ("verify",), ("verify", "pay"), ("return",), None)
    for organization in enterprises[:CLAIMING_ENTERPRISES]:
        scheme = general if rng.random() < 0.65 else redeem
        claim = services.claim_apply(actor=bureau, scheme=scheme, enterprise=organization)
        outcome = rng.choice(outcomes)
        if outcome == "wait":
            continue
        if outcome == "reject":
            services.claim_transition(
                actor=bureau, claim=claim, action="reject", note="申报服务内容不属于支持范围"
            )
            continue
        services.claim_transition(actor=bureau, claim=claim, action="approve")
        if rng.random() < 0.3:
            continue  # approved, not yet spent
        counter += 1
        use = spend(claim, actor, Decimal(rng.choice(("0.2", "0.3", "0.5"))), counter)
        steps = rng.choice(settle_steps)
        if steps is not None:
            settle(use, steps, counter)
    return _counts(region_prefix)


def _counts(region_prefix: str) -> dict[str, int]:
    return {
        "voucher_schemes": VoucherScheme.objects.filter(
            division_code__startswith=region_prefix
        ).count(),
        "voucher_providers": ServiceProvider.objects.filter(
            organization__division_code__startswith=region_prefix
        ).count(),
        "voucher_claims": VoucherClaim.objects.filter(
            division_code__startswith=region_prefix
        ).count(),
        "voucher_uses": VoucherUse.objects.filter(division_code__startswith=region_prefix).count(),
        "voucher_settlements": VoucherSettlement.objects.filter(
            division_code__startswith=region_prefix
        ).count(),
    }


def reset(org_ids, region_prefix: str = "3404") -> dict[str, int]:
    """Delete the vouchers of the demo organizations ``org_ids`` (pks or a queryset of them) and
    the region's schemes, with their documents, transition logs and audit events."""
    schemes = list(
        VoucherScheme.objects.filter(division_code__startswith=region_prefix).values_list(
            "pk", flat=True
        )
    )
    claims = list(
        VoucherClaim.objects.filter(Q(enterprise__in=org_ids) | Q(scheme__in=schemes)).values_list(
            "pk", flat=True
        )
    )
    uses = list(
        VoucherUse.objects.filter(
            Q(enterprise__in=org_ids) | Q(provider__organization__in=org_ids) | Q(claim__in=claims)
        ).values_list("pk", flat=True)
    )
    settlements = VoucherSettlement.objects.filter(use__in=uses)
    providers = list(
        ServiceProvider.objects.filter(organization__in=org_ids).values_list("pk", flat=True)
    )
    items = list(ServiceItem.objects.filter(provider__in=providers).values_list("pk", flat=True))
    trail = {
        VoucherSettlement: list(settlements.values_list("pk", flat=True)),
        VoucherUse: uses,
        VoucherClaim: claims,
        ServiceItem: items,
        ServiceProvider: providers,
        VoucherScheme: schemes,
    }
    for settlement in settlements:
        for name in services.FILE_FIELDS:
            getattr(settlement, name).delete(save=False)
    deleted = {}
    for model, pks in trail.items():
        label, ids = model._meta.label_lower, [str(pk) for pk in pks]
        TransitionLog.objects.filter(object_type=label, object_id__in=ids).delete()
        AuditEvent.objects.filter(object_type=label, object_id__in=ids).delete()
        deleted[model._meta.model_name] = model.objects.filter(pk__in=pks).delete()[0]
    return deleted
