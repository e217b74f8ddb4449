"""Sending reminders, in this process, into a real SMTP server on loopback and the real database.

Claims, leases and retries are judged by the database's clock, so where a test needs time to pass
it moves the rows' timestamps back in the database (``age``), never the code's clock. The faults
that need a real Celery worker and Redis are in test_delivery_faults.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import smtplib
import threading
import uuid
from email import message_from_bytes

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Profile
from accounts.services import profile_of
from ceu import delivery, emails, services
from ceu.models import Reminder
from lib.logs import JsonFormatter
from tests.conftest import make_user

from .conftest import IN_CI, NOW, hold

LEASE = dt.timedelta(seconds=300)


def age(field: str, by: dt.timedelta, **filters) -> None:
    """Move the database's notion of time for these rows: ``field`` now lies ``by`` further back."""
    Reminder.objects.filter(**filters).exclude(**{f"{field}__isnull": True}).update(**{field: F(field) - by})


def sweep() -> Reminder:
    services.sweep(NOW)
    return Reminder.objects.get()


def answer_at(smtp, person, stage: str, answer: str) -> None:
    """Make the SMTP server answer ``answer`` at MAIL, at RCPT for ``person``, or at DATA."""
    if stage == "rcpt":
        smtp.sink.rcpt_replies[person.email] = answer
    else:
        setattr(smtp.sink, {"mail": "mail_reply", "data": "reply"}[stage], answer)


def due_person(email: str):
    """Someone else whose CPC cycle ends on the same day as the coder's, with no CEUs logged."""
    person = make_user(email)
    hold(person, "CPC", dt.date(2023, 1, 1), cycle_ends_on=dt.date(2026, 12, 20))
    return person


def logged(caplog) -> list[dict]:
    """What the sender logged, as the site writes it (one JSON object a line), without the time."""
    formatter = JsonFormatter()
    lines = [json.loads(formatter.format(record)) for record in caplog.records if record.name == "ceu.delivery"]
    return [{key: value for key, value in line.items() if key not in ("time", "logger")} for line in lines]


@pytest.fixture
def postgresql(transactional_db):
    """Row locks held by another connection, and rows it can see: only PostgreSQL has both."""
    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI needs PostgreSQL for the tests of concurrent senders.")
        pytest.skip("concurrent senders need PostgreSQL (SQLite takes the write lock at BEGIN)")


@pytest.fixture(autouse=True)
def _lease(settings):
    settings.REMINDER_LEASE_SECONDS = int(LEASE.total_seconds())


@pytest.mark.parametrize(
    "status, due_in, claimable",
    [
        ("pending", None, True),
        ("pending", -60, True),  # its backoff ended a minute ago
        ("pending", 60, False),  # waiting for its backoff
        ("sent", None, False),
        ("sent", -60, False),
        ("failed", None, False),
        ("failed", -60, False),
        ("skipped", None, False),
    ],
)
def test_only_pending_rows_whose_time_has_come_are_claimed(coder, status, due_in, claimable):
    """Called directly rather than through deliver_due: a batch that claimed a waiting or finished row would
    send it again and again, and never return."""
    reminder = sweep()
    due = None if due_in is None else timezone.now() + dt.timedelta(seconds=due_in)
    Reminder.objects.filter(pk=reminder.pk).update(status=status, next_attempt_at=due)

    assert delivery.has_due() is claimable
    claim = delivery.claim_next()
    assert (claim is not None) is claimable


def test_with_nothing_due_a_batch_asks_the_database_once_and_stops(coder, django_assert_max_num_queries):
    """Once nothing is claimable the batch ends, rather than polling until its time is up."""
    with django_assert_max_num_queries(3):  # the claim's SELECT, in its savepoint
        assert delivery.deliver_due(seconds=1) == {}


