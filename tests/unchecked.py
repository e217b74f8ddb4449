"""Rows as they could be stored before the site checked its date range (or written around it)."""

from __future__ import annotations

from django.db import connection


def store_unchecked(queryset, **values) -> None:
    """UPDATE the rows with dates the range constraints refuse, as data from before them would hold.

    PostgreSQL: the model's range constraints are dropped inside the test's transaction, so the
    rollback at the end of the test puts them back. SQLite: its check constraints are ignored for the
    one statement.
    """
    model = queryset.model
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # ALTER TABLE waits for no deferred foreign-key check of the rows the test just made.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for constraint in model._meta.constraints:
                if constraint.name.endswith("_in_range"):
                    cursor.execute(f'ALTER TABLE "{model._meta.db_table}" DROP CONSTRAINT "{constraint.name}"')
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        queryset.update(**values)
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = ON")
    try:
        queryset.update(**values)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")
