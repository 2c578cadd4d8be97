"""The workflow service: roles, scope, states, notes, guards, effects, log and notifications.

Platforms (active → warned → revoked) serve as the subject, with a workflow declared here and
passed explicitly (not registered)."""

import pytest
from django.db import transaction

from kechuang.core.exceptions import (
    Conflict,
    NotInScope,
    RoleNotAllowed,
    ValidationFailed,
)
from kechuang.core.models import AuditEvent, TransitionLog
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import (
    OrganizationFactory,
    PlatformFactory,
    UserFactory,
    user_with_role,
)
from kechuang.core.workflow import (
    Transition,
    Workflow,
    history,
    register,
    transition,
    transition_committed,
    workflow_for,
)
from kechuang.platforms.models import Platform, PlatformStatus

pytestmark = pytest.mark.django_db

STAFF = frozenset({Roles.BUREAU, Roles.ZONE})
effects = []


def not_national(obj, actor, note):
    if obj.level == "national":
        raise ValidationFailed("国家级平台由上级处理", code="national_platform")


def remember(obj, actor, note):
    effects.append((obj.pk, obj.status))


WORKFLOW = Workflow(
    model="platforms.platform",
    states=PlatformStatus,
    name="platform_status",
    transitions=(
        Transition("warn", ("active",), "warned", STAFF, "警告", effect=remember),
        Transition(
            "revoke",
            ("active", "warned"),
            "revoked",
            STAFF,
            "撤销",
            needs_note=True,
            guards=(not_national,),
        ),
        Transition("restore", ("warned",), "active", frozenset({Roles.BUREAU}), "恢复"),
    ),
)


def move(obj, action, actor, note=""):
    return transition(obj=obj, action=action, actor=actor, note=note, workflow=WORKFLOW)


@pytest.fixture
def bureau():
    return UserFactory(role=Roles.BUREAU, division_code="340400")


def test_a_transition_moves_the_state_logs_it_and_audits_it(bureau):
    platform = PlatformFactory()
    effects.clear()
    returned = move(platform, "warn", bureau, "  年度考核不合格 ")
    assert returned is platform and platform.status == "warned"
    assert Platform.objects.get(pk=platform.pk).status == "warned"
    assert effects == [(platform.pk, "warned")]
    (log,) = history(platform)
    assert (log.workflow, log.action, log.source, log.target) == (
        "platform_status",
        "warn",
        "active",
        "warned",
    )
    assert log.actor == bureau and log.note == "年度考核不合格"
    event = AuditEvent.objects.get(verb="platform_status.warn")
    assert event.data == {"from": "active", "to": "warned", "note": "年度考核不合格"}


def test_an_action_from_a_wrong_state_is_a_conflict(bureau):
    platform = PlatformFactory()
    with pytest.raises(Conflict) as caught:
        move(platform, "restore", bureau)
    assert caught.value.code == "invalid_state"
    assert not TransitionLog.objects.exists()


def test_unknown_action_wrong_role_and_out_of_scope(bureau):
    platform = PlatformFactory()
    with pytest.raises(ValidationFailed) as caught:
        move(platform, "promote", bureau)
    assert caught.value.code == "unknown_action"
    zone_user = user_with_role(Roles.ZONE)
    with pytest.raises(RoleNotAllowed):
        move(platform, "restore", zone_user)
    enterprise = UserFactory(role=Roles.ENTERPRISE, organization=platform.host)
    with pytest.raises(RoleNotAllowed):
        move(platform, "warn", enterprise)
    far = PlatformFactory(host=OrganizationFactory(division_code="340102"), division_code="340102")
    with pytest.raises(NotInScope):
        move(far, "warn", bureau)
    assert Platform.objects.get(pk=far.pk).status == "active"


def test_notes_and_guards(bureau):
    platform = PlatformFactory()
    with pytest.raises(ValidationFailed) as caught:
        move(platform, "revoke", bureau, "   ")
    assert caught.value.code == "note_required"
    national = PlatformFactory(level="national")
    with pytest.raises(ValidationFailed) as caught:
        move(national, "revoke", bureau, "停止运行")
    assert caught.value.code == "national_platform"
    move(platform, "revoke", bureau, "停止运行")
    assert platform.status == "revoked"


def test_available_lists_what_the_actor_may_do_now(bureau):
    platform = PlatformFactory()
    assert [t.action for t in WORKFLOW.available(platform, bureau)] == ["warn", "revoke"]
    national = PlatformFactory(level="national", status="warned")
    assert [t.action for t in WORKFLOW.available(national, bureau)] == ["restore"]
    zone_user = user_with_role(Roles.ZONE)
    assert WORKFLOW.available(national, zone_user) == []


def test_notifications_wait_for_the_commit(bureau, django_capture_on_commit_callbacks):
    received = []

    def listener(sender, **kwargs):
        received.append((sender, kwargs["action"], kwargs["target"], kwargs["log"].pk))

    transition_committed.connect(listener)
    try:
        platform = PlatformFactory()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            move(platform, "warn", bureau)
        assert received == [] and callbacks
        for callback in callbacks:
            callback()
        assert received == [(Platform, "warn", "warned", history(platform).get().pk)]
    finally:
        transition_committed.disconnect(listener)


def test_a_failed_effect_rolls_everything_back(bureau):
    def explode(obj, actor, note):
        raise ValidationFailed("失败", code="boom")

    flow = Workflow(
        model="platforms.platform",
        states=PlatformStatus,
        transitions=(Transition("warn", ("active",), "warned", STAFF, "警告", effect=explode),),
    )
    platform = PlatformFactory()
    with pytest.raises(ValidationFailed), transaction.atomic():
        transition(obj=platform, action="warn", actor=bureau, workflow=flow)
    assert Platform.objects.get(pk=platform.pk).status == "active"
    assert not TransitionLog.objects.exists()


def test_declarations_are_checked():
    with pytest.raises(ValueError, match="unknown states"):
        Workflow(
            model="platforms.platform",
            states=PlatformStatus,
            transitions=(Transition("x", ("active",), "closed", STAFF, "x"),),
        )
    with pytest.raises(ValueError, match="declared twice"):
        Workflow(
            model="platforms.platform",
            states=PlatformStatus,
            transitions=(
                Transition("x", ("active",), "warned", STAFF, "x"),
                Transition("x", ("warned",), "active", STAFF, "x"),
            ),
        )


def test_registration_is_one_workflow_per_model():
    with pytest.raises(LookupError):
        workflow_for(Platform)
    register(WORKFLOW)
    try:
        assert workflow_for(Platform) is WORKFLOW
        register(WORKFLOW)  # idempotent
        other = Workflow(model="platforms.platform", states=PlatformStatus, transitions=())
        with pytest.raises(ValueError, match="already registered"):
            register(other)
    finally:
        from kechuang.core import workflow

        workflow._REGISTRY.pop("platforms.platform")
