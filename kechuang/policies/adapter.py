"""Database → rules ``Inputs``: organizations, their yearly facts and qualifications in bulk.

Four queries whatever the number of enterprises (organizations, enterprise-years of the
window, experts' innovation scores, qualifications), each with ``values_list``; the arrays are
filled in Python. The experts' score of an enterprise for fiscal year Y (``InnovationAssessment``)
is the yearly input ``innovation_expert_score`` of year Y; without one it is NaN (pending).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db.models import QuerySet

from kechuang.engines.rules import ENTERPRISE_YEARLY, Inputs, Qualification, date_array
from kechuang.orgs.models import EnterpriseYear, QualificationStatus
from kechuang.orgs.models import Qualification as QualificationRecord

from .models import InnovationAssessment

EXPERT_SCORE = "innovation_expert_score"

WINDOW = 3  # a policy for fiscal year Y reads Y-2..Y


@dataclass
class Enterprises:
    """The inputs of a simulation and the identity of each entity (same order as ``inputs.ids``)."""

    inputs: Inputs
    usccs: list[str]
    names: list[str]

    def __len__(self) -> int:
        return len(self.usccs)


def window(year: int) -> tuple[int, ...]:
    return tuple(range(year - WINDOW + 1, year + 1))


def load_enterprises(organizations: QuerySet, year: int) -> Enterprises:
    """Facts of ``organizations`` (already scoped and filtered) for fiscal years Y-2..Y.

    Years not reported become NaN (as do empty fields); qualifications are those with status
    valid, one span per kind and enterprise: the one in force on the day after Y ends, else the
    most recently granted.
    """
    years = window(year)
    rows = list(
        organizations.order_by("pk").values_list(
            "pk", "uscc", "name", "founded_on", "hightech_field"
        )
    )
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    n = len(rows)
    position = {pk: j for j, pk in enumerate(ids.tolist())}
    yearly = {name: np.full((len(years), n), np.nan) for name in ENTERPRISE_YEARLY}
    if n:
        facts = EnterpriseYear.objects.filter(
            organization__in=organizations.values("pk"), year__gte=years[0], year__lte=years[-1]
        ).values_list("organization_id", "year", *ENTERPRISE_YEARLY)
        for organization_id, fact_year, *values in facts.iterator(chunk_size=5000):
            j = position.get(organization_id)
            if j is None:
                continue
            i = fact_year - years[0]
            for name, value in zip(ENTERPRISE_YEARLY, values, strict=True):
                if value is not None:
                    yearly[name][i, j] = float(value)
        yearly[EXPERT_SCORE] = _expert_scores(organizations, position, years)
    static = {
        "founded_on": date_array([r[3] for r in rows]),
        "hightech_field": np.array([r[4] or "" for r in rows], dtype=object),
    }
    return Enterprises(
        Inputs(ids, years, yearly, static, _qualifications(organizations, position, year)),
        [r[1] for r in rows],
        [r[2] for r in rows],
    )


def _expert_scores(organizations: QuerySet, position: dict, years: tuple[int, ...]) -> np.ndarray:
    scores = np.full((len(years), len(position)), np.nan)
    rows = InnovationAssessment.objects.filter(
        organization__in=organizations.values("pk"), year__gte=years[0], year__lte=years[-1]
    ).values_list("organization_id", "year", "score")
    for organization_id, year, score in rows.iterator(chunk_size=5000):
        j = position.get(organization_id)
        if j is not None:
            scores[year - years[0], j] = float(score)
    return scores


def _qualifications(organizations: QuerySet, position: dict, year: int) -> dict:
    if not position:
        return {}
    day = dt.date(year + 1, 1, 1)
    spans: dict[str, dict[int, tuple[dt.date, dt.date]]] = {}
    records = QualificationRecord.objects.filter(
        organization__in=organizations.values("pk"), status=QualificationStatus.VALID
    ).values_list("organization_id", "kind", "granted_on", "valid_until")
    for organization_id, kind, granted_on, valid_until in records.iterator(chunk_size=5000):
        j = position.get(organization_id)
        if j is None:
            continue
        held = spans.setdefault(kind, {})
        current = held.get(j)
        if current is None or _better((granted_on, valid_until), current, day):
            held[j] = (granted_on, valid_until)
    n = len(position)
    out = {}
    for kind, held in spans.items():
        granted = [None] * n
        until = [None] * n
        for j, (start, end) in held.items():
            granted[j], until[j] = start, end
        out[kind] = Qualification(date_array(granted), date_array(until))
    return out


def _better(span, current, day: dt.date) -> bool:
    """Prefer the span in force on ``day``; among equals, the later grant."""

    def key(s):
        return (s[0] <= day <= s[1], s[0])

    return key(span) > key(current)
