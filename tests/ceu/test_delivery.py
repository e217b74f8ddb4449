"""Sending reminders, in this process, into a real SMTP server on loopback and the real database.

Claims, leases and retries are judged by the database's clock, so where a test needs time to pass
it moves the rows' timestamps back in the database (``age``), never the code's clock. The faults
that need a real Celery worker and Redis are in test_delivery_faults.py.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from email import message_from_bytes

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from ceu import delivery, emails, services
from ceu.models import Reminder
from tests.conftest import make_user

from .conftest import NOW, hold

LEASE = dt.timedelta(seconds=300)


def age(field: str, by: dt.timedelta, **filters) -> None:
    """Move the database's notion of time for these rows: ``field`` now lies ``by`` further back."""
    Reminder.objects.filter(**filters).exclude(**{f"{field}__isnull": True}).update(**{field: F(field) - by})


def sweep() -> Reminder:
    services.sweep(NOW)
    return Reminder.objects.get()


@pytest.fixture(autouse=True)
def _lease(settings):
    settings.REMINDER_LEASE_SECONDS = int(LEASE.total_seconds())


def test_a_due_reminder_is_sent_once_with_the_persons_numbers(coder, smtp):
    reminder = sweep()

    assert delivery.deliver_due(today=NOW.date()) == {delivery.SENT: 1}
    assert delivery.deliver_due() == {}

    (raw,) = smtp.sink.messages
    message = message_from_bytes(raw)
    assert message["To"] == coder.email
    assert message["Message-ID"] == f"<reminder-{reminder.pk}-renewal-20261220@127.0.0.1>"
    assert message["List-Unsubscribe"].strip().startswith("<http") and message["List-Unsubscribe-Post"]
    text = raw.decode()
    assert "CEUs remaining:           30" in text and "December 20, 2026, in 25 days" in text
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.claim_token) == ("sent", 1, None)
    assert reminder.sent_at is not None


def test_a_claimed_reminder_cannot_be_claimed_again_while_its_lease_runs(coder):
    sweep()

    assert delivery.claim_next() is not None
    age("claimed_at", LEASE - dt.timedelta(seconds=5))

    assert delivery.claim_next() is None


def test_an_abandoned_claim_is_taken_over_after_the_lease_and_sent_with_the_same_message_id(coder, smtp):
    reminder = sweep()
    abandoned = delivery.claim_next()  # its sender was killed before it talked to SMTP
    age("claimed_at", LEASE + dt.timedelta(seconds=1))

    takeover = delivery.claim_next()
    assert takeover.reminder_id == abandoned.reminder_id and takeover.token != abandoned.token
    assert delivery.send_claimed(takeover) == delivery.SENT

    (raw,) = smtp.sink.messages
    assert message_from_bytes(raw)["Message-ID"] == emails.message_id(reminder)
    assert Reminder.objects.get().attempts == 2


def test_a_sender_that_lost_its_claim_neither_sends_nor_changes_the_row(coder, smtp):
    sweep()
    stale = delivery.claim_next()
    age("claimed_at", LEASE + dt.timedelta(seconds=1))
    takeover = delivery.claim_next()

    assert delivery.send_claimed(stale) == delivery.LOST_CLAIM
    assert smtp.sink.messages == []
    assert Reminder.objects.get().claim_token == takeover.token
    assert delivery.send_claimed(takeover) == delivery.SENT
    assert len(smtp.sink.messages) == 1


@pytest.mark.parametrize(
    "stage, answer",
    [
        ("rcpt", "550 5.1.1 No such user here"),
        ("rcpt", "500 5.5.1 Not understood"),
        ("mail", "553 5.7.1 Sender not allowed"),
        ("data", "554 5.7.1 Rejected as spam"),
    ],
)
def test_a_5xx_answer_fails_the_reminder_at_once_with_the_servers_words(coder, smtp, stage, answer):
    if stage == "rcpt":
        smtp.sink.rcpt_replies[coder.email] = answer
    else:
        setattr(smtp.sink, {"mail": "mail_reply", "data": "reply"}[stage], answer)
    sweep()

    assert delivery.deliver_due() == {delivery.FAILED: 1}
    age("next_attempt_at", dt.timedelta(days=1))
    assert delivery.deliver_due() == {}

    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts) == ("failed", 1)
    assert answer in reminder.last_error
    assert smtp.sink.messages == []


