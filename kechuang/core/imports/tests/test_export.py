import csv
import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from kechuang.core.imports import export_header, importers, run_import, write_export
from kechuang.core.imports.exports import write_template
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import (
    EnterpriseYearFactory,
    OrganizationFactory,
    PlatformFactory,
    QualificationFactory,
    UserFactory,
    ZoneFactory,
    uscc_for,
)
from kechuang.orgs.models import EnterpriseYear, Organization, Qualification
from kechuang.platforms.models import Platform

pytestmark = pytest.mark.django_db

KINDS = ["organizations", "enterprise-years", "qualifications", "platforms"]
MODELS = {
    "organizations": Organization,
    "enterprise-years": EnterpriseYear,
    "qualifications": Qualification,
    "platforms": Platform,
}


@pytest.fixture
def registry():
    zone = ZoneFactory(name="淮南高新技术产业开发区")
    plain = OrganizationFactory(
        hightech_field="", industry_code="", founded_on=None, above_scale=True, zone=None
    )
    zoned = OrganizationFactory(
        zone=zone, ownership="hmt", kind="university", uscc=uscc_for(77, "340102")
    )
    zoned.division_code = "340102"
    zoned.save()
    EnterpriseYearFactory(organization=plain, year=2022, revenue=Decimal("72345678.91"))
    EnterpriseYearFactory(
        organization=plain,
        year=2023,
        net_assets=Decimal("-1500.50"),
        value_added=None,
        land_area_mu=None,
        class_ii_ip=None,
    )
    QualificationFactory(organization=plain, kind="little_giant", level="", status="revoked")
    QualificationFactory(organization=zoned, kind="tech_sme", valid_until=dt.date(2023, 12, 31))
    PlatformFactory(host=plain, zone=zone, recognised_on=None, status="warned")
    PlatformFactory(host=zoned, kind="key_lab", level="national", division_code="340102")
    return zone


def read_back(path):
    if path.suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as stream:
            return list(csv.reader(stream))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", KINDS)
def test_export_then_import_changes_nothing(registry, tmp_path, kind, fmt):
    path = tmp_path / f"{kind}.{fmt}"
    count = write_export(kind, path)
    assert count == MODELS[kind].objects.count() == 2
    history = MODELS[kind].history.count()
    report = run_import(kind, path)
    assert report.ok, report.text()
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert MODELS[kind].history.count() == history


def test_export_writes_chinese_headers_labels_and_yuan(registry, tmp_path):
    path = tmp_path / "facts.csv"
    write_export("enterprise-years", path)
    rows = read_back(path)
    assert rows[0] == export_header("enterprise-years")
    assert rows[0][:6] == [
        "统一社会信用代码",
        "企业名称",
        "年度",
        "从业人员",
        "研发人员",
        "营业收入（元）",
    ]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["年度"] == "2022" and first["营业收入（元）"] == "72345678.91"
    path = tmp_path / "orgs.xlsx"
    write_export("organizations", path)
    rows = read_back(path)
    zoned = dict(zip(rows[0], rows[1], strict=True))  # 340102 sorts first
    assert (zoned["机构类型"], zoned["所有制"], zoned["所在园区"]) == (
        "高校",
        "港澳台资",
        "淮南高新技术产业开发区",
    )
    assert zoned["成立日期"] == dt.datetime(2015, 3, 1)  # a real Excel date
    plain = dict(zip(rows[0], rows[2], strict=True))
    assert (plain["规上企业"], plain["高新技术领域"]) == ("是", None)


def test_export_limited_to_a_division_or_a_user(registry, tmp_path):
    path = tmp_path / "orgs.csv"
    assert write_export("organizations", path, division="340421") == 1
    assert read_back(path)[1][3] == "340421"
    bureau = UserFactory(role=Roles.BUREAU, division_code="340100")
    assert write_export("platforms", path, user=bureau) == 1
    assert read_back(path)[1][5] == "340102"


def test_an_edited_export_updates_what_changed(registry, tmp_path):
    path = tmp_path / "orgs.csv"
    write_export("organizations", path)
    rows = read_back(path)
    rows[1][1] = "改名后的公司"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    report = run_import("organizations", path)
    assert (report.updated, report.unchanged) == (1, 1), report.text()
    assert Organization.objects.filter(name="改名后的公司").exists()


@pytest.mark.parametrize("kind", KINDS)
def test_template_has_the_chinese_headers_and_instructions(tmp_path, kind):
    path = tmp_path / "template.xlsx"
    write_template(kind, path)
    workbook = openpyxl.load_workbook(path)
    header = [c.value for c in workbook.worksheets[0][1]]
    assert len(header) == len(export_header(kind))
    assert workbook.sheetnames[1] == "填写说明"
    if kind == "enterprise-years":
        assert "营业收入（万元）" in header
    # An empty template is a valid (empty) file of its kind.
    report = run_import(kind, path)
    assert report.ok and report.total_rows == 0


@pytest.mark.parametrize("kind", KINDS)
def test_column_names_are_unambiguous(kind):
    importer = importers()[kind]()
    seen = {}
    for column in importer.columns():
        for name in column.names():
            assert seen.setdefault(name, column.key) == column.key, name
