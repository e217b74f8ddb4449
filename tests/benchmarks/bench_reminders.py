"""Reminder sweep benchmark: 100,000 and 1,000,000 held credentials in PostgreSQL.

For each size, in one run on one database:
- a renewal rule change: the time to mark every holder stale (one statement) and the time of the
  bulk replan the next sweep does for all of them (every person's plan made again);
- the sweep of a day on which about one credential in nine is due, against a hand-written
  ``INSERT … SELECT … ON CONFLICT DO NOTHING`` of the same due rows, straight from the held
  credentials (committed like the sweep's, then deleted so the sweep inserts the same rows): the
  ratio is the figure to watch (target: at most 2);
- a rerun with nothing due, and the next day's sweep (the steady state: what one day brings).

Uses a throwaway database it creates and drops; rows are generated set-based with generate_series.

    BENCH_SIZES=100000,1000000 python tests/benchmarks/bench_reminders.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "100000,1000000").split(",")]
DB_NAME = f"bench_reminders_{os.getpid()}"
NOW = dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC)  # 09:00 in Chicago: the local date is Nov 25

# One user, one profile and one CPC held per row; cycle ends spread over the next two years so about
# one in eight is within 90 days; every tenth person has logged enough CEUs.
GENERATE = """
INSERT INTO accounts_user (password, is_superuser, first_name, last_name, is_staff, is_active, date_joined, email)
SELECT '!', false, '', '', false, true, now(), 'bench' || n || '@example.com' FROM generate_series(1, {n}) AS n;
INSERT INTO accounts_profile (user_id, time_zone, reminder_emails, apprentice_education_credits, updated_at)
SELECT id, 'America/Chicago', true, 0, now() FROM accounts_user;
INSERT INTO roadmap_heldcredential (user_id, credential_id, earned_on, cycle_ends_on, end_reason, created_at)
SELECT u.id, (SELECT id FROM content_credential WHERE code = 'CPC'), DATE '2023-01-01',
       DATE '2026-11-26' + (u.id % 730)::int, '', now()
FROM accounts_user u;
INSERT INTO ceu_ceuentry (user_id, completed_on, hours, activity, provider, category, created_at, updated_at)
SELECT user_id, DATE '2026-01-15', 40, 'Conference', '', 'general', now(), now()
FROM roadmap_heldcredential WHERE user_id % 10 = 0;
INSERT INTO ceu_ceuentry_credentials (ceuentry_id, heldcredential_id)
SELECT e.id, h.id FROM ceu_ceuentry e JOIN roadmap_heldcredential h ON h.user_id = e.user_id;
ANALYZE;
"""
# The same due rows, written by hand for this data (one time zone, one credential, CEUs either none
# or enough): the threshold crossed on the local date, Nov 25.
HAND_WRITTEN_INSERT = """
INSERT INTO ceu_reminder (user_id, held_id, kind, due_on, threshold, status, attempts, last_error, created_at)
SELECT h.user_id, h.id, 'renewal', h.cycle_ends_on,
       CASE WHEN h.cycle_ends_on < DATE '2026-11-25' THEN 0
            WHEN h.cycle_ends_on - DATE '2026-11-25' <= 7 THEN 7
            WHEN h.cycle_ends_on - DATE '2026-11-25' <= 30 THEN 30
            WHEN h.cycle_ends_on - DATE '2026-11-25' <= 60 THEN 60
            ELSE 90 END,
       'pending', 0, '', now()
FROM roadmap_heldcredential h
JOIN accounts_profile p ON p.user_id = h.user_id AND p.reminder_emails
WHERE h.ended_on IS NULL AND h.cycle_ends_on <= DATE '2026-11-25' + 90
  AND NOT EXISTS (SELECT 1 FROM ceu_ceuentry e WHERE e.user_id = h.user_id)
ON CONFLICT DO NOTHING
"""

SCRIPT = """
import datetime as dt, json, time, django
django.setup()
from django.db import connection, transaction
from ceu import sweep
from ceu.models import PlannedReminder
from content.models import RenewalRule

