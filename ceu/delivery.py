"""Sending reminder rows exactly once: the database is the queue, Celery only wakes it.

A reminder row's status is the truth. A sender claims one due row at a time, just before talking to
SMTP, with ``SELECT … FOR UPDATE SKIP LOCKED`` and an UPDATE stamped by the database's clock
(pending -> sending, a fresh claim token). Whatever the broker does — a lost message, a duplicate,
a redelivery after a killed worker, a manual run racing the scheduled one — a row is sent by the one
sender holding its claim. Every later change to the row names that claim token, so a sender that
lost its claim can never overwrite the row.

A claim older than ``REMINDER_LEASE_SECONDS`` (its sender was killed) is claimable again and sent
with the same Message-ID. The lease is far longer than one send can take (each SMTP step times out
after ``EMAIL_TIMEOUT``; a Celery task is killed after ``CELERY_TASK_TIME_LIMIT``), so the only
repeat possible is a crash after the mail server accepted the message and before the row was
marked sent: the repeat carries the same Message-ID, which mail systems deduplicate.

Failures: a 5xx answer at MAIL, RCPT or DATA is permanent (the row is failed at once, with the
server's answer); a 4xx answer or a connection problem is transient (the row goes back to pending
with an exponential backoff, and fails after ``MAX_ATTEMPTS``). Failed rows are listed in the admin.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Now
from django.utils import timezone

from accounts.models import Profile

from . import emails
from .models import Reminder

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# Backoff after a transient failure: 1, 2, 4 … minutes after each attempt, at most an hour, so the
# eight attempts span about three hours before a row is given up as failed.
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 3600

SENT, SKIPPED, FAILED, DEFERRED = "sent", "skipped", "failed", "deferred to a later attempt"
SERVER_UNAVAILABLE, LOST_CLAIM = "deferred: mail server unavailable", "claim lost to another sender"


class PermanentFailure(Exception):
    """The mail server refused this message for good (5xx at MAIL, RCPT or DATA)."""


class RecipientDeferred(Exception):
    """The mail server asked to try this message again later (4xx at MAIL, RCPT or DATA)."""


@dataclass(frozen=True)
class Claim:
    reminder_id: int
    token: uuid.UUID


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.REMINDER_LEASE_SECONDS)


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait before the next attempt, after ``attempts`` attempts (1 -> 1 minute)."""
    return dt.timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


def _ago(delta: dt.timedelta) -> ExpressionWrapper:
    return ExpressionWrapper(Now() - Value(delta), output_field=DateTimeField())


def _from_now(delta: dt.timedelta) -> ExpressionWrapper:
    return ExpressionWrapper(Now() + Value(delta), output_field=DateTimeField())


def claimable() -> Q:
    """Rows a sender may take now, by the database's clock: pending and due for an attempt, or
    claimed by a sender that has held the claim longer than the lease."""
    pending = Q(status=Reminder.Status.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=Now()))
    abandoned = Q(status=Reminder.Status.SENDING, claimed_at__lt=_ago(lease()))
    return pending | abandoned


def claim_next() -> Claim | None:
    """Claim the oldest claimable row for this sender alone, or None when nothing is due.

    Concurrent senders skip each other's locked rows, so two never claim the same one (on SQLite,
    whose transactions take the write lock at BEGIN, they simply run one after the other)."""
    token = uuid.uuid4()
    with transaction.atomic():
        reminder_id = (
            Reminder.objects.filter(claimable())
            .order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
            .first()
        )
        if reminder_id is None:
            return None
        Reminder.objects.filter(pk=reminder_id).update(
            status=Reminder.Status.SENDING, claimed_at=Now(), claim_token=token, attempts=F("attempts") + 1
        )
    return Claim(reminder_id, token)


def _settle(claim: Claim, **fields) -> bool:
    """Change the row only while this sender still holds its claim."""
    return bool(
        Reminder.objects.filter(pk=claim.reminder_id, status=Reminder.Status.SENDING, claim_token=claim.token).update(
            claim_token=None, **fields
        )
    )


