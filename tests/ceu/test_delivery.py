"""Reminders through the real services: a Celery worker on the real Redis, real SMTP delivery.

The database decides what is sent; these tests prove a duplicated enqueue, a second sweep, two
workers racing and a retried task never send a second email, and that an SMTP server that is down
and then up delivers exactly once.
"""

from __future__ import annotations

import time
from email import message_from_bytes

import pytest
from celery.contrib.testing.worker import start_worker

from ceu import services, tasks
from ceu.models import Reminder
from config.celery import app

from .conftest import NOW, SmtpServer, free_port

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker(redis_url, monkeypatch):
    """A real Celery worker (two threads) consuming from the real Redis."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()  # the test database number only: no leftovers
    monkeypatch.setattr(tasks, "RETRY_BASE_SECONDS", 1)
    app.conf.update(broker_url=redis_url, task_always_eager=False, result_backend=None)
    with start_worker(
        app, pool="threads", concurrency=2, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
    ):
        yield app


def wait_for(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def status_of(reminder_id: int) -> str:
    return Reminder.objects.get(pk=reminder_id).status


def test_the_worker_sends_the_reminder_once_with_the_persons_numbers(coder, smtp, worker):
    (reminder_id,) = services.sweep(NOW)

    tasks.send_reminder.delay(reminder_id)

    assert wait_for(lambda: status_of(reminder_id) == "sent")
    (raw,) = smtp.sink.messages
    message = message_from_bytes(raw)
    assert message["To"] == coder.email
    assert message["Message-ID"] == f"<reminder-{reminder_id}-renewal-20261220@127.0.0.1>"
    assert message["List-Unsubscribe"].strip().startswith("<http") and message["List-Unsubscribe-Post"]
    text = raw.decode()
    assert "CEUs remaining:           30" in text and "December 20, 2026" in text


def test_duplicate_enqueues_racing_workers_and_a_second_sweep_send_one_email(coder, smtp, worker):
    (reminder_id,) = services.sweep(NOW)
    assert services.sweep(NOW) == [reminder_id]  # a second sweep creates nothing new

    for _ in range(4):  # a duplicated beat tick, a redelivered task, ...: two threads race for them
        tasks.send_reminder.delay(reminder_id)

    assert wait_for(lambda: status_of(reminder_id) == "sent")
    time.sleep(1.5)  # give the other deliveries every chance to (wrongly) send
    assert len(smtp.sink.messages) == 1
    assert Reminder.objects.get(pk=reminder_id).attempts == 1


def test_an_smtp_server_that_is_down_then_up_delivers_exactly_once(coder, settings, worker):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    (reminder_id,) = services.sweep(NOW)

    tasks.send_reminder.delay(reminder_id)  # nothing listens: refused, retried with backoff
    assert wait_for(lambda: Reminder.objects.get(pk=reminder_id).last_error != "")
    assert status_of(reminder_id) == "pending"

    server = SmtpServer(port).start()
    try:
        assert wait_for(lambda: status_of(reminder_id) == "sent", seconds=30)
        assert len(server.sink.messages) == 1
    finally:
        server.stop()
    assert Reminder.objects.get(pk=reminder_id).attempts >= 2


def test_a_permanent_rejection_is_marked_failed_and_not_retried(coder, smtp, worker):
    smtp.sink.reply = "550 5.1.1 No such mailbox"
    (reminder_id,) = services.sweep(NOW)

    tasks.send_reminder.delay(reminder_id)

    assert wait_for(lambda: status_of(reminder_id) == "failed")
    reminder = Reminder.objects.get(pk=reminder_id)
    assert reminder.attempts == 1 and "550" in reminder.last_error
    assert smtp.sink.messages == []


def test_a_row_left_sending_by_a_killed_worker_is_sent_again_after_the_timeout(coder, smtp):
    (reminder_id,) = services.sweep(NOW)
    assert services.claim(reminder_id, NOW)  # a worker claimed it, then died before sending

    assert services.send_reminder(reminder_id, NOW) == "not claimed"  # too soon: it may still be sending
    later = NOW + services.SENDING_TIMEOUT + services.dt.timedelta(seconds=1)
    assert services.send_reminder(reminder_id, later) == "sent"
    assert len(smtp.sink.messages) == 1


def test_unsubscribed_people_get_no_more_reminders(coder, smtp, client):
    from ceu.emails import unsubscribe_token

    (reminder_id,) = services.sweep(NOW)
    client.post(f"/ceu/unsubscribe/{unsubscribe_token(coder.pk)}/")

    assert services.send_reminder(reminder_id, NOW) == "skipped"
    assert smtp.sink.messages == []
    assert services.sweep(NOW + services.dt.timedelta(days=20)) == []
