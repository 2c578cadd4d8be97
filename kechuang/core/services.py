"""The last step of every registry write: validate, save with its history user, audit."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction

from .audit import record_event
from .exceptions import ValidationFailed


def save_new(obj: models.Model, *, actor, verb: str, duplicate: str | None = None):
    """Validate and insert ``obj``; record ``verb``.

    ``duplicate`` names the field of a unique key that a concurrent writer may have taken
    between the service's check and the insert: the clash then answers ``duplicate`` on that
    field instead of a server error.
    """
    obj.clean_for_save(validate_unique=False)
    _save(obj, actor, duplicate)
    record_event(actor=actor, verb=verb, obj=obj)
    return obj


def save_changes(
    obj: models.Model, changes: dict[str, Any], *, actor, verb: str, duplicate: str | None = None
) -> dict[str, Any]:
    """Apply the ``changes`` that differ from ``obj``; when any, validate, save and record
    ``verb`` with the changed values. Returns what changed (nothing written when empty)."""
    changed = {k: v for k, v in changes.items() if getattr(obj, k) != v}
    if not changed:
        return changed
    for key, value in changed.items():
        setattr(obj, key, value)
    obj.clean_for_save(validate_unique=False)
    _save(obj, actor, duplicate)
    record_event(actor=actor, verb=verb, obj=obj, data={k: str(v) for k, v in changed.items()})
    return changed


def _save(obj: models.Model, actor, duplicate: str | None) -> None:
    obj._history_user = actor
    if duplicate is None:
        obj.save()
        return
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        value = getattr(obj, duplicate)
        taken = type(obj)._default_manager.filter(**{duplicate: value}).exclude(pk=obj.pk)
        if not taken.exists():
            raise
        label = obj._meta.get_field(duplicate).verbose_name
        raise ValidationFailed(
            f"{label} {value} 已被其他记录使用", code="duplicate", field=duplicate
        ) from None
