"""The hand-labelled relevance set and its evaluation (used by the tests and for the ADR)."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from kechuang.engines.matching import Document, Index, Tokenizer
from kechuang.engines.matching.evaluate import mean, ndcg_at, recall_at

DATA = Path(__file__).resolve().parent / "data" / "relevance.yaml"


@functools.cache
def labelled() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def achievement_doc(a: dict) -> Document:
    return Document(
        id=a["id"],
        fields={"title": a["title"], "body": a["abstract"], "keywords": a["keywords"]},
        attrs={
            "field": a["field"],
            "type": a["type"],
            "maturity": a["maturity"],
            "region": a["region"],
            "status": "published",
            "kind": "achievement",
        },
    )


def need_doc(n: dict) -> Document:
    return Document(
        id=n["id"],
        fields={"title": n["title"], "body": n["description"], "keywords": n["keywords"]},
        attrs={"field": n["field"], "status": "published", "kind": "need"},
    )


def expert_doc(e: dict) -> Document:
    return Document(
        id=e["id"],
        fields={
            "title": e["name"],
            "body": e["bio"],
            "keywords": "；".join([*e["fields"], e["keywords"]]),
        },
        attrs={"field": e["fields"], "status": "published", "kind": "expert"},
    )


def need_text(n: dict) -> str:
    return f"{n['title']}\n{n['description']}\n{n['keywords']}"


def achievement_text(a: dict) -> str:
    return f"{a['title']}\n{a['abstract']}\n{a['keywords']}"


def tasks() -> dict[str, tuple[list[Document], list[tuple[str, dict[int, float]]]]]:
    """direction → (documents to index, [(query text, judgements)])."""
    data = labelled()
    need_to_ach = [(need_text(n), n["achievements"]) for n in data["needs"]]
    need_to_exp = [(need_text(n), n["experts"]) for n in data["needs"] if n.get("experts")]
    inverse: dict[int, dict[int, float]] = {}
    for n in data["needs"]:
        for aid, grade in n["achievements"].items():
            inverse.setdefault(aid, {})[n["id"]] = grade
    by_id = {a["id"]: a for a in data["achievements"]}
    ach_to_need = [(achievement_text(by_id[aid]), j) for aid, j in sorted(inverse.items())]
    return {
        "need→achievements": ([achievement_doc(a) for a in data["achievements"]], need_to_ach),
        "need→experts": ([expert_doc(e) for e in data["experts"]], need_to_exp),
        "achievement→needs": ([need_doc(n) for n in data["needs"]], ach_to_need),
    }


def evaluate(
    tokenizer: Tokenizer | None = None, reranker=None, k: int = 10, depth: int = 30, **options
) -> dict:
    """Mean nDCG@k and recall@k per direction."""
    tokenizer = tokenizer or Tokenizer.default()
    results = {}
    for direction, (docs, queries) in tasks().items():
        index = Index.build(docs, tokenizer=tokenizer, **options)
        texts = {}
        if reranker is not None:
            source = labelled()
            for d in docs:
                texts[d.id] = "\n".join(v for v in d.fields.values() if v)
            del source
        ndcgs, recalls = [], []
        for text, judgements in queries:
            hits = index.search(text, k=depth if reranker is not None else k)
            if reranker is not None:
                hits = reranker.rerank(text, hits, texts)
            ranked = [h.id for h in hits[:k]]
            ndcgs.append(ndcg_at(ranked, judgements, k))
            recalls.append(recall_at(ranked, judgements, k))
        results[direction] = {"ndcg": mean(ndcgs), "recall": mean(recalls), "queries": len(queries)}
    return results


if __name__ == "__main__":  # uv run python -m kechuang.engines.matching.tests.relevance
    import sys

    for mode in ("search", "default"):
        tok = Tokenizer.default(mode)
        for weights in (
            {"title": 3, "keywords": 2},
            {"title": 1, "keywords": 1},
            {"title": 2, "keywords": 2},
            {"title": 4, "keywords": 3},
        ):
            for method in ("lucene", "atire", "robertson"):
                r = evaluate(tok, field_weights=weights, method=method)
                line = " ".join(
                    f"{d}: nDCG {v['ndcg']:.3f} R {v['recall']:.3f}" for d, v in r.items()
                )
                print(f"mode={mode} weights={weights} method={method} | {line}", flush=True)
    sys.exit(0)
