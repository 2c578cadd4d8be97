"""高新技术企业认定 — the conditions of 国科发火〔2016〕32号 第十一条 the data can decide.

Judged for fiscal year Y (the application is made in Y+1) on the day after Y ends. The
expert-judged part of the innovation score (知识产权、科技成果转化能力、研究开发组织管理水平, up
to 80 points) is the optional input ``innovation_expert_score``; the growth part (成长性, up to 20
points) is computed. Without the expert part the innovation condition is pending.
"""

from __future__ import annotations

import numpy as np

from ..engine import COUNT, DAYS, FLAG, POINTS, RATIO, YUAN, Condition, Policy
from ..parameters import band_lookup, ge
from .common import band_threshold, divide, parameters, reference_day, window_sums

policy = Policy(
    "hnte",
    "高新技术企业认定",
    "国科发火〔2016〕32号",
    parameters("hnte"),
    score="innovation_score_total",
    summary="注册满一年、核心知识产权、高新技术领域、研发人员占比、研发费用占比、境内研发占比、"
    "高新技术收入占比、创新能力评价。",
)
variable = policy.variable


@variable("registered", "注册成立时间", unit="年", condition=True)
def registered(s, year):
    founded = s("founded_on", year)
    need = int(s.param("min_registered_years", year))
    day = reference_day(year)
    cutoff = np.datetime64(day.replace(year=day.year - need), "D")
    reference = np.datetime64(day, "D")
    with np.errstate(invalid="ignore"):
        age_days = (reference - founded).astype("m8[D]").astype(float)
        passed = founded <= cutoff
    age_days[np.isnat(founded)] = np.nan
    return Condition(
        "registered",
        "注册成立时间",
        age_days / 365.25,
        need,
        passed,
        unit="年",
        gap=(founded - cutoff).astype("m8[D]").astype(float),
        gap_unit=DAYS,
        gap_label="还差",
    )


@variable("core_ip", "核心知识产权（Ⅰ类+Ⅱ类）", unit=COUNT, condition=True)
def core_ip(s, year):
    first, second = s("class_i_ip", year), s("class_ii_ip", year)
    total = np.where(
        np.isnan(first) & np.isnan(second), np.nan, np.nan_to_num(first) + np.nan_to_num(second)
    )
    need = float(s.param("min_core_ip", year))
    return Condition(
        "core_ip",
        "核心知识产权",
        total,
        need,
        ge(total, need),
        unit="件",
        gap=need - np.nan_to_num(total),
        gap_unit="件",
    )


@variable("has_hightech_field", "所属高新技术领域", unit=FLAG, condition=True)
def has_hightech_field(s, year):
    fields = s("hightech_field", year)
    present = (
        np.array([bool(f) for f in fields], dtype=bool) if fields.dtype == object else fields != ""
    )
    return Condition(
        "has_hightech_field",
        "所属高新技术领域",
        present.astype(float),
        1.0,
        present,
        op="",
        unit=FLAG,
        fail_text="未填报所属国家重点支持的高新技术领域",
    )


@variable("rd_staff_share", "研发人员占比", unit=RATIO, condition=True)
def rd_staff_share(s, year):
    staff, employees = s("rd_staff", year), s("employees", year)
    share = divide(staff, employees)
    need = float(s.param("rd_staff_share", year))
    missing = np.ceil(need * employees - np.nan_to_num(staff) - 1e-9)
    return Condition(
        "rd_staff_share",
        "研发人员占比",
        share,
        need,
        ge(share, need),
        gap=missing,
        gap_unit="人",
    )


@variable("rd_window", "近三个会计年度研发费用与销售收入")
def rd_window(s, year):
    sums, counted = window_sums(s, year, ("revenue", "rd_expense", "rd_expense_domestic"))
    return sums, counted


@variable("rd_intensity", "研发费用占比", unit=RATIO, condition=True)
def rd_intensity(s, year):
    sums, _counted = s("rd_window", year)
    share = divide(sums["rd_expense"], sums["revenue"])
    need = band_threshold(s.param("rd_intensity", year), s("revenue", year))
    return Condition(
        "rd_intensity",
        "研发费用占比",
        share,
        need,
        ge(share, need),
        gap=need * sums["revenue"] - sums["rd_expense"],
        gap_unit=YUAN,
        gap_label="三年合计差",
    )


@variable("domestic_rd_share", "境内研发费用占比", unit=RATIO, condition=True)
def domestic_rd_share(s, year):
    sums, _counted = s("rd_window", year)
    share = divide(sums["rd_expense_domestic"], sums["rd_expense"])
    need = float(s.param("domestic_rd_share", year))
    return Condition(
        "domestic_rd_share",
        "境内研发费用占比",
        share,
        need,
        ge(share, need),
        gap=need * sums["rd_expense"] - sums["rd_expense_domestic"],
        gap_unit=YUAN,
        gap_label="三年合计差",
    )


@variable("hightech_revenue_share", "高新技术产品（服务）收入占比", unit=RATIO, condition=True)
def hightech_revenue_share(s, year):
    revenue, hightech = s("revenue", year), s("hightech_revenue", year)
    share = divide(hightech, revenue)
    need = float(s.param("hightech_revenue_share", year))
    return Condition(
        "hightech_revenue_share",
        "高新技术产品（服务）收入占比",
        share,
        need,
        ge(share, need),
        gap=need * revenue - np.nan_to_num(hightech),
        gap_unit=YUAN,
    )


def growth_rate(first, second, third) -> np.ndarray:
    """½·(Y2/Y1 + Y3/Y2) − 1; a zero (or missing) first year uses Y3/Y2 − 1; a zero (or
    missing) second or a missing third year leaves it undefined (NaN, scored 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        full = 0.5 * (second / first + third / second) - 1
        short = third / second - 1
    no_first = np.isnan(first) | (first == 0)
    rate = np.where(no_first, short, full)
    undefined = np.isnan(second) | (second == 0) | np.isnan(third)
    return np.where(undefined, np.nan, rate)


@variable("net_assets_growth", "净资产增长率", unit=RATIO)
def net_assets_growth(s, year):
    return growth_rate(*(s("net_assets", y) for y in (year - 2, year - 1, year)))


@variable("revenue_growth", "销售收入增长率", unit=RATIO)
def revenue_growth(s, year):
    return growth_rate(*(s("revenue", y) for y in (year - 2, year - 1, year)))


@variable("growth_score", "成长性得分", unit=POINTS)
def growth_score(s, year):
    bands = s.param("growth_bands", year)
    return band_lookup(bands, s("net_assets_growth", year)) + band_lookup(
        bands, s("revenue_growth", year)
    )


@variable("innovation_score_total", "企业创新能力评价得分", unit=POINTS)
def innovation_score_total(s, year):
    return s.optional("innovation_expert_score", year) + s("growth_score", year)


@variable("innovation_score", "企业创新能力评价", unit=POINTS, condition=True)
def innovation_score(s, year):
    total = s("innovation_score_total", year)
    need = float(s.param("min_innovation_score", year))
    with np.errstate(invalid="ignore"):
        passed = total > need
    return Condition(
        "innovation_score",
        "企业创新能力评价得分",
        total,
        need,
        passed,
        op=">",
        unit=POINTS,
        gap=need - total,
        gap_unit=POINTS,
        pending=np.isnan(total),
        pending_text="待专家评审（知识产权、成果转化、研发组织管理）",
    )
