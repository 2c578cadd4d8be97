"""Technology-market figures for the statistics engine.

Four dated fact tables (needs, achievements, dockings, contracts), each record counted in the
period of its own date: a need or achievement when it was published (征集), a docking when it
was recommended (and as 签约项目 when it was signed), a contract when it was registered
(技术合同认定登记; revoked registrations never count). A sentence such as 征集 76 项科技成果、
15 项签约项目，实现签约金额 4.7 亿元 reads ``market_achievement_count``,
``market_docking_signed_count`` and ``market_contract_amount_sum``.
"""

from __future__ import annotations

from kechuang.engines.indicators import (
    BOOL,
    DATE,
    INT,
    MONEY,
    STR,
    AllOf,
    Cond,
    Count,
    FactSchema,
    Field,
    Indicator,
)
from kechuang.engines.indicators import Sum as SumOf
from kechuang.engines.indicators.filters import PERIOD_END, PERIOD_START
from kechuang.stats.facts import table_loader
from kechuang.stats.registry import FactSource, register, register_fact

from .models import Achievement, ContractType, Docking, DockingStage, TechContract, TechNeed


def _field(model, name: str, kind: str = STR) -> Field:
    model_field = model._meta.get_field(name)
    choices = {str(k): str(v) for k, v in model_field.flatchoices}
    return Field(name, str(model_field.verbose_name), kind, choices)


COMMON = (
    Field("id", "记录", INT),
    Field("org_id", "机构", INT),
    Field("division_code", "行政区划代码", STR),
    Field("zone_id", "所在园区", INT),
)


def _source(name, label, model, org_column, columns, record_label="项", ordering=()):
    """Register the fact table ``name`` read from ``model``: ``columns`` are (name, kind)."""
    schema = FactSchema(
        name=name,
        label=label,
        fields=(*COMMON, *(_field(model, column, kind) for column, kind in columns)),
        org_key="org_id",
        record_label=record_label,
    )
    register_fact(
        FactSource(
            schema=schema,
            model=model,
            load=table_loader(schema, model, {"org_id": org_column}),
            lookups={"org_id": org_column},
            org_lookup=org_column,
            ordering=ordering,
        )
    )


_source(
    "market_needs",
    "企业技术需求",
    TechNeed,
    "enterprise_id",
    (("status", STR), ("mode", STR), ("published_on", DATE)),
    ordering=("-published_on", "-id"),
)
_source(
    "market_achievements",
    "科技成果",
    Achievement,
    "owner_id",
    (("status", STR), ("type", STR), ("maturity", STR), ("published_on", DATE)),
    ordering=("-published_on", "-id"),
)
_source(
    "market_dockings",
    "对接",
    Docking,
    "enterprise_id",
    (("stage", STR), ("source", STR), ("recommended_on", DATE), ("signed_on", DATE)),
    ordering=("-recommended_on", "-id"),
)
_source(
    "market_contracts",
    "技术合同",
    TechContract,
    "seller_id",
    (
        ("type", STR),
        ("revoked", BOOL),
        ("signed_on", DATE),
        ("registered_on", DATE),
        ("contract_amount", MONEY),
        ("tech_amount", MONEY),
    ),
    ordering=("-registered_on", "-id"),
)


def within(field: str):
    return AllOf(Cond(field, "gte", PERIOD_START), Cond(field, "lte", PERIOD_END))


REGISTERED = AllOf(within("registered_on"), Cond("revoked", "eq", False))

register(
    Indicator(
        "market_need_count",
        "征集企业技术需求",
        "项",
        Count(),
        fact="market_needs",
        filters=within("published_on"),
        description="期内发布的企业技术需求数",
    )
)
register(
    Indicator(
        "market_achievement_count",
        "征集科技成果",
        "项",
        Count(),
        fact="market_achievements",
        filters=within("published_on"),
        description="期内发布的科技成果数",
    )
)
register(
    Indicator(
        "market_docking_count",
        "新增对接",
        "项",
        Count(),
        fact="market_dockings",
        filters=within("recommended_on"),
        description="期内推荐或申请的对接数（各阶段合计）",
    )
)
for stage, label in DockingStage.choices:
    register(
        Indicator(
            f"market_docking_stage_{stage}",
            f"新增对接中目前{label}",
            "项",
            Count(),
            fact="market_dockings",
            filters=AllOf(within("recommended_on"), Cond("stage", "eq", stage)),
            description=f"期内推荐或申请、目前处于“{label}”阶段的对接数",
        )
    )
register(
    Indicator(
        "market_docking_signed_count",
        "签约项目",
        "项",
        Count(),
        fact="market_dockings",
        filters=AllOf(within("signed_on"), Cond("stage", "eq", DockingStage.SIGNED)),
        description="期内签约的对接项目数",
    )
)
register(
    Indicator(
        "market_contract_count",
        "登记技术合同",
        "项",
        Count(),
        fact="market_contracts",
        filters=REGISTERED,
        description="期内认定登记且未撤销的技术合同数（按卖方所在地）",
    )
)
register(
    Indicator(
        "market_contract_amount_sum",
        "技术合同成交额",
        "元",
        SumOf("contract_amount"),
        fact="market_contracts",
        filters=REGISTERED,
        description="期内认定登记且未撤销的技术合同成交额（签约金额）合计",
    )
)
register(
    Indicator(
        "market_contract_tech_amount_sum",
        "技术合同交易额",
        "元",
        SumOf("tech_amount"),
        fact="market_contracts",
        filters=REGISTERED,
        description="期内认定登记且未撤销的技术合同技术交易额合计",
    )
)
for kind, label in ContractType.choices:
    of_type = AllOf(REGISTERED, Cond("type", "eq", kind))
    register(
        Indicator(
            f"market_contract_{kind}_count",
            f"登记{label}合同",
            "项",
            Count(),
            fact="market_contracts",
            filters=of_type,
            description=f"期内认定登记且未撤销的{label}合同数",
        )
    )
    register(
        Indicator(
            f"market_contract_{kind}_tech_amount_sum",
            f"{label}合同技术交易额",
            "元",
            SumOf("tech_amount"),
            fact="market_contracts",
            filters=of_type,
            description=f"期内认定登记且未撤销的{label}合同技术交易额合计",
        )
    )
