import io

import openpyxl
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.core.imports.tasks import run_import_job
from kechuang.core.models import AuditEvent, ImportJob
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import OrganizationFactory, UserFactory, uscc_for
from kechuang.orgs.models import Organization

from .conftest import ORG_HEADER, org_row, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(role=Roles.BUREAU, division_code="340400")
    client.force_login(user)
    return user


def upload(client, tmp_path, rows, kind="organizations", name="机构.csv"):
    path = write_csv(tmp_path / "upload.csv", rows)
    data = {"kind": kind, "file": SimpleUploadedFile(name, path.read_bytes())}
    return client.post(reverse("core:import"), data)


def test_import_page_offers_kinds_templates_and_exports(client, staff):
    response = client.get(reverse("core:import"))
    assert response.status_code == 200
    page = response.content.decode()
    for kind in ("organizations", "enterprise-years", "qualifications", "platforms"):
        assert reverse("core:import-template", args=[kind]) in page
        assert reverse("core:import-export", args=[kind]) in page
    assert 'class="form-select"' in page and "企业年度数据" in page


def test_upload_preview_confirm_done(client, staff, tmp_path, media_root):
    response = upload(client, tmp_path, [ORG_HEADER, org_row(1), org_row(2)])
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("core:import-preview", args=[job.pk])
    assert (job.status, job.user, job.total_rows, job.original_name) == (
        "previewed",
        staff,
        2,
        "机构.csv",
    )
    assert (media_root / job.file.name).is_file() and job.file.name.startswith("imports/")
    assert not Organization.objects.exists()  # the preview is a dry run

    preview = client.get(response.url)
    assert preview.status_code == 200
    assert "确认导入" in preview.content.decode()
    assert preview.context["report"].created == 2

    response = client.post(reverse("core:import-confirm", args=[job.pk]))
    assert response.url == reverse("core:import-result", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.processed_rows) == ("done", 2)
    assert job.report["created"] == 2 and job.finished_at is not None
    assert Organization.objects.count() == 2
    assert Organization.history.filter(history_user=staff).count() == 2
    event = AuditEvent.objects.get(verb="import.organizations")
    assert (event.actor, event.object_id) == (staff, str(job.pk))
    assert event.data == {
        "file": "机构.csv",
        "total_rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }

    result = client.get(response.url)
    assert "已写入" in result.content.decode()
    status = client.get(reverse("core:import-status", args=[job.pk]))
    assert "hx-trigger" not in status.content.decode()  # finished: polling stops
    # A confirmed job cannot run twice.
    client.post(reverse("core:import-confirm", args=[job.pk]))
    assert AuditEvent.objects.filter(verb="import.organizations").count() == 1


def test_preview_lists_every_error_and_cannot_be_confirmed(client, staff, tmp_path):
    rows = [ORG_HEADER, org_row(1), org_row(2, division="340102"), org_row(3, ownership="外星")]
    upload(client, tmp_path, rows)
    job = ImportJob.objects.get()
    preview = client.get(reverse("core:import-preview", args=[job.pk]))
    page = preview.content.decode()
    assert "确认导入" not in page
    assert "行政区划 340102 不在您的管辖范围内" in page and "外星" in page
    assert [(e.row, e.column) for e in preview.context["errors"]] == [
        (3, "division_code"),
        (4, "ownership"),
    ]
    client.post(reverse("core:import-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "previewed"
    assert not Organization.objects.exists()
    errors = client.get(reverse("core:import-errors", args=[job.pk]))
    text = b"".join(errors.streaming_content if errors.streaming else [errors.content])
    assert "行政区划 340102 不在您的管辖范围内" in text.decode("utf-8-sig")


def test_a_job_that_fails_on_confirm_writes_nothing_and_shows_why(client, staff, tmp_path):
    org = OrganizationFactory()
    rows = [["统一社会信用代码", "年度", "从业人员"], [org.uscc, "2023", "12"]]
    upload(client, tmp_path, rows, kind="enterprise-years", name="facts.csv")
    job = ImportJob.objects.get()
    assert job.report["created"] == 1
    org.delete()  # the registry changed between preview and confirm
    client.post(reverse("core:import-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "failed" and job.report["errors"][0]["row"] == 2
    page = client.get(reverse("core:import-result", args=[job.pk])).content.decode()
    assert "导入未完成，文件未写入" in page and "请先导入机构" in page


def test_a_job_without_its_user_fails():
    job = ImportJob.objects.create(kind="organizations", status="previewed")
    assert run_import_job(job.pk) == "failed"
    job.refresh_from_db()
    assert job.report["errors"][0]["reason"] == "导入任务没有操作人，无法执行"


def test_running_job_is_polled(client, staff):
    job = ImportJob.objects.create(kind="organizations", user=staff, status="running", total_rows=8)
    cache.set(f"import-job:{job.pk}:processed", 4)
    status = client.get(reverse("core:import-status", args=[job.pk]))
    page = status.content.decode()
    assert 'hx-get="{}"'.format(reverse("core:import-status", args=[job.pk])) in page
    assert 'hx-trigger="every 1s"' in page and "4 / 8" in page and "50%" in page
    result = client.get(reverse("core:import-result", args=[job.pk]))
    assert 'id="import-status"' in result.content.decode()


def test_bad_uploads_are_form_errors(client, staff):
    data = {"kind": "organizations", "file": SimpleUploadedFile("a.txt", b"x")}
    response = client.post(reverse("core:import"), data)
    assert response.status_code == 200
    assert "请上传 .xlsx 或 .csv 文件" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_other_users_jobs_are_not_found(client, staff):
    other = UserFactory(role=Roles.BUREAU, division_code="340400")
    job = ImportJob.objects.create(kind="organizations", user=other, status="previewed")
    for name in ("import-preview", "import-result", "import-status", "import-errors"):
        assert client.get(reverse(f"core:{name}", args=[job.pk])).status_code == 404


def test_template_download(client, staff):
    response = client.get(reverse("core:import-template", args=["enterprise-years"]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header = [c.value for c in workbook.worksheets[0][1]]
    assert header[:3] == ["统一社会信用代码", "企业名称", "年度"]
    assert client.get(reverse("core:import-template", args=["nothing"])).status_code == 404


def test_export_is_what_the_user_can_see(client, staff):
    OrganizationFactory(uscc=uscc_for(1))
    OrganizationFactory(uscc=uscc_for(2, "340102"), division_code="340102")
    response = client.get(reverse("core:import-export", args=["organizations"]) + "?format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert uscc_for(1) in text and uscc_for(2, "340102") not in text
    response = client.get(reverse("core:import-export", args=["organizations"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 2


@pytest.mark.parametrize(
    "name,args",
    [
        ("import", []),
        ("import-template", ["organizations"]),
        ("import-export", ["organizations"]),
    ],
)
def test_enterprise_users_are_forbidden(client, name, args):
    org = OrganizationFactory()
    client.force_login(UserFactory(role=Roles.ENTERPRISE, division_code="", organization=org))
    assert client.get(reverse(f"core:{name}", args=args)).status_code == 403


def test_anonymous_users_go_to_login(client):
    response = client.get(reverse("core:import"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
