"""Background jobs: progress while running, result or error when ended, a page for the user who
started it (404 for others)."""

import pytest
from django.urls import reverse

from kechuang.core.jobs import job_create, job_run
from kechuang.core.models import Job
from kechuang.core.testing.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_a_job_reports_progress_then_its_result():
    user = user_with_role("bureau")
    job = job_create(actor=user, name="test.count", label="计数")
    seen = []

    def work(progress):
        for done in range(1, 4):
            progress(done, 3)
            seen.append(Job.objects.get(pk=job.pk).status)
        return {"summary": "数完了"}

    ended = job_run(job.pk, work)
    assert seen[-1] == Job.Status.RUNNING
    assert (ended.status, ended.done, ended.total, ended.percent) == ("done", 3, 3, 100)
    assert ended.result == {"summary": "数完了"} and ended.finished_at is not None


def test_a_failing_job_keeps_the_reason():
    job = job_create(actor=None, name="test.fail", label="失败的任务")

    def work(progress):
        progress(1, 10)
        raise ValueError("第 2 行：数据不合法")

    ended = job_run(job.pk, work)
    assert ended.status == "failed" and ended.error == "第 2 行：数据不合法"
    assert ended.percent == 10


def test_the_job_page_polls_while_running_and_is_private(client):
    owner, other = user_with_role("bureau"), user_with_role("bureau")
    job = job_create(actor=owner, name="test.page", label="重建索引")
    Job.objects.filter(pk=job.pk).update(status="running", done=5, total=20)
    url = reverse("core:job", args=[job.pk])

    client.force_login(owner)
    page = client.get(url).content.decode()
    assert "重建索引" in page and "5 / 20" in page and 'hx-trigger="every 1s"' in page
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "25%" in partial
    Job.objects.filter(pk=job.pk).update(status="done", result={"summary": "已更新为 v2"})
    done = client.get(url).content.decode()
    assert "已更新为 v2" in done and "every 1s" not in done

    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(user_with_role("admin"))
    assert client.get(url).status_code == 200
