"""研发费用后补助 — a template local policy.

Amount = rate × year-on-year increase of R&D expense (fiscal Y over Y-1), rounded down to the
yuan, capped per enterprise, for enterprises holding one of ``qualifications`` on the day after Y
ends. When a ``budget`` is set and the eligible amounts exceed it, every amount is scaled by
budget / total with the largest-remainder method (see ``allocate``): each is rounded down to the
yuan, then the yuan left over go one each to the largest fractional parts (ties: the earlier
entity), so the amounts add up to the budget exactly and none exceeds its unscaled amount.
"""

from __future__ import annotations

import numpy as np

from ..engine import FLAG, YUAN, Condition, Policy
from .common import QUALIFICATION_LABELS, parameters, reference_day

policy = Policy(
    "rd_post_subsidy",
    "企业研发费用后补助",
    "地方政策模板",
    parameters("rd_post_subsidy"),
    amount="amount",
    summary="按研发费用同比增加额的一定比例补助，单个企业设上限，资金总额不足时按比例核减。",
)
variable = policy.variable


def allocate(amounts, budget) -> np.ndarray:
    """Scale integer-yuan ``amounts`` down to ``budget`` (largest remainder); unchanged when the
    total fits or there is no budget."""
    amounts = np.asarray(amounts, dtype=np.int64)
    if budget is None:
        return amounts
    budget = int(budget)
    total = int(amounts.sum())
    if total <= budget:
        return amounts
    if int(amounts.max()) * budget < 2**62:
        product = amounts * np.int64(budget)
    else:  # exact big integers for very large budgets
        product = amounts.astype(object) * budget
    share = (product // total).astype(np.int64)
    remainder = (product - share.astype(product.dtype) * total).astype(float)
    left = budget - int(share.sum())
    if left:
        order = np.lexsort((np.arange(amounts.size), -remainder))  # largest remainder, then index
        share[order[:left]] += 1
    return share


@variable("rd_increase", "研发费用同比增加额", unit=YUAN)
def rd_increase(s, year):
    return s("rd_expense", year) - s("rd_expense", year - 1)


@variable("qualified", "持有规定资质", unit=FLAG, condition=True)
def qualified(s, year):
    kinds = s.param("qualifications", year)
    held = np.zeros(s.n, dtype=bool)
    for kind in kinds:
        held |= s.holds(kind, reference_day(year))
    names = "或".join(QUALIFICATION_LABELS.get(kind, kind) for kind in kinds)
    return Condition(
        "qualified",
        "持有规定资质",
        held.astype(float),
        1.0,
        held,
        op="",
        unit=FLAG,
        fail_text=f"截至 {reference_day(year)} 未持有有效的{names}资质",
    )


@variable("increase", "研发费用同比增加", unit=YUAN, condition=True)
def increase(s, year):
    delta = s("rd_increase", year)
    with np.errstate(invalid="ignore"):
        passed = delta > 0
    return Condition("increase", "研发费用同比增加额", delta, 0.0, passed, op=">", unit=YUAN)


@variable("base_amount", "核定补助额（未按总额核减）", unit=YUAN)
def base_amount(s, year):
    eligible = s("qualified", year).passed & s("increase", year).passed
    raw = np.floor(float(s.param("rate", year)) * np.nan_to_num(s("rd_increase", year)) + 1e-6)
    capped = np.minimum(raw, float(s.param("cap", year)))
    return np.where(eligible, capped, 0).astype(np.int64)


@variable("amount", "补助金额", unit=YUAN)
def amount(s, year):
    return allocate(s("base_amount", year), s.param("budget", year))
