"""Services: who may write what, the messages bad input gets, the workflows' allowed and
forbidden steps by role, and what each step records."""

import datetime as dt
from decimal import Decimal

import pytest

from kechuang.core.audit import events_for
from kechuang.core.exceptions import Conflict, NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import (
    OrganizationFactory,
    UserFactory,
    ZoneFactory,
    user_with_role,
)
from kechuang.core.workflow import history, workflow_for
from kechuang.market import services
from kechuang.market.models import Docking

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

pytestmark = pytest.mark.django_db


def bureau(division="340400"):
    return UserFactory(role=Roles.BUREAU, division_code=division)


def need_data(**changes):
    return {
        "title": "智能综采工作面液压支架电液控制",
        "description": DESCRIPTION,
        "field": "先进制造与自动化",
        "keywords": "电液控制;液压支架",
        "mode": "joint_development",
        **changes,
    }


# --- needs -----------------------------------------------------------------------------------


def test_staff_create_needs_for_enterprises_in_scope_with_history_and_audit():
    staff = bureau()
    enterprise = OrganizationFactory(zone=ZoneFactory())
    need = services.need_create(actor=staff, enterprise=enterprise, **need_data())
    assert (need.division_code, need.zone_id) == (enterprise.division_code, enterprise.zone_id)
    assert need.keywords == "电液控制；液压支架" and need.status == "draft"
    assert need.history.get().history_user == staff
    assert [e.verb for e in events_for(need)] == ["market_need.created"]
    far = OrganizationFactory(division_code="340102")
    with pytest.raises(NotInScope):
        services.need_create(actor=staff, enterprise=far, **need_data())
    with pytest.raises(ValidationFailed, match="请指定需求企业"):
        services.need_create(actor=staff, **need_data())
    university = OrganizationFactory(kind="university")
    with pytest.raises(ValidationFailed, match="需求企业应为企业"):
        services.need_create(actor=staff, enterprise=university, **need_data())
    with pytest.raises(ValidationFailed) as error:
        services.need_create(actor=staff, enterprise=enterprise, **need_data())
    assert error.value.code == "duplicate" and error.value.field == "title"


@pytest.mark.parametrize("role", [Roles.EXPERT, Roles.COMMISSIONER, Roles.PROVIDER])
def test_other_roles_cannot_post_needs(role):
    with pytest.raises(RoleNotAllowed):
        services.need_create(actor=user_with_role(role), **need_data())


def test_an_enterprise_writes_only_for_itself():
    user = user_with_role(Roles.ENTERPRISE)
    need = services.need_create(actor=user, publish=True, **need_data())
    assert need.enterprise == user.organization and need.status == "published"
    assert need.published_on is not None
    with pytest.raises(NotInScope):
        services.need_create(actor=user, enterprise=OrganizationFactory(), **need_data())
    services.need_update(actor=user, need=need, budget_max=Decimal("500000"))
    need.refresh_from_db()
    assert need.budget_max == Decimal("500000")
    with pytest.raises(ValidationFailed, match="小于预算下限"):
        services.need_update(actor=user, need=need, budget_min=Decimal("600000"))
    with pytest.raises(RoleNotAllowed):
        services.need_update(actor=user, need=NeedFactory(), title="别人的需求")


def test_an_update_with_nothing_changed_writes_nothing():
    need = NeedFactory()
    staff = bureau()
    services.need_update(actor=staff, need=need, title=need.title)
    assert need.history.count() == 1 and not events_for(need).exists()


def test_need_workflow_roles_and_states():
    owner = user_with_role(Roles.ENTERPRISE)
    need = NeedFactory(enterprise=owner.organization, status="draft", published_on=None)
    workflow = workflow_for(need)
    assert [t.action for t in workflow.available(need, owner)] == ["publish", "close"]
    university = user_with_role(Roles.UNIVERSITY, organization=owner.organization)
    with pytest.raises(RoleNotAllowed):
        services.need_transition(actor=university, need=need, action="publish")
    services.need_transition(actor=owner, need=need, action="publish")
    with pytest.raises(Conflict):
        services.need_transition(actor=owner, need=need, action="publish")
    services.need_transition(actor=owner, need=need, action="close")
    services.need_transition(actor=owner, need=need, action="reopen")
    assert [log.target for log in history(need)] == ["published", "closed", "published"]
    stranger = user_with_role(Roles.ENTERPRISE)
    with pytest.raises(NotInScope):
        services.need_transition(actor=stranger, need=need, action="close")


