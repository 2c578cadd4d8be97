"""BM25 index over documents with field weights, filter attributes, a delta and tombstones.

Layout (see docs/adr/0006-matching-engine.md):

* **base**: a bm25s index (CSC matrix of precomputed BM25 scores, one column per token, rows
  sorted inside each column) built once over all documents, saved as ``.npy`` files and loaded
  memory-mapped. Field weights are applied by repeating a field's tokens (title × 3, keywords
  × 2, body × 1 by default), so one posting list per token serves every field.
* **attributes**: per attribute one ``int32`` code per base row; a code stands for the set of
  values of a document (experts have several fields), so a filter is a lookup of the wanted
  codes and a lookup table over the codes selects the candidate rows.
* **delta + tombstones**: ``add``/``update``/``remove`` after the build mark base rows dead
  and keep new versions in a small in-memory delta scored with the base's statistics; both are
  merged at query time and disappear at the next rebuild.
"""

from __future__ import annotations

import array
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import numpy as np
from bm25s.scoring import _select_idf_scorer, _select_tfc_scorer

from .attrs import AttrColumn, AttrValue, attr_values, matches
from .bm25 import MatchingError, bm25_matrix, column_max, top_k
from .tokenize import Tokenizer

logging.getLogger("bm25s").setLevel(logging.WARNING)

FORMAT = 1
DEFAULT_FIELD_WEIGHTS = {"title": 3, "keywords": 2}
PREFIX_ATTRS = ("region",)
KEYWORD_FIELDS = ("keywords",)
METHODS = ("lucene", "robertson", "atire")

Progress = Callable[[int, int], None]
FilterSpec = Mapping[str, AttrValue]


@dataclass(frozen=True)
class Document:
    """A document to index: an integer id, text fields and filter attributes.

    ``fields``: name → text (``title``, ``body``/``abstract``/``description``/``bio``,
    ``keywords`` separated by ``；`` or ``;``). ``attrs``: name → a value or several values
    (``field``, ``type``, ``maturity``, ``region`` = division code, ``status``, ``kind``).
    """

    id: int
    fields: Mapping[str, str | None]
    attrs: Mapping[str, AttrValue] = field(default_factory=dict)


@dataclass
class Hit:
    """One result: the document id, its score (BM25, or the re-ranker's), the query tokens
    the document contains (in query order) and the BM25 score before any re-ranking."""

    id: int
    score: float
    matched_terms: list[str]
    bm25_score: float | None = None

    def __post_init__(self):
        if self.bm25_score is None:
            self.bm25_score = self.score


@dataclass
class TokenizedCorpus:
    """Documents as token-id lists (``vocab`` maps token → id), their ids and attributes."""

    tokens: list[array.array]
    vocab: dict[str, int]
    ids: np.ndarray
    attrs: dict[str, AttrColumn]


@dataclass
class _DeltaDoc:
    tf: dict[str, int]
    length: int
    attrs: dict[str, frozenset[str]]


class _CountingList(list):
    """Reports progress while bm25s iterates the token lists (three passes)."""

    def __init__(self, items, report: Callable[[int], None]):
        super().__init__(items)
        self._report = report
        self._seen = 0

    def __iter__(self) -> Iterator:
        step = 10_000
        for i, item in enumerate(super().__iter__()):
            if i % step == 0 and i:
                self._seen += step
                self._report(self._seen)
            yield item


def _prune(terms: list[str]) -> list[str]:
    """Drop a matched term that is part of a longer matched term (碳纤维 inside 碳纤维复合材料):
    search-mode segmentation emits both, the explanation shows the longer one."""
    if len(terms) < 2:
        return terms
    return [t for t in terms if not any(t != o and t in o for o in terms)]


