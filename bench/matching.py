"""Matching engine benchmark: build, query latency and throughput against raw bm25s and rank-bm25.

    uv run python bench/matching.py [--docs 1000000] [--queries 10000] [--seed 2025]

1. generates a corpus from the segmenter's own dictionary (jieba's dict.txt, which rjieba
   embeds): words drawn by their dictionary frequency, a title of ~15 characters, an abstract of
   ~200 characters with two 技术领域 terms, three keywords, filter attributes; and 10,000 needs
   (~50 characters) the same way,
2. compares rjieba with jieba on 2,000 of the texts (identical segmentation, speed),
3. builds our index (tokenise + bm25s) and raw bm25s on the same token ids,
4. times single queries end to end (text in, top 10 out) and a batch of all needs, ours against
   raw bm25s given the already tokenised query,
5. saves, loads memory-mapped and queries again,
6. compares with rank-bm25 on a 20,000-document subset.

Prints one ``name: value`` per line.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DISABLE_TQDM", "1")

FIELDS = [
    "新材料",
    "先进制造",
    "生物医药",
    "电子信息",
    "新能源",
    "节能环保",
    "现代农业",
    "资源与环境",
    "航空航天",
    "高技术服务",
]
STATUSES = ["published"] * 8 + ["draft", "closed"]
TYPES = ["invention_patent", "utility_model", "software", "new_variety", "know_how", "other"]


def emit(name: str, value) -> None:
    if isinstance(value, float):
        value = f"{value:.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    elif isinstance(value, int):
        value = f"{value:,}"
    print(f"{name}: {value}", flush=True)


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def hwm_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


class PeakRSS:
    """Peak resident memory above the starting level while the block runs (sampled)."""

    def __enter__(self):
        gc.collect()
        self.start = rss_mb()
        self.peak = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, rss_mb())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())
        self.delta = self.peak - self.start


def dictionary():
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    words, freqs = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            words.append(parts[0])
            freqs.append(int(parts[1]))
    p = np.asarray(freqs, dtype=np.float64)
    return np.asarray(words, dtype=object), p / p.sum()


def generate(n: int, seed: int, n_queries: int):
    from kechuang.engines.matching import Document
    from kechuang.engines.matching.tokenize import USER_DICT, read_word_file

    words, p = dictionary()
    terms = np.asarray([w for w in read_word_file(USER_DICT) if " " not in w], dtype=object)
    rng = np.random.default_rng(seed)
    regions = np.asarray(
        [f"34{c:02d}{d:02d}" for c in range(1, 18) for d in range(0, 12)], dtype=object
    )
    title_words, body_words = 8, 110
    docs = []
    chunk = 50_000
    for lo in range(0, n, chunk):
        m = min(chunk, n - lo)
        flat = rng.choice(len(words), size=(m, title_words + body_words), p=p)
        picks = rng.integers(0, len(terms), size=(m, 5))
        field = rng.integers(0, len(FIELDS), m)
        status = rng.integers(0, len(STATUSES), m)
        kind = rng.integers(0, len(TYPES), m)
        region = rng.integers(0, len(regions), m)
        for i in range(m):
            row = words[flat[i]]
            t = picks[i]
            title = ("".join(row[:title_words]) + terms[t[0]])[-15:]
            body = (
                "".join(row[title_words : title_words + 50])
                + terms[t[1]]
                + "，"
                + "".join(row[title_words + 50 :])
                + terms[t[2]]
            )
            docs.append(
                Document(
                    id=lo + i + 1,
                    fields={
                        "title": title,
                        "body": body[:200] + "。",
                        "keywords": f"{terms[t[0]]}；{terms[t[3]]}；{terms[t[4]]}",
                    },
                    attrs={
                        "field": FIELDS[field[i]],
                        "status": STATUSES[status[i]],
                        "type": TYPES[kind[i]],
                        "region": regions[region[i]],
                    },
                )
            )
    flat = rng.choice(len(words), size=(n_queries, 26), p=p)
    picks = rng.integers(0, len(terms), size=(n_queries, 2))
    queries = [
        "".join(words[flat[i]][:12])
        + terms[picks[i, 0]]
        + "，"
        + "".join(words[flat[i]][12:])
        + terms[picks[i, 1]]
        for i in range(n_queries)
    ]
    return docs, queries


def percentiles(samples_s):
    a = np.asarray(samples_s) * 1000
    return float(np.percentile(a, 50)), float(np.percentile(a, 99))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--latency-queries", type=int, default=1_000)
    parser.add_argument("--subset", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()

    import bm25s
    import jieba
    import rank_bm25

    from kechuang.engines.matching import Index, Tokenizer

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("bm25s").setLevel(logging.WARNING)

    t0 = time.perf_counter()
    docs, queries = generate(args.docs, args.seed, args.queries)
    emit("docs", len(docs))
    emit("queries", len(queries))
    emit("corpus_generation_s", time.perf_counter() - t0)
    emit("chars_per_title", float(np.mean([len(d.fields["title"]) for d in docs[:10_000]])))
    emit("chars_per_abstract", float(np.mean([len(d.fields["body"]) for d in docs[:10_000]])))
    emit("chars_per_query", float(np.mean([len(q) for q in queries])))

    # --- segmenters: same dictionary, same texts
    tok = Tokenizer.default()
    plain = Tokenizer(mode="default")
    sample = [d.fields["title"] + d.fields["body"] for d in docs[:2_000]]
    jieba.initialize()
    from kechuang.engines.matching.tokenize import normalise

    normed = [normalise(s) for s in sample]
    t = time.perf_counter()
    a = [plain._jieba.cut(s, True) for s in normed]
    rj = time.perf_counter() - t
    t = time.perf_counter()
    b = [jieba.lcut(s) for s in normed]
    jb = time.perf_counter() - t
    emit(
        "segmenter_texts_identical",
        f"{sum(x == y for x, y in zip(a, b, strict=True))}/{len(sample)}",
    )
    emit("segmenter_rjieba_texts_per_s", len(sample) / rj)
    emit("segmenter_jieba_texts_per_s", len(sample) / jb)
    emit("segmenter_rjieba_speedup", jb / rj)

    # --- build: ours (tokenise + bm25s + attributes) against raw bm25s on the same token ids
    index = Index(tokenizer=tok)
    with PeakRSS() as mem_tok:
        t = time.perf_counter()
        corpus = index.tokenize_corpus(docs)
        tokenise_s = time.perf_counter() - t
    with PeakRSS() as mem_ours:
        t = time.perf_counter()
        index.index_tokenized(corpus)
        ours_index_s = time.perf_counter() - t
    emit("tokens_per_doc", float(np.mean([len(r) for r in corpus.tokens[:10_000]])))
    emit("vocabulary", len(corpus.vocab))
    emit("postings", int(len(index._data)))
    emit("build_tokenise_s", tokenise_s)
    emit("build_index_s", ours_index_s)
    emit("build_total_s", tokenise_s + ours_index_s)
    emit("build_docs_per_s", len(docs) / (tokenise_s + ours_index_s))
    emit("build_tokenise_peak_rss_delta_mb", mem_tok.delta)
    emit("build_index_peak_rss_delta_mb", mem_ours.delta)
    with PeakRSS() as mem_raw:
        t = time.perf_counter()
        raw = bm25s.BM25(k1=index.k1, b=index.b, method=index.method, backend="numpy")
        raw.index((corpus.tokens, corpus.vocab), create_empty_token=False, show_progress=False)
        raw_index_s = time.perf_counter() - t
    emit("raw_bm25s_index_s", raw_index_s)
    emit("raw_bm25s_index_peak_rss_delta_mb", mem_raw.delta)
    emit("build_index_overhead_vs_raw_bm25s", ours_index_s / raw_index_s)
    emit("build_index_memory_vs_raw_bm25s", mem_ours.delta / max(mem_raw.delta, 1e-9))
    del corpus
    gc.collect()

    # --- queries
    q_tokens = [tok.tokenize(q) for q in queries]
    q_ids = [[raw.vocab_dict[t] for t in ts if t in raw.vocab_dict] for ts in q_tokens]
    keep = [i for i, ids in enumerate(q_ids) if ids]
    emit("query_tokens_mean", float(np.mean([len(t) for t in q_tokens])))
    lat_idx = keep[: args.latency_queries]
    for q in queries[:20]:  # warm up
        index.search(q, k=10)
    ours_lat, raw_lat, raw_tok_lat = [], [], []
    for i in lat_idx:
        t = time.perf_counter()
        index.search(queries[i], k=10)
        ours_lat.append(time.perf_counter() - t)
        t = time.perf_counter()
        raw.retrieve([q_ids[i]], k=10, show_progress=False)
        raw_lat.append(time.perf_counter() - t)
        t = time.perf_counter()
        ids = [raw.vocab_dict[x] for x in tok.tokenize(queries[i]) if x in raw.vocab_dict]
        raw.retrieve([ids], k=10, show_progress=False)
        raw_tok_lat.append(time.perf_counter() - t)
    o50, o99 = percentiles(ours_lat)
    r50, r99 = percentiles(raw_lat)
    rt50, rt99 = percentiles(raw_tok_lat)
    emit("query_p50_ms", o50)
    emit("query_p99_ms", o99)
    emit("raw_bm25s_query_p50_ms", r50)
    emit("raw_bm25s_query_p99_ms", r99)
    emit("raw_bm25s_with_tokenising_p50_ms", rt50)
    emit("raw_bm25s_with_tokenising_p99_ms", rt99)
    emit("query_p50_vs_raw_bm25s", o50 / r50)
    emit("query_p99_vs_raw_bm25s", o99 / r99)
    emit("query_p50_vs_raw_bm25s_with_tokenising", o50 / rt50)

    # same top 10 as raw bm25s; where the sets differ, is it only a tie at the 10th place
    # (documents scoring the 10th-best score within float32 rounding, chosen either way)?
    agree = ties = 0
    for i in lat_idx[:200]:
        ours = {h.id: h.score for h in index.search(queries[i], k=10)}
        docs_, scores_ = raw.retrieve([q_ids[i]], k=10, show_progress=False)
        theirs = {int(index._ids[d]): float(s) for d, s in zip(docs_[0], scores_[0], strict=True)}
        theirs = {d: s for d, s in theirs.items() if s > 0}
        if set(ours) == set(theirs):
            agree += 1
            continue
        tenth = min(theirs.values())
        tie = 1e-5 * tenth
        firm_ours = {d for d, s in ours.items() if s > tenth + tie}
        firm_theirs = {d for d, s in theirs.items() if s > tenth + tie}
        ties += firm_ours == firm_theirs and abs(min(ours.values()) - tenth) <= tie
    emit("top10_identical_to_raw_bm25s", f"{agree}/{len(lat_idx[:200])}")
    emit("top10_differences_only_ties_at_10th", f"{ties}/{len(lat_idx[:200]) - agree}")

    filters = {"field": {"新材料", "新能源"}, "status": {"published"}, "region": "3404"}
    filt_lat, filt_counts = [], []
    for i in lat_idx:
        t = time.perf_counter()
        hits = index.search(queries[i], k=10, filters=filters)
        filt_lat.append(time.perf_counter() - t)
        filt_counts.append(len(hits))
    f50, f99 = percentiles(filt_lat)
    emit("filtered_query_p50_ms", f50)
    emit("filtered_query_p99_ms", f99)
    emit("filtered_query_mean_hits", float(np.mean(filt_counts)))

    batch = [queries[i] for i in keep]
    t = time.perf_counter()
    for q in batch:
        index.search(q, k=10)
    ours_batch = time.perf_counter() - t
    t = time.perf_counter()
    raw.retrieve([q_ids[i] for i in keep], k=10, show_progress=False)
    raw_batch = time.perf_counter() - t
    emit("batch_queries", len(batch))
    emit("batch_queries_per_s", len(batch) / ours_batch)
    emit("raw_bm25s_batch_queries_per_s", len(batch) / raw_batch)
    emit("batch_time_vs_raw_bm25s", ours_batch / raw_batch)
    del raw
    gc.collect()

    # --- persistence: save, load memory-mapped, same answers
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        index.save(Path(tmp) / "idx")
        emit("save_s", time.perf_counter() - t)
        t = time.perf_counter()
        loaded = Index.load(Path(tmp) / "idx", mmap=True)
        emit("load_mmap_s", time.perf_counter() - t)
        same = sum(loaded.search(queries[i]) == index.search(queries[i]) for i in lat_idx[:100])
        emit("mmap_results_identical", f"{same}/{len(lat_idx[:100])}")
        mm_lat = []
        for i in lat_idx:
            t = time.perf_counter()
            loaded.search(queries[i], k=10)
            mm_lat.append(time.perf_counter() - t)
        m50, m99 = percentiles(mm_lat)
        emit("mmap_query_p50_ms", m50)
        emit("mmap_query_p99_ms", m99)
        del loaded
    del index
    gc.collect()

    # --- rank-bm25 on a subset
    subset = docs[: args.subset]
    t = time.perf_counter()
    small = Index.build(subset, tokenizer=tok)
    ours_small_build = time.perf_counter() - t
    t = time.perf_counter()
    okapi = rank_bm25.BM25Okapi([small.doc_tokens(d) for d in subset])
    okapi_build = time.perf_counter() - t
    sq = queries[:200]
    ours_s, okapi_s = [], []
    for q in sq:
        t = time.perf_counter()
        small.search(q, k=10)
        ours_s.append(time.perf_counter() - t)
        t = time.perf_counter()
        scores = okapi.get_scores(tok.tokenize(q))
        np.argsort(-scores)[:10]
        okapi_s.append(time.perf_counter() - t)
    s50, _ = percentiles(ours_s)
    k50, _ = percentiles(okapi_s)
    emit("subset_docs", len(subset))
    emit("subset_build_s", ours_small_build)
    emit("rank_bm25_build_s", okapi_build)
    emit("subset_query_p50_ms", s50)
    emit("rank_bm25_query_p50_ms", k50)
    emit("rank_bm25_query_p50_vs_ours", k50 / s50)
    emit("peak_rss_mb", hwm_mb())


if __name__ == "__main__":
    main()
