"""The BM25 score matrix in bm25s's format (CSC: one column per token, rows sorted inside each
column), built with whole-array numpy, and the selections a query makes over it."""

from __future__ import annotations

import numpy as np
from bm25s.scoring import _select_tfc_scorer


class MatchingError(ValueError):
    """Bad input to the matching engine (the message says which document or parameter)."""


def idf_array(method: str, df: np.ndarray, n: int) -> np.ndarray:
    """bm25s's idf formulas (scoring._score_idf_*) over an array of document frequencies."""
    df = df.astype(np.float64)
    if method == "lucene":
        return np.log(1 + (n - df + 0.5) / (df + 0.5))
    if method == "robertson":
        return np.log(np.maximum((n - df + 0.5) / (df + 0.5), 1.0))
    if method == "atire":
        return np.log(n / np.maximum(df, 1))
    raise MatchingError(f"BM25 方法 {method!r} 不受支持")


def bm25_matrix(corpus, lengths, n_vocab, k1, b, method, progress=None, dtype=np.float32):
    """The CSC arrays bm25s builds (column = token, rows sorted), without a loop over documents."""
    n = len(corpus)
    flat = np.frombuffer(b"".join(row.tobytes() for row in corpus), dtype=np.int32)
    lengths = np.asarray(lengths, dtype=np.int64)
    rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
    key = flat.astype(np.int64) * n + rows  # sorted keys are in CSC order: column, then row
    del flat, rows
    key.sort(kind="stable")
    if progress:
        progress(n + n // 2, 2 * n)
    boundary = np.empty(len(key), dtype=bool)
    boundary[0] = True
    np.not_equal(key[1:], key[:-1], out=boundary[1:])
    starts = np.flatnonzero(boundary)
    del boundary
    tf = np.diff(np.append(starts, len(key))).astype(np.float64)
    uniq = key[starts]
    del key, starts
    cols = uniq // n
    doc = (uniq - cols * n).astype(np.int32)
    del uniq
    df = np.bincount(cols, minlength=n_vocab)
    idf = idf_array(method, df, n).astype(dtype)
    tfc = _select_tfc_scorer(method)(
        tf_array=tf, l_d=lengths[doc], l_avg=float(lengths.mean()), k1=k1, b=b, delta=None
    )
    data = (idf[cols] * tfc).astype(dtype)
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    return data, doc, indptr


def column_max(data: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    indptr = np.asarray(indptr, dtype=np.int64)
    out = np.zeros(len(indptr) - 1, dtype=np.float32)
    nonempty = np.flatnonzero(indptr[1:] > indptr[:-1])
    if len(nonempty):
        out[nonempty] = np.maximum.reduceat(np.asarray(data), indptr[nonempty])
    return out


def top_k(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest values (unordered; exact).

    The k-th largest of a strided sample is a lower bound of the k-th largest of all values, so
    one comparison pass keeps every true top-k element plus about 1/64 of the rest; the exact
    selection then runs on that small set instead of the whole array (argpartition over a
    million scores was the largest cost of a query).
    """
    n = len(values)
    if n <= k:
        return np.arange(n)
    if n > 64 * k * 4:
        sample = values[:: n // (64 * k)]
        threshold = np.partition(sample, len(sample) - k)[len(sample) - k]
        keep = np.flatnonzero(values >= threshold)
    else:
        keep = np.arange(n)
    if len(keep) > k:
        keep = keep[np.argpartition(-values[keep], k - 1)[:k]]
    return keep
