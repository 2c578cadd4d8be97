"""Relevance metrics over a labelled set: nDCG@k (graded gains) and recall@k."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def dcg(gains: Sequence[float]) -> float:
    return sum((2.0**g - 1.0) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranked: Sequence[int], judgements: Mapping[int, float], k: int = 10) -> float:
    """nDCG@k of ``ranked`` ids given graded judgements (id → grade > 0)."""
    ideal = dcg(sorted((g for g in judgements.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([judgements.get(i, 0.0) for i in ranked[:k]]) / ideal


def recall_at(ranked: Sequence[int], judgements: Mapping[int, float], k: int = 10) -> float:
    relevant = {i for i, g in judgements.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
