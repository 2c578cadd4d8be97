"""Declarative workflows: states, transitions, guards and roles, driven by one service.

An app declares its workflows as data in ``<app>/workflows.py``::

    CLAIM_WORKFLOW = register(
        Workflow(
            model="vouchers.voucherclaim",
            states=ClaimStatus,
            transitions=(
                Transition("approve", ("applied",), "approved", STAFF, "批准",
                           guards=(within_budget,), effect=open_quota),
                Transition("reject", ("applied",), "rejected", STAFF, "不予批准", needs_note=True),
            ),
        )
    )

and every state change, whoever asks for it, goes through :func:`transition`::

    transition(obj=claim, action="approve", actor=user, note="")

which, in one database transaction:

1. locks the object's row (``select_for_update``) and re-reads it, so that two clerks pressing
   the same button one after the other do not both move it;
2. checks, in this order, that the action exists (``unknown_action``, 400), that the actor's
   role may take it (``permission_denied``, 403), that the object lies in the actor's scope
   (404, as everywhere), that the object is in one of the action's source states
   (``invalid_state``, 409), that a note is given when the action needs one (``note_required``),
   and finally the action's guards (each raises an ``ApplicationError`` with its own code);
3. sets the state field, saves the row and runs the action's ``effect`` (e.g. opening a quota);
4. writes a :class:`~kechuang.core.models.TransitionLog` row and an audit event
   ``<workflow>.<action>``;
5. queues :data:`transition_committed` with ``transaction.on_commit``: notifications (mail,
   messages, tasks) listen to that signal and so never fire for a rolled-back change.

Guards and effects are plain functions ``(obj, actor, note) -> None``. There is no metaclass
and no dynamic method generation: grep for ``"approve"`` to find every place an approval can
happen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dc_field

from django.db import models, transaction
from django.db.models import Q
from django.dispatch import Signal

from .audit import record_event
from .exceptions import ApplicationError, Conflict, NotInScope, RoleNotAllowed, ValidationFailed
from .scoping import Roles, scope_q

Hook = Callable[[models.Model, object, str], None]

# Sent after the transaction that moved an object commits: sender = the model class;
# kwargs: obj, workflow, action, source, target, actor, note, log.
transition_committed = Signal()


@dataclass(frozen=True)
class Transition:
    """One action: from any of ``sources`` to ``target``, for ``roles``."""

    action: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    label: str
    guards: tuple[Hook, ...] = ()
    effect: Hook | None = None
    needs_note: bool = False

    def allows_role(self, actor) -> bool:
        return bool(actor.is_superuser or actor.role == Roles.ADMIN or actor.role in self.roles)


@dataclass(frozen=True)
class Workflow:
    """The states of ``model`` (``app_label.modelname``) held in ``field`` and its transitions."""

    model: str
    states: type[models.TextChoices]
    transitions: tuple[Transition, ...]
    field: str = "status"
    # The rows the actor may move: ``scope(model, actor) -> Q`` (default: the model's SCOPE);
    # None with ``scoped=False`` for unscoped models.
    scope: Callable[[type[models.Model], object], Q] | None = None
    scoped: bool = True
    name: str = ""
    _by_action: dict[str, Transition] = dc_field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", self.model.split(".")[-1])
        values = set(self.states.values)
        for item in self.transitions:
            unknown = (set(item.sources) | {item.target}) - values
            if unknown:
                raise ValueError(f"{self.name}.{item.action}: unknown states {sorted(unknown)}")
            if item.action in self._by_action:
                raise ValueError(f"{self.name}: action {item.action} declared twice")
            self._by_action[item.action] = item

    @property
    def actions(self) -> list[str]:
        return list(self._by_action)

    def get(self, action: str) -> Transition:
        try:
            return self._by_action[action]
        except KeyError:
            raise ValidationFailed(
                f"未知的操作 {action}", code="unknown_action", field="action"
            ) from None

    def state_of(self, obj: models.Model) -> str:
        return getattr(obj, self.field)

    def available(self, obj: models.Model, actor, note: str = "x") -> list[Transition]:
        """The transitions ``actor`` may take on ``obj`` now (roles, state and guards pass)."""
        found = []
        for item in self.transitions:
            if not item.allows_role(actor) or self.state_of(obj) not in item.sources:
                continue
            try:
                for guard in item.guards:
                    guard(obj, actor, note)
            except ApplicationError:
                continue
            found.append(item)
        return found


_REGISTRY: dict[str, Workflow] = {}


def register(workflow: Workflow) -> Workflow:
    """Make ``workflow`` the one :func:`transition` uses for its model."""
    existing = _REGISTRY.get(workflow.model)
    if existing is not None and existing is not workflow:
        raise ValueError(f"a workflow is already registered for {workflow.model}")
    _REGISTRY[workflow.model] = workflow
    return workflow


def workflow_for(obj_or_model) -> Workflow:
    label = obj_or_model._meta.label_lower
    try:
        return _REGISTRY[label]
    except KeyError:
        raise LookupError(f"no workflow registered for {label}") from None


def registered() -> Iterable[Workflow]:
    return _REGISTRY.values()


def transition(*, obj: models.Model, action: str, actor, note: str = "", workflow=None):
    """Take ``action`` on ``obj`` as ``actor``; returns ``obj`` as saved (refreshed in place)."""
    from .models import TransitionLog

    workflow = workflow or workflow_for(obj)
    note = (note or "").strip()
    step = workflow.get(action)
    if not step.allows_role(actor):
        raise RoleNotAllowed(f"您的角色无权执行“{step.label}”")
    model = type(obj)
    with transaction.atomic():
        rows = model._default_manager.select_for_update().filter(pk=obj.pk)
        if workflow.scoped:
            visible = (workflow.scope or scope_q)(model, actor)
            rows = rows.filter(pk__in=model._default_manager.filter(visible).values("pk"))
        current = rows.first()
        if current is None:
            raise NotInScope("未找到")
        source = workflow.state_of(current)
        if source not in step.sources:
            label = workflow.states(source).label if source in workflow.states.values else source
            raise Conflict(f"当前状态“{label}”不能执行“{step.label}”", code="invalid_state")
        if step.needs_note and not note:
            raise ValidationFailed(f"“{step.label}”须说明理由", code="note_required", field="note")
        for guard in step.guards:
            guard(current, actor, note)
        setattr(current, workflow.field, step.target)
        current._history_user = actor
        current.save()
        if step.effect is not None:
            step.effect(current, actor, note)
        log = TransitionLog.objects.create(
            workflow=workflow.name,
            object_type=current._meta.label_lower,
            object_id=str(current.pk),
            action=action,
            source=source,
            target=step.target,
            actor=actor if getattr(actor, "pk", None) else None,
            note=note,
        )
        record_event(
            actor=actor,
            verb=f"{workflow.name}.{action}",
            obj=current,
            data={"from": source, "to": step.target, "note": note},
        )
        transaction.on_commit(
            lambda: transition_committed.send(
                sender=model,
                obj=current,
                workflow=workflow,
                action=action,
                source=source,
                target=step.target,
                actor=actor,
                note=note,
                log=log,
            )
        )
    obj.refresh_from_db()
    return obj


def history(obj: models.Model):
    """The transition log of ``obj``, oldest first."""
    from .models import TransitionLog

    return TransitionLog.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).order_by("occurred_at", "id")
