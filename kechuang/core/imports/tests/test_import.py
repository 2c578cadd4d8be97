import datetime as dt
from decimal import Decimal

import pytest

from kechuang.core.exceptions import RoleNotAllowed
from kechuang.core.identifiers import make_uscc
from kechuang.core.imports import run_import
from kechuang.core.models import AuditEvent, ImportJob
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

from .conftest import ORG_HEADER, org_row

pytestmark = pytest.mark.django_db


def errors_of(report):
    return {(e.row, e.column, e.reason) for e in report.errors}


def test_english_keys_create_organizations(csv_file):
    path = csv_file([ORG_HEADER, org_row(1), org_row(2, above_scale="1")])
    report = run_import("organizations", path)
    assert report.ok, report.text()
    assert (report.total_rows, report.created, report.updated, report.unchanged) == (2, 2, 0, 0)
    org = Organization.objects.get(uscc=uscc_for(2))
    assert org.name == "导入测试科技有限公司2"
    assert org.above_scale is True
    assert org.founded_on == dt.date(2015, 3, 1)
    assert org.history.get().history_type == "+"


def test_chinese_headers_labels_and_spaces(csv_file):
    zone = ZoneFactory(name="淮南高新区")
    path = csv_file(
        [
            [" 统一社会信用代码 ", "企业名称", "机构类型", "行政区划代码", "所在园区", "所有制"]
            + ["高新技术领域", "成立日期", "规上企业"],
            [uscc_for(7), "淮南示范科技", "高校", "340421", "淮南高新区", "民营"]
            + ["电子信息", "2019年5月8日", "是"],
            [uscc_for(8), "淮南第二科技", "企业", "340421", str(zone.pk), "港澳台资"]
            + ["08", "20200102", "否"],
        ]
    )
    report = run_import("organizations", path)
    assert report.ok, report.text()
    first, second = Organization.objects.order_by("uscc")
    assert (first.kind, first.zone, first.ownership, first.hightech_field) == (
        "university",
        zone,
        "private",
        "01",
    )
    assert first.founded_on == dt.date(2019, 5, 8) and first.above_scale
    assert (second.zone, second.ownership, second.hightech_field) == (zone, "hmt", "08")
    assert second.founded_on == dt.date(2020, 1, 2)


def test_money_units_in_headers_are_honoured(csv_file):
    org = OrganizationFactory()
    header = ["统一社会信用代码", "年度", "营业收入（万元）", "研发费用(元)", " 资产总额（亿元） "]
    header += ["高新技术产品（服务）收入（万元）", "用地面积（亩）", "Ⅰ类知识产权"]
    path = csv_file([header, [org.uscc, "2023", "5200.5", "2600000", "1.2", "3000", "35.5", "2"]])
    report = run_import("enterprise-years", path)
    assert report.ok, report.text()
    year = EnterpriseYear.objects.get(organization=org, year=2023)
    assert year.revenue == Decimal("52005000.00")
    assert year.rd_expense == Decimal("2600000.00")
    assert year.total_assets == Decimal("120000000.00")
    assert year.hightech_revenue == Decimal("30000000.00")
    assert year.land_area_mu == Decimal("35.50")
    assert year.class_i_ip == 2


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_encodings_are_detected(csv_file, encoding):
    path = csv_file(
        [
            ["统一社会信用代码", "机构名称", "行政区划代码", "所有制"],
            [uscc_for(3), "鑫淼科技", "340421", "国有"],
        ],
        encoding=encoding,
    )
    report = run_import("organizations", path)
    assert report.ok, report.text()
    org = Organization.objects.get()
    assert (org.name, org.ownership) == ("鑫淼科技", "state")


def test_xlsx_with_real_dates_and_numbers(xlsx_file):
    org = OrganizationFactory()
    path = xlsx_file(
        [
            ["统一社会信用代码", "资质类型", "证书编号", "级别", "认定日期", "有效期至"],
            [org.uscc, "高新技术企业", "GR202334001234", "国家级"]
            + [dt.datetime(2023, 10, 16), dt.datetime(2026, 10, 15)],
            [org.uscc, "tech_sme", 20233404000123, "", 20230501, "2023-12-31"],
        ]
    )
    report = run_import("qualifications", path)
    assert report.ok, report.text()
    hnte = Qualification.objects.get(kind="hnte")
    assert (hnte.number, hnte.level) == ("GR202334001234", "national")
    assert (hnte.granted_on, hnte.valid_until) == (dt.date(2023, 10, 16), dt.date(2026, 10, 15))
    sme = Qualification.objects.get(kind="tech_sme")
    assert (sme.number, sme.granted_on) == ("20233404000123", dt.date(2023, 5, 1))


