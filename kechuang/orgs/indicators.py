"""The statistics of the organization registry: qualified enterprises, enterprise and
above-scale counts, sums and ratios of the yearly facts (R&D, revenue …).

Counts of qualified enterprises hold on the period's end date (any period); sums of the yearly
facts (EnterpriseYear) are defined for whole years only. Organization counts read the registry
as it stands. The fact tables themselves are read by ``kechuang.stats.facts``.
"""

from __future__ import annotations

from kechuang.engines.indicators import (
    AllOf,
    Ancestor,
    Benchmark,
    Cond,
    Count,
    Growth,
    Holds,
    Indicator,
    PointsDiff,
    Rank,
    RankChange,
    Ratio,
    Share,
    Sum,
)
from kechuang.stats import facts  # noqa: F401 - registers the fact tables first
from kechuang.stats.registry import register

from .models import QualificationKind

PRIVATE = Cond("ownership", "eq", "private")
NATIONAL_RD_INTENSITY = "national.rd_intensity"

QUALIFIED = (
    ("leading_innovator", "创新型领军企业"),
    ("hnte", "高新技术企业"),
    ("tech_sme", "科技型中小企业"),
    ("gazelle", "瞪羚企业"),
    ("little_giant", "专精特新“小巨人”企业"),
)
assert {k for k, _ in QUALIFIED} == set(QualificationKind.values)

for kind, name in QUALIFIED:
    register(
        Indicator(
            f"{kind}_count",
            f"{name}数",
            "家",
            Count(),
            fact="organizations",
            filters=Holds(kind),
            description=f"期末持有有效「{name}」资质的机构数",
        )
    )
    register(
        Indicator(
            f"{kind}_private_count",
            f"民营{name}数",
            "家",
            Count(),
            fact="organizations",
            filters=AllOf(Holds(kind), PRIVATE),
            description=f"期末持有有效「{name}」资质的民营机构数",
        )
    )
    register(
        Indicator(
            f"{kind}_private_share",
            f"{name}民企占比",
            "%",
            Share(f"{kind}_private_count", f"{kind}_count"),
            description=f"民营{name}数 ÷ {name}数",
        )
    )
    register(
        Indicator(
            f"{kind}_count_yoy",
            f"{name}数同比增长",
            "%",
            Growth(f"{kind}_count"),
            description=f"{name}数较上年同期的增长率",
        )
    )

register(
    Indicator(
        "enterprise_count",
        "企业数",
        "家",
        Count(),
        fact="organizations",
        filters=Cond("kind", "eq", "enterprise"),
        description="登记在册的企业数",
    )
)
register(
    Indicator(
        "above_scale_count",
        "规上企业数",
        "家",
        Count(),
        fact="organizations",
        filters=AllOf(Cond("kind", "eq", "enterprise"), Cond("above_scale", "eq", True)),
        description="登记为规模以上的企业数",
    )
)

# --- yearly facts ----------------------------------------------------------------------------

SUMS = (
    ("rd_expense_sum", "研发费用", "元", "rd_expense"),
    ("revenue_sum", "营业收入", "元", "revenue"),
    ("hightech_revenue_sum", "高新技术产品（服务）收入", "元", "hightech_revenue"),
    ("employees_sum", "从业人员", "人", "employees"),
    ("rd_staff_sum", "研发人员", "人", "rd_staff"),
    ("invention_patents_sum", "发明专利", "项", "invention_patents"),
)
for key, name, unit, field in SUMS:
    register(
        Indicator(
            key,
            name,
            unit,
            Sum(field),
            fact="enterprise_years",
            description=f"企业年度数据中「{name}」的合计",
        )
    )
register(
    Indicator(
        "reporting_enterprise_count",
        "报送年度数据的企业数",
        "家",
        Count(),
        fact="enterprise_years",
        description="报送了当年年度数据的机构数",
    )
)
register(
    Indicator(
        "revenue_sum_yoy",
        "营业收入同比增长",
        "%",
        Growth("revenue_sum"),
        description="营业收入合计较上年的增长率",
    )
)
register(
    Indicator(
        "rd_expense_sum_yoy",
        "研发费用同比增长",
        "%",
        Growth("rd_expense_sum"),
        description="研发费用合计较上年的增长率",
    )
)
register(
    Indicator(
        "rd_intensity",
        "研发投入强度",
        "%",
        Ratio("rd_expense_sum", "revenue_sum"),
        description="研发费用合计 ÷ 营业收入合计",
    )
)
register(
    Indicator(
        "rd_intensity_vs_national",
        "研发投入强度与全国之差",
        "个百分点",
        PointsDiff("rd_intensity", Benchmark(NATIONAL_RD_INTENSITY)),
        description="研发投入强度减全国研发投入强度（对比基准），单位：个百分点",
    )
)
register(
    Indicator(
        "rd_intensity_vs_province",
        "研发投入强度与全省之差",
        "个百分点",
        PointsDiff("rd_intensity", Ancestor("province")),
        description="研发投入强度减所在省研发投入强度，单位：个百分点",
    )
)
register(
    Indicator(
        "rd_intensity_rank",
        "研发投入强度排名",
        "位",
        Rank("rd_intensity"),
        description="在同一上级行政区划的下级中（园区：在同省园区中）按研发投入强度由高到低的位次",
    )
)
register(
    Indicator(
        "rd_intensity_rank_change",
        "研发投入强度排名变化",
        "位",
        RankChange("rd_intensity_rank"),
        description="较上年前进的位次（正数为前进）",
    )
)
register(
    Indicator(
        "hnte_count_rank",
        "高新技术企业数排名",
        "位",
        Rank("hnte_count"),
        description="在同一上级行政区划的下级中按高新技术企业数由多到少的位次",
    )
)
