"""Bulletin templates: Chinese paragraphs with placeholders bound to indicators, plus the tables
and charts of each section.

A placeholder is ``{indicator_key}`` or ``{indicator_key:spec}`` (specs in
:mod:`kechuang.bulletins.formatting`), for instance ``{hnte_private_share:pct0}`` or
``{rd_intensity_vs_national:pp2:全国}`` (the comparison noun follows the second colon). A few
names are not indicators but the bulletin's place and period:

=============== ===========================================================
``{area}``      全市 / 全省 / 全县 / 全区, by the division's level (a zone: 全区)
``{peers}``     where a rank is taken: 全省 for a city, 全市 for a county
``{division}``  the division's or zone's name (淮南市)
``{children}``  what the child divisions are called (县（市、区）, 市)
``{period}``    the period (2023 年, 2023 年 1—7 月)
``{months}``    the period without the year (1—7 月; a whole year: 全年)
=============== ===========================================================

``{{`` and ``}}`` write literal braces. A template becomes a bulletin's ``body`` (JSON) when the
bulletin is generated; from then on the bulletin renders from its own body, so a later change
of a template never changes a bulletin already written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .formatting import FormatError, parse_spec

SPECIALS = ("area", "peers", "division", "children", "period", "months")
TOKEN_RE = re.compile(r"\{\{|\}\}|\{([a-z][a-z0-9_]*)(?::([^{}]*))?\}")


def placeholders(text: str) -> list[tuple[str, str]]:
    """(name, spec) of every placeholder of ``text``, in order (spec "" when none)."""
    return [(m[1], m[2] or "") for m in TOKEN_RE.finditer(text) if m[1]]


def text_problems(text: str, known: set[str]) -> list[str]:
    """What is wrong with a paragraph's text: unknown indicators, specs, stray braces."""
    problems = []
    for name, spec in placeholders(text):
        if name in SPECIALS:
            if spec:
                problems.append(f"{{{name}}} 不带格式")
            continue
        if name not in known:
            problems.append(f"未知的指标：{name}")
            continue
        if spec:
            try:
                parse_spec(spec)
            except FormatError as exc:
                problems.append(str(exc))
    if "{" in TOKEN_RE.sub("", text) or "}" in TOKEN_RE.sub("", text):
        problems.append("花括号不配对：占位符应写作 {指标} 或 {指标:格式}，花括号本身写作 {{ }}")
    return problems


@dataclass(frozen=True)
class Column:
    """A table column: one indicator of every child division."""

    indicator: str
    header: str
    spec: str = ""


@dataclass(frozen=True)
class Paragraph:
    key: str
    text: str

    def as_json(self) -> dict:
        return {"kind": "paragraph", "key": self.key, "text": self.text}


@dataclass(frozen=True)
class Table:
    """The child divisions (rows) by ``columns``, with the division's own figures as the total."""

    key: str
    caption: str
    columns: tuple[Column, ...]

    def as_json(self) -> dict:
        return {
            "kind": "table",
            "key": self.key,
            "caption": self.caption,
            "columns": [
                {"indicator": c.indicator, "header": c.header, "spec": c.spec} for c in self.columns
            ],
        }


@dataclass(frozen=True)
class Chart:
    """A bar chart of one indicator over the child divisions, largest first."""

    key: str
    title: str
    indicator: str
    spec: str = ""

    def as_json(self) -> dict:
        return {
            "kind": "chart",
            "key": self.key,
            "title": self.title,
            "indicator": self.indicator,
            "spec": self.spec,
        }


Block = Paragraph | Table | Chart


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class BulletinTemplate:
    key: str
    name: str
    title: str
    sections: tuple[Section, ...]
    masthead: str = "科技工作简报"
    description: str = ""

    def blocks(self) -> list[Block]:
        return [block for section in self.sections for block in section.blocks]

    def indicators(self) -> list[str]:
        """Every indicator the paragraphs, tables and charts name (first appearance order)."""
        keys: list[str] = []
        texts = [self.title] + [b.text for b in self.blocks() if isinstance(b, Paragraph)]
        for text in texts:
            keys += [name for name, _spec in placeholders(text) if name not in SPECIALS]
        return list(dict.fromkeys(keys + self.child_indicators()))

    def child_indicators(self) -> list[str]:
        keys: list[str] = []
        for block in self.blocks():
            if isinstance(block, Table):
                keys += [c.indicator for c in block.columns]
            elif isinstance(block, Chart):
                keys.append(block.indicator)
        return list(dict.fromkeys(keys))

    def body(self) -> dict:
        """The JSON a new bulletin starts from."""
        return {
            "template": self.key,
            "masthead": self.masthead,
            "sections": [
                {
                    "key": section.key,
                    "heading": section.heading,
                    "blocks": [block.as_json() for block in section.blocks],
                }
                for section in self.sections
            ],
        }