def test_a_title_line_above_the_header_is_skipped(xlsx_file):
    path = xlsx_file([["2023 年度机构名单"], [], ORG_HEADER, org_row(1), [], org_row(2)])
    report = run_import("organizations", path)
    assert report.ok, report.text()
    assert report.created == 2


def test_dry_run_writes_nothing(csv_file):
    existing = OrganizationFactory(uscc=uscc_for(1), name="旧名称")
    path = csv_file([ORG_HEADER, org_row(1), org_row(2)])
    report = run_import("organizations", path, dry_run=True)
    assert report.ok
    assert (report.created, report.updated, report.dry_run, report.written) == (1, 1, True, False)
    assert Organization.objects.count() == 1
    existing.refresh_from_db()
    assert existing.name == "旧名称"
    assert existing.history.count() == 1  # the factory's
    assert not AuditEvent.objects.exists() and not ImportJob.objects.exists()


def test_a_bad_file_writes_nothing_and_reports_every_bad_row(csv_file):
    bad_check = uscc_for(3)[:-1] + ("0" if uscc_for(3)[-1] != "0" else "1")
    path = csv_file(
        [
            ORG_HEADER,
            org_row(1),
            [bad_check, "甲", "enterprise", "340421", "private", "2015-03-01", "0"],
            org_row(4, division="340421", division_code="349999"),
            org_row(5, division_code="340400"),
            org_row(6, ownership="外星"),
            org_row(7, founded_on="2015-02-30"),
            org_row(8, name=""),
            org_row(9),
        ]
    )
    report = run_import("organizations", path)
    assert not report.ok
    assert report.created == 2  # rows 2 and 10 were fine, but the file is all-or-nothing
    assert Organization.objects.count() == 0
    found = errors_of(report)
    assert (
        3,
        "uscc",
        f"统一社会信用代码校验位错误：应为 {uscc_for(3)[-1]}，实为 {bad_check[-1]}",
    ) in found
    assert (4, "division_code", "未知的行政区划代码 349999") in found
    assert (5, "division_code", "340400 不是县级行政区划，机构应登记到区县") in found
    assert {(e.row, e.column) for e in report.errors} == {
        (3, "uscc"),
        (4, "division_code"),
        (5, "division_code"),
        (6, "ownership"),
        (7, "founded_on"),
        (8, "name"),
    }
    by_row = {e.row: e for e in report.errors}
    assert by_row[6].value == "外星" and "未知的选项" in by_row[6].reason
    assert by_row[7].value == "2015-02-30" and by_row[7].reason == "日期不存在"
    assert report.bad_rows == 6
    assert "文件未写入" in report.summary()


def test_fact_rules_come_from_the_validator(csv_file):
    org = OrganizationFactory()
    unknown = uscc_for(999)
    path = csv_file(
        [
            [
                "统一社会信用代码",
                "年度",
                "从业人员",
                "研发人员",
                "营业收入（万元）",
                "净资产（万元）",
            ],
            [org.uscc, "2022", "100", "20", "5000", "-300"],  # net assets may be negative
            [org.uscc, "2023", "10", "20", "-1", ""],
            [unknown, "2023", "10", "2", "1", ""],
            [org.uscc, "1900", "10", "2", "1", ""],
            [org.uscc, "二〇二三", "10", "2", "1", ""],
        ]
    )
    report = run_import("enterprise-years", path)
    assert errors_of(report) == {
        (3, "研发人员", "研发人员不能多于从业人员"),
        (3, "营业收入（万元）", "不能为负数"),
        (4, "统一社会信用代码", f"未登记的统一社会信用代码 {unknown}，请先导入机构"),
        (5, "年度", f"年度 1900 超出范围（1949–{dt.date.today().year}）"),
        (6, "年度", "应为整数"),
    }
    assert not EnterpriseYear.objects.exists()


def test_duplicate_key_within_the_file(csv_file):
    org = OrganizationFactory()
    path = csv_file(
        [
            ["uscc", "year", "employees"],
            [org.uscc, "2023", "10"],
            [org.uscc, "2022", "10"],
            [org.uscc.lower(), "2023", "12"],
        ]
    )
    report = run_import("enterprise-years", path)
    assert [(e.row, e.column) for e in report.errors] == [(4, "uscc")]
    assert report.errors[0].reason.startswith("与第 2 行重复")
    assert not EnterpriseYear.objects.exists()


def test_unknown_and_missing_columns_are_listed(csv_file):
    path = csv_file([["统一社会信用代码", "利润", "名称", "备注"], [uscc_for(1), "1", "甲", "x"]])
    report = run_import("organizations", path)
    assert errors_of(report) == {
        (1, "利润", "无法识别的列（可用的列见导入模板）"),
        (1, "备注", "无法识别的列（可用的列见导入模板）"),
    }
    report = run_import("enterprise-years", csv_file([["企业名称", "营业收入"], ["甲", "1"]]))
    assert errors_of(report) == {(1, "", "缺少必需的列：统一社会信用代码、年度")}
    report = run_import("organizations", csv_file([["uscc", "名称", "企业名称"], [uscc_for(1)]]))
    assert errors_of(report) == {(1, "企业名称", "与「名称」列重复")}


