"""Database → rules ``Inputs``: organizations, their yearly facts and qualifications in bulk.

Four queries whatever the number of enterprises (organizations, enterprise-years of the
window, experts' innovation scores, qualifications). All but the first are read straight from
the cursor (the facts as floats cast in the database: no ``Decimal`` nor converter per value)
and placed column by column with numpy. The experts' score of an enterprise for fiscal year Y
(``InnovationAssessment``) is the yearly input ``innovation_expert_score`` of year Y; without
one it is NaN (pending).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db import connections
from django.db.models import FloatField, QuerySet
from django.db.models.functions import Cast

from kechuang.engines.rules import ENTERPRISE_YEARLY, Inputs, Qualification, date_array
from kechuang.engines.rules.inputs import NO_DATE
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
    in_scope = organizations.values("pk")
    yearly = _yearly_facts(in_scope, ids, years)
    yearly[EXPERT_SCORE] = _expert_scores(in_scope, ids, years)
    static = {
        "founded_on": date_array([r[3] for r in rows]),
        "hightech_field": np.array([r[4] or "" for r in rows], dtype=object),
    }
    return Enterprises(
        Inputs(ids, years, yearly, static, _qualifications(in_scope, ids, year)),
        [r[1] for r in rows],
        [r[2] for r in rows],
    )


def _columns(values: QuerySet) -> list[tuple] | None:
    """The columns of a ``values_list`` query read straight from the cursor (the driver's
    values, none of Django's per-value converters); None when there is no row."""
    sql, params = values.query.sql_with_params()
    with connections[values.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return list(zip(*rows, strict=True)) if rows else None


def _positions(ids: np.ndarray, organization_ids) -> tuple[np.ndarray, np.ndarray]:
    """Each organization's column in ``ids`` (ascending primary keys), and which are there: not an
    enterprise created between the organizations' query and this one."""
    wanted = np.array(organization_ids, dtype=np.int64)
    j = np.searchsorted(ids, wanted).clip(max=len(ids) - 1)
    known = ids[j] == wanted
    return j[known], known


def _yearly_facts(in_scope: QuerySet, ids: np.ndarray, years: tuple[int, ...]) -> dict:
    """``{fact: (years × enterprises) float array}``, NaN where a year or a value is missing."""
    yearly = {name: np.full((len(years), len(ids)), np.nan) for name in ENTERPRISE_YEARLY}
    if not len(ids):
        return yearly
    as_float = {f"{name}_float": Cast(name, FloatField()) for name in ENTERPRISE_YEARLY}
    columns = _columns(
        EnterpriseYear.objects.filter(
            organization__in=in_scope, year__gte=years[0], year__lte=years[-1]
        )
        .annotate(**as_float)
        .values_list("organization_id", "year", *as_float)
    )
    if columns is None:
        return yearly
    organization_ids, fact_years, *facts = columns
    j, known = _positions(ids, organization_ids)
    i = np.array(fact_years, dtype=np.int64)[known] - years[0]
    for name, column in zip(ENTERPRISE_YEARLY, facts, strict=True):
        yearly[name][i, j] = np.array(column, dtype=float)[known]  # None → NaN
    return yearly


def _expert_scores(in_scope: QuerySet, ids: np.ndarray, years: tuple[int, ...]) -> np.ndarray:
    scores = np.full((len(years), len(ids)), np.nan)
    if not len(ids):
        return scores
    columns = _columns(
        InnovationAssessment.objects.filter(
            organization__in=in_scope, year__gte=years[0], year__lte=years[-1]
        )
        .annotate(score_float=Cast("score", FloatField()))
        .values_list("organization_id", "year", "score_float")
    )
    if columns is not None:
        organization_ids, score_years, values = columns
        j, known = _positions(ids, organization_ids)
        i = np.array(score_years, dtype=np.int64)[known] - years[0]
        scores[i, j] = np.array(values, dtype=float)[known]
    return scores


def _qualifications(in_scope: QuerySet, ids: np.ndarray, year: int) -> dict:
    """Per kind, the span of each enterprise: in force on the day after ``year`` ends first,
    then the latest grant (one sort per kind)."""
    if not len(ids):
        return {}
    columns = _columns(
        QualificationRecord.objects.filter(
            organization__in=in_scope, status=QualificationStatus.VALID
        ).values_list("organization_id", "kind", "granted_on", "valid_until")
    )
    if columns is None:
        return {}
    organization_ids, kinds, granted_on, valid_until = columns
    j, known = _positions(ids, organization_ids)
    kinds = np.array(kinds, dtype=object)[known]
    granted = np.array(granted_on, dtype="M8[D]")[known]  # ISO texts (SQLite) or dates
    until = np.array(valid_until, dtype="M8[D]")[known]
    day = np.datetime64(dt.date(year + 1, 1, 1), "D")
    in_force = (granted <= day) & (day <= until)
    out = {}
    for kind in sorted(set(kinds.tolist())):
        rows = np.flatnonzero(kinds == kind)
        rows = rows[np.lexsort((granted[rows], in_force[rows], j[rows]))]  # best last per column
        best = rows[np.append(j[rows][1:] != j[rows][:-1], True)]
        held = Qualification(np.full(len(ids), NO_DATE), np.full(len(ids), NO_DATE))
        held.granted_on[j[best]] = granted[best]
        held.valid_until[j[best]] = until[best]
        out[kind] = held
    return out