@pytest.mark.parametrize(
    "stage, answer", [("rcpt", "451 4.3.0 Try again later"), ("data", "452 4.3.1 Out of space"), ("rcpt", "499 4.0.0")]
)
def test_a_4xx_answer_defers_the_reminder_with_a_backoff(coder, smtp, stage, answer):
    if stage == "rcpt":
        smtp.sink.rcpt_replies[coder.email] = answer
    else:
        smtp.sink.reply = answer
    sweep()

    assert delivery.deliver_due() == {delivery.DEFERRED: 1}

    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts, reminder.claim_token) == ("pending", 1, None)
    assert answer in reminder.last_error
    wait = reminder.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=50) < wait <= dt.timedelta(seconds=60)
    assert delivery.claim_next() is None  # not before its time
    age("next_attempt_at", dt.timedelta(seconds=61))
    smtp.sink.rcpt_replies.clear()
    smtp.sink.reply = "250 OK"
    assert delivery.deliver_due() == {delivery.SENT: 1}
    assert len(smtp.sink.messages) == 1


def test_an_unreachable_server_defers_the_reminder_and_leaves_the_others_for_later(coder, settings, ladder):
    other = make_user("other@example.com")
    hold(other, "CPC", dt.date(2023, 1, 1), cycle_ends_on=dt.date(2026, 12, 20))
    services.sweep(NOW)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 2

    assert delivery.deliver_due() == {delivery.SERVER_UNAVAILABLE: 1}

    tried, untouched = Reminder.objects.order_by("pk")
    assert (tried.status, tried.attempts, untouched.status, untouched.attempts) == ("pending", 1, "pending", 0)
    assert "ConnectionRefusedError" in tried.last_error and tried.next_attempt_at is not None


def test_the_last_attempt_gives_up_and_the_one_before_does_not(coder, smtp):
    smtp.sink.rcpt_replies[coder.email] = "451 4.3.0 Try again later"
    reminder = sweep()
    Reminder.objects.filter(pk=reminder.pk).update(attempts=delivery.MAX_ATTEMPTS - 2)

    assert delivery.deliver_due() == {delivery.DEFERRED: 1}  # attempt MAX - 1
    assert Reminder.objects.get().status == "pending"
    age("next_attempt_at", dt.timedelta(hours=2))
    assert delivery.deliver_due() == {delivery.FAILED: 1}  # attempt MAX

    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == ("failed", delivery.MAX_ATTEMPTS)
    assert reminder.last_error.startswith(f"Gave up after {delivery.MAX_ATTEMPTS} attempts: 451")


@pytest.mark.parametrize(
    "attempts, seconds", [(1, 60), (2, 120), (3, 240), (4, 480), (6, 1920), (7, 3600), (8, 3600), (30, 3600)]
)
def test_retries_back_off_exponentially_up_to_an_hour(attempts, seconds):
    assert delivery.retry_delay(attempts) == dt.timedelta(seconds=seconds)


@pytest.mark.parametrize(
    "error, kind",
    [
        (smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"No such user")}), delivery.PermanentFailure),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (500, b"")}), delivery.PermanentFailure),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (499, b"")}), delivery.RecipientDeferred),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (450, b"Busy")}), delivery.RecipientDeferred),
        (smtplib.SMTPSenderRefused(553, b"No", "roadmap@localhost"), delivery.PermanentFailure),
        (smtplib.SMTPSenderRefused(421, b"Later", "roadmap@localhost"), delivery.RecipientDeferred),
        (smtplib.SMTPDataError(554, b"Spam"), delivery.PermanentFailure),
        (smtplib.SMTPDataError(452, b"Full"), delivery.RecipientDeferred),
        (smtplib.SMTPAuthenticationError(535, b"Bad login"), OSError),
        (smtplib.SMTPServerDisconnected("gone"), OSError),
        (ConnectionRefusedError(111, "refused"), OSError),
        (TimeoutError("timed out"), OSError),
    ],
)
def test_failures_are_told_apart_by_who_they_are_about(error, kind):
    assert delivery.classify(error) is kind


def test_unsubscribed_people_get_no_more_reminders(coder, smtp, client):
    reminder = sweep()
    client.post(f"/ceu/unsubscribe/{emails.unsubscribe_token(coder.pk)}/")

    assert delivery.deliver_due() == {delivery.SKIPPED: 1}
    assert smtp.sink.messages == []
    assert Reminder.objects.get(pk=reminder.pk).status == "skipped"


def test_the_command_chooses_what_is_due_by_date_but_claims_by_the_database_clock(coder, smtp, capsys):
    call_command("send_reminders", "--date", "2026-11-20")  # 30 days before the cycle end

    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.threshold) == ("sent", 30)
    assert abs(reminder.claimed_at - timezone.now()) < dt.timedelta(minutes=1)
    assert "1 sent" in capsys.readouterr().out


def _closed_port() -> int:
    from tests.mailsink import free_port

    return free_port()
