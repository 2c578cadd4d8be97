"""Policies of the demo region (for the demo builder, once the registry and the demo users
exist): experts' innovation scores for part of the enterprises waiting on them (so 高企 screening
shows eligible enterprises), the city's 2025 budget of the R&D post-subsidy, and its 免申即享 list
confirmed and carried through the workflow: some verified, approved within the budget, paid.

Written through the services as the city bureau, so every step has its audit event and
transition log. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from kechuang.accounts.models import User
from kechuang.core.models import AuditEvent, TransitionLog
from kechuang.demo.data import CITY
from kechuang.demo.plan import DEMO_YEARS
from kechuang.orgs.models import Organization

from . import selectors, services
from .models import InnovationAssessment, PolicyBudget, Redemption

YEAR = DEMO_YEARS[-1]
ASSESSED = 60  # enterprises waiting on the experts' score that get one
BUDGET = Decimal("6000000")


def build(*, seed: int) -> dict[str, int]:
    bureau = User.objects.filter(username="bureau_city").first()
    if bureau is None:
        return {}
    rng = random.Random(f"{seed}-policies")
    waiting = [
        row["id"]
        for row in selectors.screen(user=bureau, policy_key="hnte", year=YEAR)
        if row["pending"]
    ]
    chosen = sorted(rng.sample(waiting, min(ASSESSED, len(waiting))))
    for organization in Organization.objects.filter(pk__in=chosen).order_by("pk"):
        services.innovation_assessment_set(
            actor=bureau,
            organization=organization,
            year=YEAR,
            score=Decimal(rng.randint(5000, 7800)) / 100,
            assessed_on=dt.date(YEAR + 1, 3, rng.randint(1, 28)),
            note="专家组现场评审",
        )
    services.policy_budget_set(
        actor=bureau,
        policy_key="rd_post_subsidy",
        year=YEAR,
        division_code=CITY,
        amount=BUDGET,
    )
    proposed = services.redemptions_confirm_screening(
        actor=bureau, policy_key="rd_post_subsidy", year=YEAR
    )
    for redemption in proposed[: len(proposed) * 2 // 3]:
        services.redemption_transition(actor=bureau, redemption=redemption, action="verify")
    spent = Decimal(0)
    for redemption in proposed[: len(proposed) // 2]:
        if spent + redemption.amount > BUDGET:
            break
        redemption.refresh_from_db()
        services.redemption_transition(actor=bureau, redemption=redemption, action="approve")
        spent += redemption.amount
    for redemption in proposed[: len(proposed) // 4]:
        redemption.refresh_from_db()
        if redemption.status == "approved":
            services.redemption_transition(actor=bureau, redemption=redemption, action="pay")
    return {"assessments": len(chosen), "redemptions": len(proposed)}


def reset(org_ids) -> None:
    """Remove the demo's policy records (before its organizations go), with their logs."""
    for model in (Redemption, InnovationAssessment):
        records = model.objects.filter(organization_id__in=org_ids)
        ids = [str(pk) for pk in records.values_list("pk", flat=True)]
        label = model._meta.label_lower
        TransitionLog.objects.filter(object_type=label, object_id__in=ids).delete()
        AuditEvent.objects.filter(object_type=label, object_id__in=ids).delete()
        records.delete()
    budget = PolicyBudget.objects.filter(policy="rd_post_subsidy", year=YEAR, division_code=CITY)
    AuditEvent.objects.filter(
        object_type=PolicyBudget._meta.label_lower,
        object_id__in=[str(pk) for pk in budget.values_list("pk", flat=True)],
    ).delete()
    budget.delete()
