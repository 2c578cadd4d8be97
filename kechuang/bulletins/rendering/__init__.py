"""A bulletin as DOCX, HTML or Markdown: every format draws the same composed document."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from ..compose import Document, compose
from ..models import Bulletin


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    extension: str
    content_type: str


FORMATS = {
    f.key: f
    for f in (
        Format(
            "docx",
            "Word 文档",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        Format("html", "网页", "html", "text/html; charset=utf-8"),
        Format("md", "Markdown", "md", "text/markdown; charset=utf-8"),
    )
}


def document_for(bulletin: Bulletin) -> Document:
    """Compose ``bulletin`` from its own body and snapshot (no query runs)."""
    when = bulletin.published_at or bulletin.computed_at
    return compose(
        body=bulletin.body,
        snapshot=bulletin.snapshot,
        title=bulletin.title,
        issuer=bulletin.issuer,
        issue_label=bulletin.issue_label,
        issued_on=timezone.localdate(when),
        draft=bulletin.is_draft,
    )


def render(document: Document, fmt: str, *, base_url: str = "") -> bytes:
    """The document as a file of format ``fmt`` (docx, html, md). ``base_url`` prefixes the
    links to the records behind the figures (the site's address; empty: site-relative)."""
    if fmt == "docx":
        from .docx import render_docx

        return render_docx(document, base_url=base_url)
    if fmt == "html":
        from .html import render_html

        return render_html(document, base_url=base_url).encode("utf-8")
    if fmt == "md":
        from .markdown import render_markdown

        return render_markdown(document, base_url=base_url).encode("utf-8")
    raise ValueError(f"未知的格式：{fmt}")


def filename_for(bulletin: Bulletin, fmt: str) -> str:
    """简报-340400-2023-第1期.docx (a draft: 简报-340400-2023-草稿12.docx)."""
    place = f"zone{bulletin.zone_id}" if bulletin.zone_id else bulletin.division_code
    issue = f"第{bulletin.issue_number}期" if bulletin.issue_number else f"草稿{bulletin.pk or ''}"
    return f"简报-{place}-{bulletin.period}-{issue}.{FORMATS[fmt].extension}"
