"""Real parallel clients against PostgreSQL: row locks and unique constraints under a race.

Every worker is a thread with its own database connection; the test database is committed to
(``transaction=True``) so that the workers see each other's writes.
"""

from __future__ import annotations

import threading
import time
from decimal import Decimal

from django.db import transaction
from django.urls import reverse

from kechuang.core.exceptions import ValidationFailed
from kechuang.core.models import AuditEvent
from kechuang.core.testing import client_for
from kechuang.core.testing.concurrency import POSTGRES_PARALLEL, in_parallel
from kechuang.core.testing.factories import OrganizationFactory, UserFactory
from kechuang.orgs.models import EnterpriseYear, Organization
from kechuang.orgs.services import enterprise_year_save, organization_create

pytestmark = POSTGRES_PARALLEL

WORKERS = 8
USCC = "91350100M000100Y43"


def facts(i: int) -> dict:
    return {"employees": 100 + i, "rd_staff": 10 + i, "revenue": Decimal(1000 * (i + 1))}


def test_concurrent_saves_of_one_year_make_one_row():
    org = OrganizationFactory()
    actor = UserFactory()
    outcomes = in_parallel(
        lambda i: enterprise_year_save(actor=actor, organization=org, year=2024, **facts(i)),
        WORKERS,
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    record = EnterpriseYear.objects.get(organization=org, year=2024)
    stored = {"employees": record.employees, "rd_staff": record.rd_staff, "revenue": record.revenue}
    assert stored in [facts(i) for i in range(WORKERS)]
    assert {o.pk for o in outcomes} == {record.pk}
    verbs = list(AuditEvent.objects.values_list("verb", flat=True))
    assert verbs.count("enterprise_year.created") == 1
    assert verbs.count("enterprise_year.updated") == WORKERS - 1


def test_concurrent_api_posts_of_one_year():
    org = OrganizationFactory()
    user = UserFactory()
    url = reverse("api:enterprise-year-list")

    def post(i):
        body = {"organization": org.pk, "year": 2023, **facts(i)}
        return client_for(user).post(url, body, format="json")

    responses = in_parallel(post, WORKERS)
    assert [r.status_code for r in responses] == [201] * WORKERS, responses
    assert EnterpriseYear.objects.filter(organization=org).count() == 1


def test_second_writer_blocked_on_the_unique_uscc_gets_a_duplicate_error():
    """The first writer holds its insert uncommitted while the second passes the pre-check and
    blocks on the unique index; when the first commits, the second must answer "duplicate"."""
    actor = UserFactory()
    inserted = threading.Event()
    data = {"uscc": USCC, "name": "凤台并发科技有限公司", "division_code": "340421"}

    def work(i):
        if i == 0:
            with transaction.atomic():
                org = organization_create(actor=actor, **data)
                inserted.set()
                time.sleep(0.5)  # the second writer reaches its INSERT and waits on our lock
            return org
        assert inserted.wait(timeout=10)
        return organization_create(actor=actor, **data)

    first, second = in_parallel(work, 2)
    assert isinstance(first, Organization), first
    assert isinstance(second, ValidationFailed), second
    assert (second.code, second.field) == ("duplicate", "uscc")
    assert Organization.objects.filter(uscc=USCC).count() == 1


def test_concurrent_api_creates_with_one_uscc():
    user = UserFactory()
    url = reverse("api:organization-list")
    body = {"uscc": USCC, "name": "凤台并发科技有限公司", "division_code": "340421"}
    responses = in_parallel(lambda i: client_for(user).post(url, body, format="json"), WORKERS)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [400] * (WORKERS - 1), [r.content for r in responses]
    assert {r.json()["code"] for r in responses if r.status_code == 400} == {"duplicate"}
    assert Organization.objects.filter(uscc=USCC).count() == 1