def _release(claim: Claim, attempts: int, error: str) -> str:
    """Back to pending with a backoff, or failed once the attempts are spent."""
    if attempts >= MAX_ATTEMPTS:
        _settle(claim, status=Reminder.Status.FAILED, last_error=f"Gave up after {attempts} attempts: {error}"[:2000])
        return FAILED
    retry_at = _from_now(retry_delay(attempts))
    _settle(claim, status=Reminder.Status.PENDING, last_error=error[:2000], next_attempt_at=retry_at)
    return DEFERRED


def classify(error: Exception) -> type[Exception]:
    """PermanentFailure for a 5xx answer about this message, RecipientDeferred for a 4xx one, and
    OSError for anything about the server itself (unreachable, timed out, disconnected, refused our
    greeting or login): those are retried, because fixing the server fixes every message."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return PermanentFailure if codes and all(code >= 500 for code in codes) else RecipientDeferred
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return PermanentFailure if error.smtp_code >= 500 else RecipientDeferred
    return OSError


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {answer.decode(errors='replace')}" for code, answer in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        answer = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return f"{error.smtp_code} {answer}"
    return f"{type(error).__name__}: {error}"


def send_claimed(claim: Claim, *, today: dt.date | None = None) -> str:
    """Send the claimed reminder and settle its row. Raises OSError when the mail server itself is
    unavailable (the row is released first), so the caller stops trying other rows for now.

    ``today`` words the email as of that day (the person's local date by default)."""
    reminder = (
        Reminder.objects.select_related("user", "held__credential__body", "cohort__school", "step")
        .filter(pk=claim.reminder_id, status=Reminder.Status.SENDING, claim_token=claim.token)
        .first()
    )
    if reminder is None:  # another sender took it over after our lease ran out
        return LOST_CLAIM
    profile = Profile.objects.filter(user=reminder.user_id).first()
    if profile is not None and not profile.reminder_emails:
        _settle(claim, status=Reminder.Status.SKIPPED)
        return SKIPPED
    time_zone = profile.time_zone if profile else Profile._meta.get_field("time_zone").default
    message = emails.reminder_message(reminder, today=today or timezone.now().astimezone(ZoneInfo(time_zone)).date())
    # The connection is ours to close, after the row is settled: the mail server's goodbye (QUIT)
    # must not stand between its acceptance of the message and the row being marked sent.
    connection = get_connection()
    try:
        connection.open()
        message.connection = connection
        message.send()
    except (OSError, smtplib.SMTPException) as error:
        _close(connection)
        kind = classify(error)
        if kind is PermanentFailure:
            _settle(claim, status=Reminder.Status.FAILED, last_error=_describe(error)[:2000])
            logger.warning("reminder refused", extra={"reminder_id": reminder.pk, "error": _describe(error)})
            return FAILED
        outcome = _release(claim, reminder.attempts, _describe(error))
        if kind is OSError:
            raise
        return outcome
    settled = _settle(claim, status=Reminder.Status.SENT, sent_at=Now(), last_error="")
    _close(connection)
    if not settled:
        # Only possible if this send outlived the lease: say so loudly, the lease is too short.
        logger.error("reminder sent after its claim was lost", extra={"reminder_id": reminder.pk})
        return LOST_CLAIM
    logger.info("reminder sent", extra={"reminder_id": reminder.pk, "kind": reminder.kind})
    return SENT


def _close(connection) -> None:
    with contextlib.suppress(OSError, smtplib.SMTPException):
        connection.close()


def deliver_due(*, limit: int | None = None, seconds: float | None = None, today: dt.date | None = None) -> Counter:
    """Send due reminders one claim at a time until none is due, ``limit`` were handled, ``seconds``
    have passed or the mail server is unavailable. Returns how many ended each way. Safe to run
    anywhere, any number of times at once: the claims keep every row single."""
    outcomes: Counter = Counter()
    deadline = None if seconds is None else time.monotonic() + seconds
    while limit is None or outcomes.total() < limit:
        if deadline is not None and time.monotonic() >= deadline:
            break
        claim = claim_next()
        if claim is None:
            break
        try:
            outcomes[send_claimed(claim, today=today)] += 1
        except (OSError, smtplib.SMTPException) as error:
            outcomes[SERVER_UNAVAILABLE] += 1
            logger.warning("mail server unavailable", extra={"error": _describe(error)})
            break
    return outcomes


def has_due() -> bool:
    return Reminder.objects.filter(claimable()).exists()