def test_a_draft_that_breaks_the_rules_cannot_be_published():
    need = NeedFactory(description="太短", status="draft", published_on=None)
    with pytest.raises(ValidationFailed, match="不能发布：需求描述至少 50 个字"):
        services.need_transition(actor=bureau(), need=need, action="publish")
    need.refresh_from_db()
    assert need.status == "draft"


# --- achievements and experts ----------------------------------------------------------------


def test_achievement_owners_and_patent_messages():
    university = user_with_role(
        Roles.UNIVERSITY, organization=OrganizationFactory(kind="university")
    )
    data = {"title": "矿井水膜处理技术", "abstract": ABSTRACT, "type": "invention_patent"}
    with pytest.raises(ValidationFailed) as error:
        services.achievement_create(actor=university, patent_number="ZL201710601862.0", **data)
    assert error.value.field == "patent_number" and "应为 3" in error.value.message
    item = services.achievement_create(
        actor=university, patent_number="zl201710601862.3", publish=True, **data
    )
    assert item.patent_number == "ZL201710601862.3" and item.status == "published"
    hospital = OrganizationFactory(kind="hospital")
    with pytest.raises(ValidationFailed, match="成果单位应为"):
        services.achievement_create(actor=bureau(), owner=hospital, **data)
    with pytest.raises(ValidationFailed, match="转让价格不能为负数"):
        services.achievement_update(actor=university, achievement=item, price=Decimal("-5"))
    services.achievement_transition(actor=university, achievement=item, action="withdraw")
    services.achievement_transition(actor=university, achievement=item, action="publish")
    services.achievement_transition(actor=university, achievement=item, action="transfer")
    with pytest.raises(Conflict):
        services.achievement_transition(actor=university, achievement=item, action="withdraw")


def test_experts_are_kept_by_staff_and_universities_for_their_own_staff():
    employer = OrganizationFactory(kind="university")
    university = user_with_role(Roles.UNIVERSITY, organization=employer)
    mine = AchievementFactory(owner=employer)
    hidden = AchievementFactory(status="draft", published_on=None)
    expert = services.expert_create(
        actor=university,
        name="周建国",
        fields="新材料;先进制造与自动化",
        phone="0554-6668888",
        achievements=[mine],
    )
    assert expert.employer == employer and expert.fields == "新材料；先进制造与自动化"
    assert list(expert.achievements.all()) == [mine]
    with pytest.raises(ValidationFailed, match="不在您的可见范围内"):
        services.expert_update(actor=university, expert=expert, achievements=[hidden])
    with pytest.raises(ValidationFailed, match="联系电话"):
        services.expert_update(actor=university, expert=expert, phone="电话")
    with pytest.raises(ValidationFailed, match="专家"):
        services.expert_update(actor=university, expert=expert, user=user_with_role(Roles.ZONE))
    expert_user = user_with_role(Roles.EXPERT, organization=None)
    services.expert_update(actor=bureau(), expert=expert, user=expert_user)
    with pytest.raises(RoleNotAllowed):
        services.expert_create(actor=user_with_role(Roles.ENTERPRISE), name="某人")


# --- dockings --------------------------------------------------------------------------------


def test_docking_workflow_allowed_and_forbidden_steps():
    docking = DockingFactory()
    staff = bureau()
    enterprise = user_with_role(Roles.ENTERPRISE, organization=docking.enterprise)
    university = user_with_role(Roles.UNIVERSITY, organization=docking.counterpart_org)
    expert = user_with_role(Roles.EXPERT, organization=None)
    workflow = workflow_for(docking)
    assert {t.action for t in workflow.available(docking, staff)} == {"contact", "fail"}
    assert {t.action for t in workflow.available(docking, university)} == {"contact", "fail"}
    assert workflow.available(docking, expert) == []
    with pytest.raises(RoleNotAllowed):
        services.docking_transition(actor=expert, docking=docking, action="contact")
    with pytest.raises(Conflict):
        services.docking_transition(actor=staff, docking=docking, action="sign")
    with pytest.raises(ValidationFailed) as error:
        services.docking_transition(actor=staff, docking=docking, action="register_contract")
    assert error.value.code == "no_contract"
    services.docking_transition(actor=enterprise, docking=docking, action="contact")
    assert docking.contacted_on is not None and docking.outcome == "contacted"
    services.docking_transition(actor=university, docking=docking, action="negotiate")
    services.docking_transition(actor=staff, docking=docking, action="sign")
    assert docking.stage == "signed" and docking.outcome == "signed" and docking.signed_on
    with pytest.raises(Conflict):
        services.docking_transition(actor=staff, docking=docking, action="fail", note="晚了")
    logs = list(history(docking))
    assert [(log.source, log.target) for log in logs] == [
        ("recommended", "contacted"),
        ("contacted", "negotiating"),
        ("negotiating", "signed"),
    ]
    assert [log.actor for log in logs] == [enterprise, university, staff]


