"""Screening of any policy, as the page, the export and ``kechuang screen`` run it: enterprises
for an enterprise policy, zones for a zone policy; and the flat table of its rows (csv / xlsx)."""

from __future__ import annotations

from collections.abc import Callable

from kechuang.engines.rules import ZONE

from . import selectors, zones


def screen_any(
    *,
    user,
    policy_key: str,
    year,
    division: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    paged: bool = False,
):
    """Every enterprise in scope (or every zone, for a zone-level policy), eligible first.

    ``paged`` is for a page that shows a few rows at a time: enterprises then come as
    :class:`~kechuang.policies.selectors.ScreenedRows`, explained on reading."""
    scope = {"user": user, "policy_key": policy_key, "year": year, "division": division}
    if selectors.policy_detail(policy_key).entity == ZONE:
        return zones.screen_zones(**scope)
    if paged:
        return selectors.screen_lazily(**scope)
    return selectors.screen(**scope, progress=progress)


def summarise(rows) -> dict:
    """How many rows, eligible, pending, and the eligible rows' total amount."""
    if isinstance(rows, selectors.ScreenedRows):
        return rows.summary()
    return {
        "total": len(rows),
        "eligible": sum(r["eligible"] for r in rows),
        "pending": sum(r["pending"] for r in rows),
        "amount": sum(r.get("amount") or 0 for r in rows if r["eligible"]),
    }


ENTERPRISE_COLUMNS = (("uscc", "统一社会信用代码"), ("name", "企业名称"))
ZONE_COLUMNS = (("name", "园区名称"), ("division_code", "行政区划代码"))


def flatten(policy, rows: list[dict]) -> tuple[list[str], list[list]]:
    """Header and table for csv / xlsx: one value and one 是否满足 column per condition."""
    info = policy.describe()
    identity = ZONE_COLUMNS if policy.entity == ZONE else ENTERPRISE_COLUMNS
    header = [title for _key, title in identity] + ["是否符合", "待评审"]
    if info["has_score"]:
        header.append("得分")
    if info["has_amount"]:
        header.append("金额（元）")
    for condition in info["conditions"]:
        header += [condition["label"], f"{condition['label']}是否满足"]
    header.append("差距说明")
    yes_no = {True: "是", False: "否"}
    table = []
    for row in rows:
        line = [row[key] for key, _title in identity]
        line += [yes_no[row["eligible"]], yes_no[row["pending"]]]
        if info["has_score"]:
            line.append(row["score"])
        if info["has_amount"]:
            line.append(row["amount"])
        by_key = {c["key"]: c for c in row["conditions"]}
        for condition in info["conditions"]:
            found = by_key.get(condition["key"])
            if found is None:
                line += [None, None]
            else:
                line += [found["value"], "待评审" if found["pending"] else yes_no[found["passed"]]]
        line.append("；".join(row["gaps"]))
        table.append(line)
    return header, table
