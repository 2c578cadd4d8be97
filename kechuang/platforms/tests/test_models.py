"""Platforms: constraints and protection of their host."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from kechuang.core.testing.factories import PlatformFactory

pytestmark = pytest.mark.django_db


def test_a_host_has_one_platform_of_a_kind_and_name():
    platform = PlatformFactory(name="工程技术研究中心")
    with pytest.raises(IntegrityError), transaction.atomic():
        PlatformFactory(host=platform.host, kind=platform.kind, name=platform.name)
    other_kind = PlatformFactory(host=platform.host, kind="key_lab", name=platform.name)
    assert other_kind.pk != platform.pk


@pytest.mark.parametrize("code", ["3404", "abcdef"])
def test_division_code_has_six_digits(code):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlatformFactory(division_code=code)


def test_host_with_platforms_cannot_be_deleted():
    platform = PlatformFactory()
    with pytest.raises(ProtectedError):
        platform.host.delete()


def test_defaults_and_history():
    platform = PlatformFactory(name="淮南孵化器")
    assert (str(platform), platform.status) == ("淮南孵化器", "active")
    assert platform.division_code == platform.host.division_code
    assert platform.history.count() == 1
