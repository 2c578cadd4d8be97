"""Imports of needs, achievements and experts from real-looking xlsx and csv files."""

import csv
import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from kechuang.core.imports import run_import, write_export
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import OrganizationFactory, UserFactory
from kechuang.market.models import Achievement, Expert, TechNeed

from .factories import ABSTRACT, DESCRIPTION, NeedFactory

pytestmark = pytest.mark.django_db

NEED_KEYS = [
    "owner_uscc",
    "title",
    "description",
    "field",
    "keywords",
    "budget_min",
    "budget_max",
    "mode",
    "deadline",
    "status",
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def write_xlsx(path, rows, title_line=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "技术需求"
    if title_line:
        sheet.append([title_line])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def enterprise():
    return OrganizationFactory(name="淮南舜泰煤矿机械有限公司")


@pytest.fixture
def university():
    return OrganizationFactory(name="安徽理工大学", kind="university", division_code="340403")


def test_needs_by_english_keys_from_xlsx(tmp_path, enterprise):
    rows = [
        NEED_KEYS,
        [
            enterprise.uscc,
            "液压支架密封件寿命提升",
            DESCRIPTION,
            "新材料",
            "密封；聚氨酯; 液压支架",
            150000,
            800000.5,
            "joint_development",
            dt.datetime(2025, 12, 31),
            "",
        ],
        [
            enterprise.uscc,
            "井下巡检机器人定位算法",
            DESCRIPTION.replace("密封", "定位"),
            "先进制造与自动化",
            "巡检机器人;定位",
            None,
            None,
            "技术咨询",
            None,
            "draft",
        ],
    ]
    path = write_xlsx(tmp_path / "needs.xlsx", rows, title_line="2024 年企业技术需求征集表")
    report = run_import("needs", path)
    assert report.ok, report.text()
    assert (report.created, report.updated) == (2, 0)
    seal = TechNeed.objects.get(title="液压支架密封件寿命提升")
    assert seal.status == "published" and seal.published_on == timezone.localdate()
    assert seal.keywords == "密封；聚氨酯；液压支架"
    assert seal.budget_max == Decimal("800000.50") and seal.deadline == dt.date(2025, 12, 31)
    assert seal.division_code == enterprise.division_code
    robot = TechNeed.objects.get(title="井下巡检机器人定位算法")
    assert (robot.status, robot.published_on, robot.mode) == ("draft", None, "consulting")
    assert robot.history.count() == 1
    again = run_import("needs", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_needs_with_chinese_headers_in_csv_encodings(tmp_path, enterprise, encoding):
    header = ["统一社会信用代码", "需求名称", "需求描述", "技术领域", "关键词"]
    header += ["预算上限（万元）", "合作方式"]
    row = [enterprise.uscc, "煤矸石陶粒工艺优化", DESCRIPTION, "新材料", "煤矸石；陶粒"]
    row += ["120", "合作开发"]
    path = write_csv(tmp_path / f"needs-{encoding}.csv", [header, row], encoding)
    report = run_import("needs", path)
    assert report.ok, report.text()
    need = TechNeed.objects.get()
    assert need.budget_max == Decimal("1200000.00")
    assert need.mode == "joint_development" and need.status == "published"


def test_a_bad_needs_file_writes_nothing_and_names_row_column_and_reason(tmp_path, enterprise):
    university = OrganizationFactory(kind="university")
    rows = [
        NEED_KEYS,
        [enterprise.uscc, "好需求", DESCRIPTION, "", "", "", "", "consulting", "", ""],
        [enterprise.uscc, "太短", "描述太短", "", "", "", "", "consulting", "", ""],
        [enterprise.uscc, "预算颠倒", DESCRIPTION, "", "", "900000", "100", "consulting", "", ""],
        [university.uscc, "高校不是企业", DESCRIPTION, "", "", "", "", "consulting", "", ""],
        ["91340421MA2N0000X1", "代码错", DESCRIPTION, "", "", "", "", "咨询", "", ""],
        [enterprise.uscc, "方式错", DESCRIPTION, "", "", "", "", "赠送", "", ""],
        [enterprise.uscc, "日期错", DESCRIPTION, "", "", "", "", "咨询", "明年", ""],
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    report = run_import("needs", path)
    assert not report.ok
    found = {(e.row, e.column): e.reason for e in report.errors}
    assert "至少 50 个字" in found[(3, "description")]
    assert "小于预算下限" in found[(4, "budget_max")]
    assert "需求企业应为企业" in found[(5, "owner_uscc")]
    assert "统一社会信用代码" in found[(6, "owner_uscc")]
    assert "未知的选项" in found[(7, "mode")]
    assert "日期格式" in found[(8, "deadline")]
    assert report.bad_rows == 6
    assert TechNeed.objects.count() == 0


def test_achievements_file_checks_patent_numbers_and_types(tmp_path, university):
    header = ["owner_uscc", "title", "abstract", "type", "field", "keywords"]
    header += ["patent_number", "maturity", "transfer_mode", "price", "status"]
    rows = [
        header,
        [university.uscc, "矿井水资源化技术", ABSTRACT, "发明专利", "资源与环境", "矿井水;资源化"]
        + ["ZL 2017 1060 1862.3", "中试", "许可", "", ""],
        [university.uscc, "煤矿安全监测软件", ABSTRACT, "software", "电子信息", "安全监测"]
        + ["2023SR0123456", "industrialised", "transfer", "50000", "published"],
        [university.uscc, "校验位错", ABSTRACT, "invention_patent", "", ""]
        + ["ZL201710601862.4", "lab", "transfer", "", ""],
        [university.uscc, "类型不符", ABSTRACT, "utility_model", "", ""]
        + ["ZL201710601862.3", "lab", "transfer", "", ""],
        [university.uscc, "技术秘密有号", ABSTRACT, "know_how", "", ""]
        + ["ZL201710601862.3", "lab", "transfer", "", ""],
    ]
    path = write_xlsx(tmp_path / "achievements.xlsx", rows)
    report = run_import("achievements", path)
    found = {(e.row, e.column): e.reason for e in report.errors}
    assert set(found) == {(4, "patent_number"), (5, "patent_number"), (6, "patent_number")}
    assert "应为 3" in found[(4, "patent_number")]
    assert "专利类型" in found[(5, "patent_number")]
    assert "技术秘密" in found[(6, "patent_number")]
    assert Achievement.objects.count() == 0
    report = run_import("achievements", write_xlsx(tmp_path / "ok.xlsx", rows[:3]))
    assert report.ok, report.text()
    water = Achievement.objects.get(title="矿井水资源化技术")
    assert water.patent_number == "ZL201710601862.3"
    assert (water.type, water.maturity, water.transfer_mode) == (
        "invention_patent",
        "pilot",
        "licence",
    )
    assert water.price is None and water.status == "published"


def test_experts_by_employer_uscc(tmp_path, university):
    rows = [
        ["name", "employer_uscc", "fields", "keywords", "bio"],
        ["张明", university.uscc, "先进制造与自动化;新材料", "液压; 密封", "机械工程学院教授。"],
        ["李华", university.uscc, "电子信息", "", ""],
        ["", university.uscc, "", "", ""],
    ]
    report = run_import("experts", write_csv(tmp_path / "experts.csv", rows))
    assert [(e.row, e.column) for e in report.errors] == [(4, "name")]
    report = run_import("experts", write_csv(tmp_path / "experts.csv", rows[:3]))
    assert report.ok, report.text()
    zhang = Expert.objects.get(name="张明")
    assert zhang.fields == "先进制造与自动化；新材料" and zhang.keywords == "液压；密封"
    assert zhang.division_code == university.division_code


def test_staff_import_only_for_organizations_in_scope(tmp_path):
    far = OrganizationFactory(division_code="340102")
    rows = [NEED_KEYS[:4], [far.uscc, "外地需求", DESCRIPTION, "新材料"]]
    bureau = UserFactory(role=Roles.BUREAU, division_code="340400")
    report = run_import("needs", write_csv(tmp_path / "far.csv", rows), actor=bureau)
    assert [e.reason for e in report.errors] == ["该机构不在您的管辖范围内"]


def test_export_imports_back_unchanged(tmp_path, enterprise):
    NeedFactory(enterprise=enterprise, keywords="密封；聚氨酯", deadline=dt.date(2025, 6, 30))
    NeedFactory(enterprise=enterprise, budget_min=None, budget_max=None, status="draft")
    path = tmp_path / "export.xlsx"
    assert write_export("needs", path) == 2
    report = run_import("needs", path)
    assert report.ok, report.text()
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)


def test_the_command_line(tmp_path, enterprise, capsys):
    rows = [NEED_KEYS[:4], [enterprise.uscc, "命令行导入的需求", DESCRIPTION, "新材料"]]
    call_command("import", "needs", str(write_csv(tmp_path / "n.csv", rows)))
    assert TechNeed.objects.filter(title="命令行导入的需求", status="published").exists()
