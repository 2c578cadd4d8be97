"""Matching engine: Chinese tokenisation, BM25 ranking, explanations (pure, no Django).

One index per document kind (achievements, needs, experts); any text can query any index, so
need → achievements, need → experts and achievement → needs all go through the same engine::

    from kechuang.engines.matching import (
        Tokenizer, Document, Index, IndexStore, Hit, highlight, E5Reranker,
    )

    tok = Tokenizer.default()            # rjieba + shipped 技术领域 user dictionary + stop words
    doc = Document(
        id=17,
        fields={"title": "…", "body": "…", "keywords": "碳纤维；复合材料"},
        attrs={"field": "新材料", "type": "invention_patent", "maturity": "pilot",
               "region": "340421", "status": "published"},
    )
    index = Index.build(docs, tokenizer=tok, progress=None)   # progress(done, total)
    hits = index.search("query text", k=10,
                        filters={"field": {"新材料"}, "status": {"published"}, "region": "3404"})
    hit.id, hit.score, hit.matched_terms            # matched_terms: query tokens, query order
    highlight(text, hit.matched_terms)              # HTML-escaped text with <mark>…</mark>

    index.add([doc]); index.update([doc]); index.remove([17])   # delta + tombstones
    index.save(path); Index.load(path, mmap=True)

    store = IndexStore(root_dir)
    store.publish(index) -> "v000003"     # written aside, then CURRENT switched atomically
    store.current() -> Index              # cached; reloads when CURRENT changes
    store.rebuild(docs_iterable, tokenizer, progress) -> version   # e.g. in a Celery task
    store.apply(add=[…], update=[…], remove=[…]) -> version   # seen by other processes

    E5Reranker(top_n=30).rerank(query_text, hits, {id: text, …}) -> hits   # Reranker protocol

Fields: ``title`` (weight 3), ``keywords`` (weight 2, separated by ；/;/，/、), anything else
(``body``, ``abstract``, ``description``, ``bio``) weight 1 — change with
``Index.build(…, field_weights={…})``. Filters: a set of values matches any of them, a string
one value; ``region`` values are division-code prefixes. Filters are applied before the top k
is taken. Errors are :class:`MatchingError` (a ``ValueError``) with a Chinese message.
Re-ranking is off by default (``RERANK_BY_DEFAULT``): on the labelled set it did not beat BM25
(see docs/adr/0006-matching-engine.md).
"""

from .evaluate import ndcg_at, recall_at
from .explain import highlight
from .index import Document, Hit, Index, MatchingError
from .rerank import RERANK_BY_DEFAULT, E5Reranker, Reranker
from .store import IndexStore
from .tokenize import Tokenizer

__all__ = [
    "RERANK_BY_DEFAULT",
    "Document",
    "E5Reranker",
    "Hit",
    "Index",
    "IndexStore",
    "MatchingError",
    "Reranker",
    "Tokenizer",
    "highlight",
    "ndcg_at",
    "recall_at",
]
