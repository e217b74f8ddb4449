"""Reminder delivery under faults, from outside the test suite: `make faults`.

Builds a scratch PostgreSQL database with production settings, gives a few hundred people a due
renewal reminder, and delivers them through real `celery worker` processes (prefork) on the real
Redis into an SMTP server on loopback while things break: pool processes killed at random, the whole
worker killed and Redis flushed, a manual `send_reminders` racing the workers, SMTP down for a while,
permanent refusals. After each run it lets time pass in the database (claims and backoffs moved
back, never the code's clock) until nothing is open, then counts what the SMTP server received by
Message-ID and prints, per scenario: due, delivered once, delivered twice, lost, refused.

Needs DATABASE_URL (PostgreSQL; the script uses <name>_faults beside it) and REDIS_URL, as
scripts/ensure-services.sh prints them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from tests.faults import Worker, production_env, start_command  # noqa: E402
from tests.mailsink import SmtpServer, free_port  # noqa: E402

LEASE_SECONDS = 300


def scratch_database(base_url: str) -> str:
    import psycopg

    head, name = base_url.rsplit("/", 1)
    scratch = f"{name}_faults"
    with psycopg.connect(f"{head}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{scratch}"')
    return f"{head}/{scratch}"


def set_up_django(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_ladder", verbosity=0)


def create_people(count: int) -> None:
    from accounts.models import User
    from content.models import Credential
    from roadmap.models import HeldCredential

    cpc = Credential.objects.get(code="CPC")
    users = User.objects.bulk_create(User(email=f"coder{n:04}@example.com") for n in range(count))
    ends = dt.date.today() + dt.timedelta(days=25)
    HeldCredential.objects.bulk_create(
        HeldCredential(user=user, credential=cpc, earned_on=dt.date(2023, 1, 1), cycle_ends_on=ends) for user in users
    )


class Run:
    def __init__(self, name: str, env_for, logs: Path, smtp_port: int | None = None):
        from django.utils import timezone

        from ceu import services
        from ceu.models import Reminder

        Reminder.objects.all().delete()
        services.sweep(timezone.now())
        self.name, self.env_for, self.logs = name, env_for, logs
        self.smtp = SmtpServer(smtp_port)
        self.workers: list[Worker] = []
        self.started = time.monotonic()

    def worker(self, concurrency: int = 2) -> Worker:
        worker = Worker(self.env_for(self.smtp.port), self.logs / f"{self.name}-{len(self.workers)}.log", concurrency)
        self.workers.append(worker)
        return worker.start()

    def settle(self, timeout: float = 180) -> None:
        """Tick until nothing is open; when nothing moves for a while, let time pass in the database."""
        from django.db.models import F

        from ceu.models import Reminder

        deadline, last, still_since = time.monotonic() + timeout, None, time.monotonic()
        while time.monotonic() < deadline:
            open_rows = Reminder.objects.filter(status__in=["pending", "sending"]).count()
            if open_rows == 0:
                return
            if open_rows != last:
                last, still_since = open_rows, time.monotonic()
            elif time.monotonic() - still_since > 3:
                jump = dt.timedelta(seconds=LEASE_SECONDS + 1)
                Reminder.objects.filter(status="sending").update(claimed_at=F("claimed_at") - jump)
                Reminder.objects.filter(next_attempt_at__isnull=False).update(
                    next_attempt_at=F("next_attempt_at") - jump
                )
                still_since = time.monotonic()
            tick()
            time.sleep(0.5)
        raise RuntimeError(f"{self.name}: reminders still open after {timeout} s")

    def report(self) -> tuple:
        from ceu import emails
        from ceu.models import Reminder

        for worker in self.workers:
            worker.stop()
        rows = list(Reminder.objects.all())
        expected = {emails.message_id(r): r for r in rows}
        received = self.smtp.sink.message_ids()
        refused = sum(r.status == "failed" for r in rows)
        once = sum(1 for mid in expected if received.get(mid) == 1)
        twice = sum(1 for mid in expected if received.get(mid, 0) > 1)
        lost = sum(1 for mid, r in expected.items() if mid not in received and r.status != "failed")
        self.smtp.stop()
        return self.name, len(rows), once, twice, lost, refused, time.monotonic() - self.started


def tick() -> None:
    from config.celery import app

    app.send_task("ceu.deliver_reminders")


def scenarios(env_for, logs: Path):
    import redis

    broker = redis.Redis.from_url(os.environ["REDIS_URL"])

    run = Run("no faults", env_for, logs)
    run.smtp.start()
    run.worker(), run.worker()
    run.settle()
    yield run.report()

    run = Run("pool processes killed every 2 s", env_for, logs)
    run.smtp.start()
    run.smtp.sink.delay = 0.01
    workers = [run.worker(), run.worker()]
    tick(), tick()
    for _ in range(6):
        time.sleep(2)
        pool = random.choice(workers).pool()
        if pool:
            random.choice(pool).kill()
        tick()
    run.settle()
    yield run.report()

    run = Run("worker killed, Redis flushed", env_for, logs)
    run.smtp.start()
    run.smtp.sink.delay = 0.01
    worker = run.worker()
    for _ in range(4):
        tick()
    time.sleep(2)
    worker.kill()
    broker.flushdb()
    run.worker()
    run.settle()
    yield run.report()

    run = Run("manual run racing the workers", env_for, logs)
    run.smtp.start()
    run.smtp.sink.delay = 0.005
    run.worker(), run.worker()
    command = start_command(env_for(run.smtp.port), logs / "command.log", "send_reminders")
    for _ in range(20):
        tick()
        time.sleep(0.2)
    command.wait(300)
    run.settle()
    yield run.report()

    port = free_port()
    run = Run("SMTP down for 10 s, then up", env_for, logs, smtp_port=port)
    run.worker()
    for _ in range(10):
        tick()
        time.sleep(1)
    run.smtp.start()
    run.settle()
    yield run.report()

    run = Run("550 at RCPT for 1 in 20", env_for, logs)
    run.smtp.start()
    from ceu.models import Reminder

    for reminder in Reminder.objects.select_related("user").order_by("pk")[::20]:
        run.smtp.sink.rcpt_replies[reminder.user.email] = "550 5.1.1 No such user here"
    run.worker(), run.worker()
    run.settle()
    yield run.report()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=400)
    args = parser.parse_args()
    database_url = scratch_database(os.environ["DATABASE_URL"])
    redis_url = os.environ["REDIS_URL"]

    def env_for(smtp_port: int) -> dict:
        return production_env(
            database_url=database_url, redis_url=redis_url, smtp_port=smtp_port, lease_seconds=LEASE_SECONDS
        )

    set_up_django(env_for(25))  # this process sends nothing itself
    create_people(args.people)
    print(f"{args.people} people with a due reminder each; real workers, Redis, PostgreSQL and SMTP.\n")
    print(f"{'scenario':<34} {'due':>5} {'once':>6} {'twice':>6} {'lost':>5} {'refused':>8} {'seconds':>8}")
    with tempfile.TemporaryDirectory() as logs:
        for name, due, once, twice, lost, refused, seconds in scenarios(env_for, Path(logs)):
            print(f"{name:<34} {due:>5} {once:>6} {twice:>6} {lost:>5} {refused:>8} {seconds:>8.1f}", flush=True)


if __name__ == "__main__":
    main()
