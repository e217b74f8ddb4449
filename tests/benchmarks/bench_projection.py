"""Projection benchmark: every default roadmap for 10,000 random profiles, and the page's cost.

Prints profiles per second for the pure engine, and the time of /projection/ against the plain
home page in the same run, as a ratio. Uses a throwaway PostgreSQL database it creates and drops.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PROFILES = int(os.environ.get("BENCH_PROFILES", "10000"))
PAGE_REPEATS = int(os.environ.get("BENCH_REPEATS", "200"))
DB_NAME = "bench_projection"


def database_url(name: str) -> str:
    base = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return base._replace(path=f"/{name}").geturl()


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(sql)


def random_profiles(count: int, reference) -> list:
    from roadmap.projection import Profile

    rng = random.Random(2026)
    regions = [None, *reference.region_means]
    settings = [None, *reference.setting_means]
    codes = sorted(reference.aapc_credentials | set(reference.credential_figures))
    return [
        Profile(
            region=rng.choice(regions),
            work_setting=rng.choice(settings),
            years=Decimal(rng.randint(0, 300)) / 10,
            credentials=frozenset(rng.sample(codes, rng.randint(0, 3))),
        )
        for _ in range(count)
    ]


def time_page(client, url: str) -> float:
    client.get(url)  # warm up
    started = time.perf_counter()
    for _ in range(PAGE_REPEATS):
        assert client.get(url).status_code == 200
    return (time.perf_counter() - started) / PAGE_REPEATS


def main() -> None:
    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin_sql(f"CREATE DATABASE {DB_NAME}")
    os.environ["DATABASE_URL"] = database_url(DB_NAME)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
        subprocess.run([sys.executable, "manage.py", "load_ladder"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        import django

        django.setup()
        from django.test import Client

        from roadmap.models import Roadmap
        from roadmap.projection import project
        from roadmap.projection_inputs import load_reference, plan_for

        reference = load_reference()
        plans = [plan_for(roadmap) for roadmap in Roadmap.objects.filter(is_default=True)]
        profiles = random_profiles(PROFILES, reference)
        started = time.perf_counter()
        for profile in profiles:
            for plan in plans:
                project(reference, profile, plan)
        engine_seconds = time.perf_counter() - started

        client = Client()
        home = time_page(client, "/")
        page = time_page(client, "/projection/?roadmap=outpatient-aapc&region=nj&years=4&credentials=CPC-A")
        from django.db import connections

        connections.close_all()
    finally:
        admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")

    print(f"projection engine: {PROFILES} profiles x {len(plans)} roadmaps in {engine_seconds:.2f}s")
    per_second = PROFILES / engine_seconds
    print(f"  {per_second:,.0f} profiles per second ({per_second * len(plans):,.0f} projections per second)")
    print(f"pages, {PAGE_REPEATS} requests each through the full middleware (test client, PostgreSQL):")
    print(f"  /            {home * 1000:7.2f} ms")
    print(f"  /projection/ {page * 1000:7.2f} ms   ratio {page / home:.1f}x the home page")


if __name__ == "__main__":
    main()
