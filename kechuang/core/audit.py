"""Domain events written by services. The actor is passed in, never read from a thread-local."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEvent


def record_event(*, actor, verb: str, obj: models.Model, data: dict[str, Any] | None = None):
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        data=data or {},
    )


def events_for(obj: models.Model):
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
