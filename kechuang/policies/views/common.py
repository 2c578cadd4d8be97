"""What the policy pages share: roles, page size, status badges, conditions in plain terms."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kechuang.core.scoping import STAFF_ROLES, Roles
from kechuang.core.views import has_role
from kechuang.engines.rules import POLICIES, fmt

from .. import selectors
from ..models import RedemptionStatus

READERS = selectors.SCREEN_READERS
BUREAU = frozenset({Roles.ADMIN, Roles.BUREAU})
PAGE = 50
STATUS_BADGE = {
    RedemptionStatus.PROPOSED: "bg-azure-lt",
    RedemptionStatus.APPLIED: "bg-azure-lt",
    RedemptionStatus.VERIFIED: "bg-indigo-lt",
    RedemptionStatus.APPROVED: "bg-green-lt",
    RedemptionStatus.PAID: "bg-teal-lt",
    RedemptionStatus.RETURNED: "bg-yellow-lt",
    RedemptionStatus.REJECTED: "bg-red-lt",
}


def policy_label(key: str) -> str:
    policy = POLICIES.get(key)
    return policy.label if policy else key


def is_staff(user) -> bool:
    return has_role(user, STAFF_ROLES)


def is_admin(user) -> bool:
    return bool(user.is_superuser or user.role == Roles.ADMIN)


def is_bureau(user) -> bool:
    return bool(user.role == Roles.BUREAU and user.division_code)


@dataclass
class ScreenRow:
    """One enterprise (or zone) of a screening, as the matrix and the templates read it."""

    pk: int
    data: dict
    conditions: list[dict] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["data"][name]
        except KeyError:
            raise AttributeError(name) from None


def condition_rows(conditions: list[dict]) -> list[dict]:
    """Each condition with its value and threshold in plain terms."""
    out = []
    for c in conditions:
        value = None if c["value"] is None else fmt(c["value"], c["unit"])
        threshold = None if c["threshold"] is None else fmt(c["threshold"], c["unit"])
        if c["unit"] == "flag":
            value = "是" if c["value"] else "否"
            threshold = "是"
        out.append(
            {
                **c,
                "value_text": value or "无数据",
                "threshold_text": f"{c['op']}{threshold}" if threshold else "—",
            }
        )
    return out
