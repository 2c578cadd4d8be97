"""Database helpers shared by bulk writers."""

from __future__ import annotations

from django.db import connection, models, transaction

# After writing this many rows in one go, refresh the planner's statistics: a table that grew
# from nothing would otherwise be planned as if it were empty (PostgreSQL then picks nested
# loops that take minutes instead of milliseconds).
ANALYZE_AFTER_ROWS = 5000


def analyze(*model_classes: type[models.Model]) -> None:
    """``ANALYZE`` the tables of ``model_classes`` (with their history tables) once the current
    transaction has committed."""
    tables = []
    for model in model_classes:
        tables.append(model._meta.db_table)
        history = getattr(model, "history", None)
        if history is not None:
            tables.append(history.model._meta.db_table)

    def run() -> None:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    transaction.on_commit(run)
