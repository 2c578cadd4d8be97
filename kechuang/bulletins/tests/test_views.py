"""Pages of bulletins: list, generate, preview, edit, publish, copy, delete, download."""

import io

import pytest
from django.urls import reverse
from docx import Document as read_docx

from kechuang.bulletins import services
from kechuang.bulletins.forms import paragraph_field_name
from kechuang.bulletins.models import Bulletin
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import UserFactory, ZoneFactory, user_with_role

pytestmark = pytest.mark.django_db

LIST = reverse("bulletins:bulletin-list")
GENERATE = reverse("bulletins:bulletin-generate")
OVERVIEW = "subjects.overview"


@pytest.fixture
def bureau():
    return UserFactory(role=Roles.BUREAU, division_code="340400")


@pytest.fixture
def injected(monkeypatch, source):
    """The pages' figures come from the injected source instead of the statistics app."""
    monkeypatch.setattr(services, "StatsSource", lambda user: source)
    return source


@pytest.fixture
def draft(bureau, source):
    return services.bulletin_generate(
        actor=bureau, division_code="340400", period="2023", source=source
    )


def url(name, bulletin, *args):
    return reverse(f"bulletins:bulletin-{name}", args=[bulletin.pk, *args])


def test_only_staff_open_the_pages(client, draft):
    assert client.get(LIST).status_code == 302
    client.force_login(user_with_role(Roles.ENTERPRISE))
    for page in (LIST, GENERATE, url("detail", draft), url("edit", draft)):
        assert client.get(page).status_code == 403


def test_list_is_scoped_and_paginated(client, bureau, source):
    hefei = UserFactory(role=Roles.BUREAU, division_code="340100")
    for _ in range(21):
        services.bulletin_generate(
            actor=bureau, division_code="340421", period="2023", source=source
        )
    client.force_login(bureau)
    response = client.get(LIST)
    assert response.status_code == 200
    assert response.context["paginator"].count == 21
    assert len(response.context["page_obj"].object_list) == 20
    assert "生成简报" in response.content.decode()
    client.force_login(hefei)
    assert client.get(LIST).context["paginator"].count == 0


def test_generate_page_offers_the_divisions_in_scope_and_makes_a_draft(client, bureau, injected):
    client.force_login(bureau)
    page = client.get(GENERATE)
    assert page.status_code == 200
    codes = [code for code, _label in page.context["form"].fields["division_code"].choices]
    assert "340400" in codes and "340421" in codes and "340100" not in codes
    response = client.post(
        GENERATE, {"division_code": "340400", "period": "2023", "template": "registry"}
    )
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", bulletin)
    assert bulletin.created_by == bureau and bulletin.division_code == "340400"


def test_generate_form_errors(client, bureau, injected):
    client.force_login(bureau)
    response = client.post(GENERATE, {"division_code": "340400", "period": "23"})
    assert response.status_code == 200
    assert "无法识别的期间" in response.context["form"].errors["period"][0]
    response = client.post(
        GENERATE, {"division_code": "", "period": "2023", "template": "registry"}
    )
    assert "请选择行政区划或园区" in response.context["form"].errors["division_code"][0]
    assert not Bulletin.objects.exists()


def test_zone_staff_generate_for_their_zone(client, injected):
    zone = ZoneFactory(name="淮南高新区")
    staff = user_with_role(Roles.ZONE, zone=zone)
    client.force_login(staff)
    form = client.get(GENERATE).context["form"]
    assert "division_code" not in form.fields
    assert list(form.fields["zone"].queryset) == [zone]
    response = client.post(GENERATE, {"zone": zone.pk, "period": "2023", "template": "summary"})
    assert response.status_code == 302
    assert Bulletin.objects.get().zone == zone