@pytest.mark.parametrize("stage", ["recommended", "contacted", "negotiating"])
def test_a_docking_fails_from_any_open_stage_with_a_reason(stage):
    docking = DockingFactory(stage=stage)
    staff = bureau()
    with pytest.raises(ValidationFailed) as error:
        services.docking_transition(actor=staff, docking=docking, action="fail", note=" ")
    assert error.value.code == "note_required"
    services.docking_transition(actor=staff, docking=docking, action="fail", note="技术不成熟")
    assert (docking.stage, docking.outcome, docking.outcome_reason) == (
        "failed",
        "declined",
        "技术不成熟",
    )
    assert docking.failed_on is not None


def test_creating_a_docking_puts_a_published_need_in_docking_and_refuses_closed_ones():
    need = NeedFactory()
    staff = bureau()
    docking = services.docking_create(actor=staff, need=need, expert=ExpertFactory())
    assert docking.owner == staff and docking.counterpart_org == docking.expert.employer
    need.refresh_from_db()
    assert need.status == "in_docking"
    closed = NeedFactory(status="closed")
    with pytest.raises(ValidationFailed) as error:
        services.docking_create(actor=staff, need=closed, expert=ExpertFactory())
    assert error.value.code == "need_not_open"
    draft_item = AchievementFactory(status="draft", published_on=None)
    with pytest.raises(ValidationFailed) as error:
        services.docking_create(actor=staff, need=need, achievement=draft_item)
    assert error.value.code == "achievement_not_published"
    university = user_with_role(Roles.UNIVERSITY)
    with pytest.raises(ValidationFailed) as error:
        services.docking_create(actor=university, need=need, achievement=AchievementFactory())
    assert error.value.code == "not_owner"
    assert Docking.objects.count() == 1


def test_a_need_follows_its_dockings_until_one_is_signed():
    need = NeedFactory()
    staff = bureau()
    first = services.docking_create(actor=staff, need=need, expert=ExpertFactory())
    second = services.docking_create(actor=staff, need=need, achievement=AchievementFactory())
    services.docking_transition(actor=staff, docking=first, action="fail", note="方向不符")
    need.refresh_from_db()
    assert need.status == "in_docking"  # the second is still open
    services.docking_transition(actor=staff, docking=second, action="fail", note="报价过高")
    need.refresh_from_db()
    assert need.status == "published"  # back in the hall, to be matched again
    third = services.docking_create(actor=staff, need=need, achievement=AchievementFactory())
    enterprise = user_with_role(Roles.ENTERPRISE, organization=need.enterprise)
    for action in ("contact", "negotiate", "sign"):
        services.docking_transition(actor=enterprise, docking=third, action=action)
    need.refresh_from_db()
    assert need.status == "solved"
    assert [e.verb for e in events_for(need).order_by("pk")] == [
        "market_need.in_docking",
        "market_need.published",
        "market_need.in_docking",
        "market_need.solved",
    ]
    contract = ContractFactory(seller=third.counterpart_org, buyer=need.enterprise, docking=third)
    services.contract_revoke(actor=staff, contract=contract, reason="重复登记")
    third.refresh_from_db()
    need.refresh_from_db()
    assert (third.stage, need.status) == ("signed", "solved")  # the signature stands


def test_a_draft_or_closed_need_is_left_to_its_enterprise():
    need = NeedFactory()
    staff = bureau()
    docking = services.docking_create(actor=staff, need=need, expert=ExpertFactory())
    services.need_transition(actor=staff, need=need, action="close", note="企业自行解决")
    services.docking_transition(actor=staff, docking=docking, action="fail", note="需求已关闭")
    need.refresh_from_db()
    assert need.status == "closed"


