"""Options several commands share."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def user_option(username: str):
    """The user named by ``--user`` (whose scope the command works in), or None when empty."""
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"用户不存在：{username}") from None
