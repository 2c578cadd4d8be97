"""The detail view every registry page uses, and the history panel shown on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import Http404
from django.views.generic import DetailView

from kechuang.core.audit import events_for
from kechuang.core.scoping import REGISTRY_READERS
from kechuang.core.templatetags.kechuang import EMPTY
from kechuang.core.workflow import history as transition_history
from kechuang.core.workflow import workflow_for

from .access import RoleRequiredMixin

HISTORY_LIMIT = 50
HISTORY_TYPES = {"+": "创建", "~": "修改", "-": "删除"}
EVENT_ACTIONS = {
    "created": "创建",
    "updated": "修改",
    "deleted": "删除",
    "imported": "导入",
    "registered": "登记",
    "revoked": "撤销",
}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: Any
    who: str
    action: str
    subject: str = ""
    changes: list[FieldChange] = field(default_factory=list)


def _display(model_field: models.Field, value: Any, related: dict) -> str:
    if value is None or value == "":
        return EMPTY
    if model_field.is_relation:
        obj = related.get((model_field.related_model, value))
        return str(obj) if obj is not None else f"#{value}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def history_entries(obj: models.Model, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The object's simple_history records, newest first: who, when, which fields old → new."""
    manager = getattr(obj, "history", None)
    if manager is None:
        return []
    return _entries(manager.all(), type(obj), limit)


def related_history_entries(
    model: type[models.Model],
    *,
    subject: Callable[[Any], str],
    limit: int = HISTORY_LIMIT,
    **filters,
) -> list[HistoryEntry]:
    """History of every ``model`` record matching ``filters`` (e.g. an organization's yearly
    facts), each entry naming its record with ``subject(historical_record)``."""
    return _entries(model.history.filter(**filters), model, limit, subject)


