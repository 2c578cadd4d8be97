"""Writes to users and their API tokens."""

from __future__ import annotations

from django.db import transaction
from rest_framework.authtoken.models import Token

from kechuang.core.audit import record_event
from kechuang.core.exceptions import ValidationFailed
from kechuang.core.scoping import ORG_ROLES, Roles, division_prefix
from kechuang.regions.models import Zone
from kechuang.regions.selectors import division_exists

from .models import User


@transaction.atomic
def user_create(
    *,
    actor=None,
    username: str,
    role: str,
    password: str | None = None,
    division_code: str = "",
    zone: Zone | None = None,
    organization=None,
    display_name: str = "",
) -> User:
    if role not in Roles.values:
        raise ValidationFailed(f"未知角色 {role}；可选：{', '.join(Roles.values)}", field="role")
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(f"用户名 {username} 已存在", code="duplicate", field="username")
    if division_code:
        division_code = division_code.ljust(6, "0") if len(division_code) < 6 else division_code
        if not division_exists(division_code):
            raise ValidationFailed(f"未知的行政区划代码 {division_code}", field="division_code")
    if role == Roles.BUREAU and not division_code:
        raise ValidationFailed("科技局用户须指定管辖行政区划（--division）", field="division_code")
    if role == Roles.ZONE and zone is None:
        raise ValidationFailed("园区用户须指定园区（--zone）", field="zone")
    if role in {Roles.ENTERPRISE, Roles.UNIVERSITY, Roles.PROVIDER} and organization is None:
        raise ValidationFailed("机构用户须指定所属机构（--org）", field="organization")
    user = User(
        username=username,
        role=role,
        division_code=division_code,
        zone=zone,
        organization=organization if role in ORG_ROLES else None,
        display_name=display_name,
        is_staff=role == Roles.ADMIN,
        is_superuser=role == Roles.ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record_event(
        actor=actor,
        verb="user.created",
        obj=user,
        data={
            "role": role,
            "scope": division_prefix(division_code) or str(zone or organization or ""),
        },
    )
    return user


def token_for(user: User) -> str:
    token, _ = Token.objects.get_or_create(user=user)
    return token.key
