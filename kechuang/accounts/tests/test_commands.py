"""kechuang adduser / kechuang token."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kechuang.accounts.models import User
from kechuang.core.testing.factories import OrganizationFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_adduser_with_a_division():
    output = run(
        "adduser",
        "huainan",
        "--role",
        "bureau",
        "--division",
        "340400",
        "--password",
        "pass-12345",
        "--name",
        "张三",
    )
    user = User.objects.get(username="huainan")
    assert (user.role, user.division_code, user.display_name) == ("bureau", "340400", "张三")
    assert user.check_password("pass-12345")
    assert "huainan" in output and "安徽省淮南市" in output


def test_adduser_with_a_zone():
    zone = ZoneFactory(name="淮南高新区")
    output = run("adduser", "park", "--role", "zone", "--zone", str(zone.pk))
    assert User.objects.get(username="park").zone == zone
    assert "淮南高新区" in output


def test_adduser_with_an_organization():
    org = OrganizationFactory()
    run("adduser", "firm", "--role", "enterprise", "--org", org.uscc.lower())
    assert User.objects.get(username="firm").organization == org


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "zone", "--zone", "999999"], "园区 999999 不存在"),
        (["--role", "enterprise", "--org", "91350100M000100Y43"], "不存在"),
        (["--role", "bureau", "--division", "349999"], "未知的行政区划代码 349999"),
        (["--role", "bureau"], "须指定管辖行政区划"),
        (["--role", "zone"], "须指定园区"),
    ],
)
def test_adduser_errors(args, message):
    with pytest.raises(CommandError, match=message):
        run("adduser", "someone", *args)
    assert not User.objects.filter(username="someone").exists()


def test_adduser_scope_options_are_exclusive():
    with pytest.raises(CommandError):
        run("adduser", "x", "--role", "bureau", "--division", "340400", "--zone", "1")


def test_adduser_refuses_a_duplicate_username():
    UserFactory(username="taken")
    with pytest.raises(CommandError, match="已存在"):
        run("adduser", "taken", "--role", "expert")


def test_token_prints_the_same_key_twice():
    UserFactory(username="api")
    first, second = run("token", "api").strip(), run("token", "api").strip()
    assert first == second and len(first) == 40
    assert User.objects.get(username="api").auth_token.key == first


def test_token_for_unknown_user():
    with pytest.raises(CommandError, match="用户 ghost 不存在"):
        run("token", "ghost")
