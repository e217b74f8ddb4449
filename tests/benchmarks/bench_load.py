"""Load benchmark: gunicorn + PostgreSQL, 50 concurrent signed-in users for 60 s on loopback.

Prints requests per second, p50/p95/p99 latency and errors for a mix of the site's pages (dashboard,
projection, CEU, cohort, ladder, credential, salaries), and the
same figures for a trivial view through the same middleware (the framework floor), as ratios.
Run by `make bench`. Uses a throwaway database that it creates and drops.

    BENCH_SECONDS=60 BENCH_USERS=50 python tests/benchmarks/bench_load.py
"""

from __future__ import annotations

import csv
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
USERS = int(os.environ.get("BENCH_USERS", "50"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DB_NAME = "bench_load"
# The pages people use most, with how often each is visited.
PAGES = {
    "/dashboard/": 4,
    "/ladder/": 2,
    "/credentials/CPC/": 1,
    "/salaries/?source=bls-oews-2023": 1,
}
OPTIONAL_PAGES = {  # pages of features that may not be installed in this checkout
    "/projection/?roadmap=outpatient-aapc": 3,
    "/ceu/": 2,
}


def database_url(name: str) -> str:
    base = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return base._replace(path=f"/{name}").geturl()


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(sql)


def prepare_database(env: dict) -> list[str]:
    """Migrate and fill the throwaway database; return session ids of signed-in users."""
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "load_ladder"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    script = f"""
import django, datetime as dt
django.setup()
from django.test import Client
from accounts.models import User
from roadmap import services
from roadmap.models import Roadmap, Status
from schools import services as schools
from schools.models import Cohort, Membership, School
roadmap = Roadmap.objects.get(key="outpatient-aapc")
steps = list(roadmap.steps.order_by("order"))
school = School.objects.create(name="Bench school", slug="bench")
cohort = Cohort.objects.create(school=school, name="Bench", starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2027, 6, 1))
print(cohort.pk)
for n in range({USERS}):
    user = User.objects.create_user(f"bench{{n}}@example.com", password=None)
    enrollment = services.follow_roadmap(user, roadmap)
    for step in steps[: n % 4]:
        services.change_step(enrollment, step, status=Status.DONE, completed_on=dt.date(2026, 1, 1),
                             today=dt.date(2026, 11, 1))
    client = Client()
    client.force_login(user)
    print(client.cookies["sessionid"].value)
    # Every simulated person is also an instructor of the cohort, so the cohort page is in the mix.
    Membership.objects.create(school=school, user=user, role="instructor")
    cohort.instructors.add(user)
schools.add_students(cohort, list(User.objects.filter(email__startswith="bench")))
schools.assign_roadmap(cohort, roadmap, start_on=dt.date(2026, 1, 5))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    cohort_pk, *sessions = result.stdout.split()
    PAGES[f"/schools/bench/cohorts/{cohort_pk}/"] = 1
    return sessions


def wait_until_up(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url}")


def available(paths: dict, base: str, session: str) -> dict:
    found = {}
    for path, weight in paths.items():
        request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={session}"})
        try:
            if urllib.request.urlopen(request, timeout=5).status == 200:
                found[path] = weight
        except OSError:
            pass
    return found


def run_locust(mode: str, paths: dict, sessions_file: str, base: str, out: str) -> dict:
    env = {
        **os.environ,
        "BENCH_MODE": mode,
        "BENCH_SESSIONS": sessions_file,
        "BENCH_PATHS": ",".join(f"{p}:{w}" for p, w in paths.items()),
    }
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            "-u",
            str(USERS),
            "-r",
            str(USERS),
            "-t",
            f"{SECONDS}s",
            "--host",
            base,
            "--csv",
            out,
            "--only-summary",
            "--loglevel",
            "ERROR",
        ],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=SECONDS + 60,
    )
    with open(f"{out}_stats.csv") as handle:
        total = next(row for row in csv.DictReader(handle) if row["Name"] == "Aggregated")
    return {
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "p99": float(total["99%"]),
        "errors": int(total["Failure Count"]),
        "requests": int(total["Request Count"]),
    }


def main() -> None:
    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin_sql(f"CREATE DATABASE {DB_NAME}")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(DB_NAME),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
    }
    gunicorn = None
    try:
        sessions = prepare_database(env)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        workers = 2 * (os.cpu_count() or 1) + 1
        gunicorn = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "-b",
                f"127.0.0.1:{PORT}",
                "-w",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{PORT}"
        wait_until_up(base + "/healthz")
        pages = PAGES | available(OPTIONAL_PAGES, base, sessions[0])
        with tempfile.TemporaryDirectory() as tmp:
            sessions_file = Path(tmp) / "sessions"
            sessions_file.write_text("\n".join(sessions))
            mixed = run_locust("mixed", pages, str(sessions_file), base, f"{tmp}/mixed")
            floor = run_locust("floor", {}, str(sessions_file), base, f"{tmp}/floor")
    finally:
        if gunicorn:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(timeout=30)
        admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")

    print(f"load: gunicorn ({workers} sync workers) + PostgreSQL, {USERS} users, {SECONDS}s each run, loopback")
    print(f"pages in the mix (path: weight): {', '.join(f'{p}: {w}' for p, w in pages.items())}")
    print(f"{'':10} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'requests':>9}")
    for name, row in (("site mix", mixed), ("floor", floor)):
        print(
            f"{name:10} {row['rps']:8.1f} {row['p50']:8.0f} {row['p95']:8.0f} {row['p99']:8.0f} "
            f"{row['errors']:7d} {row['requests']:9d}"
        )
    print(
        f"ratio site/floor: throughput {mixed['rps'] / floor['rps']:.2f}x, "
        f"p50 {mixed['p50'] / max(floor['p50'], 1):.1f}x, p95 {mixed['p95'] / max(floor['p95'], 1):.1f}x"
    )


if __name__ == "__main__":
    main()
