"""Pages of the technology market: lists with filters and search, details with their
workflow buttons and stage history, forms, actions."""

import pytest
from django.urls import reverse

from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import OrganizationFactory, UserFactory, user_with_role
from kechuang.market import services
from kechuang.market.models import Achievement, TechNeed

from .factories import (
    DESCRIPTION,
    AchievementFactory,
    ContractFactory,
    DockingFactory,
    EventFactory,
    ExpertFactory,
    NeedFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau():
    return UserFactory(role=Roles.BUREAU, division_code="340400")


def rows(response):
    return [row["object"] for row in response.context["rows"]]


def test_lists_render_with_filters_search_and_money(client, bureau):
    seal = NeedFactory(title="液压支架密封件寿命提升", budget_max=12_345_678)
    NeedFactory(
        title="光伏清洗机器人",
        keywords="光伏",
        field="新能源与节能",
        description=DESCRIPTION.replace("密封", "清洗"),
    )
    client.force_login(bureau)
    response = client.get(reverse("market:need-list"), {"q": "密封"})
    assert response.status_code == 200
    assert rows(response) == [seal]
    assert "1,234.57" in response.content.decode() or "1234.57" in response.content.decode()
    response = client.get(reverse("market:need-list"), {"field": "新能源"})
    assert [n.title for n in rows(response)] == ["光伏清洗机器人"]
    for name in (
        "achievement-list",
        "expert-list",
        "docking-list",
        "contract-list",
        "event-list",
    ):
        assert client.get(reverse(f"market:{name}")).status_code == 200, name


def test_expert_phone_is_masked_in_the_list(client, bureau):
    ExpertFactory(phone="13905541234")
    client.force_login(bureau)
    content = client.get(reverse("market:expert-list")).content.decode()
    assert "139****1234" in content and "13905541234" not in content


def test_need_detail_shows_actions_and_a_post_publishes(client):
    owner = user_with_role(Roles.ENTERPRISE)
    need = NeedFactory(enterprise=owner.organization, status="draft", published_on=None)
    client.force_login(owner)
    url = reverse("market:need-detail", args=[need.pk])
    content = client.get(url).content.decode()
    assert need.title in content and 'value="publish"' in content and "编辑" in content
    response = client.post(reverse("market:need-transition", args=[need.pk]), {"action": "publish"})
    assert response.status_code == 302 and response["Location"] == url
    need.refresh_from_db()
    assert need.status == "published"
    content = client.get(url).content.decode()
    assert "已完成：发布" in content and "草稿 → 已发布" in content


def test_docking_detail_buttons_reasons_and_stage_history(client, bureau):
    docking = DockingFactory()
    client.force_login(bureau)
    url = reverse("market:docking-detail", args=[docking.pk])
    content = client.get(url).content.decode()
    assert 'value="contact"' in content and 'value="fail"' in content
    assert 'value="sign"' not in content
    action = reverse("market:docking-transition", args=[docking.pk])
    client.post(action, {"action": "contact"})
    client.post(action, {"action": "fail", "note": ""})
    docking.refresh_from_db()
    assert docking.stage == "contacted"
    page = client.get(url).content.decode()
    assert "须说明理由" in page
    client.post(action, {"action": "fail", "note": "企业预算不足"})
    page = client.get(url).content.decode()
    assert "已接洽 → 未成功" in page and "企业预算不足" in page
    assert 'value="contact"' not in page
    assert client.get(action).status_code == 405


def test_a_signed_docking_reads_as_steps_and_its_need_as_solved(client, bureau):
    need = NeedFactory()
    docking = services.docking_create(actor=bureau, need=need, expert=ExpertFactory())
    client.force_login(bureau)
    action = reverse("market:docking-transition", args=[docking.pk])
    for step in ("contact", "negotiate", "sign"):
        client.post(action, {"action": step})
    docking_page = client.get(reverse("market:docking-detail", args=[docking.pk]))
    assert not any(e["verb"].endswith(".sign") for e in docking_page.context["events"])
    assert "洽谈中 → 已签约" in docking_page.content.decode()  # once, in the stage log
    need_page = client.get(reverse("market:need-detail", args=[need.pk]))
    events = need_page.context["events"]
    assert [e["action"] for e in events][:2] == ["对接签约，需求已解决", "进入对接"]
    assert events[0]["details"] == [("对接", str(docking))]
    assert "market_need" not in "".join(e["action"] for e in events)


def test_a_reader_without_rights_sees_no_buttons_and_cannot_post(client):
    docking = DockingFactory()
    expert = user_with_role(Roles.EXPERT)
    docking.expert = ExpertFactory(user=expert)
    client.force_login(expert)
    need_page = reverse("market:need-detail", args=[docking.need_id])
    assert 'name="action"' not in client.get(need_page).content.decode()
    response = client.post(
        reverse("market:need-transition", args=[docking.need_id]), {"action": "close"}
    )
    assert response.status_code == 403


def test_another_enterprise_reads_a_published_need_without_buttons(client):
    need = NeedFactory()
    client.force_login(user_with_role(Roles.ENTERPRISE))
    content = client.get(reverse("market:need-detail", args=[need.pk])).content.decode()
    assert need.title in content and 'name="action"' not in content and "编辑" not in content


def test_out_of_scope_actions_answer_404(client):
    docking = DockingFactory()
    client.force_login(user_with_role(Roles.ENTERPRISE))
    response = client.post(
        reverse("market:docking-transition", args=[docking.pk]), {"action": "contact"}
    )
    assert response.status_code == 404


def test_need_form_for_an_enterprise_and_its_errors(client):
    owner = user_with_role(Roles.ENTERPRISE)
    client.force_login(owner)
    url = reverse("market:need-create")
    assert "需求描述" in client.get(url).content.decode()
    data = {
        "title": "矸石充填开采材料配比优化",
        "description": "太短",
        "mode": "joint_development",
        "visibility": "public",
        "keywords": "充填；矸石",
        "publish": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "至少 50 个字" in response.content.decode()
    response = client.post(url, {**data, "description": DESCRIPTION})
    need = TechNeed.objects.get()
    assert response.status_code == 302
    assert need.enterprise == owner.organization and need.status == "published"
    edit = reverse("market:need-edit", args=[need.pk])
    response = client.post(
        edit, {**data, "description": DESCRIPTION, "budget_min": "5", "budget_max": "1"}
    )
    assert "小于预算下限" in response.content.decode()


def test_achievement_form_for_staff_names_the_owner_by_uscc(client, bureau):
    university = OrganizationFactory(kind="university")
    client.force_login(bureau)
    data = {
        "owner_uscc": university.uscc,
        "title": "矿用本安型低功耗传感器",
        "abstract": DESCRIPTION,
        "type": "utility_model",
        "patent_number": "ZL201710601862.3",
        "maturity": "pilot",
        "transfer_mode": "licence",
        "visibility": "public",
    }
    response = client.post(reverse("market:achievement-create"), data)
    assert "专利类型" in response.content.decode()
    response = client.post(
        reverse("market:achievement-create"), {**data, "patent_number": "CN212345678U"}
    )
    assert response.status_code == 302
    item = Achievement.objects.get()
    assert item.owner == university and item.status == "draft"
    content = client.get(reverse("market:achievement-detail", args=[item.pk])).content.decode()
    assert "CN212345678U" in content and "面议" in content


def test_an_enterprise_cannot_open_the_edit_page_of_another_need(client):
    client.force_login(user_with_role(Roles.ENTERPRISE))
    other = NeedFactory(visibility="private")
    assert client.get(reverse("market:need-edit", args=[other.pk])).status_code == 404
    client.force_login(user_with_role(Roles.COMMISSIONER))
    assert client.get(reverse("market:need-create")).status_code == 403


def test_contract_page_and_revocation(client, bureau):
    contract = ContractFactory(buyer=None, buyer_name="江苏某装备公司")
    client.force_login(bureau)
    url = reverse("market:contract-detail", args=[contract.pk])
    content = client.get(url).content.decode()
    assert "未在库中登记" in content and "撤销登记" in content
    client.post(reverse("market:contract-revoke", args=[contract.pk]), {"reason": ""})
    contract.refresh_from_db()
    assert not contract.revoked
    client.post(reverse("market:contract-revoke", args=[contract.pk]), {"reason": "重复登记"})
    contract.refresh_from_db()
    assert contract.revoked
    assert "重复登记" in client.get(url).content.decode()


def test_event_page_counts_dockings_made_there(client, bureau):
    event = EventFactory(participants=[OrganizationFactory(name="淮南舜泰煤矿机械有限公司")])
    need = NeedFactory()
    services.docking_create(actor=bureau, need=need, expert=ExpertFactory(), event=event)
    client.force_login(bureau)
    content = client.get(reverse("market:event-detail", args=[event.pk])).content.decode()
    assert "淮南舜泰煤矿机械有限公司" in content and "1 项 / 0 项" in content
    assert need.title in content


def test_achievement_detail_lists_its_experts(client, bureau):
    item = AchievementFactory()
    expert = ExpertFactory(employer=item.owner)
    expert.achievements.add(item)
    client.force_login(bureau)
    content = client.get(reverse("market:achievement-detail", args=[item.pk])).content.decode()
    assert expert.name in content


def test_staff_recommend_a_docking_from_the_need_page(client, bureau):
    need = NeedFactory(field="新材料")
    match = AchievementFactory(field="新材料", title="耐磨聚氨酯密封材料")
    AchievementFactory(field="电子信息", title="井下定位系统")
    client.force_login(bureau)
    page = client.get(reverse("market:need-detail", args=[need.pk])).content.decode()
    url = reverse("market:docking-create", args=[need.pk])
    assert url in page
    form = client.get(url)
    choices = [str(label) for _value, label in form.context["form"].fields["achievement"].choices]
    assert any("耐磨聚氨酯密封材料" in c for c in choices)
    assert not any("井下定位系统" in c for c in choices)
    response = client.post(url, {})
    assert "二选一" in response.content.decode()
    response = client.post(url, {"achievement": match.pk, "notes": "同领域成果"})
    assert response.status_code == 302
    docking = need.dockings.get()
    assert (docking.achievement, docking.source, docking.owner) == (match, "recommended", bureau)
    assert response["Location"] == reverse("market:docking-detail", args=[docking.pk])


def test_docking_page_is_404_for_a_need_out_of_sight_and_403_for_other_roles(client):
    hidden = NeedFactory(visibility="private")
    client.force_login(user_with_role(Roles.ENTERPRISE))
    assert client.get(reverse("market:docking-create", args=[hidden.pk])).status_code == 404
    client.force_login(user_with_role(Roles.PROVIDER))
    need = NeedFactory()
    assert client.get(reverse("market:docking-create", args=[need.pk])).status_code == 403