def test_cells_without_a_header_are_errors(csv_file):
    report = run_import("organizations", csv_file([ORG_HEADER, [*org_row(1), "多余"]]))
    assert errors_of(report) == {(2, "第 8 列", "该列没有表头")}


def test_reimport_changes_nothing(csv_file):
    org = OrganizationFactory(uscc=uscc_for(900))  # not one of the file's rows
    orgs = csv_file([ORG_HEADER, org_row(1), org_row(2)], name="orgs.csv")
    facts = csv_file(
        [["统一社会信用代码", "年度", "营业收入（万元）", "从业人员"], [org.uscc, 2023, "5200", 9]],
        name="facts.csv",
    )
    assert run_import("organizations", orgs).created == 2
    assert run_import("enterprise-years", facts).created == 1
    history = Organization.history.count() + EnterpriseYear.history.count()
    events, jobs = AuditEvent.objects.count(), ImportJob.objects.count()
    again = run_import("organizations", orgs)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert "没有需要写入的变化" in again.summary()
    again = run_import("enterprise-years", facts)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert Organization.history.count() + EnterpriseYear.history.count() == history
    assert (AuditEvent.objects.count(), ImportJob.objects.count()) == (events, jobs)


def test_update_writes_only_changes_with_history_and_one_audit_event(csv_file):
    user = UserFactory(role=Roles.ADMIN, division_code="")
    OrganizationFactory(
        uscc=uscc_for(1), name="导入测试科技有限公司1", founded_on=dt.date(2015, 3, 1)
    )
    OrganizationFactory(uscc=uscc_for(2), name="旧名称")
    path = csv_file([ORG_HEADER, org_row(1), org_row(2), org_row(3)])
    report = run_import("organizations", path, actor=user)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1), report.text()
    renamed = Organization.objects.get(uscc=uscc_for(2))
    assert renamed.name == "导入测试科技有限公司2"
    latest = renamed.history.latest()
    assert (latest.history_type, latest.history_user) == ("~", user)
    assert Organization.objects.get(uscc=uscc_for(1)).history.count() == 1  # the factory's
    event = AuditEvent.objects.get()
    assert (event.verb, event.actor) == ("import.organizations", user)
    assert event.data | {"file": ""} == {
        "file": "",
        "total_rows": 3,
        "created": 1,
        "updated": 1,
        "unchanged": 1,
    }
    job = ImportJob.objects.get()
    assert (job.kind, job.user, job.status, job.total_rows) == ("organizations", user, "done", 3)


def test_facts_update_only_the_given_columns(csv_file):
    record = EnterpriseYearFactory(year=2023, employees=120, revenue=Decimal("52000000.00"))
    path = csv_file([["uscc", "year", "employees"], [record.organization.uscc, "2023", "150"]])
    report = run_import("enterprise-years", path)
    assert report.updated == 1, report.text()
    record.refresh_from_db()
    assert (record.employees, record.revenue) == (150, Decimal("52000000.00"))


def test_empty_cells_clear_blank_columns_but_keep_others(csv_file):
    org = OrganizationFactory(industry_code="3911", ownership="state", above_scale=True)
    path = csv_file([["uscc", "industry_code", "ownership", "above_scale"], [org.uscc, "", "", ""]])
    report = run_import("organizations", path)
    assert report.updated == 1, report.text()
    org.refresh_from_db()
    assert (org.industry_code, org.ownership, org.above_scale) == ("", "state", True)


def test_scope_a_city_bureau_cannot_import_another_city(csv_file):
    bureau = UserFactory(role=Roles.BUREAU, division_code="340400")
    elsewhere = OrganizationFactory(uscc=uscc_for(50, "340102"), division_code="340102")
    path = csv_file(
        [
            ORG_HEADER,
            org_row(1, division="340421"),
            org_row(2, division="340102"),
            org_row(50, division="340102", division_code="340421"),
        ]
    )
    report = run_import("organizations", path, actor=bureau)
    assert errors_of(report) == {
        (3, "division_code", "行政区划 340102 不在您的管辖范围内"),
        (4, "uscc", "该机构不在您的管辖范围内"),
    }
    assert Organization.objects.count() == 1
    elsewhere.refresh_from_db()
    assert elsewhere.division_code == "340102"
    facts = csv_file([["uscc", "year", "employees"], [elsewhere.uscc, "2023", "3"]], "f.csv")
    report = run_import("enterprise-years", facts, actor=bureau)
    assert errors_of(report) == {(2, "uscc", "该机构不在您的管辖范围内")}


