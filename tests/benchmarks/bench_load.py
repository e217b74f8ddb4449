"""Load benchmark: gunicorn + PostgreSQL + Redis in production settings, driven by wrk.

Each page is measured on its own, then a mix of them, in short rounds alternating with
``/healthz`` (the same middleware, no database: the floor); the table gives requests per second, p50 and p99 latency,
errors (non-2xx/3xx answers and socket errors) and the ratios to the floor, then the memory of each
gunicorn worker after the run. Signed-in pages rotate through several people's session cookies.

Fairness on a small machine: wrk (C, event-driven) is pinned to the first core and gunicorn's
workers to the second, so the load generator never takes the server's CPU; PostgreSQL and Redis
float. The absolute numbers depend on the machine and whatever else runs on it; the ratios to the
floor measured in the same run are what to compare.

Before the load, each page is also timed alone in-process (Django's test client through the full
middleware): built from the database (after its version moved on, as a write does) and from the
page cache, with the SQL queries of each.

Uses a throwaway PostgreSQL database and Redis database 0 (flushed), both dropped at the end.
``BENCH_ROOT`` runs the same benchmark against another checkout of the code (e.g. an older one).

    BENCH_SECONDS=6 BENCH_CONNECTIONS=16 python tests/benchmarks/bench_load.py
"""

from __future__ import annotations

import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
ROOT = Path(os.environ.get("BENCH_ROOT") or HERE.parents[1]).resolve()
SECONDS = int(os.environ.get("BENCH_SECONDS", "6"))  # per page, and as much again for the floor beside it
WARM_SECONDS = 1
ROUNDS = 3  # each page's seconds are split into rounds, each right after a round of the floor
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = 2
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
DB_NAME = f"bench_load_{os.getpid()}"
STUDENTS, CODERS, INSTRUCTORS = 16, 8, 4
GENERATOR_CORE, SERVER_CORES = "0", "1"

# Made inside the throwaway database, printed as JSON: session cookies and the cohort pages.
PREPARE = """
import datetime as dt, json, statistics, time
import django
django.setup()
from django.db import connection
from django.test import Client
from accounts.models import User
from ceu.models import CeuEntry
from roadmap import services
from roadmap.models import Enrollment, Roadmap, Status
from content.models import Credential
from schools import services as schools
from schools.models import Cohort, Membership, School

TODAY = dt.date.today()
roadmap = Roadmap.objects.get(key="outpatient-aapc")
steps = list(roadmap.steps.order_by("order"))
school = School.objects.create(name="Bench school", slug="bench")


def signed_in(user):
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def progress(enrollments):
    for n, enrollment in enumerate(enrollments):
        for step in steps[: n % 4]:
            services.change_step(enrollment, step, status=Status.DONE, completed_on=TODAY - dt.timedelta(days=30),
                                 today=TODAY)


students = [User.objects.create_user(f"student{n}@example.com", password=None, first_name=f"S{n}")
            for n in range(STUDENTS)]
progress([services.follow_roadmap(user, roadmap) for user in students])
cpc, ccc = Credential.objects.get(code="CPC"), Credential.objects.get(code="CCC")
coders = []
for n in range(CODERS):
    coder = User.objects.create_user(f"coder{n}@example.com", password=None)
    held = services.record_credential(coder, cpc, earned_on=TODAY - dt.timedelta(days=400))
    services.record_credential(coder, ccc, earned_on=TODAY - dt.timedelta(days=300))
    for day in range(20):
        entry = CeuEntry.objects.create(user=coder, activity=f"Webinar {day}", hours=1,
                                        completed_on=TODAY - dt.timedelta(days=10 * day + 1))
        entry.credentials.add(held)
    coders.append(coder)
instructors = [User.objects.create_user(f"instructor{n}@example.com", password=None) for n in range(INSTRUCTORS)]
for instructor in instructors:
    Membership.objects.create(school=school, user=instructor, role="instructor")
cohorts = {}
for size in (50, 500):
    cohort = Cohort.objects.create(school=school, name=f"Cohort of {size}", starts_on=TODAY - dt.timedelta(days=300),
                                   ends_on=TODAY + dt.timedelta(days=200))
    cohort.instructors.add(*instructors)
    members = students if size == 50 else []
    members = members + list(User.objects.bulk_create(
        User(email=f"c{size}-{n}@example.com", password="!", first_name=f"C{n}") for n in range(size - len(members))))
    schools.add_students(cohort, members)
    schools.assign_roadmap(cohort, roadmap, start_on=TODAY - dt.timedelta(days=300))
    progress(Enrollment.objects.filter(user__in=members[STUDENTS if size == 50 else 0:], roadmap=roadmap))
    cohorts[size] = f"/schools/bench/cohorts/{cohort.pk}/"

pages = {
    "student": [signed_in(u) for u in students],
    "coder": [signed_in(u) for u in coders],
    "instructor": [signed_in(u) for u in instructors],
}
for clients in pages.values():
    for client in clients:
        client.get("/ladder/")  # a page with a CSRF token: the browser keeps the csrftoken cookie
cookies = {
    who: [f"sessionid={c.cookies['sessionid'].value}; csrftoken={c.cookies['csrftoken'].value}" for c in clients]
    for who, clients in pages.items()
}


def bump_versions():
    # What a write does: the next visit builds the page again (where the code caches pages at all).
    try:
        from accounts.versions import bump_users
        from content.edition import bump_edition
    except ImportError:
        return
    bump_edition()
    bump_users(User.objects.values_list("pk", flat=True))


def alone(client, path):
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    def timed():
        queries.clear()
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            status = client.get(path).status_code
            elapsed = time.perf_counter() - started
        assert status == 200, (path, status)
        return elapsed * 1000, len(queries)

    client.get(path)
    built = []
    for _ in range(5):
        bump_versions()
        built.append(timed())
    cached = [timed() for _ in range(20)]
    return {
        "built_ms": statistics.median(t for t, _ in built), "built_sql": built[-1][1],
        "cached_ms": statistics.median(t for t, _ in cached), "cached_sql": cached[-1][1],
    }


anonymous = Client(HTTP_HOST="127.0.0.1")
ALONE = {path: (anonymous, path) for path in PUBLIC}
PROJECTION = "/projection/?roadmap=outpatient-aapc"
ALONE[PROJECTION + " (signed in)"] = (pages["student"][0], PROJECTION)
ALONE["/dashboard/"] = (pages["student"][1], "/dashboard/")
ALONE["/ceu/"] = (pages["coder"][0], "/ceu/")
ALONE["cohort of 50"] = (pages["instructor"][0], cohorts[50])
ALONE["cohort of 500"] = (pages["instructor"][0], cohorts[500])
alone_figures = {name: alone(client, path) for name, (client, path) in ALONE.items()}
print(json.dumps({"cookies": cookies, "cohorts": cohorts, "alone": alone_figures}))
"""

