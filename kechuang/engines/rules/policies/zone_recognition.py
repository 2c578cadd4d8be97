"""高新区认定条件（园区层面）— a zone-level policy over zone inputs (entity ``zone``).

Inputs per zone and year: ``enterprises`` (enterprises in the zone), ``hitech_enterprises``
(enterprises that are 高新技术企业 or 科技型中小企业, each counted once) and ``platforms``
(provincial-or-higher R&D and innovation platforms).
"""

from __future__ import annotations

import numpy as np

from ..engine import RATIO, Condition, Policy
from ..inputs import ZONE
from ..parameters import ge
from .common import divide, parameters

policy = Policy(
    "zone_recognition",
    "高新区认定条件",
    "省级高新区认定条件",
    parameters("zone_recognition"),
    entity=ZONE,
    summary="高新技术企业与科技型中小企业占园区企业 ≥30%；省级及以上平台 ≥20 个。",
)
variable = policy.variable


@variable("hitech_share", "高企与科技型中小企业占比", unit=RATIO, condition=True)
def hitech_share(s, year):
    total, hitech = s("enterprises", year), s("hitech_enterprises", year)
    share = divide(hitech, total)
    need = float(s.param("min_hitech_share", year))
    return Condition(
        "hitech_share",
        "高新技术企业与科技型中小企业占比",
        share,
        need,
        ge(share, need),
        gap=np.ceil(need * total - np.nan_to_num(hitech) - 1e-9),
        gap_unit="家",
    )


@variable("platform_count", "省级及以上平台数", unit="个", condition=True)
def platform_count(s, year):
    count, need = s("platforms", year), float(s.param("min_platforms", year))
    return Condition(
        "platform_count",
        "省级及以上平台数",
        count,
        need,
        ge(count, need),
        unit="个",
        gap=need - np.nan_to_num(count),
        gap_unit="个",
    )
