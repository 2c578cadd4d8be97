"""Bulletins of one series published at the same time get distinct issue numbers (PostgreSQL:
real parallel connections; SQLite serialises writers anyway)."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from kechuang.bulletins import services
from kechuang.bulletins.models import Bulletin
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import UserFactory
from kechuang.regions.models import Division
from kechuang.regions.services import divisions_load

from .conftest import city_source

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL (DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True),
]

WORKERS = 6


@pytest.fixture(autouse=True)
def divisions():
    """A transactional test empties every table when it ends, the migrated divisions too."""
    if not Division.objects.filter(code="340400").exists():
        divisions_load()


def test_parallel_publications_take_consecutive_issue_numbers():
    bureau = UserFactory(role=Roles.BUREAU, division_code="340400")
    drafts = [
        services.bulletin_generate(
            actor=bureau, division_code="340400", period="2023", source=city_source()
        )
        for _ in range(WORKERS)
    ]
    barrier = threading.Barrier(WORKERS)
    outcomes: list = [None] * WORKERS

    def publish(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[i] = services.bulletin_publish(actor=bureau, bulletin=drafts[i])
        except Exception as exc:  # noqa: BLE001 - the test inspects what each worker raised
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(isinstance(o, Bulletin) for o in outcomes), outcomes
    numbers = sorted(Bulletin.objects.values_list("issue_number", flat=True))
    assert numbers == list(range(1, WORKERS + 1))
