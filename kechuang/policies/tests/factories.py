"""Records of the policy app for tests that need one of each (the API schema test)."""

import datetime as dt
from decimal import Decimal

from kechuang.core.testing.matrix import Place
from kechuang.policies.models import InnovationAssessment, PolicyBudget


def make_assessment(place: Place, **fields) -> InnovationAssessment:
    fields = {
        "year": 2023,
        "score": Decimal("72"),
        "assessed_on": dt.date(2024, 5, 1),
        **fields,
    }
    return InnovationAssessment.objects.create(
        organization=place.organization,
        division_code=place.division_code,
        zone=place.zone,
        **fields,
    )


def make_budget(place: Place, **fields) -> PolicyBudget:
    fields = {"policy": "rd_post_subsidy", "year": 2023, "amount": Decimal("1000000"), **fields}
    return PolicyBudget.objects.create(division_code=place.division_code, **fields)


def schema_records(place: Place) -> dict[str, list]:
    """Existing ids per API collection, for detail operations."""
    return {
        "innovation-assessments": [make_assessment(place).pk],
        "policy-budgets": [make_budget(place).pk],
    }
