"""Projection benchmark: every default roadmap for 10,000 random profiles, and the page's cost.

Prints profiles and projections per second for the pure engine, each person's roadmaps one after the
other (as a dashboard asks for them), with people spread over every area and setting of the current
edition (BLS OEWS May 2025: hundreds of areas, so few people share a place's worked-out figures), and
again over the source article's 12 areas and 2 settings only (the places projections knew before May
2025, so the figures compare with earlier runs); the same roadmap by roadmap, so that no two projections
in a row are for the same person and nothing a person's projections share is reused; and the engine as it was
before its speed-up (tests/projection/oracle_engine.py) on the first profiles, in the same run, as a
ratio, checking that both give the same results. Then the time of /projection/ against the plain home
page, as a ratio. Uses a throwaway PostgreSQL database it creates and drops.
"""

from __future__ import annotations

import dataclasses
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
# The engine before its speed-up takes ten times as long: a tenth of the profiles keeps the run short.
ORACLE_PROFILES = int(os.environ.get("BENCH_ORACLE_PROFILES", "1000"))
PAGE_REPEATS = int(os.environ.get("BENCH_REPEATS", "200"))
DB_NAME = f"bench_projection_{os.getpid()}"  # never the same as a concurrent run's


def database_url(name: str) -> str:
    base = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return base._replace(path=f"/{name}").geturl()


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(sql)


def plain(value):
    """A result as nested plain data, every Decimal as its digits: equal only if written alike."""
    if dataclasses.is_dataclass(value):
        return (type(value).__name__, tuple(plain(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, tuple | list):
        return tuple(plain(item) for item in value)
    return str(value) if isinstance(value, Decimal) else value


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


def time_engine(engine, reference, plans, profiles, *, person_by_person: bool = True) -> tuple[float, float]:
    """Seconds to project every plan for every profile (the projections are not kept, as a page keeps
    none): on the clock, and of this process's own CPU time, which other work on a shared machine
    disturbs less."""
    pairs = [(p, plan) for p in profiles for plan in plans]
    if not person_by_person:
        pairs = [(p, plan) for plan in plans for p in profiles]
    started, cpu_started = time.perf_counter(), time.process_time()
    for profile, plan in pairs:
        engine.project(reference, profile, plan)
    return time.perf_counter() - started, time.process_time() - cpu_started


def same_results(engine, oracle, reference, plans, profiles) -> bool:
    return all(
        plain(engine.project(reference, profile, plan)) == plain(oracle.project(reference, profile, plan))
        for profile in profiles
        for plan in plans
    )


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

        from content.selectors import ARTICLE_WAGES
        from roadmap import projection
        from roadmap.models import Roadmap
        from roadmap.projection_inputs import load_reference, plan_for, read_reference
        from tests.projection import oracle_engine

        reference = load_reference()
        plans = [plan_for(roadmap) for roadmap in Roadmap.objects.filter(is_default=True)]
        article = read_reference(wages=ARTICLE_WAGES)
        article_seconds, article_cpu = time_engine(projection, article, plans, random_profiles(PROFILES, article))
        profiles = random_profiles(PROFILES, reference)
        engine_seconds, engine_cpu = time_engine(projection, reference, plans, profiles)
        roadmap_seconds, roadmap_cpu = time_engine(projection, reference, plans, profiles, person_by_person=False)
        first = profiles[:ORACLE_PROFILES]
        oracle_seconds, oracle_cpu = time_engine(oracle_engine, reference, plans, first)
        engine_first_seconds, engine_first_cpu = time_engine(projection, reference, plans, first)
        same = same_results(projection, oracle_engine, reference, plans, first)

        client = Client()
        home = time_page(client, "/")
        page = time_page(client, "/projection/?roadmap=outpatient-aapc&region=nj&years=4&credentials=CPC-A")
        from django.db import connections

        connections.close_all()
    finally:
        admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")

    count, first_count = PROFILES * len(plans), len(first) * len(plans)
    print(f"projection engine: {PROFILES} profiles x {len(plans)} roadmaps in {engine_seconds:.2f}s")
    per_second = PROFILES / engine_seconds
    print(f"  {per_second:,.0f} profiles per second ({per_second * len(plans):,.0f} projections per second)")
    print(f"  of CPU time: {count / engine_cpu:,.0f} projections per second")
    print(
        f"  over {len(reference.region_means)} areas and {len(reference.setting_means)} settings; over the "
        f"article's {len(article.region_means)} and {len(article.setting_means)}: "
        f"{count / article_seconds:,.0f} projections per second ({count / article_cpu:,.0f} of CPU time)"
    )
    print(
        f"  roadmap by roadmap: {count / roadmap_seconds:,.0f} projections per second "
        f"({count / roadmap_cpu:,.0f} of CPU time)"
    )
    print(f"the engine before its speed-up, the first {len(first)} profiles x {len(plans)} roadmaps:")
    print(
        f"  {first_count / oracle_seconds:,.0f} projections per second; now {first_count / engine_first_seconds:,.0f}, "
        f"{oracle_seconds / engine_first_seconds:.1f}x (of CPU time {oracle_cpu / engine_first_cpu:.1f}x)"
    )
    print(f"  same results: {'yes' if same else 'NO'}")
    print(f"pages, {PAGE_REPEATS} requests each through the full middleware (test client, PostgreSQL):")
    print(f"  /            {home * 1000:7.2f} ms")
    print(f"  /projection/ {page * 1000:7.2f} ms   ratio {page / home:.1f}x the home page")


if __name__ == "__main__":
    main()
