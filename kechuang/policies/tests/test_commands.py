"""``kechuang screen``: json shape, csv / xlsx columns, clear errors."""

import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import ZoneFactory, user_with_role


def _run(*args) -> str:
    out = io.StringIO()
    call_command("screen", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_json_rows(enterprises):
    rows = json.loads(_run("--policy", "hnte", "--year", "2023"))
    assert len(rows) == 3
    row = rows[0]
    assert {"uscc", "name", "eligible", "score", "amount", "conditions"} <= set(row)
    assert {"key", "label", "value", "threshold", "passed", "gap"} <= set(row["conditions"][0])


def test_division_and_user_scope(enterprises):
    rows = json.loads(_run("--policy", "hnte", "--year", "2023", "--division", "340102"))
    assert [row["name"] for row in rows] == ["合肥远方有限公司"]
    bureau = user_with_role(Roles.BUREAU, division_code="340400")
    rows = json.loads(_run("--policy", "hnte", "--year", "2023", "--user", bureau.username))
    assert {row["name"] for row in rows} == {"强科技有限公司", "弱研发有限公司"}


def test_csv_and_xlsx_columns(enterprises, tmp_path):
    text = _run("--policy", "tech_sme", "--year", "2023", "--format", "csv")
    header = text.splitlines()[0].split(",")
    assert header[:4] == ["统一社会信用代码", "企业名称", "是否符合", "待评审"]
    assert "得分" in header and "职工总数" in header and "职工总数是否满足" in header
    out = tmp_path / "screen.xlsx"
    _run("--policy", "rd_post_subsidy", "--year", "2023", "--format", "xlsx", "--out", str(out))
    sheet = openpyxl.load_workbook(out).active
    titles = [cell.value for cell in sheet[1]]
    assert "金额（元）" in titles and "持有规定资质是否满足" in titles
    assert sheet.max_row >= 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--policy", "nope", "--year", "2023"], "未知的政策"),
        (["--policy", "hnte", "--year", "20x3"], "年度"),
        (["--policy", "hnte", "--year", "2023", "--user", "nobody"], "用户不存在"),
        (["--policy", "hnte", "--year", "2023", "--format", "xlsx"], "--out"),
    ],
)
def test_errors(enterprises, args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)


def test_a_zone_policy_screens_zones(enterprises, tmp_path):
    zone = ZoneFactory(name="凤台经济开发区")
    (row,) = json.loads(_run("--policy", "zone_recognition", "--year", "2023"))
    assert row["name"] == "凤台经济开发区" and row["id"] == zone.pk and row["eligible"] is False
    text = _run("--policy", "zone_recognition", "--year", "2023", "--format", "csv")
    header, line = text.splitlines()[:2]
    assert header.split(",")[:4] == ["园区名称", "行政区划代码", "是否符合", "待评审"]
    assert line.startswith("凤台经济开发区,340421,否,否")
