"""Voucher figures for the statistics engine: quotas issued, vouchers used, vouchers paid.

Three yearly fact tables (the year is the scheme's year), read in bulk like the registry's
(kechuang.stats.facts), and the indicators over them, e.g. 拨付科技创新券 758 万元，惠及企业
613 家次 = ``voucher_settled_sum`` and ``voucher_settled_count``.
"""

from __future__ import annotations

from kechuang.engines.indicators import INT, MONEY, STR, Cond, Count, FactSchema, Field, Indicator
from kechuang.engines.indicators import Sum as SumOf
from kechuang.stats.facts import table_loader
from kechuang.stats.registry import FactSource, register, register_fact

from .models import VoucherClaim, VoucherSettlement, VoucherUse

COMMON = (
    Field("id", "记录", INT),
    Field("org_id", "企业", INT),
    Field("year", "年度", INT),
    Field("division_code", "行政区划代码", STR),
    Field("zone_id", "所在园区", INT),
)


def _schema(name: str, label: str, model, money: tuple[str, ...]) -> FactSchema:
    status = model._meta.get_field("status")
    choices = {str(k): str(v) for k, v in status.flatchoices}
    return FactSchema(
        name=name,
        label=label,
        fields=(
            *COMMON,
            Field("status", "状态", STR, choices),
            *(Field(m, str(model._meta.get_field(m).verbose_name), MONEY) for m in money),
        ),
        org_key="org_id",
        yearly=True,
        record_label="条",
    )


def _register(name: str, label: str, model, money: tuple[str, ...]) -> None:
    schema = _schema(name, label, model, money)
    register_fact(
        FactSource(
            schema=schema,
            model=model,
            load=table_loader(schema, model, {"org_id": "enterprise_id"}),
            lookups={"org_id": "enterprise_id"},
            org_lookup="enterprise_id",
            ordering=("division_code", "-created_at"),
        )
    )


_register("voucher_claims", "创新券额度", VoucherClaim, ("amount", "remaining"))
_register("voucher_uses", "用券记录", VoucherUse, ("amount", "contract_amount"))
_register("voucher_settlements", "创新券兑付", VoucherSettlement, ("amount",))

APPROVED = Cond("status", "eq", "approved")
PAID = Cond("status", "eq", "paid")

register(
    Indicator(
        "voucher_issued_sum",
        "发放科技创新券额度",
        "元",
        SumOf("amount"),
        fact="voucher_claims",
        filters=APPROVED,
        description="方案年度内获批的创新券额度合计",
    )
)
register(
    Indicator(
        "voucher_issued_count",
        "获批创新券企业家次",
        "家次",
        Count(),
        fact="voucher_claims",
        filters=APPROVED,
        description="方案年度内获批的创新券申领数",
    )
)
register(
    Indicator(
        "voucher_used_sum",
        "使用科技创新券金额",
        "元",
        SumOf("amount"),
        fact="voucher_uses",
        description="方案年度内在服务合同中使用的创新券金额合计",
    )
)
register(
    Indicator(
        "voucher_settled_sum",
        "拨付科技创新券金额",
        "元",
        SumOf("amount"),
        fact="voucher_settlements",
        filters=PAID,
        description="方案年度内已兑付的创新券金额合计",
    )
)
register(
    Indicator(
        "voucher_settled_count",
        "创新券惠及企业家次",
        "家次",
        Count(),
        fact="voucher_settlements",
        filters=PAID,
        description="方案年度内已兑付的用券记录数（一次兑付计一家次）",
    )
)
