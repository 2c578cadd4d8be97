import csv

import openpyxl
import pytest

from kechuang.core.testing.factories import uscc_for


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def write_xlsx(path, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def csv_file(tmp_path):
    def make(rows, name="data.csv", encoding="utf-8"):
        return write_csv(tmp_path / name, rows, encoding)

    return make


@pytest.fixture
def xlsx_file(tmp_path):
    def make(rows, name="data.xlsx"):
        return write_xlsx(tmp_path / name, rows)

    return make


ORG_HEADER = ["uscc", "name", "kind", "division_code", "ownership", "founded_on", "above_scale"]


def org_row(n, division="340421", **overrides):
    row = {
        "uscc": uscc_for(n, division),
        "name": f"导入测试科技有限公司{n}",
        "kind": "enterprise",
        "division_code": division,
        "ownership": "private",
        "founded_on": "2015-03-01",
        "above_scale": "0",
    }
    row |= overrides
    return [row[k] for k in ORG_HEADER]
