"""The bulletin as one self-contained HTML page: every figure links to the records behind it
and carries its definition as a tooltip; charts are embedded as PNG data URIs."""

from __future__ import annotations

from django.template.loader import render_to_string

from ..compose import Document


def render_html(document: Document, *, base_url: str = "") -> str:
    return render_to_string(
        "bulletins/document.html", {"document": document, "base_url": base_url.rstrip("/")}
    )


def render_fragment(document: Document, *, base_url: str = "") -> str:
    """The document's markup alone, for pages of the site (the preview)."""
    return render_to_string(
        "bulletins/_document.html", {"document": document, "base_url": base_url.rstrip("/")}
    )
