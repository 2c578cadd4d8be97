"""政策兑现 figures for the statistics engine: amounts approved and paid, enterprises and
person-times benefited (e.g. 兑现政策资金 1,250 万元，惠及企业 86 家、136 家次).

One yearly fact table (the year is the redemption's fiscal year) with the policy and the source
(免申即享 or applied), read in bulk like the registry's.
"""

from __future__ import annotations

from kechuang.engines.indicators import (
    INT,
    MONEY,
    STR,
    AllOf,
    AnyOf,
    Cond,
    Count,
    CountDistinct,
    FactSchema,
    Field,
    Indicator,
    Sum,
)
from kechuang.engines.rules import POLICIES
from kechuang.stats.facts import table_loader
from kechuang.stats.registry import FactSource, register, register_fact

from .models import Redemption, RedemptionSource, RedemptionStatus

REDEMPTIONS = FactSchema(
    name="redemptions",
    label="政策兑现",
    fields=(
        Field("id", "记录", INT),
        Field("org_id", "企业", INT),
        Field("year", "会计年度", INT),
        Field("division_code", "行政区划代码", STR),
        Field("zone_id", "所在园区", INT),
        Field("policy", "政策", STR, {key: policy.label for key, policy in POLICIES.items()}),
        Field("source", "来源", STR, dict(RedemptionSource.choices)),
        Field("status", "状态", STR, dict(RedemptionStatus.choices)),
        Field("amount", "兑现金额", MONEY),
    ),
    org_key="org_id",
    yearly=True,
    record_label="家次",
)

register_fact(
    FactSource(
        schema=REDEMPTIONS,
        model=Redemption,
        load=table_loader(REDEMPTIONS, Redemption, {"org_id": "organization_id"}),
        lookups={"org_id": "organization_id"},
        org_lookup="organization_id",
        ordering=("division_code", "policy", "id"),
    )
)

PAID = Cond("status", "eq", RedemptionStatus.PAID.value)
COMMITTED = AnyOf(PAID, Cond("status", "eq", RedemptionStatus.APPROVED.value))
PROACTIVE = Cond("source", "eq", RedemptionSource.PROPOSED.value)

for indicator in (
    Indicator(
        "redemption_paid_sum",
        "政策兑现拨付金额",
        "元",
        Sum("amount"),
        fact="redemptions",
        filters=PAID,
        description="会计年度的政策兑现中已拨付的金额合计",
    ),
    Indicator(
        "redemption_paid_enterprises",
        "政策兑现惠及企业数",
        "家",
        CountDistinct("org_id"),
        fact="redemptions",
        filters=PAID,
        description="已拨付政策资金的企业数（一家企业兑现多项政策计一家）",
    ),
    Indicator(
        "redemption_paid_count",
        "政策兑现惠及企业家次",
        "家次",
        Count(),
        fact="redemptions",
        filters=PAID,
        description="已拨付的政策兑现笔数（一家企业兑现一项政策计一家次）",
    ),
    Indicator(
        "redemption_committed_sum",
        "政策兑现批准金额",
        "元",
        Sum("amount"),
        fact="redemptions",
        filters=COMMITTED,
        description="已批准（含已拨付）的政策兑现金额合计，即占用兑现预算的金额",
    ),
    Indicator(
        "redemption_proactive_paid_count",
        "免申即享兑现家次",
        "家次",
        Count(),
        fact="redemptions",
        filters=AllOf(PAID, PROACTIVE),
        description="由免申即享筛查推送、无需企业申请而已拨付的政策兑现笔数",
    ),
):
    register(indicator)
