"""The bulletin as Markdown: figures are links to the records behind them, tables are pipe
tables, charts are images (embedded as data URIs unless file names are given)."""

from __future__ import annotations

from ..compose import Document, Figure, Text


def _escape(text: str) -> str:
    for char in ("\\", "*", "_", "[", "]", "|", "`"):
        text = text.replace(char, "\\" + char)
    return text


def _segment(segment: Text | Figure, base_url: str) -> str:
    text = _escape(segment.text)
    if segment.is_figure and segment.url and not segment.missing:
        return f"[{text}]({base_url}{segment.url})"
    return text


def render_markdown(
    document: Document, *, base_url: str = "", image_names: list[str] | None = None
) -> str:
    """``image_names`` (one per chart) refers to image files written beside the Markdown;
    without them the charts are embedded."""
    base_url = base_url.rstrip("/")
    lines = [
        f"# {_escape(document.masthead)}",
        "",
        f"{_escape(document.issue_label)}",
        "",
        f"{_escape(document.issuer)}　　{document.date_label}",
        "",
        "---",
        "",
        f"## {_escape(document.title)}",
        "",
    ]
    charts = 0
    for section in document.sections:
        if section.heading:
            lines += [f"### {_escape(section.heading)}", ""]
        for block in section.blocks:
            if block.kind == "paragraph":
                lines += ["".join(_segment(s, base_url) for s in block.segments), ""]
            elif block.kind == "table":
                lines += [f"**{_escape(block.caption)}**", ""]
                lines.append("| " + " | ".join(_escape(h) for h in block.header) + " |")
                aligns = [":---"] + ["---:"] * (len(block.header) - 1)
                lines.append("| " + " | ".join(aligns) + " |")
                for row in block.rows:
                    lines.append("| " + " | ".join(_segment(c, base_url) for c in row) + " |")
                lines.append("")
            elif block.kind == "chart":
                source = image_names[charts] if image_names else block.data_uri
                charts += 1
                caption = f"图 {block.number}　{block.title}"
                lines += [f"![{_escape(caption)}]({source})", "", f"*{_escape(caption)}*", ""]
    if document.notes:
        lines += [
            "---",
            "",
            f"附注：本简报数据由科创平台根据登记数据生成（计算时间 {document.computed_label}）。",
            "",
        ]
        for number, note in enumerate(document.notes, start=1):
            value = _escape(note.text)
            if note.url:
                value = f"[{value}]({base_url}{note.url})"
            definition = f"（{_escape(note.definition)}）" if note.definition else ""
            lines.append(f"{number}. {_escape(note.label)}：{value}{definition}")
        lines.append("")
    return "\n".join(lines)
