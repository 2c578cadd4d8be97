"""From imported records to the bulletin's sentence, through the statistics app (no injection).

The enterprises and qualifications of 淮南市 are imported from CSV files with the import engine
(as a clerk would); the bulletin's first paragraph must then read the counts and shares those
records make, every number must lead to exactly the records behind it, and a published bulletin
must keep reading the same when the records change.
"""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document as read_docx

from kechuang.bulletins import services
from kechuang.bulletins.models import Bulletin
from kechuang.bulletins.rendering import document_for, render
from kechuang.core.imports import run_import
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import UserFactory, uscc_for
from kechuang.orgs.models import Qualification
from kechuang.orgs.services import qualification_save

pytestmark = pytest.mark.django_db

SENTENCE = "全市现有 2 家创新型领军企业、3 家高企、5 家科小，民企占比分别达到 50%、67%、80%。"

# (n, county, ownership, qualifications held)
ENTERPRISES = [
    (1, "340421", "private", ["领军企业", "高企", "科小"]),
    (2, "340421", "state", ["领军企业", "高企"]),
    (3, "340403", "private", ["高企", "科小"]),
    (4, "340403", "private", ["科小"]),
    (5, "340403", "foreign", ["科小"]),
    (6, "340422", "private", ["科小"]),
    (7, "340422", "private", []),
    (8, "340102", "private", ["高企", "科小"]),  # 合肥市瑶海区: another city
]


def csv_file(tmp_path, name, rows):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


@pytest.fixture
def records(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    organizations = [["统一社会信用代码", "名称", "机构类型", "行政区划代码", "所有制"]]
    qualifications = [["统一社会信用代码", "资质类型", "证书编号", "认定日期", "有效期至", "状态"]]
    for n, county, ownership, held in ENTERPRISES:
        uscc = uscc_for(n, county)
        organizations.append([uscc, f"淮南测试科技有限公司{n}", "企业", county, ownership])
        for kind in held:
            qualifications.append([uscc, kind, f"Q{n}-{kind}", "2023-03-01", "2025-12-31", "有效"])
    # Not in force at the end of 2023: revoked, and expired.
    qualifications.append([uscc_for(7, "340422"), "高企", "Q7-old", "2020-01-01", "2023-06-30", ""])
    qualifications.append(
        [uscc_for(7, "340422"), "科小", "Q7-x", "2023-03-01", "2025-12-31", "撤销"]
    )
    for kind, rows in (("organizations", organizations), ("qualifications", qualifications)):
        report = run_import(kind, csv_file(tmp_path, f"{kind}.csv", rows))
        assert report.ok, report.text()
    return report


@pytest.fixture
def bureau():
    return UserFactory(role=Roles.BUREAU, division_code="340400")


def test_the_sentence_is_made_from_the_imported_records(records, bureau, client):
    bulletin = services.bulletin_generate(actor=bureau, division_code="340400", period="2023")
    document = document_for(bulletin)
    assert document.paragraphs()[0].text == SENTENCE
    # Each number leads to exactly the records behind it.
    client.force_login(bureau)
    figures = [s for s in document.paragraphs()[0].segments if s.is_figure]
    expected = {"2": 2, "3": 3, "5": 5}
    for figure in figures[:3]:
        response = client.get(figure.url)
        assert response.status_code == 200, figure.url
        assert response.context["paginator"].count == expected[figure.text], figure.url
    # The table by county sums to the city.
    table = next(b for s in document.sections for b in s.blocks if b.kind == "table")
    rows = {row[0].text: [c.text for c in row[1:4]] for row in table.rows}
    assert rows["凤台县"] == ["2", "2", "1"]
    assert rows["田家庵区"] == ["0", "1", "3"]
    assert rows["寿县"] == ["0", "0", "1"]
    assert rows["全市"] == ["2", "3", "5"]


def test_a_published_bulletin_keeps_its_figures_when_the_records_change(records, bureau):
    draft = services.bulletin_generate(actor=bureau, division_code="340400", period="2023")
    published = services.bulletin_publish(actor=bureau, bulletin=draft)
    before = render(document_for(published), "md")
    hnte = Qualification.objects.get(number="Q3-高企")
    qualification_save(
        actor=bureau,
        organization=hnte.organization,
        kind="hnte",
        number="Q3-高企",
        granted_on=hnte.granted_on,
        valid_until=hnte.valid_until,
        status="revoked",
    )
    published = Bulletin.objects.get(pk=published.pk)
    assert render(document_for(published), "md") == before
    assert document_for(published).paragraphs()[0].text == SENTENCE
    fresh = services.bulletin_copy(actor=bureau, bulletin=published, refresh=True)
    assert document_for(fresh).paragraphs()[0].text == (
        "全市现有 2 家创新型领军企业、2 家高企、5 家科小，民企占比分别达到 50%、50%、80%。"
    )


def test_every_template_names_registered_indicators():
    from kechuang.bulletins.catalog import TEMPLATES
    from kechuang.stats.selectors import indicator_catalog

    registered = {info.key for info in indicator_catalog()}
    for template in TEMPLATES.values():
        assert set(template.indicators()) <= registered, template.key


def test_the_command_writes_the_three_formats(records, tmp_path):
    out = io.StringIO()
    call_command(
        "bulletin",
        division="340400",
        period="2023",
        out=str(tmp_path / "b.docx"),
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "2023 年淮南市科技创新主要指标情况" in out.getvalue()
    doc = read_docx(tmp_path / "b.docx")
    assert SENTENCE in [p.text for p in doc.paragraphs]
    call_command(
        "bulletin",
        division="340400",
        period="2023",
        out=str(tmp_path / "b.html"),
        base_url="https://kc.example.gov.cn",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    html = (tmp_path / "b.html").read_text(encoding="utf-8")
    records_url = reverse("stats:record-list")
    assert f'href="https://kc.example.gov.cn{records_url}?indicator=hnte_count' in html
    call_command(
        "bulletin",
        division="340400",
        period="2023",
        template="registry",
        out=str(tmp_path / "b.md"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    markdown = (tmp_path / "b.md").read_text(encoding="utf-8")
    assert "![图 1　各县（市、区）高新技术企业数（家）](b-图1.png)" in markdown
    assert (tmp_path / "b-图1.png").read_bytes().startswith(b"\x89PNG")


def test_the_command_refuses_bad_arguments(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="扩展名"):
        call_command("bulletin", division="340400", period="2023", out=str(tmp_path / "b.pdf"))
    with pytest.raises(CommandError, match="无法识别的期间"):
        call_command("bulletin", division="340400", period="23", out=str(tmp_path / "b.md"))
    with pytest.raises(CommandError, match="未知的行政区划代码"):
        call_command("bulletin", division="349999", period="2023", out=str(tmp_path / "b.md"))
    with pytest.raises(CommandError, match="--division 或 --zone"):
        call_command("bulletin", period="2023", out=str(tmp_path / "b.md"))
    with pytest.raises(CommandError, match="输出目录不存在"):
        call_command(
            "bulletin", division="340400", period="2023", out=str(tmp_path / "no" / "b.md")
        )
