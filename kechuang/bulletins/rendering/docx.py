"""The bulletin as a Word document laid out like a government work bulletin (工作简报).

After GB/T 9704-2012 (党政机关公文格式), roughly: A4, margins 37 mm top, 35 mm bottom, 28 mm
left, 26 mm right; body text 三号 (16 pt) 仿宋_GB2312 on a 29 pt line (22 lines a page),
headings 三号黑体, the title 二号小标宋; a red masthead (科技工作简报) with the issue number,
the issuing body and the date above a red rule; tables with borders in 小四; page numbers
"— 1 —" in 四号宋体 at the foot. Chinese fonts are set as East Asian fonts (``w:eastAsia``),
digits and Latin letters in Times New Roman. Where a font is not installed the reader's
word processor substitutes one.
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RELATIONSHIP
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..compose import Chart, Document, Paragraph, Table

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
RED = RGBColor(0xC0, 0x00, 0x00)
RED_HEX = "C00000"

# Chinese type sizes (字号) in points.
CHUHAO, ERHAO, SANHAO, SIHAO, XIAOSI, WUHAO = 42, 22, 16, 14, 12, 10.5
LINE = Pt(28.9)  # 22 lines on the 225 mm type area
TEXT_WIDTH = Mm(156)
FIRST_COLUMN = Mm(30)


def _fonts(run, east_asian: str, size: float, *, bold=False, color=None, latin=LATIN_FONT):
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = latin
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")
    if color is not None:
        run.font.color.rgb = color
    return run


def _paragraph(
    doc,
    text: str = "",
    *,
    font=BODY_FONT,
    size=SANHAO,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent=True,
    bold=False,
    color=None,
    before=0,
    after=0,
    line=LINE,
    latin=LATIN_FONT,
):
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = line
    if indent:
        fmt.first_line_indent = Pt(size * 2)  # two characters
    if text:
        _fonts(paragraph.add_run(text), font, size, bold=bold, color=color, latin=latin)
    return paragraph


def _border(paragraph, side: str, *, size_eighths: int, color: str, space: int = 1) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size_eighths))
    edge.set(qn("w:space"), str(space))
    edge.set(qn("w:color"), color)
    borders.append(edge)


def _field(paragraph, instruction: str, font: str, size: float) -> None:
    """A Word field (e.g. PAGE): begin, instruction, separate, a placeholder result, end."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None)):
        run = _fonts(paragraph.add_run(), font, size, latin=font)
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
    _fonts(paragraph.add_run("1"), font, size, latin=font)
    end = _fonts(paragraph.add_run(), font, size, latin=font)
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), "end")
    end._r.append(element)


def _setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(22)
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(SANHAO)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(language)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(footer.add_run("— "), PAGE_NUMBER_FONT, SIHAO, latin=PAGE_NUMBER_FONT)
    _field(footer, "PAGE", PAGE_NUMBER_FONT, SIHAO)
    _fonts(footer.add_run(" —"), PAGE_NUMBER_FONT, SIHAO, latin=PAGE_NUMBER_FONT)


def _masthead(doc, document: Document) -> None:
    _paragraph(
        doc,
        document.masthead,
        font=TITLE_FONT,
        size=CHUHAO,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        bold=True,
        color=RED,
        line=None,
        before=12,
        after=6,
        latin=TITLE_FONT,
    )
    _paragraph(doc, document.issue_label, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=12)
    dateline = _paragraph(doc, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False)
    dateline.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    _fonts(dateline.add_run(document.issuer), BODY_FONT, SANHAO)
    _fonts(dateline.add_run("\t" + document.date_label), BODY_FONT, SANHAO)
    _border(dateline, "bottom", size_eighths=18, color=RED_HEX, space=4)


def _title(doc, document: Document) -> None:
    _paragraph(
        doc,
        document.title,
        font=TITLE_FONT,
        size=ERHAO,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        line=Pt(36),
        before=24,
        after=18,
        latin=TITLE_FONT,
    )


def _text(doc, block: Paragraph, *, draft: bool) -> None:
    paragraph = _paragraph(doc)
    for segment in block.segments:
        run = _fonts(paragraph.add_run(segment.text), BODY_FONT, SANHAO)
        if draft and segment.is_figure and segment.missing:
            run.font.color.rgb = RED  # for the editor: a figure that could not be written


def _cell_text(
    cell, text: str, *, bold=False, align=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=True
) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.keep_with_next = keep_with_next  # the table stays on one page
    _fonts(paragraph.add_run(text), HEADING_FONT if bold else BODY_FONT, XIAOSI)