def test_docking_notes_by_parties_owner_by_staff():
    docking = DockingFactory()
    enterprise = user_with_role(Roles.ENTERPRISE, organization=docking.enterprise)
    services.docking_update(actor=enterprise, docking=docking, notes="已约定 6 月 10 日现场考察")
    with pytest.raises(RoleNotAllowed):
        services.docking_update(actor=enterprise, docking=docking, owner=bureau())
    with pytest.raises(ValidationFailed, match="负责人"):
        services.docking_update(actor=bureau(), docking=docking, owner=enterprise)
    with pytest.raises(NotInScope):
        services.docking_update(actor=user_with_role(Roles.ENTERPRISE), docking=docking, notes="x")


# --- contracts and events --------------------------------------------------------------------


def contract_data(docking=None, **changes):
    return {
        "registration_number": "2025340421000007",
        "type": "transfer",
        "title": "矿井水处理技术转让",
        "contract_amount": Decimal("3000000"),
        "tech_amount": Decimal("2800000"),
        "signed_on": dt.date(2025, 3, 1),
        "registered_on": dt.date(2025, 3, 20),
        "docking": docking,
        **changes,
    }


def test_a_contract_signs_its_docking_from_an_early_stage():
    docking = DockingFactory(stage="recommended")
    staff = bureau()
    contract = services.contract_register(
        actor=staff,
        seller=docking.counterpart_org,
        buyer=docking.enterprise,
        **contract_data(docking),
    )
    docking.refresh_from_db()
    assert docking.stage == "signed" and docking.signed_on == dt.date(2025, 3, 1)
    assert [log.action for log in history(docking)] == ["register_contract"]
    assert contract.buyer_name == docking.enterprise.name
    failed = DockingFactory(stage="failed", outcome_reason="不合适")
    with pytest.raises(ValidationFailed) as error:
        services.contract_register(
            actor=staff,
            seller=failed.counterpart_org,
            buyer=failed.enterprise,
            **contract_data(failed, registration_number="2025340421000008"),
        )
    assert error.value.code == "docking_failed"


def test_contract_messages_and_revocation():
    staff = bureau()
    seller = OrganizationFactory(kind="university")
    future = dt.date.today() + dt.timedelta(days=3)
    with pytest.raises(ValidationFailed, match="签订日期不能晚于今天"):
        services.contract_register(
            actor=staff, seller=seller, buyer_name="某公司", **contract_data(signed_on=future)
        )
    with pytest.raises(ValidationFailed, match="买方与卖方不能为同一单位"):
        services.contract_register(actor=staff, seller=seller, buyer=seller, **contract_data())
    with pytest.raises(RoleNotAllowed):
        services.contract_register(
            actor=user_with_role(Roles.UNIVERSITY, organization=seller),
            seller=seller,
            buyer_name="某公司",
            **contract_data(),
        )
    contract = ContractFactory(seller=seller)
    with pytest.raises(ValidationFailed, match="撤销原因"):
        services.contract_revoke(actor=staff, contract=contract, reason="  ")
    with pytest.raises(NotInScope):
        services.contract_revoke(actor=bureau("340100"), contract=contract, reason="错误")
    services.contract_revoke(actor=staff, contract=contract, reason="重复登记")
    assert contract.revoked and contract.revoked_on and contract.revoked_reason == "重复登记"
    assert [e.verb for e in events_for(contract)] == ["market_contract.revoked"]


def test_zone_staff_hold_events_in_their_zone():
    zone = ZoneFactory()
    staff = user_with_role(Roles.ZONE, zone=zone)
    event = services.event_create(
        actor=staff,
        name="园区企业技术需求发布会",
        kind="docking_fair",
        date=dt.date(2025, 5, 20),
        place="园区服务中心",
        division_code="340102",
    )
    assert (event.zone, event.division_code) == (zone, zone.division_code)
    with pytest.raises(ValidationFailed, match="同名活动"):
        services.event_create(
            actor=staff,
            name="园区企业技术需求发布会",
            kind="docking_fair",
            date=dt.date(2025, 5, 20),
            place="园区服务中心",
        )
    with pytest.raises(RoleNotAllowed):
        services.event_create(actor=user_with_role(Roles.ENTERPRISE), name="x", place="y")
    other = EventFactory(division_code="340102")
    with pytest.raises(NotInScope):
        services.event_update(actor=staff, event=other, outcomes="签约 3 项")
