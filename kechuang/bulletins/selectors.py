"""Reads of bulletins (staff only, within their division or zone)."""

from __future__ import annotations

from django.db.models import QuerySet

from kechuang.core.scoping import visible_to

from .models import Bulletin


def bulletin_queryset(user) -> QuerySet[Bulletin]:
    """The bulletins ``user`` may see, whole (body and snapshot included)."""
    return visible_to(Bulletin.objects.select_related("zone", "created_by", "published_by"), user)


def bulletin_list(user) -> QuerySet[Bulletin]:
    """For lists: without the (large) body and snapshot."""
    return bulletin_queryset(user).defer("body", "snapshot")


def bulletin_detail(user, pk) -> Bulletin:
    """Raises Bulletin.DoesNotExist (→ 404) when out of scope."""
    return bulletin_queryset(user).get(pk=pk)