now = dt.datetime.fromisoformat({now!r})
with connection.cursor() as cursor:
    cursor.execute({generate!r})


def timed(work):
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def hand_written(*, keep):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute({hand_written!r})
            inserted = cursor.rowcount
        transaction.set_rollback(not keep)
    return inserted


def without_hand_written_rows():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ceu_reminder")
        cursor.execute("VACUUM ANALYZE ceu_reminder")


def change_rule():
    rule = RenewalRule.objects.get(key="aapc-current")
    rule.ceus_by_count = [*rule.ceus_by_count[:-1], rule.ceus_by_count[-1] + 4]  # five or more credentials
    rule.save()


figures = {{}}
figures["mark"], _ = timed(change_rule)
figures["replan"], (replanned, skipped) = timed(lambda: sweep.replan_due(now))
figures["plan_rows"] = PlannedReminder.objects.count()
timed(lambda: hand_written(keep=False))  # once to warm the caches the sweep will also find warm
# Committed, as the sweep's rows are (the commit flushes them), then removed for the sweep to insert.
figures["hand"], figures["hand_due"] = timed(lambda: hand_written(keep=True))
without_hand_written_rows()
figures["sweep"], report = timed(lambda: sweep.sweep(now))
figures["created"] = report.created
figures["rerun"], _ = timed(lambda: sweep.sweep(now + dt.timedelta(minutes=5)))
with connection.cursor() as cursor:
    cursor.execute("VACUUM ANALYZE ceu_plannedreminder")  # what autovacuum does soon after the big day
figures["idle"], _ = timed(lambda: sweep.sweep(now + dt.timedelta(minutes=10)))
figures["next_day"], next_report = timed(lambda: sweep.sweep(now + dt.timedelta(days=1)))
figures["next_day_created"], figures["replanned"] = next_report.created, replanned
print(json.dumps(figures))
"""


def database_url(name: str) -> str:
    base = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return base._replace(path=f"/{name}").geturl()


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(sql)


def run(size: int) -> dict:
    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    admin_sql(f"CREATE DATABASE {DB_NAME}")
    env = {**os.environ, "DATABASE_URL": database_url(DB_NAME)}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "load_ladder"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    script = SCRIPT.format(now=NOW.isoformat(), generate=GENERATE.format(n=size), hand_written=HAND_WRITTEN_INSERT)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"the sweep run failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    rows = []
    try:
        for size in SIZES:
            rows.append((size, run(size)))
    finally:
        admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    print("reminder sweep over held credentials (PostgreSQL, one process):")
    print(
        f"{'held':>10} {'due':>8} {'sweep s':>8} {'hand SQL s':>10} {'ratio':>6} {'rerun ms':>9} {'idle ms':>8}"
        f" {'next day s':>10} {'next due':>8} {'mark s':>7} {'replan s':>9} {'plan rows':>10}"
    )
    for size, f in rows:
        assert f["created"] == f["hand_due"], f"the sweep created {f['created']}, the hand-written SQL {f['hand_due']}"
        print(
            f"{size:>10,} {f['created']:>8,} {f['sweep']:8.3f} {f['hand']:10.3f} {f['sweep'] / f['hand']:5.2f}x"
            f" {f['rerun'] * 1000:9.1f} {f['idle'] * 1000:8.1f} {f['next_day']:10.3f} {f['next_day_created']:>8,}"
            f" {f['mark']:7.2f} {f['replan']:9.1f} {f['plan_rows']:>10,}"
        )
    print(
        "(sweep: the due day's sweep, all of it; hand SQL: one INSERT ... SELECT of the same rows; rerun: the same"
        " day again, nothing due, before vacuum; idle: nothing due after vacuum; next day: the following day's"
        " sweep; mark: a renewal rule change marks every holder; replan: the next sweep plans them all again)"
    )


if __name__ == "__main__":
    main()
