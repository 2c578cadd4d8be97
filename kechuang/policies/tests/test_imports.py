"""Importing experts' innovation scores: typed columns, scope and rules per row, all or nothing,
upsert by USCC + year, and the effect on 高新技术企业 screening."""

import csv
from decimal import Decimal

import pytest

from kechuang.core.imports import run_import
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import OrganizationFactory, user_with_role
from kechuang.policies import selectors
from kechuang.policies.models import InnovationAssessment

pytestmark = pytest.mark.django_db
HEADER = ["统一社会信用代码", "企业名称", "会计年度", "专家评分", "评审日期", "评审意见"]


def write(tmp_path, rows, name="scores.csv"):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_import_creates_and_corrects_scores(tmp_path, enterprises):
    city = user_with_role(Roles.BUREAU, division_code="340400")
    strong, weak = enterprises["strong"], enterprises["weak"]
    path = write(
        tmp_path,
        [
            [strong.uscc, strong.name, 2023, "72", "2024-05-10", "知识产权扎实"],
            [weak.uscc, weak.name, 2023, "65.5", "2024-05-10", ""],
        ],
    )
    report = run_import("innovation-assessments", path, actor=city)
    assert report.errors == [] and report.created == 2
    record = InnovationAssessment.objects.get(organization=strong)
    assert (record.score, record.division_code, record.created_by) == (
        Decimal("72"),
        strong.division_code,
        city,
    )
    rows = selectors.screen(user=city, policy_key="hnte", year=2023)
    assert next(r for r in rows if r["id"] == strong.pk)["eligible"]
    again = run_import(
        "innovation-assessments",
        write(tmp_path, [[strong.uscc, strong.name, 2023, "70", "2024-06-01", "复核"]], "b.csv"),
        actor=city,
    )
    assert (again.created, again.updated) == (0, 1)
    rows = selectors.screen(user=city, policy_key="hnte", year=2023)
    assert not next(r for r in rows if r["id"] == strong.pk)["eligible"]  # exactly 70 fails


def test_bad_rows_are_reported_and_nothing_is_written(tmp_path, enterprises):
    city = user_with_role(Roles.BUREAU, division_code="340400")
    university = OrganizationFactory(kind="university", division_code="340421")
    strong = enterprises["strong"]
    path = write(
        tmp_path,
        [
            [strong.uscc, "", 2023, "81", "2024-05-10", ""],
            [strong.uscc, "", 2022, "75", "2022-12-31", ""],
            [enterprises["far"].uscc, "", 2023, "75", "2024-05-10", ""],
            [university.uscc, "", 2023, "75", "2024-05-10", ""],
            [enterprises["weak"].uscc, "", 2023, "abc", "2024-05-10", ""],
            [enterprises["weak"].uscc, "", 2022, "70", "2023-05-10", ""],
        ],
    )
    report = run_import("innovation-assessments", path, actor=city)
    texts = [e.text() for e in report.errors]
    assert any("第 2 行" in t and "0–80" in t for t in texts), texts
    assert any("第 3 行" in t and "评审日期" in t for t in texts), texts
    assert any("第 4 行" in t and "管辖范围" in t for t in texts), texts
    assert any("第 5 行" in t and "只适用于企业" in t for t in texts), texts
    assert any("第 6 行" in t and "专家评分" in t for t in texts), texts
    assert not InnovationAssessment.objects.exists()


def test_export_is_scoped_and_reimports_unchanged(tmp_path, enterprises):
    from kechuang.core.imports.exports import write_export
    from kechuang.policies import services

    city = user_with_role(Roles.BUREAU, division_code="340400")
    province = user_with_role(Roles.BUREAU, division_code="340000")
    services.innovation_assessment_set(
        actor=city,
        organization=enterprises["strong"],
        year=2023,
        score="72.5",
        assessed_on="2024-05-10",
        note="扎实",
    )
    services.innovation_assessment_set(
        actor=province,
        organization=enterprises["far"],
        year=2023,
        score="60",
        assessed_on="2024-05-10",
    )
    path = tmp_path / "out.csv"
    assert write_export("innovation-assessments", path, user=city) == 1
    with open(path, encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][:4] == [enterprises["strong"].uscc, "强科技有限公司", "2023", "72.50"]
    again = run_import("innovation-assessments", path, actor=city)
    assert again.errors == [] and (again.created, again.updated, again.unchanged) == (0, 0, 1)
