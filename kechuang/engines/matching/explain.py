"""Explanations: mark the matched terms in a text, HTML-escaped otherwise."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """NFKC + lower-case of ``text`` and, per output character, its source index."""
    out: list[str] = []
    source: list[int] = []
    for i, ch in enumerate(text):
        norm = unicodedata.normalize("NFKC", ch).lower()
        out.append(norm)
        source.extend([i] * len(norm))
    return "".join(out), source


def highlight(text: str | None, terms: Iterable[str], tag: str = "mark") -> str:
    """``text`` HTML-escaped with every occurrence of ``terms`` wrapped in ``<mark>``.

    Matching ignores case and full-width/half-width differences (the terms are tokens, which
    are normalised); longer terms win where terms overlap. The result is safe to insert in HTML.
    """
    if not text:
        return ""
    wanted = sorted({t for t in terms if t}, key=len, reverse=True)
    if not wanted:
        return html.escape(text)
    norm, source = _normalised_with_map(text)
    pattern = re.compile(
        "|".join(re.escape(unicodedata.normalize("NFKC", t).lower()) for t in wanted)
    )
    spans: list[tuple[int, int]] = []
    for m in pattern.finditer(norm):
        start = source[m.start()]
        end = source[m.end() - 1] + 1
        if spans and start < spans[-1][1]:
            continue
        spans.append((start, end))
    parts: list[str] = []
    last = 0
    for start, end in spans:
        parts.append(html.escape(text[last:start]))
        parts.append(f"<{tag}>{html.escape(text[start:end])}</{tag}>")
        last = end
    parts.append(html.escape(text[last:]))
    return "".join(parts)
