"""The shipped policies, by key."""

from __future__ import annotations

from ..engine import Policy
from ..errors import RulesError
from . import hnte, rd_post_subsidy, tech_sme, zone_recognition

POLICIES: dict[str, Policy] = {
    module.policy.key: module.policy
    for module in (hnte, tech_sme, rd_post_subsidy, zone_recognition)
}


def get_policy(key: str) -> Policy:
    try:
        return POLICIES[key]
    except KeyError:
        raise RulesError(f"未知的政策：{key}") from None
