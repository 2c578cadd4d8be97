"""科技型中小企业评价 — size limits, the three score tables, and direct qualification.

Judged on fiscal year Y (the latest year); qualifications as valid on the day after Y ends. An
enterprise qualifies when it meets the size limits and either scores ≥ 60 with a non-zero staff
score, or holds a valid qualification listed in ``direct_qualifications`` (高新技术企业).
"""

from __future__ import annotations

import numpy as np

from ..engine import POINTS, RATIO, YUAN, Condition, Policy
from ..parameters import band_lookup, ge
from .common import divide, parameters, reference_day

policy = Policy(
    "tech_sme",
    "科技型中小企业评价",
    "国科发政〔2017〕115号",
    parameters("tech_sme"),
    score="score",
    summary="职工≤500 人、销售收入与资产总额≤2 亿元；科技人员、研发投入、科技成果三项评分"
    "≥60 分且科技人员指标不为 0 分，或持有有效高新技术企业证书。",
)
variable = policy.variable


def _at_most(key, label, value, limit, unit):
    with np.errstate(invalid="ignore"):
        passed = value <= limit
    return Condition(
        key,
        label,
        value,
        limit,
        passed,
        op="≤",
        unit=unit,
        gap=value - limit,
        gap_unit=unit,
        gap_label="超出",
    )


@variable("size_employees", "职工总数", unit="人", condition=True)
def size_employees(s, year):
    return _at_most(
        "size_employees",
        "职工总数",
        s("employees", year),
        float(s.param("max_employees", year)),
        "人",
    )


@variable("size_revenue", "年销售收入", unit=YUAN, condition=True)
def size_revenue(s, year):
    return _at_most(
        "size_revenue", "年销售收入", s("revenue", year), float(s.param("max_revenue", year)), YUAN
    )


@variable("size_total_assets", "资产总额", unit=YUAN, condition=True)
def size_total_assets(s, year):
    return _at_most(
        "size_total_assets",
        "资产总额",
        s("total_assets", year),
        float(s.param("max_total_assets", year)),
        YUAN,
    )


@variable("staff_score", "科技人员指标得分", unit=POINTS)
def staff_score(s, year):
    share = divide(s("rd_staff", year), s("employees", year))
    return band_lookup(s.param("staff_bands", year), share)


@variable("rd_score", "研发投入指标得分", unit=POINTS)
def rd_score(s, year):
    rd = s("rd_expense", year)
    by_revenue = band_lookup(s.param("rd_revenue_bands", year), divide(rd, s("revenue", year)))
    by_cost = band_lookup(s.param("rd_cost_bands", year), divide(rd, s("total_cost", year)))
    return np.maximum(by_revenue, by_cost)


@variable("ip_score", "科技成果指标得分", unit=POINTS)
def ip_score(s, year):
    first = np.nan_to_num(s("class_i_ip", year))
    by_second = band_lookup(
        s.param("class_ii_ip_bands", year), np.nan_to_num(s("class_ii_ip", year))
    )
    return np.where(first >= 1, float(s.param("class_i_ip_points", year)), by_second)


@variable("direct", "直接认定（有效资质）")
def direct(s, year):
    day = reference_day(year)
    held = np.zeros(s.n, dtype=bool)
    for kind in s.param("direct_qualifications", year):
        held |= s.holds(kind, day)
    return held


@variable("score", "综合评价得分", unit=POINTS)
def score(s, year):
    return s("staff_score", year) + s("rd_score", year) + s("ip_score", year)


@variable("score_ok", "综合评价得分", unit=POINTS, condition=True)
def score_ok(s, year):
    total, need = s("score", year), float(s.param("min_score", year))
    return Condition(
        "score_ok",
        "综合评价得分",
        total,
        need,
        ge(total, need) | s("direct", year),
        unit=POINTS,
        gap=need - total,
        gap_unit=POINTS,
    )


@variable("staff_score_ok", "科技人员指标不为 0 分", unit=POINTS, condition=True)
def staff_score_ok(s, year):
    points = s("staff_score", year)
    share = divide(s("rd_staff", year), s("employees", year))
    need = s.param("staff_bands", year)[-1][0]
    return Condition(
        "staff_score_ok",
        "科技人员占比",
        share,
        need,
        (points > 0) | s("direct", year),
        unit=RATIO,
        gap=np.ceil(need * s("employees", year) - np.nan_to_num(s("rd_staff", year)) - 1e-9),
        gap_unit="人",
    )