REGISTRY = BulletinTemplate(
    key="registry",
    name="科技创新主要指标（工作简报）",
    description="创新主体、研发投入、创新平台三部分，含分区县表格和图表",
    title="{period}{division}科技创新主要指标情况",
    sections=(
        Section(
            "subjects",
            "一、创新主体",
            (
                Paragraph(
                    "subjects.overview",
                    "{area}现有 {leading_innovator_count} 家创新型领军企业、"
                    "{hnte_count} 家高企、{tech_sme_count} 家科小，民企占比分别达到 "
                    "{leading_innovator_private_share:pct0}、{hnte_private_share:pct0}、"
                    "{tech_sme_private_share:pct0}。",
                ),
                Paragraph(
                    "subjects.growth",
                    "与上年同期相比，高新技术企业数量{hnte_count_yoy:growth1}，科技型中小企业数量"
                    "{tech_sme_count_yoy:growth1}。{area}另有瞪羚企业 {gazelle_count} 家、"
                    "专精特新“小巨人”企业 {little_giant_count} 家，规上企业 "
                    "{above_scale_count} 家。",
                ),
                Table(
                    "subjects.table",
                    "各{children}创新主体情况",
                    (
                        Column("leading_innovator_count", "领军企业（家）"),
                        Column("hnte_count", "高企（家）"),
                        Column("tech_sme_count", "科小（家）"),
                        Column("gazelle_count", "瞪羚企业（家）"),
                        Column("above_scale_count", "规上企业（家）"),
                    ),
                ),
                Chart("subjects.chart", "各{children}高新技术企业数（家）", "hnte_count"),
            ),
        ),
        Section(
            "rd",
            "二、研发投入",
            (
                Paragraph(
                    "rd.intensity",
                    "{period}，{area}企业研发费用 {rd_expense_sum:money}，营业收入 "
                    "{revenue_sum:money}，研发投入强度达到 {rd_intensity:pct2}，"
                    "{rd_intensity_vs_national:pp2:全国}，位列{peers}{rd_intensity_rank:ordinal}。",
                ),
                Paragraph(
                    "rd.talent",
                    "{area}企业共有研发人员 {rd_staff_sum} 人，拥有发明专利 "
                    "{invention_patents_sum} 件。",
                ),
                Table(
                    "rd.table",
                    "各{children}研发投入情况",
                    (
                        Column("rd_expense_sum", "研发费用（万元）", "wan2"),
                        Column("revenue_sum", "营业收入（万元）", "wan2"),
                        Column("rd_intensity", "研发投入强度", "pct2"),
                        Column("rd_staff_sum", "研发人员（人）"),
                    ),
                ),
                Chart("rd.chart", "各{children}研发投入强度（%）", "rd_intensity", "pct2"),
            ),
        ),
        Section(
            "platforms",
            "三、创新平台",
            (
                Paragraph(
                    "platforms.overview",
                    "{area}现有各类创新平台 {platform_count} 个，其中国家级 "
                    "{platform_national_count} 个、省级 {platform_provincial_count} 个；"
                    "工程技术研究中心 {platform_eng_research_center_count} 个、重点实验室 "
                    "{platform_key_lab_count} 个、科技企业孵化器 {platform_incubator_count} 个、"
                    "众创空间 {platform_makerspace_count} 个。",
                ),
            ),
        ),
    ),
)

SUMMARY = BulletinTemplate(
    key="summary",
    name="主要指标摘要",
    description="一段话概述创新主体和研发投入，不含表格图表",
    title="{period}{division}科技创新主要指标摘要",
    sections=(
        Section(
            "summary",
            "主要指标",
            (
                REGISTRY.sections[0].blocks[0],
                REGISTRY.sections[1].blocks[0],
            ),
        ),
    ),
)

TEMPLATES: dict[str, BulletinTemplate] = {t.key: t for t in (REGISTRY, SUMMARY)}
DEFAULT_TEMPLATE = REGISTRY.key


def template_choices() -> list[tuple[str, str]]:
    return [(t.key, t.name) for t in TEMPLATES.values()]


def get_template(key: str) -> BulletinTemplate:
    try:
        return TEMPLATES[key]
    except KeyError:
        raise KeyError(f"未知的简报模板：{key}") from None
