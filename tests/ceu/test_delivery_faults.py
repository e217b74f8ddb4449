"""Every due reminder is delivered, and none twice, whatever breaks: proved with the real parts.

Workers are real ``celery worker`` processes (prefork pool) with production settings on the real
Redis; commands are real ``manage.py send_reminders`` processes; mail goes to an SMTP server on
loopback; everything shares the test's PostgreSQL database. Each test counts what the SMTP server
accepted by Message-ID. Where a fault needs time to pass (a lease to run out, a backoff to end),
the test moves the database's notion of time for those rows, never the code's clock.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.db.models import F

from ceu import emails, services
from ceu.models import Reminder
from config.celery import app
from tests.conftest import make_user
from tests.faults import Worker, production_env, start_command
from tests.mailsink import SmtpServer, free_port, wait_for

from .conftest import IN_CI, NOW, hold

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

DEFAULT_LEASE = dt.timedelta(seconds=300)


@pytest.fixture
def database_url(transactional_db):
    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI needs PostgreSQL for the fault tests.")
        pytest.skip("the fault tests share the database with other processes: they need PostgreSQL")
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def broker(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()  # this checkout's database number only: no messages left from another test
    app.conf.update(broker_url=redis_url, task_always_eager=False, result_backend=None)
    yield client
    client.flushdb()


@pytest.fixture
def parts(database_url, broker, redis_url, tmp_path, ladder):
    """Start workers and commands against the same database, Redis and SMTP server; stop them all."""
    smtp = SmtpServer().start()
    started: list = []

    class Parts:
        def env(self, *, smtp_port: int | None = None, lease_seconds: int | None = None) -> dict:
            port = smtp.port if smtp_port is None else smtp_port
            return production_env(
                database_url=database_url, redis_url=redis_url, smtp_port=port, lease_seconds=lease_seconds
            )

        def worker(self, concurrency: int = 2, **env) -> Worker:
            log = tmp_path / f"worker-{len(started)}.log"
            worker = Worker(self.env(**env), log, concurrency=concurrency)
            started.append(worker)
            return worker.start()

        def command(self, *args, **env):
            process = start_command(self.env(**env), tmp_path / f"command-{len(started)}.log", *args)
            started.append(process)
            return process

    parts = Parts()
    parts.smtp, parts.broker, parts.logs = smtp, broker, tmp_path
    yield parts
    for part in started:
        if isinstance(part, Worker):
            part.stop()
        elif part.poll() is None:
            part.kill()
            part.wait(10)
    smtp.stop()


def tick() -> None:
    """What beat does every minute: ask some worker to deliver what is due."""
    app.send_task("ceu.deliver_reminders")


class Ticking:
    """Beat running fast, in the background, while something else races it."""

    def __init__(self, every: float = 0.2):
        self.every, self.stop = every, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self.stop.wait(self.every):
            tick()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def people_due(count: int) -> list[Reminder]:
    """``count`` coders whose CPC cycle ends in 25 days with no CEUs logged: one reminder each."""
    for number in range(count):
        coder = make_user(f"coder{number:03}@example.com")
        hold(coder, "CPC", dt.date(2023, 1, 1), cycle_ends_on=dt.date(2026, 12, 20))
    services.sweep(NOW)
    reminders = list(Reminder.objects.select_related("user").order_by("pk"))
    assert len(reminders) == count
    return reminders


def statuses() -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in Reminder.objects.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def jump_the_database_clock(by: dt.timedelta) -> None:
    """Time passes for the open rows: their claims and retry times lie ``by`` further back."""
    Reminder.objects.filter(claimed_at__isnull=False, status="sending").update(claimed_at=F("claimed_at") - by)
    Reminder.objects.filter(next_attempt_at__isnull=False).update(next_attempt_at=F("next_attempt_at") - by)


def assert_each_delivered_once(smtp: SmtpServer, reminders: list[Reminder]) -> None:
    expected = {emails.message_id(reminder) for reminder in reminders}
    received = smtp.sink.message_ids()
    assert expected - set(received) == set(), "lost"
    assert set(received) - expected == set(), "unexpected"
    assert {mid: n for mid, n in received.items() if n > 1} == {}, "sent twice"
    assert statuses() == {"sent": len(reminders)}


def test_a_pool_process_killed_mid_batch_loses_nothing_and_repeats_nothing(parts):
    reminders = people_due(10)
    victim = reminders[4]
    parts.smtp.sink.held = {victim.user.email}
    worker = parts.worker()

    tick()
    assert wait_for(parts.smtp.sink.holding.is_set), "the victim's send never reached RCPT"
    worker.kill_pool_process_talking_to(parts.smtp.port)
    parts.smtp.sink.release.set()

    # Celery hands the killed task's message to a new pool process; the rest go out, the victim's
    # row waits in "sending" under a claim nobody holds.
    tick()
    assert wait_for(lambda: statuses() == {"sent": 9, "sending": 1})
    assert Reminder.objects.get(pk=victim.pk).status == "sending"

    jump_the_database_clock(DEFAULT_LEASE + dt.timedelta(seconds=1))
    tick()
    assert wait_for(lambda: statuses() == {"sent": 10})
    assert_each_delivered_once(parts.smtp, reminders)
    assert Reminder.objects.get(pk=victim.pk).attempts == 2


def test_a_killed_worker_and_a_redis_that_lost_its_messages_lose_nothing(parts):
    reminders = people_due(10)
    victim = reminders[3]
    parts.smtp.sink.held = {victim.user.email}
    worker = parts.worker(concurrency=1)
    for _ in range(3):  # unacknowledged copies waiting in Redis when it dies
        tick()
    assert wait_for(parts.smtp.sink.holding.is_set)

    worker.kill()
    parts.broker.flushdb()  # Redis restarted without its data
    parts.smtp.sink.release.set()
    assert statuses().get("sent", 0) == 3

    parts.worker()
    tick()
    assert wait_for(lambda: statuses() == {"sent": 9, "sending": 1})
    jump_the_database_clock(DEFAULT_LEASE + dt.timedelta(seconds=1))
    tick()
    assert wait_for(lambda: statuses() == {"sent": 10})
    assert_each_delivered_once(parts.smtp, reminders)


def test_a_manual_run_racing_the_worker_sends_each_reminder_once(parts):
    for number in range(30):
        hold(
            make_user(f"coder{number:03}@example.com"), "CPC", dt.date(2023, 1, 1), cycle_ends_on=dt.date(2026, 12, 20)
        )
    parts.smtp.sink.delay = 0.05
    parts.worker()

    with Ticking():
        command = parts.command("send_reminders", "--date", "2026-11-25")
        assert command.wait(120) == 0
        assert wait_for(lambda: Reminder.objects.count() == 30 and statuses() == {"sent": 30})

    assert_each_delivered_once(parts.smtp, list(Reminder.objects.all()))


def test_two_manual_runs_racing_each_other_send_each_reminder_once(parts):
    for number in range(30):
        hold(
            make_user(f"coder{number:03}@example.com"), "CPC", dt.date(2023, 1, 1), cycle_ends_on=dt.date(2026, 12, 20)
        )
    parts.smtp.sink.delay = 0.05

    commands = [parts.command("send_reminders", "--date", "2026-11-25") for _ in range(2)]

    assert [command.wait(120) for command in commands] == [0, 0]
    assert_each_delivered_once(parts.smtp, list(Reminder.objects.all()))


def test_a_command_running_longer_than_the_lease_sends_nothing_twice(parts):
    reminders = people_due(16)
    parts.smtp.sink.delay = 0.25  # 16 sends take about 4 s, longer than the 3 s lease
    parts.worker(lease_seconds=3)

    with Ticking(every=0.3):
        command = parts.command("send_reminders", "--date", "2026-11-25", lease_seconds=3)
        assert command.wait(120) == 0
        assert wait_for(lambda: statuses() == {"sent": 16})

    assert_each_delivered_once(parts.smtp, reminders)


def test_a_mail_server_down_for_longer_than_one_retry_delivers_once_when_back(parts):
    (reminder,) = people_due(1)
    port = free_port()  # nothing listens here yet
    parts.worker(smtp_port=port)

    for attempt in (1, 2):
        tick()
        assert wait_for(
            lambda attempt=attempt: Reminder.objects.get().attempts == attempt and statuses() == {"pending": 1}
        )
        assert "ConnectionRefusedError" in Reminder.objects.get().last_error
        jump_the_database_clock(dt.timedelta(hours=1))

    server = SmtpServer(port).start()
    try:
        tick()
        assert wait_for(lambda: statuses() == {"sent": 1})
        assert_each_delivered_once(server, [reminder])
    finally:
        server.stop()
    assert Reminder.objects.get().attempts == 3


def test_a_550_at_rcpt_through_the_worker_fails_that_reminder_at_once_and_sends_the_rest(parts):
    reminders = people_due(3)
    refused = reminders[1]
    parts.smtp.sink.rcpt_replies[refused.user.email] = "550 5.1.1 No such user here"
    parts.worker()

    tick()
    assert wait_for(lambda: statuses() == {"sent": 2, "failed": 1})
    jump_the_database_clock(dt.timedelta(days=1))
    (canary,) = people_due_later()
    tick()
    # The canary is claimed after the refused row in id order: once it is sent, a delivery has
    # looked at the refused row again, after the jump, and left it alone.
    assert wait_for(lambda: Reminder.objects.get(pk=canary.pk).status == "sent")

    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == ("failed", 1)
    assert "550 5.1.1 No such user here" in refused.last_error
    received = parts.smtp.sink.message_ids()
    assert emails.message_id(refused) not in received
    assert sorted(received.values()) == [1, 1, 1]


def people_due_later() -> list[Reminder]:
    """One more coder due, swept now: a reminder with a higher id than every earlier one."""
    newest = Reminder.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    hold(make_user("canary@example.com"), "CPC", dt.date(2023, 1, 1), cycle_ends_on=dt.date(2026, 12, 20))
    services.sweep(NOW)
    return list(Reminder.objects.filter(pk__gt=newest))
