"""Program outcomes report benchmark: the cohort report's time for 50 and 5,000 students, and its
SQL query count (the same for both).

Uses a throwaway PostgreSQL database it creates and drops.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DB_NAME = f"bench_outcomes_{os.getpid()}"  # never the same as a concurrent run's
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
SIZES = (50, 5000)


def database_url(name: str) -> str:
    base = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return base._replace(path=f"/{name}").geturl()


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(sql)


def fill_school(size: int):
    from accounts.models import User
    from schools.models import Membership, Role, School
    from tests.schools.outcome_population import populate

    school = School.objects.create(name=f"School {size}", slug=f"school-{size}")
    director = User.objects.create_user(f"director{size}@example.com", password=None)
    Membership.objects.create(school=school, user=director, role=Role.SCHOOL_ADMIN)
    return director, populate(school, size)


def measure(client, url: str) -> tuple[float, int]:
    """(seconds to build the report, its SQL queries)."""
    from django.db import connection

    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    assert client.get(url).status_code == 200
    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    started = time.perf_counter()
    for _ in range(REPEATS):
        assert client.get(url).status_code == 200
    return (time.perf_counter() - started) / REPEATS, len(statements)


def main() -> None:
    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    admin_sql(f"CREATE DATABASE {DB_NAME}")
    os.environ["DATABASE_URL"] = database_url(DB_NAME)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    results = {}
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
        subprocess.run([sys.executable, "manage.py", "load_ladder"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        import django

        django.setup()
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        for size in SIZES:
            director, cohort = fill_school(size)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a real database
            client = Client()
            client.force_login(director)
            page = measure(client, reverse("schools:outcomes", args=[cohort.school.slug, cohort.pk]))
            csv = measure(client, reverse("schools:outcomes-csv", args=[cohort.school.slug, cohort.pk]))
            results[size] = (page, csv)
        from django.db import connections

        connections.close_all()
    finally:
        admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    print(f"program outcomes report, {REPEATS} requests each (test client through the full middleware, PostgreSQL):")
    for size, ((page, page_queries), (csv, csv_queries)) in results.items():
        print(
            f"  {size:5} students: page {page * 1000:8.1f} ms, {page_queries} SQL queries; "
            f"CSV {csv * 1000:8.1f} ms, {csv_queries} SQL queries (the session and the person included)"
        )
    small, large = results[SIZES[0]][0], results[SIZES[-1]][0]
    print(
        f"  ratio {SIZES[-1]}/{SIZES[0]}: {large[0] / small[0]:.1f}x time for {SIZES[-1] // SIZES[0]}x students, "
        f"same query count: {large[1] == small[1]}"
    )


if __name__ == "__main__":
    main()