def test_preview_links_every_number_and_shows_warnings(client, bureau, draft):
    client.force_login(bureau)
    response = client.get(url("detail", draft))
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<a class="bulletin-figure" data-indicator="hnte_count" '
        'href="/orgs/?division=340400&amp;indicator=hnte_count"'
    ) in html
    assert 'id="publish-button"' in html and 'id="edit-button"' in html
    assert "bulletin-warnings" not in html
    draft.snapshot["figures"]["hnte_count"]["value"] = None
    draft.snapshot["figures"]["hnte_count"]["note"] = "分母为 0"
    draft.save()
    html = client.get(url("detail", draft)).content.decode()
    assert "高新技术企业数无数据（分母为 0）" in html


def test_out_of_scope_bulletins_answer_404(client, draft):
    client.force_login(UserFactory(role=Roles.BUREAU, division_code="340100"))
    for name in ("detail", "edit"):
        assert client.get(url(name, draft)).status_code == 404
    assert client.get(url("download", draft, "docx")).status_code == 404
    for name in ("publish", "copy", "delete"):
        assert client.post(url(name, draft)).status_code == 404
    assert Bulletin.objects.get().is_draft


def test_edit_paragraphs(client, bureau, draft):
    client.force_login(bureau)
    page = client.get(url("edit", draft))
    assert page.status_code == 200
    form = page.context["form"]
    field = paragraph_field_name(OVERVIEW)
    assert form[field].initial.startswith("{area}现有 {leading_innovator_count} 家")
    assert "{hnte_count}" in page.content.decode()  # the list of placeholders
    data = {"title": "新标题", "issuer": "淮南市科学技术局"}
    data |= {name: form[name].initial for _key, name in form.paragraphs}
    data[field] = "{area}有高企 {hnte_count:count}。"
    response = client.post(url("edit", draft), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "新标题"
    assert draft.body["sections"][0]["blocks"][0]["text"] == "{area}有高企 {hnte_count:count}。"
    preview = client.get(url("detail", draft)).content.decode()
    assert "全市有高企 " in preview and ">9068 家</a>。" in preview
    data[field] = "{area}有高企 {hnte:count}。"
    response = client.post(url("edit", draft), data)
    assert response.status_code == 200
    assert "未知的指标：hnte" in response.context["form"].errors[field][0]


def test_publish_then_read_only_then_copy(client, bureau, draft):
    client.force_login(bureau)
    assert client.get(url("publish", draft)).status_code == 405
    response = client.post(url("publish", draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.is_draft and draft.issue_number == 1
    html = client.get(url("detail", draft)).content.decode()
    assert 'id="publish-button"' not in html and 'id="edit-button"' not in html
    assert "第 1 期" in html
    response = client.get(url("edit", draft))
    assert response.status_code == 302 and response["Location"] == url("detail", draft)
    response = client.post(url("publish", draft))  # twice: an error message, no change
    assert response.status_code == 302
    response = client.post(url("copy", draft))
    copy = Bulletin.objects.exclude(pk=draft.pk).get()
    assert response["Location"] == url("detail", copy)
    assert copy.is_draft and copy.copied_from == draft


def test_delete_a_draft(client, bureau, draft):
    client.force_login(bureau)
    response = client.post(url("delete", draft))
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Bulletin.objects.exists()


@pytest.mark.parametrize(
    ("fmt", "content_type", "start"),
    [
        ("docx", "application/vnd.openxmlformats-officedocument", b"PK"),
        ("html", "text/html", b"<!doctype html>"),
        ("md", "text/markdown", "# 科技工作简报".encode()),
    ],
)
def test_downloads(client, bureau, draft, fmt, content_type, start):
    client.force_login(bureau)
    response = client.get(url("download", draft, fmt))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"].startswith("attachment;")
    assert f".{fmt}" in response["Content-Disposition"]
    assert response.content.startswith(start)
    if fmt == "html":
        assert 'href="http://testserver/orgs/?division=340400&amp;indicator=hnte_count"' in (
            response.content.decode()
        )
    if fmt == "docx":
        assert read_docx(io.BytesIO(response.content)).paragraphs[0].text == "科技工作简报"


def test_unknown_download_format_is_404(client, bureau, draft):
    client.force_login(bureau)
    assert client.get(url("download", draft, "pdf")).status_code == 404
