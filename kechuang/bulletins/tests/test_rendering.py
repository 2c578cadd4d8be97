"""The same bulletin as DOCX (government 工作简报 layout), HTML (linked figures) and Markdown."""

import io
import re
from html.parser import HTMLParser

import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn
from docx.shared import Pt

from kechuang.bulletins import services
from kechuang.bulletins.rendering import FORMATS, document_for, filename_for, render
from kechuang.bulletins.rendering.markdown import render_markdown
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://kc.example.gov.cn"


@pytest.fixture
def bulletin(source):
    bureau = UserFactory(role=Roles.BUREAU, division_code="340400")
    return services.bulletin_generate(
        actor=bureau, division_code="340400", period="2023", source=source
    )


def east_asian(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_docx_layout(bulletin):
    doc = read_docx(io.BytesIO(render(document_for(bulletin), "docx", base_url=SITE)))
    section = doc.sections[0]
    size = (section.page_width, section.page_height)
    assert [round(x.mm) for x in size] == [210, 297]  # A4 (stored in twips)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(x.mm) for x in margins] == [37, 35, 28, 26]
    paragraphs = [p for p in doc.paragraphs if p.text]
    masthead, issue, dateline, title = paragraphs[:4]
    assert masthead.text == "科技工作简报"
    assert str(masthead.runs[0].font.color.rgb) == "C00000"
    assert masthead.runs[0].font.size == Pt(42)
    assert issue.text == "（草稿）"
    assert dateline.text.startswith("淮南市科学技术局\t")
    rule = dateline._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "C00000"
    assert title.text == "2023 年淮南市科技创新主要指标情况"
    assert title.runs[0].font.size == Pt(22)
    heading = next(p for p in paragraphs if p.text == "一、创新主体")
    assert east_asian(heading.runs[0]) == "黑体"
    body = next(p for p in paragraphs if p.text.startswith("全市现有 18 家"))
    assert {east_asian(r) for r in body.runs} == {"仿宋_GB2312"}
    assert {r.font.size for r in body.runs} == {Pt(16)}
    assert {r.font.name for r in body.runs} == {"Times New Roman"}
    assert body.paragraph_format.first_line_indent == Pt(32)
    # Tables with borders, the total row last; charts as images with captions.
    assert len(doc.tables) == 2
    table = doc.tables[0]
    assert table.style.name == "Table Grid"
    assert [c.text for c in table.rows[0].cells][:2] == ["县（市、区）", "领军企业\n（家）"]
    assert [c.text for c in table.rows[-1].cells][:3] == ["全市", "18", "9068"]
    assert len(doc.inline_shapes) == 2
    assert any(p.text.startswith("图 1　各县（市、区）高新技术企业数") for p in paragraphs)
    # Page numbers: a PAGE field in the footer.
    footer = section.footer.paragraphs[0]
    assert "PAGE" in "".join(t.text for t in footer._p.iter(qn("w:instrText")))
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    # 附注: every figure, its value linking to the records behind it.
    assert any(p.text == "附注" for p in paragraphs)
    links = {rel.target_ref for rel in doc.part.rels.values() if rel.reltype.endswith("/hyperlink")}
    assert f"{SITE}/orgs/?division=340400&indicator=hnte_count" in links


def test_docx_without_a_site_address_has_no_links(bulletin):
    doc = read_docx(io.BytesIO(render(document_for(bulletin), "docx")))
    assert not [r for r in doc.part.rels.values() if r.reltype.endswith("/hyperlink")]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.figures: list[tuple[str, str]] = []
        self._href = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "bulletin-figure" in attrs.get("class", ""):
            self._href = attrs["href"]

    def handle_data(self, data):
        if self._href is not None:
            self.figures.append((data, self._href))
            self._href = None


def test_every_number_in_the_html_links_to_its_records(bulletin):
    document = document_for(bulletin)
    html = render(document, "html", base_url=SITE).decode()
    parser = Links()
    parser.feed(html)
    expected = [
        (s.text, f"{SITE}{s.url}") for p in document.paragraphs() for s in p.segments if s.is_figure
    ]
    assert expected and set(expected) <= set(parser.figures)
    assert ("9068", f"{SITE}/orgs/?division=340400&indicator=hnte_count") in parser.figures
    cells = [
        c
        for s in document.sections
        for b in s.blocks
        if b.kind == "table"
        for r in b.rows
        for c in r
        if c.is_figure
    ]
    assert len(parser.figures) == len(expected) + len(cells)
    # Table cells link too: a county's figure to the county's records.
    assert ("3100", f"{SITE}/orgs/?division=340421&indicator=hnte_count") in parser.figures
    # No digit of the body text stands outside a link.
    for paragraph in document.paragraphs():
        loose = "".join(s.text for s in paragraph.segments if not s.is_figure)
        assert not re.search(r"\d", loose.replace("2023", "")), loose
    assert html.count('src="data:image/png;base64,') == 2
    assert '<h1 class="bulletin-masthead">科技工作简报</h1>' in html


def test_markdown_has_linked_figures_tables_and_charts(bulletin):
    document = document_for(bulletin)
    markdown = render(document, "md").decode()
    assert "全市现有 [18](/orgs/?division=340400&indicator=leading_innovator_count) 家" in markdown
    assert "| 县（市、区） | 领军企业（家） | 高企（家） |" in markdown
    assert "| 全市 | [18](" in markdown
    assert markdown.count("](data:image/png;base64,") == 2
    named = render_markdown(document, image_names=["a.png", "b.png"])
    assert "![图 1　各县（市、区）高新技术企业数（家）](a.png)" in named


def test_formats_and_file_names(bulletin):
    assert set(FORMATS) == {"docx", "html", "md"}
    assert filename_for(bulletin, "docx") == f"简报-340400-2023-草稿{bulletin.pk}.docx"
    bureau = bulletin.created_by
    published = services.bulletin_publish(actor=bureau, bulletin=bulletin)
    assert filename_for(published, "md") == "简报-340400-2023-第1期.md"
    with pytest.raises(ValueError):
        render(document_for(published), "pdf")
