"""Regression guard on the hand-labelled set (tests/data/relevance.yaml).

Measured with the shipped tokenizer (search mode, 技术领域 dictionary) and the default index
options: see docs/adr/0006-matching-engine.md. A change that lowers any figure by more than
the margin fails here.
"""

import pytest

from kechuang.engines.matching import Tokenizer
from kechuang.engines.matching.tests.relevance import evaluate, labelled

MARGIN = 0.02
MEASURED = {
    "need→achievements": {"ndcg": 0.977, "recall": 0.958},
    "need→experts": {"ndcg": 0.981, "recall": 0.983},
    "achievement→needs": {"ndcg": 0.932, "recall": 0.962},
}


def test_the_set_is_big_enough():
    data = labelled()
    assert len(data["needs"]) >= 25
    assert len(data["achievements"]) >= 120
    assert len({a["field"] for a in data["achievements"]}) >= 5
    ids = {a["id"] for a in data["achievements"]}
    for need in data["needs"]:
        assert set(need["achievements"]) <= ids


@pytest.fixture(scope="module")
def results():
    return evaluate(Tokenizer.default())


@pytest.mark.parametrize("direction", list(MEASURED))
def test_relevance_does_not_regress(results, direction):
    got = results[direction]
    assert got["ndcg"] >= MEASURED[direction]["ndcg"] - MARGIN, got
    assert got["recall"] >= MEASURED[direction]["recall"] - MARGIN, got


def test_plain_segmentation_without_search_mode_and_dictionary_scores_lower():
    plain = evaluate(Tokenizer(mode="default"))
    shipped = evaluate(Tokenizer.default())
    assert plain["need→achievements"]["recall"] <= shipped["need→achievements"]["recall"]
