import pytest
from django.db import connection

from kechuang.core.db import analyze
from kechuang.core.testing.factories import OrganizationFactory
from kechuang.orgs.models import Organization


@pytest.mark.django_db(transaction=True)
def test_analyze_refreshes_planner_statistics_after_commit():
    OrganizationFactory.create_batch(3)
    analyze(Organization)  # outside a transaction: runs at once
    table = Organization._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = %s",
                [table],
            )
            assert cursor.fetchone() == (True,)
        else:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
            assert cursor.fetchone()[0] >= 1