def test_a_due_reminder_is_sent_once_with_the_persons_numbers(coder, smtp, caplog):
    reminder = sweep()

    with caplog.at_level(logging.INFO, logger="ceu.delivery"):
        assert delivery.deliver_due(today=NOW.date()) == {"sent": 1}
    assert delivery.deliver_due() == {}
    assert logged(caplog) == [
        {"level": "INFO", "message": "reminder sent", "reminder_id": reminder.pk, "kind": "renewal"}
    ]

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

    assert delivery.send_claimed(stale) == "claim lost to another sender"
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
        ("mail", "500 5.5.2 Syntax error"),
        ("data", "554 5.7.1 Rejected as spam"),
        ("data", "500 5.5.2 Line too long"),
    ],
)
def test_a_5xx_answer_fails_the_reminder_at_once_with_the_servers_words(coder, smtp, caplog, stage, answer):
    answer_at(smtp, coder, stage, answer)
    reminder = sweep()

    with caplog.at_level(logging.INFO, logger="ceu.delivery"):
        assert delivery.deliver_due() == {"failed": 1}
    age("next_attempt_at", dt.timedelta(days=1))
    assert delivery.deliver_due() == {}

    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.last_error) == ("failed", 1, answer)
    assert smtp.sink.messages == []
    assert logged(caplog) == [
        {"level": "WARNING", "message": "reminder refused", "reminder_id": reminder.pk, "error": answer}
    ]


@pytest.mark.parametrize(
    "stage, answer",
    [
        ("rcpt", "451 4.3.0 Try again later"),
        ("mail", "451 4.3.0 Try again later"),
        ("data", "452 4.3.1 Out of space"),
        ("rcpt", "499 4.0.0"),
        ("data", "499 4.0.0"),
    ],
)
def test_a_4xx_answer_defers_the_reminder_with_a_backoff(coder, smtp, stage, answer):
    answer_at(smtp, coder, stage, answer)
    sweep()

    assert delivery.deliver_due() == {"deferred to a later attempt": 1}

    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts, reminder.claim_token) == ("pending", 1, None)
    assert reminder.last_error == answer
    wait = reminder.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=50) < wait <= dt.timedelta(seconds=60)
    assert delivery.claim_next() is None  # not before its time
    age("next_attempt_at", dt.timedelta(seconds=61))
    smtp.sink.rcpt_replies.clear()
    smtp.sink.reply = smtp.sink.mail_reply = "250 OK"
    assert delivery.deliver_due() == {"sent": 1}
    assert len(smtp.sink.messages) == 1
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.last_error) == ("sent", 2, "")  # the old error is gone


def test_an_unreachable_server_defers_the_reminder_and_leaves_the_others_for_later(coder, settings, caplog):
    due_person("other@example.com")
    services.sweep(NOW)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 2

    with caplog.at_level(logging.INFO, logger="ceu.delivery"):
        assert delivery.deliver_due() == {"deferred: mail server unavailable": 1}

    tried, untouched = Reminder.objects.order_by("pk")
    assert (tried.status, tried.attempts, untouched.status, untouched.attempts) == ("pending", 1, "pending", 0)
    refused = "ConnectionRefusedError: [Errno 111] Connection refused"
    assert tried.last_error == refused and tried.next_attempt_at is not None
    assert logged(caplog) == [{"level": "WARNING", "message": "mail server unavailable", "error": refused}]


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
        (smtplib.SMTPSenderRefused(500, b"", "roadmap@localhost"), delivery.PermanentFailure),
        (smtplib.SMTPSenderRefused(499, b"", "roadmap@localhost"), delivery.RecipientDeferred),
        (smtplib.SMTPSenderRefused(421, b"Later", "roadmap@localhost"), delivery.RecipientDeferred),
        (smtplib.SMTPDataError(554, b"Spam"), delivery.PermanentFailure),
        (smtplib.SMTPDataError(500, b""), delivery.PermanentFailure),
        (smtplib.SMTPDataError(499, b""), delivery.RecipientDeferred),
        (smtplib.SMTPDataError(452, b"Full"), delivery.RecipientDeferred),
        (smtplib.SMTPAuthenticationError(535, b"Bad login"), OSError),
        (smtplib.SMTPServerDisconnected("gone"), OSError),
        (ConnectionRefusedError(111, "refused"), OSError),
        (TimeoutError("timed out"), OSError),
    ],
)
def test_failures_are_told_apart_by_who_they_are_about(error, kind):
    assert delivery.classify(error) is kind