PUBLIC = [
    "/",
    "/ladder/",
    "/credentials/CPC/",
    "/salaries/?source=bls-oews-2023",
    "/projection/?roadmap=outpatient-aapc",
]


def database_url(name: str) -> str:
    base = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return base._replace(path=f"/{name}").geturl()


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(sql)


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def prepare(env: dict) -> dict:
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "load_ladder"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    constants = f"STUDENTS, CODERS, INSTRUCTORS, PUBLIC = {STUDENTS}, {CODERS}, {INSTRUCTORS}, {PUBLIC!r}\n"
    result = subprocess.run(
        [sys.executable, "-c", constants + PREPARE], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url}")


def run_wrk(wrk: str, base: str, entries: list[tuple[str, str]], seconds: int) -> dict:
    """wrk on its own core against ``entries`` of (path, cookie or "-")."""
    command = ["taskset", "-c", GENERATOR_CORE, wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s"]
    command += ["--timeout", "10s", "-s", str(HERE / "wrk_requests.lua"), base, "--"]
    command += [f"{path} {cookie}" for path, cookie in entries]
    output = subprocess.run(command, check=True, capture_output=True, text=True, timeout=seconds + 60).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    return {
        "rps": figures["requests"] / (figures["duration_us"] / 1e6),
        "p50": figures["p50_us"] / 1000,
        "p99": figures["p99_us"] / 1000,
        "errors": figures["status_errors"] + figures["socket_errors"],
        "requests": figures["requests"],
        "seconds": figures["duration_us"] / 1e6,
    }


def drain(base: str) -> None:
    """Wait until the workers have finished the requests wrk left queued when it stopped (a slow
    page's backlog), so the next round of the floor does not wait behind them."""
    for _ in range(WORKERS + 1):
        urllib.request.urlopen(base + "/healthz", timeout=120).read()


def combined(rounds: list[dict]) -> dict:
    """Rounds of one target as one run: requests per second over all of them; for the latency the
    median round's p50 and the worst round's p99."""
    seconds = sum(r["seconds"] for r in rounds)
    return {
        "rps": sum(r["requests"] for r in rounds) / seconds,
        "p50": sorted(r["p50"] for r in rounds)[len(rounds) // 2],
        "p99": max(r["p99"] for r in rounds),
        "errors": sum(r["errors"] for r in rounds),
        "requests": sum(r["requests"] for r in rounds),
        "seconds": seconds,
    }


def worker_memory(master_pid: int) -> list[float]:
    """Resident memory (MiB) of each gunicorn worker."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def scenarios(prepared: dict) -> dict[str, list[tuple[str, str]]]:
    cookies = {who: [value.replace(" ", "") for value in values] for who, values in prepared["cookies"].items()}
    cohorts = prepared["cohorts"]
    pages = {path: [(path, "-")] for path in PUBLIC}
    pages["/projection/?roadmap=outpatient-aapc (signed in)"] = [
        ("/projection/?roadmap=outpatient-aapc", c) for c in cookies["student"]
    ]
    pages["/dashboard/ (students)"] = [("/dashboard/", c) for c in cookies["student"]]
    pages["/ceu/ (working coders)"] = [("/ceu/", c) for c in cookies["coder"]]
    pages["cohort of 50 (instructors)"] = [(cohorts["50"], c) for c in cookies["instructor"]]
    pages["cohort of 500 (instructors)"] = [(cohorts["500"], c) for c in cookies["instructor"]]
    # The mix: what people visit most, by weight; every signed-in page with its own people.
    weights = {
        "/": 2,
        "/ladder/": 2,
        "/credentials/CPC/": 1,
        "/salaries/?source=bls-oews-2023": 1,
        "/projection/?roadmap=outpatient-aapc": 2,
        "/projection/?roadmap=outpatient-aapc (signed in)": 1,
        "/dashboard/ (students)": 4,
        "/ceu/ (working coders)": 2,
        "cohort of 50 (instructors)": 1,
    }
    mix = []
    for name, weight in weights.items():
        entries = pages[name]
        mix += [entries[n % len(entries)] for n in range(weight * len(entries))]
    random.Random(1).shuffle(mix)  # so each connection meets every kind of page
    pages["site mix"] = mix
    return pages


def main() -> None:
    wrk = (
        os.environ.get("WRK")
        or subprocess.run(
            ["bash", str(HERE.parents[1] / "scripts/ensure-wrk.sh")], check=True, capture_output=True, text=True
        ).stdout.strip()
    )
    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin_sql(f"CREATE DATABASE {DB_NAME}")
    flush_redis()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(DB_NAME),
        "REDIS_URL": REDIS_URL,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
    }
    gunicorn = None
    results, memory = {}, []
    started = time.monotonic()
    try:
        prepared = prepare(env)
        gunicorn = subprocess.Popen(
            ["taskset", "-c", SERVER_CORES, sys.executable, "-m", "gunicorn", "config.wsgi"]
            + ["-b", f"127.0.0.1:{PORT}", "-w", str(WORKERS), "--log-level", "warning"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{PORT}"
        wait_until_up(base + "/healthz")
        floor_entries = [("/healthz", "-")]
        run_wrk(wrk, base, floor_entries, WARM_SECONDS)
        for name, entries in scenarios(prepared).items():
            run_wrk(wrk, base, entries, WARM_SECONDS)  # first visits, imports and caches out of the figures
            drain(base)
            # Floor and page alternate in short rounds, so a page and its floor see the same machine
            # even when other work on it comes and goes over the minutes of the whole benchmark.
            floors, pages = [], []
            for _ in range(ROUNDS):
                floors.append(run_wrk(wrk, base, floor_entries, max(1, SECONDS // ROUNDS)))
                pages.append(run_wrk(wrk, base, entries, max(1, SECONDS // ROUNDS)))
                drain(base)
            results[name] = combined(pages) | {"floor": combined(floors)}
        memory = worker_memory(gunicorn.pid)
    finally:
        if gunicorn:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(timeout=30)
        admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        flush_redis()
    report(prepared, results, memory, time.monotonic() - started)


def report(prepared: dict, results: dict, memory: list[float], elapsed: float) -> None:
    floors = [row["floor"] for row in results.values()]
    floor = combined(floors)
    print(
        f"load: {ROOT.name}, gunicorn {WORKERS} sync workers on core {SERVER_CORES}, wrk {THREADS} threads x "
        f"{CONNECTIONS} connections on core {GENERATOR_CORE}, {SECONDS} s per page after {WARM_SECONDS} s warm-up; "
        f"PostgreSQL, Redis; {os.cpu_count()} cores in all"
    )
    print(
        f"ratios: each page against /healthz run in {ROUNDS} alternating rounds beside it (the /healthz row: "
        "all floor rounds); p50 of the median round, p99 of the worst round"
    )
    width = max(len(name) for name in results)
    print(f"{'page':{width}} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'x floor':>7} {'p99/floor':>9}")
    print(f"{'/healthz':{width}} {floor['rps']:8.0f} {floor['p50']:7.1f} {floor['p99']:7.1f} {floor['errors']:6d}")
    for name, row in results.items():
        print(
            f"{name:{width}} {row['rps']:8.0f} {row['p50']:7.1f} {row['p99']:7.1f} {row['errors']:6d} "
            f"{row['rps'] / row['floor']['rps']:7.3f} {row['p99'] / row['floor']['p99']:9.1f}"
        )
    print("gunicorn worker memory after the run (RSS): " + ", ".join(f"{mib:.0f} MiB" for mib in memory))
    print("one request alone, in-process (median): built from the database / from the page cache")
    alone = prepared["alone"]
    width = max(len(name) for name in alone)
    print(f"{'page':{width}} {'built ms':>8} {'SQL':>4} {'cached ms':>9} {'SQL':>4}")
    for name, row in alone.items():
        print(
            f"{name:{width}} {row['built_ms']:8.1f} {row['built_sql']:4d} {row['cached_ms']:9.1f} "
            f"{row['cached_sql']:4d}"
        )
    print(f"whole benchmark: {elapsed:.0f} s")


if __name__ == "__main__":
    if not shutil.which("taskset"):
        raise SystemExit("taskset (util-linux) is needed to pin the load generator and the server.")
    main()
