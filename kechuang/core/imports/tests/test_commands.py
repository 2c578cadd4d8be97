import pytest
from django.core.management import execute_from_command_line

from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import OrganizationFactory, UserFactory, uscc_for
from kechuang.orgs.models import Organization

from .conftest import ORG_HEADER, org_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_test_connection(monkeypatch):
    # run_from_argv closes the database connections when a command ends; the test's transaction
    # lives on that connection.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)


def kechuang(*args) -> int:
    """Run a command as the console script does; its exit status."""
    try:
        execute_from_command_line(["kechuang", *map(str, args)])
    except SystemExit as exc:
        return exc.code
    return 0


def test_import_prints_the_report_and_exits_zero(csv_file, capsys):
    path = csv_file([ORG_HEADER, org_row(1), org_row(2)])
    assert kechuang("import", "organizations", path) == 0
    out = capsys.readouterr().out
    assert "机构：共 2 行，新增 2 行，更新 0 行，未变 0 行。已写入。" in out
    assert Organization.objects.count() == 2


def test_dry_run(csv_file, capsys):
    path = csv_file([ORG_HEADER, org_row(1)])
    assert kechuang("import", "organizations", path, "--dry-run") == 0
    assert "新增 1 行，更新 0 行，未变 0 行。试运行，未写入。" in capsys.readouterr().out
    assert not Organization.objects.exists()


def test_a_bad_file_exits_non_zero_and_lists_every_bad_row(csv_file, capsys):
    path = csv_file(
        [ORG_HEADER, org_row(1), org_row(2, division_code="349999"), org_row(3, kind="工厂")]
    )
    assert kechuang("import", "organizations", path) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].endswith("发现 2 处错误（涉及 2 行），文件未写入，请改正后重新导入。")
    assert lines[1] == "第 3 行，列「division_code」，值「349999」：未知的行政区划代码 349999"
    assert lines[2].startswith("第 4 行，列「kind」，值「工厂」：未知的选项")
    assert "发现 2 处错误，文件未写入" in captured.err
    assert not Organization.objects.exists()


def test_user_option_limits_the_scope(csv_file, capsys):
    UserFactory(username="huainan", role=Roles.BUREAU, division_code="340400")
    path = csv_file([ORG_HEADER, org_row(1, division="340102")])
    assert kechuang("import", "organizations", path, "--user", "huainan") == 1
    assert "行政区划 340102 不在您的管辖范围内" in capsys.readouterr().out
    assert kechuang("import", "organizations", path) == 0  # as the system: no scope limit
    assert kechuang("import", "organizations", path, "--user", "nobody") == 1
    assert "用户 nobody 不存在" in capsys.readouterr().err


def test_missing_file(tmp_path, capsys):
    assert kechuang("import", "organizations", tmp_path / "none.csv") == 1
    assert "文件不存在" in capsys.readouterr().err


def test_progress_bar_on_long_files(csv_file, capsys, monkeypatch):
    monkeypatch.setattr("kechuang.core.management.commands.import.PROGRESS_FROM_ROWS", 3)
    path = csv_file([ORG_HEADER, *(org_row(n) for n in range(1, 6))])
    assert kechuang("import", "organizations", path) == 0
    assert "导入" in capsys.readouterr().err


def test_export_by_extension_and_division(tmp_path, capsys):
    OrganizationFactory(uscc=uscc_for(1))
    OrganizationFactory(uscc=uscc_for(2, "340102"), division_code="340102")
    assert kechuang("export", "organizations", tmp_path / "all.xlsx") == 0
    assert "已导出 2 行" in capsys.readouterr().out
    assert kechuang("export", "organizations", tmp_path / "hn.csv", "--division", "340400") == 0
    assert "已导出 1 行" in capsys.readouterr().out
    text = (tmp_path / "hn.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("统一社会信用代码,机构名称") and uscc_for(1) in text
    assert kechuang("import", "organizations", tmp_path / "all.xlsx") == 0
    assert "未变 2 行" in capsys.readouterr().out
    assert kechuang("export", "organizations", tmp_path / "x.txt") == 1
    assert kechuang("export", "organizations", tmp_path / "x.csv", "--division", "999999") == 1
    assert "未知的行政区划代码 999999" in capsys.readouterr().err