@pytest.mark.parametrize(
    "error, described",
    [
        (
            smtplib.SMTPRecipientsRefused(
                {"a@example.com": (550, b"5.1.1 No such user"), "b@example.com": (451, b"Later")}
            ),
            "550 5.1.1 No such user; 451 Later",
        ),
        (
            smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"Adresse inconnue \xe0 ce domaine")}),
            "550 Adresse inconnue \ufffd ce domaine",
        ),
        (smtplib.SMTPDataError(554, b"Refus\xe9"), "554 Refus\ufffd"),
        (smtplib.SMTPSenderRefused(553, "Sender not allowed", "roadmap@localhost"), "553 Sender not allowed"),
        (
            smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
            "SMTPServerDisconnected: Connection unexpectedly closed",
        ),
        (TimeoutError("timed out"), "TimeoutError: timed out"),
    ],
)
def test_the_servers_answer_is_kept_in_words_even_when_it_is_not_utf8(error, described):
    """What the admin's failed list and the log show: code and answer, each refused recipient's in turn."""
    assert delivery._describe(error) == described


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


def test_each_way_a_reminder_ends_is_counted_in_the_words_the_command_prints(coder, smtp, capsys):
    due_person("second@example.com")
    smtp.sink.rcpt_replies[due_person("gone@example.com").email] = "550 5.1.1 No such user here"
    smtp.sink.rcpt_replies[due_person("busy@example.com").email] = "451 4.3.0 Try again later"
    quiet = profile_of(due_person("quiet@example.com"))
    services.sweep(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
    quiet.reminder_emails = False  # after the sweep planned their reminder, before it was sent
    quiet.save()

    call_command("send_reminders", "--date", "2026-11-20")

    out = capsys.readouterr().out
    assert out == "Reminders as of 2026-11-20: 1 deferred to a later attempt, 1 failed, 2 sent, 1 skipped.\n"
    assert len(smtp.sink.messages) == 2


def test_the_command_says_when_the_mail_server_is_unavailable(coder, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 2

    call_command("send_reminders", "--date", "2026-11-20")

    printed = capsys.readouterr()
    assert printed.out == "Reminders as of 2026-11-20: 1 deferred: mail server unavailable.\n"
    assert printed.err == "The mail server is unavailable; the rest is left for the next run.\n"


def test_a_claim_names_one_row_and_one_token_for_good(coder):
    sweep()
    claim = delivery.claim_next()

    with pytest.raises(dataclasses.FrozenInstanceError):
        claim.token = uuid.uuid4()
    assert {claim, delivery.Claim(claim.reminder_id, claim.token)} == {claim}


def test_a_reminder_is_tried_eight_times_with_a_growing_backoff_then_given_up(coder, smtp):
    smtp.sink.rcpt_replies[coder.email] = "451 4.3.0 Try again later"
    reminder = sweep()

    outcomes, waits = [], []
    for _attempt in range(8):
        outcomes.append(delivery.deliver_due())
        reminder.refresh_from_db()
        if reminder.status == "pending":
            waits.append(round((reminder.next_attempt_at - timezone.now()).total_seconds() / 60))
        age("next_attempt_at", dt.timedelta(hours=2))

    assert outcomes == [{"deferred to a later attempt": 1}] * 7 + [{"failed": 1}]
    assert waits == [1, 2, 4, 8, 16, 32, 60]  # minutes
    assert delivery.deliver_due() == {}
    assert (reminder.status, reminder.attempts) == ("failed", 8)
    assert reminder.last_error == "Gave up after 8 attempts: 451 4.3.0 Try again later"


@pytest.mark.parametrize(
    "answer, attempts_before, outcome, status, stored",
    [
        ("550 5.7.1 " + "x" * 3000, 0, "failed", "failed", "550 5.7.1 " + "x" * 1990),
        ("451 4.3.0 " + "y" * 3000, 0, "deferred to a later attempt", "pending", "451 4.3.0 " + "y" * 1990),
        ("451 4.3.0 " + "z" * 3000, 7, "failed", "failed", "Gave up after 8 attempts: 451 4.3.0 " + "z" * 1964),
    ],
)
def test_a_huge_answer_is_stored_cut_to_2000_characters(coder, smtp, answer, attempts_before, outcome, status, stored):
    smtp.sink.rcpt_replies[coder.email] = answer
    reminder = sweep()
    Reminder.objects.filter(pk=reminder.pk).update(attempts=attempts_before)

    assert delivery.deliver_due() == {outcome: 1}

    reminder.refresh_from_db()
    assert (reminder.status, len(reminder.last_error), reminder.last_error) == (status, 2000, stored)


def test_someone_who_never_saved_a_profile_is_reminded_too(ladder, smtp):
    """Without a profile the email is worded as of the day in the default time zone."""
    person = due_person("new@example.com")
    services.sweep(NOW)
    assert not Profile.objects.filter(user=person).exists()

    assert delivery.deliver_due() == {"sent": 1}
    assert message_from_bytes(smtp.sink.messages[0])["To"] == "new@example.com"


def test_a_mail_server_slow_to_say_goodbye_does_not_undo_a_sent_reminder(coder, smtp, settings):
    """The row is marked sent as soon as the server has accepted the message, before the goodbye (QUIT):
    a goodbye that times out changes nothing."""
    settings.EMAIL_TIMEOUT = 2
    smtp.sink.quit_delay = 5
    sweep()

    assert delivery.deliver_due() == {"sent": 1}
    assert Reminder.objects.get().status == "sent"
    assert len(smtp.sink.messages) == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_row_is_marked_sent_before_the_sender_says_goodbye(coder, smtp, postgresql):
    """The message goes out on the sender's own connection, which it closes only after the row is
    settled: at the one goodbye the server hears, the row already reads sent (read by the server's
    thread in a connection of its own, which sees only what is committed)."""
    seen = []

    def read_the_row():
        seen.append(Reminder.objects.get().status)
        connection.close()  # this thread's connection to the test database

    reminder = sweep()
    smtp.sink.on_quit = read_the_row

    assert delivery.deliver_due() == {"sent": 1}
    assert seen == ["sent"]
    assert Reminder.objects.get(pk=reminder.pk).status == "sent"


def test_a_batch_stops_at_its_limit_and_leaves_the_rest_due(coder, smtp):
    due_person("other@example.com")
    services.sweep(NOW)

    assert delivery.deliver_due(limit=1) == {"sent": 1}
    assert sorted(Reminder.objects.values_list("status", flat=True)) == ["pending", "sent"]
    assert delivery.deliver_due(limit=5) == {"sent": 1}


def test_a_batch_sends_until_its_time_is_up(coder, smtp):
    due_person("other@example.com")
    services.sweep(NOW)

    assert delivery.deliver_due(seconds=0) == {}
    assert list(Reminder.objects.values_list("status", "attempts")) == [("pending", 0), ("pending", 0)]
    assert delivery.deliver_due(seconds=60) == {"sent": 2}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_row_another_sender_has_locked_is_skipped_not_waited_for(coder, postgresql):
    due_person("other@example.com")
    services.sweep(NOW)
    first, second = Reminder.objects.order_by("pk").values_list("pk", flat=True)
    locked, release = threading.Event(), threading.Event()

    def other_sender():  # in a connection of its own, holding the first row's lock until released
        try:
            with transaction.atomic():
                list(Reminder.objects.select_for_update().filter(pk=first))
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=other_sender)
    thread.start()
    try:
        assert locked.wait(10)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")  # a sender that waited for the lock fails here
            claim = delivery.claim_next()
    finally:
        release.set()
        thread.join()

    assert claim.reminder_id == second
    assert Reminder.objects.get(pk=first).status == "pending"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_send_that_outlived_its_lease_is_logged_and_leaves_the_row_to_the_sender_that_took_over(
    coder, smtp, postgresql, caplog
):
    reminder = sweep()
    claim = delivery.claim_next()
    smtp.sink.held.add(coder.email)  # the mail server keeps this sender waiting at RCPT...
    taken_over = []

    def takeover():  # ...while the lease runs out and another sender claims the row
        try:
            if smtp.sink.holding.wait(10):
                age("claimed_at", LEASE + dt.timedelta(seconds=1))
                taken_over.append(delivery.claim_next())
        finally:
            smtp.sink.release.set()
            connection.close()

    thread = threading.Thread(target=takeover)
    thread.start()
    with caplog.at_level(logging.INFO, logger="ceu.delivery"):
        outcome = delivery.send_claimed(claim)
    thread.join()

    assert outcome == "claim lost to another sender"
    assert len(smtp.sink.messages) == 1  # sent, with the Message-ID the other sender will use again
    assert logged(caplog) == [
        {"level": "ERROR", "message": "reminder sent after its claim was lost", "reminder_id": reminder.pk}
    ]
    (other,) = taken_over
    row = Reminder.objects.get()
    assert (row.status, row.claim_token, row.attempts) == ("sending", other.token, 2)


def _closed_port() -> int:
    from tests.mailsink import free_port

    return free_port()