def merge_history(*lists: list[HistoryEntry], limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    entries = [entry for entries in lists for entry in entries]
    return sorted(entries, key=lambda e: e.when, reverse=True)[:limit]


def _entries(
    history: models.QuerySet,
    model: type[models.Model],
    limit: int,
    subject: Callable[[Any], str] | None = None,
) -> list[HistoryEntry]:
    records = list(
        history.select_related("history_user").order_by("-history_date", "-pk")[: limit + 1]
    )
    # Each record is compared with the next older record of the same object (``id`` is the
    # object's primary key, ``history_id`` the record's own).
    older: dict[int, Any] = {}
    last_seen: dict[Any, Any] = {}
    for record in reversed(records):
        older[record.history_id] = last_seen.get(record.id)
        last_seen[record.id] = record
    deltas = [
        (
            record,
            record.diff_against(older[record.history_id]) if older[record.history_id] else None,
        )
        for record in records
    ][:limit]
    # Foreign keys are stored as ids: fetch the related objects with one query per model.
    wanted: dict[type[models.Model], set] = {}
    for _record, delta in deltas:
        for change in delta.changes if delta else ():
            model_field = model._meta.get_field(change.field)
            if model_field.is_relation:
                ids = wanted.setdefault(model_field.related_model, set())
                ids.update(v for v in (change.old, change.new) if v is not None)
    related = {
        (related_model, pk): instance
        for related_model, ids in wanted.items()
        for pk, instance in related_model._default_manager.in_bulk(ids).items()
    }
    entries = []
    for record, delta in deltas:
        user = record.history_user
        entry = HistoryEntry(
            when=record.history_date,
            who=str(user) if user else "系统",
            action=HISTORY_TYPES.get(record.history_type, record.history_type),
            subject=subject(record) if subject else "",
        )
        for change in delta.changes if delta else ():
            model_field = model._meta.get_field(change.field)
            entry.changes.append(
                FieldChange(
                    label=str(model_field.verbose_name),
                    old=_display(model_field, change.old, related),
                    new=_display(model_field, change.new, related),
                )
            )
        entries.append(entry)
    return entries


def event_action(verb: str) -> str:
    """``organization.updated`` → 修改"""
    return EVENT_ACTIONS.get(verb.rsplit(".", 1)[-1], verb)


def _event_detail(obj: models.Model, name: str, value: Any) -> tuple[str, str]:
    """An event's ``data`` item as (field label, readable value): choices by label, 是/否."""
    try:
        model_field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return name, str(value)
    if model_field.choices:
        value = dict(model_field.flatchoices).get(value, value)
    elif isinstance(model_field, models.BooleanField):
        value = {"True": "是", "False": "否"}.get(str(value), value)
    elif value in (None, "", "None"):
        value = EMPTY
    return str(model_field.verbose_name), str(value)


EventDetail = Callable[[models.Model, str, Any], "tuple[str, str] | None"]


def _step_details(workflow, data: dict) -> list[tuple[str, str]]:
    states = workflow.states
    details = []
    if data.get("from") in states.values and data.get("to") in states.values:
        details.append(("状态", f"{states(data['from']).label} → {states(data['to']).label}"))
    if data.get("note"):
        details.append(("说明", data["note"]))
    return details


def audit_events(
    obj: models.Model,
    limit: int = HISTORY_LIMIT,
    *,
    with_steps: bool = True,
    labels: dict[str, str] | None = None,
    detail: EventDetail = _event_detail,
) -> list[dict]:
    """The domain events services wrote about the object, newest first, readable.

    A workflow step shows by its label with the state change and the note (``with_steps=False``
    leaves steps out where the page shows the transition log). Other events are named by
    ``labels`` (the whole verb or its last part) or the shared actions; their data items pass
    through ``detail`` (returning None hides an item)."""
    try:
        workflow = workflow_for(obj)
    except LookupError:
        workflow = None
    labels = labels or {}
    rows = []
    for event in events_for(obj)[:limit]:
        data = event.data or {}
        action = event.verb.rsplit(".", 1)[-1]
        step = workflow.get(action) if workflow and action in workflow.actions else None
        if step is not None:
            if not with_steps:
                continue
            label, details = step.label, _step_details(workflow, data)
        else:
            label = labels.get(event.verb) or labels.get(action) or event_action(event.verb)
            details = [d for d in (detail(obj, k, v) for k, v in data.items()) if d is not None]
        rows.append(
            {
                "when": event.occurred_at,
                "who": str(event.actor) if event.actor else "系统",
                "action": label,
                "verb": event.verb,
                "details": details,
            }
        )
    return rows


def workflow_steps(obj: models.Model) -> list[dict]:
    """The transition log of ``obj``, oldest first: each step by its label, the states by
    theirs (shown with ``includes/workflow_steps.html``)."""
    workflow = workflow_for(obj)
    states = dict(workflow.states.choices)
    return [
        {
            "when": log.occurred_at,
            "who": str(log.actor) if log.actor else "系统",
            "label": workflow.get(log.action).label
            if log.action in workflow.actions
            else log.action,
            "source": states.get(log.source, log.source),
            "target": states.get(log.target, log.target),
            "note": log.note,
        }
        for log in transition_history(obj).select_related("actor")
    ]


class ScopedDetailView(RoleRequiredMixin, DetailView):
    """Detail page: the object comes from ``selector(user)``, so out of scope is 404."""

    read_roles = REGISTRY_READERS
    selector: Callable[[Any], models.QuerySet] | None = None
    show_history = True
    show_events = True
    event_steps = True  # False where the page shows the transition log itself
    event_labels: dict[str, str] = {}

    def get_queryset(self) -> models.QuerySet:
        return type(self).selector(self.request.user)

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        try:
            return queryset.get(pk=self.kwargs["pk"])
        except (queryset.model.DoesNotExist, ValueError) as exc:
            raise Http404("记录不存在") from exc

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.show_history:
            context["history"] = history_entries(self.object)
        if self.show_events:
            context["events"] = audit_events(
                self.object,
                with_steps=self.event_steps,
                labels=self.event_labels,
                detail=self.event_detail,
            )
        return context

    def event_detail(self, obj: models.Model, name: str, value: Any) -> tuple[str, str] | None:
        """One item of an event's data as (label, value); None hides it."""
        return _event_detail(obj, name, value)