def _header_text(text: str) -> str:
    """A long header breaks before its unit: 研发费用 / （万元） on two lines."""
    if "（" in text and len(text) > 5 and not text.startswith("（"):
        head, unit = text.split("（", 1)
        return f"{head}\n（{unit}"
    return text


def _table(doc, block: Table) -> None:
    caption = _paragraph(
        doc,
        block.caption,
        font=HEADING_FONT,
        size=SIHAO,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        before=6,
        after=4,
        line=None,
        latin=HEADING_FONT,
    )
    caption.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    rest = (TEXT_WIDTH - FIRST_COLUMN) // max(len(block.header) - 1, 1)
    for position, (cell, text) in enumerate(zip(table.rows[0].cells, block.header, strict=True)):
        _cell_text(cell, _header_text(text) if position else text, bold=True)
    _repeat_header(table.rows[0])
    last = len(block.rows) - 1
    widths = [FIRST_COLUMN] + [rest] * (len(block.header) - 1)
    for index, row in enumerate(block.rows):
        added = table.add_row()
        added._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for position, (cell, value) in enumerate(zip(added.cells, row, strict=True)):
            align = WD_ALIGN_PARAGRAPH.RIGHT if position else WD_ALIGN_PARAGRAPH.CENTER
            _cell_text(
                cell, value.text, bold=index == last, align=align, keep_with_next=index != last
            )
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the table grid (LibreOffice reads this)
        for cell in column.cells:
            cell.width = width  # each cell (Word reads this)
    _paragraph(doc, line=Pt(12))


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _chart(doc, block: Chart) -> None:
    picture = doc.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    picture.add_run().add_picture(io.BytesIO(block.png), width=Mm(150))
    _paragraph(
        doc,
        f"图 {block.number}　{block.title}",
        font=HEADING_FONT,
        size=SIHAO,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        after=6,
        line=None,
        latin=HEADING_FONT,
    )


def _hyperlink(paragraph, url: str, text: str, font: str, size: float) -> None:
    """A run of ``text`` linking to ``url`` (an external relationship of the document)."""
    relation = paragraph.part.relate_to(url, RELATIONSHIP.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = _fonts(paragraph.add_run(text), font, size)
    run.font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
    run.font.underline = True
    link.append(run._r)
    paragraph._p.append(link)


def _notes(doc, document: Document, base_url: str) -> None:
    """附注: how the figures were made, each value linking to its records when the site's
    address is known (``base_url``)."""
    heading = _paragraph(doc, before=18, indent=False, line=None, align=WD_ALIGN_PARAGRAPH.LEFT)
    _border(heading, "top", size_eighths=6, color="000000", space=6)
    _fonts(heading.add_run("附注"), HEADING_FONT, SIHAO, latin=HEADING_FONT)
    _paragraph(
        doc,
        f"本简报数据由科创平台根据登记数据生成，计算时间 {document.computed_label}。"
        + ("各数值链接到其明细记录。" if base_url else ""),
        size=XIAOSI,
        line=None,
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    for number, note in enumerate(document.notes, start=1):
        line = _paragraph(doc, indent=False, line=None, align=WD_ALIGN_PARAGRAPH.LEFT)
        line.paragraph_format.left_indent = Pt(XIAOSI * 2)
        line.paragraph_format.first_line_indent = Pt(-XIAOSI * 2)
        _fonts(line.add_run(f"{number}. {note.label}："), BODY_FONT, WUHAO)
        if note.url and base_url:
            _hyperlink(line, f"{base_url}{note.url}", note.text, BODY_FONT, WUHAO)
        else:
            _fonts(line.add_run(note.text), BODY_FONT, WUHAO)
        if note.definition:
            _fonts(line.add_run(f"（{note.definition}）"), BODY_FONT, WUHAO)


def render_docx(document: Document, *, base_url: str = "") -> bytes:
    doc = new_docx()
    _setup(doc)
    _masthead(doc, document)
    _title(doc, document)
    for section in document.sections:
        if section.heading:
            heading = _paragraph(doc, section.heading, font=HEADING_FONT, latin=HEADING_FONT)
            heading.paragraph_format.keep_with_next = True
        for block in section.blocks:
            if block.kind == "paragraph":
                _text(doc, block, draft=document.draft)
            elif block.kind == "table":
                _table(doc, block)
            elif block.kind == "chart":
                _chart(doc, block)
    if document.notes:
        _notes(doc, document, base_url.rstrip("/") if base_url.startswith("http") else "")
    properties = doc.core_properties
    properties.title = document.title
    properties.author = document.issuer
    properties.comments = "科创平台生成"
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
