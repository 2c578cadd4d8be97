"""Bulletins of one series published at the same time get distinct issue numbers (PostgreSQL:
real parallel connections; SQLite serialises writers anyway)."""

from kechuang.bulletins import services
from kechuang.bulletins.models import Bulletin
from kechuang.core.scoping import Roles
from kechuang.core.testing.concurrency import POSTGRES_PARALLEL, in_parallel
from kechuang.core.testing.factories import UserFactory

from .conftest import city_source

pytestmark = POSTGRES_PARALLEL

WORKERS = 6


def test_parallel_publications_take_consecutive_issue_numbers():
    bureau = UserFactory(role=Roles.BUREAU, division_code="340400")
    drafts = [
        services.bulletin_generate(
            actor=bureau, division_code="340400", period="2023", source=city_source()
        )
        for _ in range(WORKERS)
    ]
    outcomes = in_parallel(
        lambda i: services.bulletin_publish(actor=bureau, bulletin=drafts[i]), WORKERS
    )
    assert all(isinstance(o, Bulletin) for o in outcomes), outcomes
    numbers = sorted(Bulletin.objects.values_list("issue_number", flat=True))
    assert numbers == list(range(1, WORKERS + 1))
