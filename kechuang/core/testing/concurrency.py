"""Real parallel clients against PostgreSQL: what proves row locks and unique constraints.

A module of such tests sets ``pytestmark = POSTGRES_PARALLEL`` and uses :func:`in_parallel`;
every worker is a thread with its own database connection, and the test database is committed to
(``transaction=True``) so that the workers see each other's writes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection

POSTGRES_PARALLEL = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL (DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True),  # divisions reloaded by conftest.py
]


def in_parallel(work: Callable[[int], object], workers: int, *, timeout: float = 60) -> list:
    """Run ``work(i)`` in ``workers`` threads released together; each one's result or the
    exception it raised."""
    barrier = threading.Barrier(workers)
    outcomes: list = [None] * workers

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each worker raised
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a worker is stuck"
    return outcomes
