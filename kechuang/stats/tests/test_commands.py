"""``kechuang stats``: json, csv and xlsx output."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("stats", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_json(region):
    rows = json.loads(
        run("--division", "340400", "--period", "2023", "--indicators", "hnte_count,rd_intensity")
    )
    assert [r["indicator"] for r in rows] == ["hnte_count", "rd_intensity"]
    first = rows[0]
    assert {"indicator", "label", "division", "period", "value", "unit"} <= set(first)
    assert first["value"] == "4" and first["label"] == "高新技术企业数"
    assert rows[1]["value"] == "0.030000" and rows[1]["unit"] == "%"


def test_all_indicators_of_a_month_for_a_zone(region):
    rows = json.loads(run("--zone", str(region["zone"].pk), "--period", "2023M07"))
    keys = {r["indicator"] for r in rows}
    assert "hnte_count" in keys and "revenue_sum" not in keys
    assert all(r["zone"] == region["zone"].pk and r["division"] == "" for r in rows)


def test_csv(region):
    text = run(
        "--division", "340421", "--period", "2023", "--indicators", "revenue_sum", "--format", "csv"
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["指标代码", "指标", "行政区划代码", "行政区划"]
    assert rows[1][0] == "revenue_sum" and rows[1][8] == "4000.00"


def test_xlsx_with_chinese_headers(region, tmp_path):
    out = tmp_path / "stats.xlsx"
    run("--division", "340400", "--period", "2023", "--format", "xlsx", "--out", str(out))
    sheet = load_workbook(out).active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert header[:2] == ["指标代码", "指标"] and "数值" in header and "单位" in header
    values = {row[0]: row[8] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["hnte_count"] == 4


def test_errors(region):
    with pytest.raises(CommandError, match="期间"):
        run("--division", "340400", "--period", "2023X")
    with pytest.raises(CommandError, match="整年"):
        run("--division", "340400", "--period", "2023Q1", "--indicators", "revenue_sum")
    with pytest.raises(CommandError):
        run("--period", "2023")
    with pytest.raises(CommandError, match="period"):
        run("--division", "340400")
    with pytest.raises(CommandError):
        run("--division", "340400", "--period", "2023", "--format", "xlsx")


def test_list():
    assert "rd_intensity\t研发投入强度\t%" in run("--list")
