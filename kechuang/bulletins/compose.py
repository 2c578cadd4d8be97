"""From a bulletin's body (its paragraphs, tables and charts) and its snapshot of values to a
:class:`Document` that the DOCX, HTML and Markdown renderers all draw.

Composing reads the snapshot only; no query runs. Every figure keeps the URL of the records
behind it and its definition, and every figure that could not be written (no value, a value
the format cannot write, an indicator missing from the snapshot) becomes a warning for the
editor instead of an error.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils import timezone

from .catalog import TOKEN_RE
from .formatting import MISSING, area_word, format_value, peers_word, percent, period_label

CHILD_NOUNS = {"province": "市", "city": "县（市、区）", "county": "乡镇（街道）"}


@dataclass
class Text:
    text: str
    is_figure = False


@dataclass
class Figure:
    """A number in the text: what it says, what it is, where its records are."""

    key: str
    text: str
    label: str = ""
    url: str = ""
    definition: str = ""
    missing: bool = False
    is_figure = True

    @property
    def title(self) -> str:
        return "：".join(filter(None, [self.label, self.definition]))


@dataclass
class Paragraph:
    key: str
    source: str
    segments: list[Text | Figure]
    kind = "paragraph"

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


@dataclass
class Table:
    key: str
    caption: str
    header: list[str]
    rows: list[list[Text | Figure]]
    kind = "table"


@dataclass
class Chart:
    key: str
    title: str
    labels: list[str]
    values: list[float]
    value_texts: list[str]
    number: int = 0
    kind = "chart"

    @cached_property
    def png(self) -> bytes:
        from .charts import bar_chart_png

        return bar_chart_png(self.labels, self.values, self.value_texts)

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass
class Section:
    key: str
    heading: str
    blocks: list[Paragraph | Table | Chart]


@dataclass
class Note:
    """A source note (附注): one figure of the text, how it was made and where it comes from."""

    label: str
    text: str
    definition: str
    url: str


@dataclass
class Warning:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}：{self.message}" if self.where else self.message


@dataclass
class Document:
    masthead: str
    issue_label: str
    issuer: str
    date_label: str
    title: str
    sections: list[Section]
    notes: list[Note] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    computed_at: str = ""
    draft: bool = True
    # Paragraphs left out because none of their figures has a value (shown to the editor).
    omitted: dict[str, Paragraph] = field(default_factory=dict)

    @property
    def computed_label(self) -> str:
        """When the figures were computed, local time: 2024-08-15 10:30."""
        if not self.computed_at:
            return ""
        moment = datetime.fromisoformat(self.computed_at)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%Y-%m-%d %H:%M")

    def paragraphs(self) -> list[Paragraph]:
        return [b for s in self.sections for b in s.blocks if b.kind == "paragraph"]

    def charts(self) -> list[Chart]:
        return [b for s in self.sections for b in s.blocks if b.kind == "chart"]


def describe_definition(definition: dict[str, Any]) -> str:
    """A definition (JSON) as one readable line for tooltips and the 附注: its description,
    else its filters in words, else what it is computed from."""
    if not definition:
        return ""
    for key in ("description", "filters_text", "text"):
        if isinstance(definition.get(key), str) and definition[key]:
            return definition[key] + benchmark_text(definition)
    inputs = definition.get("inputs")
    if isinstance(inputs, dict) and inputs:
        names = [str(d.get("label", k)) if isinstance(d, dict) else k for k, d in inputs.items()]
        return "由" + "、".join(names) + "计算"
    return "；".join(f"{k}：{v}" for k, v in definition.items() if not isinstance(v, dict | list))


def benchmark_text(definition: dict[str, Any]) -> str:
    """The benchmark a difference was taken against, with its year and source:
    "；对比基准：全国研发投入强度 2023 年 2.65%（国家统计局…）"."""
    measure = definition.get("measure")
    against = measure.get("against") if isinstance(measure, dict) else None
    if not isinstance(against, dict) or against.get("type") != "benchmark":
        return ""
    if against.get("value") is None:
        return ""
    text = f"；对比基准：{against.get('label', against.get('key', ''))}"
    if against.get("year"):
        text += f" {against['year']} 年"
    text += f" {percent(against['value'], 2)}"
    if against.get("source"):
        text += f"（{against['source']}）"
    return text


def comparison_noun(definition: dict[str, Any]) -> str:
    """What a percentage-point difference compares with, from its definition: a national
    benchmark → 全国, the province → 全省, the parent division → 上级; "" when unknown."""
    measure = definition.get("measure") if isinstance(definition, dict) else None
    against = measure.get("against") if isinstance(measure, dict) else None
    if not isinstance(against, dict):
        return ""
    if against.get("type") == "benchmark":
        key = str(against.get("key", ""))
        if key.startswith("national"):
            return "全国"
        if key.startswith("provinc"):
            return "全省"
    if against.get("type") == "ancestor":
        return {"province": "全省", "parent": "上级"}.get(against.get("level", ""), "")
    return ""


def chinese_date(day: date) -> str:
    return f"{day.year} 年 {day.month} 月 {day.day} 日"


class Composer:
    """Writes texts against one snapshot, collecting warnings and the figures used."""

    def __init__(self, snapshot: dict[str, Any]):
        self.snapshot = snapshot
        self.figures: dict[str, dict] = snapshot.get("figures", {})
        level, zone = snapshot.get("level", ""), bool(snapshot.get("zone"))
        name = snapshot.get("zone_name") or snapshot.get("division_name", "")
        period = snapshot.get("period", "")
        label = snapshot.get("period_label") or (period_label(period) if period else "")
        months = period_label(period, with_year=False) if period else ""
        self.specials = {
            "area": area_word(snapshot.get("division_name", ""), level, zone=zone),
            "peers": peers_word(level, zone=zone),
            "division": name,
            "children": CHILD_NOUNS.get(level, "地区"),
            "period": label,
            "months": "全年" if period and months == period_label(period) else months,
        }
        self.warnings: list[Warning] = []
        self.used: dict[str, Figure] = {}

    def warn(self, where: str, message: str) -> None:
        warning = Warning(where, message)
        if all(str(w) != str(warning) for w in self.warnings):
            self.warnings.append(warning)

    def figure(
        self, key: str, spec: str, where: str, record: dict | None = None, *, bare=False
    ) -> Figure:
        record = self.figures.get(key) if record is None else record
        if record is None:
            self.warn(where, f"指标 {key} 在本期间没有数值（来自年度数据的指标只能按整年统计）")
            return Figure(key, MISSING, label=key, missing=True)
        label = record.get("label") or key
        value = record.get("value")
        formatted = format_value(
            None if value is None else Decimal(value),
            spec or None,
            unit=record.get("unit", ""),
            label=label,
            note=record.get("note", ""),
            noun=comparison_noun(record.get("definition", {})),
            bare=bare,
        )
        if formatted.missing:
            self.warn(where, formatted.warning)
        return Figure(
            key,
            formatted.text,
            label=label,
            url=record.get("records_url", ""),
            definition=describe_definition(record.get("definition", {})),
            missing=formatted.missing,
        )

    def segments(self, text: str, where: str) -> list[Text | Figure]:
        segments: list[Text | Figure] = []
        position = 0

        def literal(piece: str) -> None:
            if not piece:
                return
            if segments and isinstance(segments[-1], Text):
                segments[-1].text += piece
            else:
                segments.append(Text(piece))

        for match in TOKEN_RE.finditer(text):
            literal(text[position : match.start()])
            position = match.end()
            token, name, spec = match[0], match[1], match[2] or ""
            if name is None:
                literal(token[0])
            elif name in self.specials:
                literal(self.specials[name])
            else:
                figure = self.figure(name, spec, where)
                segments.append(figure)
                if not figure.missing:
                    self.used.setdefault(name, figure)
        literal(text[position:])
        return segments

    def plain(self, text: str, where: str = "") -> str:
        return "".join(s.text for s in self.segments(text, where))

    def table(self, block: dict, where: str) -> Table | None:
        children = self.snapshot.get("children", [])
        caption = self.plain(block.get("caption", ""), where)
        columns = [c for c in block.get("columns", []) if c["indicator"] in self.figures]
        dropped = [c["header"] for c in block.get("columns", []) if c not in columns]
        if dropped and children:
            if not columns:
                self.warn(where, f"表格「{caption}」在本期间没有数值，从略")
                return None
            self.warn(where, f"表格「{caption}」略去本期间没有数值的列：{'、'.join(dropped)}")
        if not children:
            if self.snapshot.get("has_children"):
                self.warn(where, "没有下级区划的数据，表格从略")
            return None
        rows = []
        for child in children:
            cells: list[Text | Figure] = [Text(child["division_name"])]
            for column in columns:
                key = column["indicator"]
                record = child["figures"].get(key)
                if record is None:
                    self.warn(where, f"{child['division_name']}缺少指标 {key}")
                    cells.append(Figure(key, MISSING, label=key, missing=True))
                else:
                    cells.append(self.figure(key, column.get("spec", ""), where, record, bare=True))
            rows.append(cells)
        total: list[Text | Figure] = [Text(self.specials["area"])]
        for column in columns:
            total.append(self.figure(column["indicator"], column.get("spec", ""), where, bare=True))
        rows.append(total)
        header = [CHILD_NOUNS.get(self.snapshot.get("level", ""), "地区")]
        header += [c["header"] for c in columns]
        return Table(block["key"], caption, header, rows)

    def chart(self, block: dict, where: str) -> Chart | None:
        children = self.snapshot.get("children", [])
        key, spec = block["indicator"], block.get("spec", "")
        if key not in self.figures and children:
            title = self.plain(block.get("title", ""), where)
            self.warn(where, f"图表「{title}」在本期间没有数值，从略")
            return None
        points = []
        for child in children:
            record = child["figures"].get(key)
            if record is None or record.get("value") is None:
                continue
            value = Decimal(record["value"])
            if record.get("unit") == "%":
                value *= 100
            figure = self.figure(key, spec, where, record)
            points.append((child["division_name"], float(value), figure.text))
        if not points:
            if children or self.snapshot.get("has_children"):
                self.warn(where, "没有可绘制的下级区划数据，图表从略")
            return None
        points.sort(key=lambda p: -p[1])
        return Chart(
            block["key"],
            self.plain(block.get("title", ""), where),
            [p[0] for p in points],
            [p[1] for p in points],
            [p[2] for p in points],
        )


def compose(
    *,
    body: dict[str, Any],
    snapshot: dict[str, Any],
    title: str,
    issuer: str,
    issue_label: str,
    issued_on: date,
    draft: bool,
) -> Document:
    composer = Composer(snapshot)
    sections = []
    omitted: dict[str, Paragraph] = {}
    charts = 0
    for section in body.get("sections", []):
        heading = section.get("heading", "")
        blocks: list[Paragraph | Table | Chart] = []
        for block in section.get("blocks", []):
            kind, where = block.get("kind"), heading
            if kind == "paragraph":
                text = block.get("text", "")
                if not text.strip():
                    continue
                paragraph = Paragraph(block["key"], text, composer.segments(text, where))
                figures = [s for s in paragraph.segments if s.is_figure]
                if figures and all(f.missing for f in figures):
                    composer.warn(where, f"一段文字的数值均无数据，已略去：{paragraph.text}")
                    omitted[paragraph.key] = paragraph
                else:
                    blocks.append(paragraph)
            elif kind == "table":
                table = composer.table(block, where)
                if table is not None:
                    blocks.append(table)
            elif kind == "chart":
                chart = composer.chart(block, where)
                if chart is not None:
                    charts += 1
                    chart.number = charts
                    blocks.append(chart)
        sections.append(Section(section.get("key", ""), heading, blocks))
    notes = [
        Note(figure.label, figure.text, figure.definition, figure.url)
        for figure in composer.used.values()
    ]
    return Document(
        masthead=body.get("masthead", "科技工作简报"),
        issue_label=issue_label,
        issuer=issuer,
        date_label=chinese_date(issued_on),
        title=title,
        sections=sections,
        notes=notes,
        warnings=composer.warnings,
        computed_at=snapshot.get("computed_at", ""),
        draft=draft,
        omitted=omitted,
    )
