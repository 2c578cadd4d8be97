"""Screening and the reserve: results, ordering, gap texts and scope."""

import pytest

from kechuang.core.exceptions import NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import user_with_role
from kechuang.policies import selectors
from kechuang.policies.selectors import UnknownPolicy


def _by_name(rows):
    return {row["name"]: row for row in rows}


def test_hnte_pass_and_fail_with_gap_text(enterprises):
    rows = selectors.screen(user=None, policy_key="hnte", year=2023)
    found = _by_name(rows)
    strong, weak = found["强科技有限公司"], found["弱研发有限公司"]
    # Every decidable condition passes; the experts' score is not in the database: pending.
    assert strong["failed"] == 0 and strong["pending"] and not strong["eligible"]
    assert weak["failed"] == 1 and not weak["pending"]
    intensity = next(c for c in weak["conditions"] if c["key"] == "rd_intensity")
    assert not intensity["passed"]
    assert intensity["threshold"] == pytest.approx(0.04)  # revenue 52 M: the 4 % band
    assert intensity["value"] == pytest.approx(1.5 / 52)
    # Three years: revenue 156 M × 4 % = 624 万元, R&D 450 万元 → 174 万元 short.
    assert intensity["gap"] == pytest.approx(1_740_000)
    assert "研发费用占比 2.9%，需 ≥4%，三年合计差 174 万元" in weak["gaps"]
    assert {c["key"] for c in strong["conditions"]} == {c["key"] for c in weak["conditions"]}
    # Pending (closer) before failing.
    names = [row["name"] for row in rows]
    assert names.index("弱研发有限公司") > names.index("强科技有限公司")


def test_tech_sme_eligible_first_with_score(enterprises):
    rows = selectors.screen(user=None, policy_key="tech_sme", year=2023)
    assert rows[0]["eligible"]
    assert rows[0]["score"] == 78  # staff 15 % → 8, R&D 5 % of revenue → 40, class I IP → 30
    eligible = [row["eligible"] for row in rows]
    assert eligible == sorted(eligible, reverse=True)


def test_reserve_orders_by_failed_then_gap_and_drops_holders(enterprises):
    rows = selectors.reserve(user=None, policy_key="hnte", year=2023)
    assert [row["name"] for row in rows][-1] == "弱研发有限公司"
    assert all(not row["eligible"] for row in rows)
    # tech_sme: the weak one scores 8 + 10 + 30 = 48 (< 60); the others are eligible.
    (row,) = selectors.reserve(user=None, policy_key="tech_sme", year=2023)
    assert row["name"] == "弱研发有限公司" and row["score"] == 48
    assert any("60" in text for text in row["gaps"])


def test_reserve_leaves_out_current_holders(enterprises):
    from kechuang.core.testing.factories import QualificationFactory

    QualificationFactory(organization=enterprises["weak"], kind="hnte")
    names = [r["name"] for r in selectors.reserve(user=None, policy_key="hnte", year=2023)]
    assert "弱研发有限公司" not in names and "强科技有限公司" in names


def test_bureau_of_a_city_does_not_see_another_city(enterprises):
    bureau = user_with_role(Roles.BUREAU, division_code="340400")
    names = {row["name"] for row in selectors.screen(user=bureau, policy_key="hnte", year=2023)}
    assert names == {"强科技有限公司", "弱研发有限公司"}
    assert selectors.screen(user=bureau, policy_key="hnte", year=2023, division="340421")
    with pytest.raises(NotInScope):
        selectors.screen(user=bureau, policy_key="hnte", year=2023, division="340102")
    with pytest.raises(NotInScope):
        selectors.screen(user=bureau, policy_key="hnte", year=2023, division="34")


def test_enterprise_sees_only_itself(enterprises):
    user = user_with_role(Roles.ENTERPRISE, organization=enterprises["weak"])
    rows = selectors.screen(user=user, policy_key="hnte", year=2023)
    assert [row["id"] for row in rows] == [enterprises["weak"].pk]


def test_other_roles_are_refused(enterprises):
    with pytest.raises(RoleNotAllowed):
        selectors.screen(user=user_with_role(Roles.EXPERT), policy_key="hnte", year=2023)


def test_bad_inputs(enterprises):
    with pytest.raises(UnknownPolicy):
        selectors.screen(user=None, policy_key="nope", year=2023)
    with pytest.raises(ValidationFailed, match="按园区评价"):
        selectors.screen(user=None, policy_key="zone_recognition", year=2023)
    with pytest.raises(ValidationFailed):
        selectors.screen(user=None, policy_key="hnte", year="20x3")
    with pytest.raises(ValidationFailed):
        selectors.screen(user=None, policy_key="hnte", year=2023, division="3404x")
    with pytest.raises(ValidationFailed, match="尚未生效"):
        selectors.screen(user=None, policy_key="hnte", year=2005)


def test_rd_post_subsidy_uses_the_previous_year(enterprises):
    from decimal import Decimal

    from kechuang.orgs.models import EnterpriseYear

    EnterpriseYear.objects.filter(organization=enterprises["strong"], year=2023).update(
        rd_expense=Decimal("3600000.00")
    )
    found = _by_name(selectors.screen(user=None, policy_key="rd_post_subsidy", year=2023))
    strong = found["强科技有限公司"]
    assert strong["eligible"]  # holds tech_sme on 2024-01-01 and raised R&D by 100 万元
    assert strong["amount"] == 150_000  # 15 % from 2023
    assert not found["合肥远方有限公司"]["eligible"]  # no qualification, no increase


@pytest.mark.parametrize("policy_key", ["hnte", "tech_sme", "rd_post_subsidy"])
def test_rows_explained_on_reading_are_the_screening_rows(enterprises, policy_key):
    from kechuang.policies.screening import summarise

    scope = {"user": None, "policy_key": policy_key, "year": 2023}
    every = selectors.screen(**scope)
    lazy = selectors.screen_lazily(**scope)
    assert len(lazy) == len(every) == 3
    assert lazy[0:2] == every[0:2] and lazy[2:] == every[2:]
    assert summarise(lazy) == summarise(every)
