"""The demo market: realistic, valid, deterministic, and removed with the demo region."""

import pytest

from kechuang.accounts.models import User
from kechuang.demo.builder import build, reset
from kechuang.market.models import (
    Achievement,
    Docking,
    Expert,
    MatchEvent,
    TechContract,
    TechNeed,
)
from kechuang.market.services import achievement_problems, need_problems
from kechuang.market.validators import patent_number_problem

pytestmark = pytest.mark.django_db

N = 150


def snapshot():
    return (
        list(
            TechNeed.objects.order_by("title", "enterprise__uscc").values_list(
                "enterprise__uscc", "title", "status", "published_on", "budget_max"
            )
        ),
        list(
            Achievement.objects.order_by("owner__uscc", "title").values_list(
                "owner__uscc", "title", "type", "patent_number", "price"
            )
        ),
        list(
            Docking.objects.order_by("need__title", "recommended_on", "stage").values_list(
                "need__title", "stage", "recommended_on", "signed_on"
            )
        ),
        list(
            TechContract.objects.order_by("registration_number").values_list(
                "registration_number", "contract_amount", "tech_amount", "registered_on"
            )
        ),
    )


def test_the_demo_market_is_plausible_and_deterministic():
    build(size="small", seed=11, enterprises=N)
    needs = TechNeed.objects.count()
    assert N // 5 - 5 <= needs <= N // 5 + 2  # + the demo enterprise user's own two
    own = User.objects.get(username="enterprise").organization
    assert TechNeed.objects.filter(enterprise=own, status__in=["published", "in_docking", "solved"])
    assert 2.5 * needs <= Achievement.objects.count() <= 3 * needs
    assert Expert.objects.count() >= 8 and MatchEvent.objects.count() == 3
    stages = set(Docking.objects.values_list("stage", flat=True))
    assert {"recommended", "signed", "failed"} <= stages
    assert TechContract.objects.filter(docking__isnull=False).count() == (
        Docking.objects.filter(stage="signed").count()
    )
    assert TechContract.objects.filter(revoked=True).count() <= 1
    for need in TechNeed.objects.all():
        data = {f: getattr(need, f) for f in ("title", "description", "keywords")}
        assert (
            need_problems(data | {"budget_min": need.budget_min, "budget_max": need.budget_max})
            == {}
        )
    for item in Achievement.objects.all():
        assert patent_number_problem(item.patent_number, item.type) is None
        assert achievement_problems({"title": item.title, "abstract": item.abstract}) == {}
    for docking in Docking.objects.filter(stage="failed"):
        assert docking.outcome == "declined" and docking.outcome_reason
    signed = Docking.objects.filter(stage="signed").first()
    assert signed.signed_on >= signed.negotiating_on >= signed.contacted_on >= signed.recommended_on
    from kechuang.core.workflow import history

    assert [log.action for log in history(signed)] == ["contact", "negotiate", "sign"]
    first = snapshot()
    reset()
    for model in (TechNeed, Achievement, Expert, Docking, TechContract, MatchEvent):
        assert model.objects.count() == 0, model
    build(size="small", seed=11, enterprises=N)
    assert snapshot() == first