def _replace_npy(path: Path, array_: np.ndarray) -> None:
    """Write through a temporary name: a file hard-linked from another version is never changed."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        np.save(f, array_)
    os.replace(tmp, path)


def _replace_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class Index:
    """A BM25 index of documents of one kind; query with any text.

    Build with :meth:`build`, query with :meth:`search`, keep in step with :meth:`add`,
    :meth:`update`, :meth:`remove`, persist with :meth:`save` / :meth:`load`.
    """

    def __init__(
        self,
        *,
        tokenizer: Tokenizer | None = None,
        field_weights: Mapping[str, int] | None = None,
        k1: float = 1.2,
        b: float = 0.75,
        method: str = "lucene",
        prefix_attrs: Sequence[str] = PREFIX_ATTRS,
        vectorised_build: bool = True,
    ):
        if method not in METHODS:
            raise MatchingError(f"BM25 方法 {method!r} 不受支持（可选：{', '.join(METHODS)}）")
        weights = dict(DEFAULT_FIELD_WEIGHTS if field_weights is None else field_weights)
        for name, weight in weights.items():
            if not isinstance(weight, int) or weight < 0:
                raise MatchingError(f"字段权重 {name}={weight!r} 必须是非负整数")
        self.tokenizer = tokenizer or Tokenizer.default()
        self.field_weights = weights
        self.k1, self.b, self.method = float(k1), float(b), method
        self.prefix_attrs = tuple(prefix_attrs)
        # True: the CSC matrix is computed with whole-array numpy (same values as bm25s's own
        # per-document loop, which is used when False); the result is a bm25s index either way.
        self.vectorised_build = vectorised_build
        self._idf = _select_idf_scorer(method)
        self._tfc = _select_tfc_scorer(method)
        # base
        self._bm25: bm25s.BM25 | None = None
        self._vocab: dict[str, int] = {}
        self._data = self._indices = self._indptr = None
        self._colmax = np.zeros(0, dtype=np.float32)  # best score of each column (MaxScore)
        self._ids = np.empty(0, dtype=np.int64)
        self._order = np.empty(0, dtype=np.int64)  # argsort of _ids, for id → row
        self._dead = np.zeros(0, dtype=bool)
        self._n_dead = 0
        self._avgdl = 0.0
        self._attrs: dict[str, AttrColumn] = {}
        self._base_dir: Path | None = None
        self.built_with: str | None = self.tokenizer.fingerprint  # tokenizer of the base
        # delta
        self._delta: dict[int, _DeltaDoc] = {}
        self._delta_df: Counter[str] = Counter()

    # ------------------------------------------------------------------ building
    def doc_tokens(self, doc: Document) -> list[str]:
        """The weighted token list of a document (a field's tokens repeated by its weight)."""
        tokens: list[str] = []
        for name, text in doc.fields.items():
            if not text:
                continue
            weight = self.field_weights.get(name, 1)
            if weight == 0:
                continue
            if name in KEYWORD_FIELDS:
                part = self.tokenizer.tokenize_keywords(text)
            else:
                part = self.tokenizer.tokenize(text)
            tokens.extend(part * weight)
        return tokens

    @staticmethod
    def _check_doc(doc, position: int) -> None:
        if not isinstance(doc, Document):
            raise MatchingError(f"第 {position + 1} 个对象不是 Document（{type(doc).__name__}）")
        if isinstance(doc.id, bool) or not isinstance(doc.id, int | np.integer):
            raise MatchingError(f"第 {position + 1} 个文档的 id {doc.id!r} 不是整数")

    @classmethod
    def build(
        cls,
        docs: Iterable[Document],
        tokenizer: Tokenizer | None = None,
        progress: Progress | None = None,
        *,
        total: int | None = None,
        **options,
    ) -> Index:
        """Tokenise and index ``docs``.

        ``progress(done, total)`` is called every few thousand documents; the units are steps of
        work (each document is counted once when tokenised and once when scored), ``done ==
        total`` at the end. ``total`` is the number of documents when ``docs`` has no ``len``.
        """
        index = cls(tokenizer=tokenizer, **options)
        corpus = index.tokenize_corpus(docs, progress, total=total)
        index.index_tokenized(corpus, progress)
        return index

    def tokenize_corpus(
        self,
        docs: Iterable[Document],
        progress: Progress | None = None,
        *,
        total: int | None = None,
    ) -> TokenizedCorpus:
        """First half of :meth:`build`: documents → token-id lists, ids and attribute codes."""
        if total is None and hasattr(docs, "__len__"):
            total = len(docs)
        vocab: dict[str, int] = {}
        corpus: list[array.array] = []
        ids = array.array("q")
        columns: dict[str, AttrColumn] = {}
        seen: set[int] = set()
        empty = frozenset()
        for position, doc in enumerate(docs):
            self._check_doc(doc, position)
            doc_id = int(doc.id)
            if doc_id in seen:
                raise MatchingError(f"文档 id {doc_id} 重复（第 {position + 1} 个）")
            seen.add(doc_id)
            row = array.array("i")
            for token in self.doc_tokens(doc):
                tid = vocab.get(token)
                if tid is None:
                    tid = vocab[token] = len(vocab)
                row.append(tid)
            corpus.append(row)
            ids.append(doc_id)
            for name in doc.attrs:
                if name not in columns:
                    column = columns[name] = AttrColumn()
                    column.start()
                    column._building.extend([-1] * position)
            for name, column in columns.items():
                column.append(attr_values(doc.attrs.get(name)) if name in doc.attrs else empty)
            if progress and position % 5_000 == 0 and position:
                progress(position, 2 * max(total or 0, position + 1))
        for column in columns.values():
            column.finish()
        n = len(corpus)
        if progress:
            progress(n, 2 * n)
        return TokenizedCorpus(corpus, vocab, np.frombuffer(ids, dtype=np.int64).copy(), columns)

    def index_tokenized(self, corpus: TokenizedCorpus, progress: Progress | None = None) -> None:
        """Second half of :meth:`build`: the bm25s index over the token ids."""
        n = len(corpus.tokens)
        self._set_base(corpus.tokens, corpus.vocab, corpus.ids, progress)
        self._attrs = dict(sorted(corpus.attrs.items()))
        if progress:
            progress(2 * n, 2 * n)

    def _set_base(self, corpus, vocab, ids, progress) -> None:
        n = len(corpus)
        self._ids = ids
        self._order = np.argsort(ids, kind="stable")
        self._dead = np.zeros(n, dtype=bool)
        self._n_dead = 0
        lengths = [len(row) for row in corpus]
        if n == 0 or not vocab or sum(lengths) == 0:
            # Nothing to score: keep the rows (ids, attributes) with an empty vocabulary.
            self._vocab = {}
            self._avgdl = 0.0
            self._data = np.empty(0, dtype=np.float32)
            self._indices = np.empty(0, dtype=np.int32)
            self._indptr = np.zeros(1, dtype=np.int64)
            self._colmax = np.zeros(0, dtype=np.float32)
            self._bm25 = None
            return
        self._avgdl = float(np.mean(lengths))
        bm25 = bm25s.BM25(k1=self.k1, b=self.b, method=self.method, backend="numpy")
        if self.vectorised_build:
            data, indices, indptr = bm25_matrix(
                corpus, lengths, len(vocab), self.k1, self.b, self.method, progress
            )
            bm25.scores = {"data": data, "indices": indices, "indptr": indptr, "num_docs": n}
            bm25.vocab_dict = vocab
            bm25.unique_token_ids_set = None
            bm25.nonoccurrence_array = None
        else:
            if progress:
                wrapped = _CountingList(
                    corpus, lambda seen: progress(n + min(n - 1, seen // 3), 2 * n)
                )
            else:
                wrapped = corpus
            bm25.index((wrapped, vocab), create_empty_token=False, show_progress=False)
        self._bm25 = bm25
        self._vocab = bm25.vocab_dict
        self._data = bm25.scores["data"]
        self._indices = bm25.scores["indices"]
        self._indptr = bm25.scores["indptr"]
        self._colmax = column_max(self._data, self._indptr)

    # ------------------------------------------------------------------ properties
    @property
    def base_size(self) -> int:
        return len(self._ids)

    @property
    def delta_size(self) -> int:
        return len(self._delta)

    def __len__(self) -> int:
        return len(self._ids) - self._n_dead + len(self._delta)

    @property
    def tokenizer_changed(self) -> bool:
        """True when the base was built with another dictionary, stop list or mode: rebuild."""
        return self.built_with is not None and self.built_with != self.tokenizer.fingerprint

    @property
    def needs_compaction(self) -> bool:
        """True when the delta or the tombstones have grown past a tenth of the base (rebuild)."""
        base = max(len(self._ids), 1)
        return len(self._delta) + self._n_dead > max(1_000, base // 10)

    def _row_of(self, doc_id: int) -> int | None:
        if not len(self._ids):
            return None
        pos = int(np.searchsorted(self._ids, doc_id, sorter=self._order))
        if pos < len(self._order):
            row = int(self._order[pos])
            if self._ids[row] == doc_id:
                return row
        return None

    def __contains__(self, doc_id: int) -> bool:
        if doc_id in self._delta:
            return True
        row = self._row_of(int(doc_id))
        return row is not None and not self._dead[row]

    # ------------------------------------------------------------------ incremental
    def _kill(self, doc_id: int) -> bool:
        row = self._row_of(doc_id)
        if row is not None and not self._dead[row]:
            if not self._dead.flags.writeable:
                self._dead = self._dead.copy()
            self._dead[row] = True
            self._n_dead += 1
            return True
        return False

    def _put_delta(self, doc: Document) -> None:
        tokens = self.doc_tokens(doc)
        tf = dict(Counter(tokens))
        self._drop_delta(int(doc.id))
        self._delta[int(doc.id)] = _DeltaDoc(
            tf=tf, length=len(tokens), attrs={k: attr_values(v) for k, v in doc.attrs.items()}
        )
        self._delta_df.update(tf.keys())

    def _drop_delta(self, doc_id: int) -> bool:
        old = self._delta.pop(doc_id, None)
        if old is None:
            return False
        self._delta_df.subtract(old.tf.keys())
        return True

    def add(self, docs: Iterable[Document]) -> None:
        """Add new documents; an id already in the index raises (use :meth:`update`)."""
        docs = list(docs)
        for position, doc in enumerate(docs):
            self._check_doc(doc, position)
            if int(doc.id) in self:
                raise MatchingError(f"文档 id {doc.id} 已在索引中（请用 update）")
        if len({int(d.id) for d in docs}) != len(docs):
            raise MatchingError("add 的文档 id 有重复")
        for doc in docs:
            self._put_delta(doc)

    def update(self, docs: Iterable[Document]) -> None:
        """Replace documents (an id not yet indexed is added)."""
        docs = list(docs)
        for position, doc in enumerate(docs):
            self._check_doc(doc, position)
        for doc in docs:
            self._kill(int(doc.id))
            self._put_delta(doc)

    def remove(self, ids: Iterable[int]) -> int:
        """Remove documents by id; unknown ids are ignored. Returns how many were removed."""
        removed = 0
        for doc_id in ids:
            doc_id = int(doc_id)
            hit_delta = self._drop_delta(doc_id)
            hit_base = self._kill(doc_id)
            removed += hit_delta or hit_base
        return removed

    # ------------------------------------------------------------------ searching
    def _filter_plan(self, filters: FilterSpec | None):
        plan = []
        for name, spec in (filters or {}).items():
            if spec is None:
                continue
            wanted = attr_values(spec)
            plan.append((name, wanted, name in self.prefix_attrs))
        return plan

    def search(
        self, query: str | None, k: int = 10, filters: FilterSpec | None = None
    ) -> list[Hit]:
        """Top ``k`` documents for a text; ``filters`` maps attribute → value(s).

        A set/list of values matches documents having any of them; a single string matches that
        value. For ``region`` (and other ``prefix_attrs``) each value is a code prefix
        (``"3404"`` matches ``340421``). Filters restrict the candidates before the top ``k`` is
        taken, so a filtered query still returns ``k`` hits when ``k`` documents match.
        Only documents sharing at least one token with the query are returned.
        """
        return self.search_tokens(self.tokenizer.tokenize(query), k=k, filters=filters)

    def search_tokens(
        self,
        tokens: Sequence[str],
        k: int = 10,
        filters: FilterSpec | None = None,
        *,
        exhaustive: bool = False,
    ) -> list[Hit]:
        """:meth:`search` on tokens; ``exhaustive=True`` scores every posting (no MaxScore
        early stop; same results, used to check the pruning)."""
        if isinstance(k, bool) or not isinstance(k, int) or k < 0:
            raise MatchingError(f"k 必须是非负整数（得到 {k!r}）")
        if not tokens or k == 0:
            return []
        weights = Counter(tokens)
        terms = list(weights)  # query order, unique
        plan = self._filter_plan(filters)
        hits = self._search_base(terms, weights, k, plan, exhaustive=exhaustive)
        if self._delta:
            hits.extend(self._search_delta(terms, weights, plan))
            hits.sort(key=lambda h: (-h.score, h.id))
            del hits[k:]
        return hits

    def _allowed(self, cand: np.ndarray, plan_codes) -> np.ndarray:
        """The rows of ``cand`` that are alive and pass every filter."""
        if self._n_dead and len(cand):
            cand = cand[~self._dead[cand]]
        for column, wanted in plan_codes:
            if not len(cand):
                break
            cand = cand[wanted[column.codes[cand]]]
        return cand

    def _term_scores(self, start: int, end: int, rows: np.ndarray) -> np.ndarray:
        """The precomputed BM25 contribution of one term to ``rows`` (0 where absent)."""
        posting = self._indices[start:end]
        pos = np.minimum(np.searchsorted(posting, rows), len(posting) - 1)
        present = posting[pos] == rows
        return np.where(present, self._data[start:end][pos], np.float32(0))

    def _search_base(self, terms, weights, k, plan, exhaustive: bool = False) -> list[Hit]:
        n = len(self._ids)
        if n == 0 or not self._vocab:
            return []
        plan_codes = []
        for name, wanted, prefix in plan:
            column = self._attrs.get(name)
            if column is None or not wanted:
                return []
            codes = column.wanted_codes(wanted, prefix)
            if not len(codes):
                return []
            # a lookup table over the codes; the extra last entry answers code -1 (no value)
            table = np.zeros(len(column.values) + 1, dtype=bool)
            table[codes] = True
            plan_codes.append((column, table))
        indptr = self._indptr
        postings = []  # (length, term, start, end, weight, upper bound)
        spans = []
        for term in terms:
            col = self._vocab.get(term)
            if col is None:
                continue
            start, end = int(indptr[col]), int(indptr[col + 1])
            spans.append((term, start, end))
            if end > start:
                w = weights[term]
                postings.append((end - start, term, start, end, w, float(self._colmax[col]) * w))
        if not postings:
            return []
        # Rare terms first. After each term, the documents not yet touched can score at most the
        # sum of the remaining terms' upper bounds (MaxScore): once that is below the k-th best
        # full score among the touched documents, the top k is exact without reading the long
        # posting lists of common terms in full.
        postings.sort(key=lambda p: (p[0], p[1]))
        rest_ub = [0.0] * (len(postings) + 1)
        for i in range(len(postings) - 1, -1, -1):
            rest_ub[i] = rest_ub[i + 1] + postings[i][5]
        data, indices = self._data, self._indices
        scores = np.zeros(n, dtype=np.float32)
        total = sum(p[0] for p in postings)
        touched = 0
        checks = 0
        chosen = None
        for i, (length, _term, start, end, w, _ub) in enumerate(postings):
            # np.add.at has a fast 1-D path in numpy 2 (about twice a fancy-index +=)
            if w == 1:
                np.add.at(scores, indices[start:end], data[start:end])
            else:
                np.add.at(scores, indices[start:end], data[start:end] * np.float32(w))
            touched += length
            if exhaustive or i + 1 == len(postings) or checks >= 2:
                continue
            if total - touched < max(16_384, 2 * touched):
                continue  # reading the rest is cheaper than checking
            checks += 1
            if touched < n // 16:
                cand = np.unique(np.concatenate([indices[p[2] : p[3]] for p in postings[: i + 1]]))
            else:
                cand = np.flatnonzero(scores > 0)
            cand = self._allowed(cand, plan_codes)
            if len(cand) < k:
                continue
            partial = scores[cand]
            theta = float(np.partition(partial, len(partial) - k)[len(partial) - k])
            rest = rest_ub[i + 1]
            if rest >= theta:
                continue
            # Every document outside ``cand`` scores at most ``rest`` < theta ≤ the k-th best
            # full score; inside, only those with partial + rest ≥ theta can still reach it.
            contenders = partial + np.float32(rest) >= np.float32(theta)
            cand, full = cand[contenders], partial[contenders]
            for _, _, s2, e2, w2, _ in postings[i + 1 :]:
                extra = self._term_scores(s2, e2, cand)
                full = full + (extra if w2 == 1 else extra * np.float32(w2))
            chosen = (cand, full)
            break
        if chosen is None and not plan_codes and not self._n_dead:
            cand = top_k(scores, k)  # straight on the score vector: no candidate list
            cand = cand[scores[cand] > 0]
            chosen = (cand, scores[cand])
        elif chosen is None:
            cand = self._allowed(np.flatnonzero(scores > 0), plan_codes)
            chosen = (cand, scores[cand])
        cand, cand_scores = chosen
        if not len(cand):
            return []
        if len(cand) > k:
            top = top_k(cand_scores, k)
            cand, cand_scores = cand[top], cand_scores[top]
        order = np.lexsort((self._ids[cand], -cand_scores))
        rows, top_scores = cand[order], cand_scores[order]
        matched = [[] for _ in range(len(rows))]
        for term, start, end in spans:
            if end <= start:
                continue
            posting = indices[start:end]
            pos = np.minimum(np.searchsorted(posting, rows), len(posting) - 1)
            for i in np.flatnonzero(posting[pos] == rows):
                matched[i].append(term)
        return [
            Hit(id=int(self._ids[r]), score=float(s), matched_terms=_prune(m))
            for r, s, m in zip(rows.tolist(), top_scores.tolist(), matched, strict=True)
        ]

    def _search_delta(self, terms, weights, plan) -> list[Hit]:
        n_total = len(self._ids) + len(self._delta)
        avgdl = (
            self._avgdl
            or (sum(d.length for d in self._delta.values()) / max(len(self._delta), 1))
            or 1.0
        )
        idf = {}
        for term in terms:
            df = self._delta_df.get(term, 0)
            if df <= 0:
                continue
            col = self._vocab.get(term)
            if col is not None:
                df += int(self._indptr[col + 1] - self._indptr[col])
            idf[term] = self._idf(df, N=n_total)
        if not idf:
            return []
        hits = []
        for doc_id, doc in self._delta.items():
            if any(
                not matches(doc.attrs.get(name, frozenset()), wanted, prefix)
                for name, wanted, prefix in plan
            ):
                continue
            score = 0.0
            matched = []
            for term in terms:
                tf = doc.tf.get(term)
                if tf and term in idf:
                    tfc = self._tfc(tf, l_d=doc.length, l_avg=avgdl, k1=self.k1, b=self.b)
                    score += idf[term] * tfc * weights[term]
                    matched.append(term)
            if score > 0:
                hits.append(
                    Hit(id=doc_id, score=float(np.float32(score)), matched_terms=_prune(matched))
                )
        return hits

    # ------------------------------------------------------------------ persistence
    _BASE_FILES = (
        "data.csc.index.npy",
        "indices.csc.index.npy",
        "indptr.csc.index.npy",
        "vocab.index.json",
        "params.index.json",
        "ids.npy",
        "colmax.npy",
    )

    def save(self, path: str | os.PathLike) -> Path:
        """Write the index into the directory ``path`` (created; files in it are replaced).

        The base files are immutable: when they already exist on disk (a loaded or saved
        index) they are hard-linked, so saving an index after a few updates is cheap.
        """
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        base_files = (
            *self._BASE_FILES,
            "attrs.json",
            *(f"attr.{i}.npy" for i in range(len(self._attrs))),
        )
        linked = False
        if self._base_dir is not None and self._base_dir.resolve() != path.resolve():
            try:
                for name in base_files:
                    src = self._base_dir / name
                    if src.exists():
                        dst = path / name
                        if dst.exists():
                            dst.unlink()
                        os.link(src, dst)
                linked = True
            except OSError:
                linked = False
                for name in base_files:  # never write through a link into another version
                    (path / name).unlink(missing_ok=True)
        elif self._base_dir is not None:
            linked = True  # saving onto itself: base files are already there
        if not linked:
            if self._bm25 is not None:
                self._bm25.save(path, show_progress=False)
            _replace_npy(path / "ids.npy", np.asarray(self._ids, dtype=np.int64))
            _replace_npy(path / "colmax.npy", np.asarray(self._colmax, dtype=np.float32))
        _replace_npy(path / "dead.npy", np.asarray(self._dead, dtype=bool))
        attrs = {}
        for name, column in self._attrs.items():
            if not linked:  # the base's attribute codes are immutable too
                codes = np.asarray(column.codes, dtype=np.int32)
                _replace_npy(path / f"attr.{len(attrs)}.npy", codes)
            attrs[name] = [sorted(v) for v in column.values]
        delta = [
            {
                "id": doc_id,
                "tf": d.tf,
                "length": d.length,
                "attrs": {k: sorted(v) for k, v in d.attrs.items()},
            }
            for doc_id, d in self._delta.items()
        ]
        meta = {
            "format": FORMAT,
            "saved_at": time.time(),
            "k1": self.k1,
            "b": self.b,
            "method": self.method,
            "field_weights": self.field_weights,
            "prefix_attrs": list(self.prefix_attrs),
            "avgdl": self._avgdl,
            "base_size": len(self._ids),
            "has_bm25": self._bm25 is not None,
            "attrs": list(attrs),
            "tokenizer": self.built_with,
        }
        if not linked:
            _replace_text(path / "attrs.json", json.dumps(attrs, ensure_ascii=False))
        _replace_text(path / "delta.json", json.dumps(delta, ensure_ascii=False))
        # meta.json last: its presence marks a complete directory.
        _replace_text(path / "meta.json", json.dumps(meta, ensure_ascii=False, indent=1))
        if not linked and self._base_dir is None:
            self._base_dir = path
        return path

    @classmethod
    def load(
        cls, path: str | os.PathLike, mmap: bool = True, tokenizer: Tokenizer | None = None
    ) -> Index:
        """Load an index saved with :meth:`save`; ``mmap=True`` maps the score arrays."""
        path = Path(path)
        meta_path = path / "meta.json"
        if not meta_path.exists():
            raise MatchingError(f"{path} 不是完整的索引目录（缺少 meta.json）")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise MatchingError(f"{path} 的索引格式 {meta.get('format')} 不受支持（需要 {FORMAT}）")
        index = cls(
            tokenizer=tokenizer,
            field_weights=meta["field_weights"],
            k1=meta["k1"],
            b=meta["b"],
            method=meta["method"],
            prefix_attrs=meta["prefix_attrs"],
        )
        mode = "r" if mmap else None
        index._ids = np.load(path / "ids.npy", mmap_mode=None)
        index._order = np.argsort(index._ids, kind="stable")
        index._dead = np.load(path / "dead.npy")
        index._n_dead = int(index._dead.sum())
        index._avgdl = float(meta["avgdl"])
        if meta["has_bm25"]:
            bm25 = bm25s.BM25.load(path, mmap=mmap, show_progress=False)
            index._bm25 = bm25
            index._vocab = bm25.vocab_dict
            index._data = bm25.scores["data"]
            index._indices = bm25.scores["indices"]
            index._indptr = np.load(path / "indptr.csc.index.npy", mmap_mode=mode)
            index._colmax = np.load(path / "colmax.npy", mmap_mode=mode)
        else:
            index._data = np.empty(0, dtype=np.float32)
            index._indices = np.empty(0, dtype=np.int32)
            index._indptr = np.zeros(1, dtype=np.int64)
        attrs = json.loads((path / "attrs.json").read_text(encoding="utf-8"))
        for i, (name, values) in enumerate(attrs.items()):
            column = AttrColumn([frozenset(v) for v in values])
            column.codes = np.load(path / f"attr.{i}.npy", mmap_mode=mode)
            index._attrs[name] = column
        for item in json.loads((path / "delta.json").read_text(encoding="utf-8")):
            doc = _DeltaDoc(
                tf={t: int(c) for t, c in item["tf"].items()},
                length=int(item["length"]),
                attrs={k: frozenset(v) for k, v in item["attrs"].items()},
            )
            index._delta[int(item["id"])] = doc
            index._delta_df.update(doc.tf.keys())
        index._base_dir = path
        index.built_with = meta.get("tokenizer")
        return index

    def copy(self) -> Index:
        """A copy sharing the (read-only) base arrays, with its own delta and tombstones."""
        other = Index.__new__(Index)
        other.__dict__.update(self.__dict__)
        other._dead = self._dead.copy()
        other._delta = dict(self._delta)
        other._delta_df = Counter(self._delta_df)
        return other
