"""API of the technology market: the permission matrix, scoping, the docking life cycle over
HTTP, contracts and their revocation, ``?q=`` search, masked phones and query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kechuang.core.scoping import ALL_ROLES, STAFF_ROLES, Roles
from kechuang.core.testing import assert_list_queries, client_for, result_keys
from kechuang.core.testing.factories import OrganizationFactory, UserFactory, user_with_role
from kechuang.core.testing.matrix import MatrixSpec, cases
from kechuang.market.models import Docking, TechContract

from .factories import (
    ABSTRACT,
    DESCRIPTION,
    AchievementFactory,
    ContractFactory,
    DockingFactory,
    EventFactory,
    ExpertFactory,
    NeedFactory,
)

PARTIES = STAFF_ROLES | {Roles.ENTERPRISE, Roles.UNIVERSITY}


def make_docking(place):
    counterpart = OrganizationFactory(
        kind="university", division_code=place.division_code, zone=place.zone
    )
    return DockingFactory(
        need=NeedFactory(enterprise=place.organization, visibility="private"),
        achievement=AchievementFactory(owner=counterpart, visibility="private"),
    )


# Records are made unpublished or private, so that only scope makes them visible.
MATRIX = [
    MatrixSpec(
        name="market-need",
        make=lambda place: NeedFactory(
            enterprise=place.organization, status="draft", published_on=None
        ),
        readers=ALL_ROLES,
        api="need",
        ui_list="market:need-list",
        ui_detail="market:need-detail",
    ),
    MatrixSpec(
        name="market-achievement",
        make=lambda place: AchievementFactory(
            owner=place.organization, status="draft", published_on=None
        ),
        readers=ALL_ROLES,
        api="achievement",
        ui_list="market:achievement-list",
        ui_detail="market:achievement-detail",
    ),
    MatrixSpec(
        name="market-expert",
        make=lambda place: ExpertFactory(employer=place.organization, visibility="private"),
        readers=ALL_ROLES,
        api="expert",
        ui_list="market:expert-list",
        ui_detail="market:expert-detail",
    ),
    MatrixSpec(
        name="market-docking",
        make=make_docking,
        readers=PARTIES | {Roles.EXPERT},
        api="docking",
        ui_list="market:docking-list",
        ui_detail="market:docking-detail",
    ),
    MatrixSpec(
        name="market-event",
        make=lambda place: EventFactory(
            division_code=place.division_code, zone=place.zone, participants=[place.organization]
        ),
        readers=PARTIES,
        api="match-event",
        ui_list="market:event-list",
        ui_detail="market:event-detail",
    ),
    MatrixSpec(
        name="market-contract",
        make=lambda place: ContractFactory(
            seller=place.organization, buyer=None, buyer_name="江苏某装备制造有限公司"
        ),
        readers=PARTIES,
        api="contract",
        ui_list="market:contract-list",
        ui_detail="market:contract-detail",
    ),
]

pytestmark = pytest.mark.django_db

NEEDS = reverse("api:need-list")
ACHIEVEMENTS = reverse("api:achievement-list")
EXPERTS = reverse("api:expert-list")
DOCKINGS = reverse("api:docking-list")
CONTRACTS = reverse("api:contract-list")
EVENTS = reverse("api:match-event-list")


def bureau(division="340400"):
    return UserFactory(role=Roles.BUREAU, division_code=division)


@pytest.mark.parametrize("case", cases(MATRIX))
def test_permission_matrix(case, client):
    case.run(client)


def test_published_public_items_are_read_by_every_signed_in_user_private_ones_are_not():
    far = OrganizationFactory(division_code="340102")
    public = NeedFactory(enterprise=far)
    registered = NeedFactory(enterprise=far, visibility="registered")
    private = NeedFactory(enterprise=far, visibility="private")
    draft = NeedFactory(enterprise=far, status="draft", published_on=None)
    closed = NeedFactory(enterprise=far, status="closed")
    reader = client_for(user_with_role(Roles.UNIVERSITY))
    assert sorted(result_keys(reader.get(NEEDS))) == sorted([public.pk, registered.pk])
    for hidden in (private, draft, closed):
        assert reader.get(reverse("api:need-detail", args=[hidden.pk])).status_code == 404
    assert client_for(None).get(NEEDS).status_code in (401, 403)


def test_an_enterprise_posts_and_publishes_its_own_need_and_cannot_touch_others():
    user = user_with_role(Roles.ENTERPRISE)
    api = client_for(user)
    body = {
        "title": "煤矸石制备陶粒轻骨料工艺优化",
        "description": DESCRIPTION,
        "field": "新材料",
        "keywords": "煤矸石; 陶粒；轻骨料;陶粒",
        "budget_min": "300000",
        "budget_max": "1000000",
        "mode": "joint_development",
        "deadline": "2025-12-31",
    }
    response = api.post(NEEDS, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft"
    assert data["keywords"] == "煤矸石；陶粒；轻骨料"
    assert data["enterprise"] == user.organization_id
    url = reverse("api:need-transition", args=[data["id"]])
    response = api.post(url, {"action": "publish"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    assert response.json()["published_on"] is not None
    other = NeedFactory()
    response = api.patch(
        reverse("api:need-detail", args=[other.pk]), {"title": "改"}, format="json"
    )
    assert response.status_code == 403  # a published need of another enterprise: read-only
    private = NeedFactory(visibility="private")
    response = api.patch(
        reverse("api:need-detail", args=[private.pk]), {"title": "改"}, format="json"
    )
    assert response.status_code == 404


def test_bad_need_input_names_the_field():
    api = client_for(user_with_role(Roles.ENTERPRISE))
    base = {"title": "需求", "description": DESCRIPTION, "mode": "consulting"}
    response = api.post(NEEDS, {**base, "description": "太短了"}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "description"
    assert "至少 50 个字" in response.json()["detail"]
    english = "The hydraulic support seals wear out quickly under high pressure. " * 2
    response = api.post(NEEDS, {**base, "description": english}, format="json")
    assert response.json()["field"] == "description" and "中文" in response.json()["detail"]
    response = api.post(
        NEEDS, {**base, "budget_min": "2000000", "budget_max": "100000"}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "budget_max"
    response = api.post(NEEDS, {**base, "mode": "gift"}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "mode"


def test_a_university_posts_an_achievement_with_a_checked_patent_number():
    user = user_with_role(Roles.UNIVERSITY, organization=OrganizationFactory(kind="university"))
    api = client_for(user)
    body = {
        "title": "矿井水深度处理与资源化利用技术",
        "abstract": ABSTRACT,
        "type": "invention_patent",
        "patent_number": "zl 201710601862.4",
        "maturity": "pilot",
        "transfer_mode": "licence",
        "publish": True,
    }
    response = api.post(ACHIEVEMENTS, body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "patent_number"
    assert "校验位错误：应为 3" in response.json()["detail"]
    response = api.post(ACHIEVEMENTS, {**body, "patent_number": "ZL201710601862.3"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "published"
    assert response.json()["price"] is None  # 面议
    enterprise_only = client_for(user_with_role(Roles.COMMISSIONER))
    assert enterprise_only.post(ACHIEVEMENTS, body, format="json").status_code == 403


def test_achievements_q_searches_title_abstract_and_keywords():
    seal = AchievementFactory(title="液压密封件寿命预测方法", keywords="寿命预测")
    AchievementFactory(
        title="光伏组件清洗机器人", abstract=ABSTRACT.replace("密封", "清洗"), keywords="光伏；清洗"
    )
    by_keyword = AchievementFactory(title="某成果", keywords="煤矸石；陶粒")
    api = client_for(user_with_role(Roles.ENTERPRISE))
    assert result_keys(api.get(ACHIEVEMENTS, {"q": "寿命预测"})) == [seal.pk]
    assert result_keys(api.get(ACHIEVEMENTS, {"q": "陶粒"})) == [by_keyword.pk]
    assert len(result_keys(api.get(ACHIEVEMENTS, {"q": "密封"}))) == 2  # abstract + title


def test_expert_phone_is_masked_in_lists_and_for_readers_out_of_scope():
    expert = ExpertFactory(visibility="public")
    stranger = client_for(user_with_role(Roles.ENTERPRISE))
    (row,) = stranger.get(EXPERTS).json()["results"]
    assert row["phone"] == "139****1234"
    detail = stranger.get(reverse("api:expert-detail", args=[expert.pk])).json()
    assert detail["phone"] == "139****1234"
    staff = client_for(bureau())
    assert staff.get(EXPERTS).json()["results"][0]["phone"] == "139****1234"
    detail = staff.get(reverse("api:expert-detail", args=[expert.pk])).json()
    assert detail["phone"] == "13905541234"


def test_the_docking_life_cycle_over_http():
    need = NeedFactory()
    achievement = AchievementFactory(owner=OrganizationFactory(kind="university"))
    staff_user = bureau()
    staff = client_for(staff_user)
    response = staff.post(DOCKINGS, {"need": need.pk, "achievement": achievement.pk}, format="json")
    assert response.status_code == 201, response.content
    docking_id = response.json()["id"]
    assert response.json()["source"] == "recommended"
    assert response.json()["stage"] == "recommended"
    need.refresh_from_db()
    assert need.status == "in_docking"
    again = staff.post(DOCKINGS, {"need": need.pk, "achievement": achievement.pk}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "duplicate"

    enterprise = client_for(user_with_role(Roles.ENTERPRISE, organization=need.enterprise))
    university = client_for(user_with_role(Roles.UNIVERSITY, organization=achievement.owner))
    assert result_keys(enterprise.get(DOCKINGS)) == [docking_id]
    assert result_keys(university.get(DOCKINGS)) == [docking_id]
    url = reverse("api:docking-transition", args=[docking_id])
    response = university.post(url, {"action": "negotiate"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "invalid_state"
    assert enterprise.post(url, {"action": "contact"}).json()["stage"] == "contacted"
    assert university.post(url, {"action": "negotiate"}).json()["stage"] == "negotiating"
    response = staff.post(url, {"action": "fail"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "note_required"
    response = staff.post(url, {"action": "fail", "note": "企业预算不足"}, format="json")
    body = response.json()
    assert body["stage"] == "failed"
    assert body["outcome"] == "declined" and body["outcome_reason"] == "企业预算不足"
    assert body["contacted_on"] and body["negotiating_on"] and body["failed_on"]
    response = staff.post(url, {"action": "sign"}, format="json")
    assert response.status_code == 409
    outsider = client_for(user_with_role(Roles.UNIVERSITY))
    assert outsider.post(url, {"action": "contact"}).status_code == 404
    # A failed docking does not block a new one with the same counterpart.
    response = staff.post(DOCKINGS, {"need": need.pk, "achievement": achievement.pk}, format="json")
    assert response.status_code == 201, response.content


def test_docking_requests_by_the_parties_and_refusals():
    need = NeedFactory()
    own = client_for(user_with_role(Roles.ENTERPRISE, organization=need.enterprise))
    achievement = AchievementFactory()
    response = own.post(DOCKINGS, {"need": need.pk, "achievement": achievement.pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["source"] == "requested"
    both = own.post(
        DOCKINGS,
        {"need": need.pk, "achievement": achievement.pk, "expert": ExpertFactory().pk},
        format="json",
    )
    assert both.status_code == 400 and both.json()["code"] == "counterpart"
    other_need = NeedFactory()
    response = own.post(
        DOCKINGS, {"need": other_need.pk, "organization": OrganizationFactory().pk}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "not_owner"
    response = own.post(
        DOCKINGS, {"need": need.pk, "organization": need.enterprise_id}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "self_docking"
    hidden = NeedFactory(visibility="private")
    response = own.post(DOCKINGS, {"need": hidden.pk, "expert": ExpertFactory().pk}, format="json")
    assert response.status_code == 404
    far_staff = client_for(bureau("340100"))
    response = far_staff.post(
        DOCKINGS, {"need": need.pk, "expert": ExpertFactory().pk}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "need_out_of_scope"


def contract_body(**changes):
    return {
        "registration_number": "2024340421000101",
        "type": "development",
        "title": "耐磨密封材料联合开发",
        "contract_amount": "1500000",
        "tech_amount": "1200000",
        "signed_on": "2024-06-01",
        "registered_on": "2024-06-20",
        **changes,
    }


def test_registering_a_contract_signs_its_docking_and_revocation_keeps_it_on_file():
    docking = DockingFactory(stage="negotiating")
    staff = client_for(bureau())
    body = contract_body(
        seller=docking.counterpart_org_id, buyer=docking.enterprise_id, docking=docking.pk
    )
    response = staff.post(CONTRACTS, body, format="json")
    assert response.status_code == 201, response.content
    contract = response.json()
    assert contract["buyer_name"] == docking.enterprise.name
    assert contract["division_code"] == docking.counterpart_org.division_code
    docking.refresh_from_db()
    assert docking.stage == "signed" and docking.signed_on == dt.date(2024, 6, 1)
    assert docking.outcome == "signed"
    again = staff.post(CONTRACTS, body, format="json")
    assert again.status_code == 400 and again.json()["field"] == "registration_number"
    revoke = reverse("api:contract-revoke", args=[contract["id"]])
    response = staff.post(revoke, {"reason": ""}, format="json")
    assert response.status_code == 400
    response = staff.post(revoke, {"reason": "合同内容不属于技术合同"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["revoked"] is True
    response = staff.post(revoke, {"reason": "再次"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "already_revoked"
    assert TechContract.objects.get(pk=contract["id"]).revoked_reason == "合同内容不属于技术合同"
    enterprise = client_for(user_with_role(Roles.ENTERPRISE))
    assert enterprise.post(CONTRACTS, body, format="json").status_code == 403


def test_contract_amounts_and_dates_are_checked():
    seller = OrganizationFactory(kind="university")
    staff = client_for(bureau())
    bad = [
        ({"tech_amount": "1600000"}, "tech_amount", "超过成交额"),
        ({"registered_on": "2024-05-01"}, "registered_on", "早于签订日期"),
        ({"contract_amount": "0"}, "contract_amount", "应大于 0"),
        ({"registration_number": "登记号"}, "registration_number", "登记编号"),
        ({}, "buyer_name", "买方"),
    ]
    for changes, field, words in bad:
        response = staff.post(CONTRACTS, contract_body(seller=seller.pk, **changes), format="json")
        assert response.status_code == 400, changes
        assert response.json()["field"] == field and words in response.json()["detail"]
    far = OrganizationFactory(division_code="340102")
    response = staff.post(
        CONTRACTS, contract_body(seller=far.pk, buyer_name="某公司"), format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "seller_out_of_scope"
    unrelated = DockingFactory()
    response = staff.post(
        CONTRACTS,
        contract_body(seller=seller.pk, buyer_name="某公司", docking=unrelated.pk),
        format="json",
    )
    assert response.status_code == 400 and response.json()["code"] == "docking_parties"
    assert TechContract.objects.count() == 0
    assert Docking.objects.get(pk=unrelated.pk).stage == "recommended"


def test_the_buyer_of_a_registered_contract_reads_it():
    contract = ContractFactory(buyer=OrganizationFactory(division_code="340102"))
    buyer = client_for(user_with_role(Roles.ENTERPRISE, organization=contract.buyer))
    assert result_keys(buyer.get(CONTRACTS)) == [contract.pk]


def test_events_are_created_by_staff_and_dockings_made_there():
    staff_user = bureau()
    staff = client_for(staff_user)
    participant = OrganizationFactory()
    response = staff.post(
        EVENTS,
        {
            "name": "2024 淮南市高校院所科技成果发布会",
            "kind": "launch",
            "date": "2024-09-12",
            "place": "淮南高新区创新中心",
            "division_code": "340421",
            "participants": [participant.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    event_id = response.json()["id"]
    response = staff.post(
        EVENTS,
        {
            "name": "外地",
            "kind": "launch",
            "date": "2024-09-12",
            "place": "合肥",
            "division_code": "340102",
        },
        format="json",
    )
    assert response.status_code == 400 and response.json()["field"] == "division_code"
    need = NeedFactory()
    response = staff.post(
        DOCKINGS,
        {"need": need.pk, "organization": participant.pk, "event": event_id},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["source"] == "at_event"
    assert response.json()["recommended_on"] == "2024-09-12"
    member = client_for(user_with_role(Roles.ENTERPRISE, organization=participant))
    assert result_keys(member.get(EVENTS)) == [event_id]
    assert (
        member.get(reverse("api:match-event-detail", args=[event_id])).json()["docking_count"] == 1
    )
    assert result_keys(member.get(EVENTS, {"year": 2024})) == [event_id]
    assert result_keys(member.get(EVENTS, {"year": 2025})) == []
    for bad in ("0.0", "2024.5", "abc"):  # a year that is no year: 400, never a server error
        assert member.get(EVENTS, {"year": bad}).status_code == 400


def test_lists_cost_a_fixed_number_of_queries(django_assert_max_num_queries):
    admin = client_for(user_with_role(Roles.ADMIN))
    for url, make in (
        (NEEDS, lambda: NeedFactory()),
        (ACHIEVEMENTS, lambda: AchievementFactory()),
        (EXPERTS, lambda: ExpertFactory()),
        (DOCKINGS, lambda: DockingFactory()),
        (CONTRACTS, lambda: ContractFactory()),
        (EVENTS, lambda: EventFactory()),
    ):
        assert_list_queries(
            django_assert_max_num_queries,
            admin,
            url,
            lambda n, make=make: [make() for _ in range(n)],
            max_queries=6,
        )


def test_budget_and_price_are_decimal_yuan():
    need = NeedFactory(budget_max=Decimal("1234567.89"))
    api = client_for(bureau())
    assert api.get(reverse("api:need-detail", args=[need.pk])).json()["budget_max"] == (
        "1234567.89"
    )


def test_docking_notes_and_clerk_over_http():
    docking = DockingFactory()
    url = reverse("api:docking-detail", args=[docking.pk])
    enterprise = client_for(user_with_role(Roles.ENTERPRISE, organization=docking.enterprise))
    response = enterprise.patch(url, {"notes": "6 月 10 日现场考察"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["notes"] == "6 月 10 日现场考察"
    clerk = bureau()
    response = enterprise.patch(url, {"owner": clerk.pk}, format="json")
    assert response.status_code == 403
    response = client_for(clerk).patch(url, {"owner": clerk.pk}, format="json")
    assert response.status_code == 200 and response.json()["owner"] == clerk.pk


def test_a_university_registers_its_own_experts_over_http():
    employer = OrganizationFactory(kind="university")
    api = client_for(user_with_role(Roles.UNIVERSITY, organization=employer))
    item = AchievementFactory(owner=employer)
    body = {
        "name": "陈志强",
        "title": "教授",
        "fields": ["新材料", "先进制造与自动化"],
        "keywords": "复合材料;摩擦学",
        "phone": "13855447788",
        "achievements": [item.pk],
    }
    response = api.post(EXPERTS, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["employer"] == employer.pk and data["fields"] == "新材料；先进制造与自动化"
    assert data["achievements"] == [item.pk]
    detail = api.get(reverse("api:expert-detail", args=[data["id"]])).json()
    assert detail["phone"] == "13855447788"  # the employer sees its expert's number
    other = OrganizationFactory(kind="university")
    response = api.post(EXPERTS, {**body, "employer": other.pk}, format="json")
    assert response.status_code == 404
