"""Reminder sweep benchmark: 100,000 and 1,000,000 held credentials in PostgreSQL.

Prints seconds and rows per second for ceu.services.sweep, and the ratio to a bare SQL query that
counts the same due rows (cycle ends within 90 days) in the same run. Uses a throwaway database it
creates and drops; rows are generated set-based with generate_series.

    BENCH_SIZES=100000,1000000 python tests/benchmarks/bench_reminders.py
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "100000,1000000").split(",")]
DB_NAME = "bench_reminders"
NOW = dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC)

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
BARE_COUNT = """
SELECT count(*) FROM roadmap_heldcredential h
JOIN accounts_profile p ON p.user_id = h.user_id AND p.reminder_emails
WHERE h.ended_on IS NULL AND h.cycle_ends_on <= DATE '2026-11-25' + 90
  AND NOT EXISTS (SELECT 1 FROM ceu_ceuentry e WHERE e.user_id = h.user_id)
"""


def database_url(name: str) -> str:
    base = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return base._replace(path=f"/{name}").geturl()


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(sql)


def run(size: int) -> tuple[float, int, float, int]:
    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    admin_sql(f"CREATE DATABASE {DB_NAME}")
    env = {**os.environ, "DATABASE_URL": database_url(DB_NAME)}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "load_ladder"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    script = f"""
import time, django, datetime as dt
django.setup()
from django.db import connection
from ceu import services
from ceu.models import Reminder
with connection.cursor() as cursor:
    cursor.execute({GENERATE.format(n=size)!r})
started = time.perf_counter()
with connection.cursor() as cursor:
    cursor.execute({BARE_COUNT!r})
    bare_due = cursor.fetchone()[0]
bare = time.perf_counter() - started
started = time.perf_counter()
services.sweep(dt.datetime.fromisoformat({NOW.isoformat()!r}))
sweep = time.perf_counter() - started
print(sweep, Reminder.objects.count(), bare, bare_due)
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"the sweep run failed:\n{result.stderr[-3000:]}")
    sweep, created, bare, bare_due = result.stdout.split()
    return float(sweep), int(created), float(bare), int(bare_due)


def main() -> None:
    rows = []
    try:
        for size in SIZES:
            rows.append((size, *run(size)))
    finally:
        admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    print("reminder sweep over held credentials (PostgreSQL, one process):")
    print(f"{'held':>10} {'sweep s':>9} {'rows/s':>10} {'due':>8} {'bare SQL s':>11} {'bare due':>9} {'ratio':>7}")
    for size, sweep, created, bare, bare_due in rows:
        rate = size / sweep
        print(f"{size:>10,} {sweep:9.2f} {rate:10,.0f} {created:8,} {bare:11.3f} {bare_due:9,} {sweep / bare:6.0f}x")
    print("(the sweep also computes every cycle, requirement and threshold in Python; the bare query only counts)")


if __name__ == "__main__":
    main()