def test_zone_staff_import_only_into_their_zone(csv_file):
    zone, other = ZoneFactory(), ZoneFactory()
    user = UserFactory(role=Roles.ZONE, division_code="", zone=zone)
    header = [*ORG_HEADER, "zone"]
    path = csv_file(
        [header, [*org_row(1), zone.name], [*org_row(2), other.name], [*org_row(3), ""]]
    )
    report = run_import("organizations", path, actor=user)
    assert errors_of(report) == {
        (3, "zone", "只能登记本园区的机构"),
        (4, "zone", "园区工作人员登记的机构须属于本园区"),
    }


def test_only_staff_may_import(csv_file):
    org = OrganizationFactory()
    user = UserFactory(role=Roles.ENTERPRISE, division_code="", organization=org)
    with pytest.raises(RoleNotAllowed):
        run_import("organizations", csv_file([ORG_HEADER, org_row(1)]), actor=user)


def test_qualifications_keyed_by_uscc_kind_number(csv_file):
    record = QualificationFactory(number="GR1", status="valid")
    uscc = record.organization.uscc
    header = ["uscc", "kind", "number", "level", "granted_on", "valid_until", "status"]
    path = csv_file(
        [
            header,
            [uscc, "hnte", "GR1", "national", "2023-10-16", "2026-10-15", "撤销"],
            [uscc, "瞪羚企业", "DL9", "省级", "2024-01-01", "2026-12-31", ""],
            [uscc, "gazelle", "DL10", "", "2024-01-01", "2023-12-31", ""],
        ]
    )
    report = run_import("qualifications", path)
    assert errors_of(report) == {(4, "valid_until", "有效期不能早于认定日期")}
    path.write_text("\n".join(path.read_text().splitlines()[:3]) + "\n")
    report = run_import("qualifications", path)
    assert (report.created, report.updated) == (1, 1), report.text()
    record.refresh_from_db()
    assert record.status == "revoked"
    assert Qualification.objects.get(number="DL9").status == "valid"


def test_platforms_keyed_by_host_kind_name(csv_file):
    platform = PlatformFactory(name="淮南新材料工程技术研究中心", level="provincial")
    host = platform.host
    header = ["name", "kind", "level", "host_uscc", "依托单位名称", "division_code", "status"]
    missing = make_uscc("91340421MA0000000")
    path = csv_file(
        [
            header,
            [platform.name, "工程技术研究中心", "国家级", host.uscc, host.name, "", ""],
            ["淮南孵化器", "孵化器", "市级", host.uscc, "随便写", "", ""],
            ["无主平台", "孵化器", "市级", missing, "", "", ""],
            ["无级别平台", "众创空间", "", host.uscc, "", "340421", ""],
        ]
    )
    report = run_import("platforms", path)
    assert errors_of(report) == {
        (4, "host_uscc", f"未登记的统一社会信用代码 {missing}，请先导入机构"),
        (5, "level", "不能为空"),
    }
    path.write_text("\n".join(path.read_text().splitlines()[:3]) + "\n")
    report = run_import("platforms", path)
    assert (report.created, report.updated) == (1, 1), report.text()
    platform.refresh_from_db()
    assert platform.level == "national"
    incubator = Platform.objects.get(name="淮南孵化器")
    assert (incubator.host, incubator.division_code, incubator.status) == (host, "340421", "active")


def test_bureau_registers_platforms_of_hosts_in_scope_only(csv_file):
    bureau = UserFactory(role=Roles.BUREAU, division_code="340400")
    host = OrganizationFactory(uscc=uscc_for(60, "340102"), division_code="340102")
    path = csv_file(
        [["name", "kind", "level", "host_uscc"], ["甲平台", "孵化器", "市级", host.uscc]]
    )
    report = run_import("platforms", path, actor=bureau)
    assert errors_of(report) == {(2, "host_uscc", "该机构不在您的管辖范围内")}


def test_unreadable_files_are_reported(tmp_path):
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    report = run_import("organizations", old)
    assert [e.reason for e in report.errors] == [
        "不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 或 .csv 后再导入"
    ]
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert [e.reason for e in run_import("organizations", empty).errors] == ["文件是空的"]


def test_progress_is_reported(csv_file, monkeypatch):
    monkeypatch.setattr("kechuang.core.imports.engine.BATCH_SIZE", 2)
    calls = []
    path = csv_file([ORG_HEADER, *(org_row(n) for n in range(1, 6))])
    report = run_import("organizations", path, progress=lambda done, total: calls.append(done))
    assert report.created == 5
    assert calls == [2, 4, 5]
