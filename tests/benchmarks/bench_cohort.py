"""Cohort dashboard benchmark: the page's time for 50 and 500 students, and its SQL query count.

Uses a throwaway PostgreSQL database it creates and drops.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DB_NAME = f"bench_cohort_{os.getpid()}"  # never the same as a concurrent run's
REPEATS = int(os.environ.get("BENCH_REPEATS", "20"))


def database_url(name: str) -> str:
    base = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return base._replace(path=f"/{name}").geturl()


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(sql)


def fill_cohort(size: int):
    from accounts.models import User
    from roadmap import services as roadmap_services
    from roadmap.models import Enrollment, Roadmap, Status
    from schools import services
    from schools.models import Cohort, Membership, Role, School

    school = School.objects.create(name=f"School {size}", slug=f"school-{size}")
    instructor = User.objects.create_user(f"instructor{size}@example.com", password=None)
    Membership.objects.create(school=school, user=instructor, role=Role.INSTRUCTOR)
    cohort = Cohort.objects.create(
        school=school, name="Bench", starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2027, 6, 1)
    )
    cohort.instructors.add(instructor)
    roadmap = Roadmap.objects.get(key="outpatient-aapc")
    users = User.objects.bulk_create(User(email=f"c{size}-{i}@example.com", password="!") for i in range(size))
    services.add_students(cohort, users)
    services.assign_roadmap(cohort, roadmap, start_on=dt.date(2026, 1, 5))
    steps = list(roadmap.steps.order_by("order"))
    for n, enrollment in enumerate(Enrollment.objects.filter(user__in=users)):
        for step in steps[: n % 4]:
            roadmap_services.change_step(
                enrollment, step, status=Status.DONE, completed_on=dt.date(2026, 3, 1), today=dt.date(2026, 11, 1)
            )
    return instructor, cohort


def measure(client, url: str) -> tuple[float, int, float]:
    """(seconds to build the page, its SQL queries, seconds to serve it from the page cache)."""
    from django.core.cache import cache
    from django.db import connection

    from content.page_cache import forget_local_copies

    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    def build():
        cache.clear()  # every version anew: the page is built from the database
        forget_local_copies()
        assert client.get(url).status_code == 200

    build()
    with connection.execute_wrapper(count):
        build()
    built = 0.0
    for _ in range(REPEATS):
        cache.clear()
        forget_local_copies()
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        built += time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(REPEATS):
        assert client.get(url).status_code == 200
    return built / REPEATS, len(statements), (time.perf_counter() - started) / REPEATS


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
        from django.test import Client

        for size in (50, 500):
            instructor, cohort = fill_cohort(size)
            client = Client()
            client.force_login(instructor)
            results[size] = measure(client, cohort.get_absolute_url())
        from django.db import connections

        connections.close_all()
    finally:
        admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    print(f"cohort dashboard, {REPEATS} requests each (test client through the full middleware, PostgreSQL):")
    for size, (seconds, queries, cached) in results.items():
        print(
            f"  {size:4} students: built {seconds * 1000:8.1f} ms, {queries} SQL queries "
            f"(the session and the person included); from the page cache {cached * 1000:6.1f} ms"
        )
    print(
        f"  ratio 500/50: {results[500][0] / results[50][0]:.1f}x time for 10x students, same query count: "
        f"{results[500][1] == results[50][1]}"
    )


if __name__ == "__main__":
    main()
