"""The reminder sweep, sending one reminder exactly once, renewals and calendar feed tokens.

The database, never the broker, decides what is sent: the sweep inserts reminder rows that a unique
constraint keeps single, and a worker claims a row with one conditional UPDATE before talking to
SMTP. A row stuck in "sending" (its worker was killed) is claimed again after SENDING_TIMEOUT and
sent with the same Message-ID; that window is the only place a repeat is possible.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Profile
from roadmap.models import HeldCredential
from roadmap.rules import add_months

from . import emails
from . import sweep as reminder_sweep
from .models import CalendarToken, Reminder

logger = logging.getLogger(__name__)
SENDING_TIMEOUT = dt.timedelta(minutes=15)
MAX_ATTEMPTS = 6


class PermanentFailure(Exception):
    """The mail server refused the message for good (a 5xx answer): do not retry."""


def local_date(now: dt.datetime, time_zone: str) -> dt.date:
    return now.astimezone(ZoneInfo(time_zone)).date()


def sweep(now: dt.datetime) -> list[int]:
    """Create the reminders due at ``now`` (ceu.sweep.sweep: judged on each person's local date, a
    rerun creates nothing) and return the ids of every pending reminder, which the senders still read."""
    reminder_sweep.sweep(now)
    return list(Reminder.objects.pending().values_list("id", flat=True))


def claim(reminder_id: int, now: dt.datetime) -> bool:
    """Take the reminder for sending: true for exactly one caller, whatever the races."""
    claimable = Q(status=Reminder.Status.PENDING) | Q(
        status=Reminder.Status.SENDING, claimed_at__lt=now - SENDING_TIMEOUT
    )
    return bool(
        Reminder.objects.filter(claimable, pk=reminder_id).update(
            status=Reminder.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def send_reminder(reminder_id: int, now: dt.datetime) -> str:
    """Claim and send one reminder. Returns what happened; raises OSError for a transient failure
    (the row is pending again, to retry) and marks a permanent one failed."""
    if not claim(reminder_id, now):
        return "not claimed"
    reminder = Reminder.objects.select_related("user", "held__credential__body", "cohort__school", "step").get(
        pk=reminder_id
    )
    profile, _ = Profile.objects.get_or_create(user=reminder.user)
    if not profile.reminder_emails:
        _finish(reminder, Reminder.Status.SKIPPED)
        return "skipped"
    message = emails.reminder_message(reminder, today=local_date(now, profile.time_zone))
    try:
        message.send()
    except smtplib.SMTPResponseException as error:
        if error.smtp_code >= 500:
            _finish(reminder, Reminder.Status.FAILED, f"{error.smtp_code} {error.smtp_error!r}")
            return "failed"
        _release(reminder, f"{error.smtp_code} {error.smtp_error!r}")
        raise
    except (OSError, smtplib.SMTPException) as error:  # refused, timed out, disconnected: try again later
        _release(reminder, repr(error))
        raise
    _finish(reminder, Reminder.Status.SENT, sent_at=timezone.now())
    logger.info("reminder sent", extra={"reminder_id": reminder.pk, "kind": reminder.kind})
    return "sent"


def _finish(reminder: Reminder, status: str, error: str = "", sent_at=None) -> None:
    Reminder.objects.filter(pk=reminder.pk).update(status=status, last_error=error, sent_at=sent_at)


def _release(reminder: Reminder, error: str) -> None:
    """Back to pending for a retry, unless it has been tried too often."""
    status = Reminder.Status.FAILED if reminder.attempts >= MAX_ATTEMPTS else Reminder.Status.PENDING
    Reminder.objects.filter(pk=reminder.pk).update(status=status, last_error=error[:2000], claimed_at=None)


@transaction.atomic
def renew(held: HeldCredential, *, current_end: dt.date) -> dt.date:
    """The person renewed: the next cycle starts where this one ended."""
    months = held.credential.renewal_rule.cycle_months if held.credential.renewal_rule else None
    held.cycle_ends_on = add_months(current_end, months or 24)
    held.save(update_fields=["cycle_ends_on"])
    return held.cycle_ends_on


def lapse(held: HeldCredential, *, on: dt.date) -> None:
    held.ended_on, held.end_reason = on, HeldCredential.EndReason.LAPSED
    held.save(update_fields=["ended_on", "end_reason"])


@transaction.atomic
def rotate_calendar_token(user) -> str:
    """Revoke the person's feed URLs and return the secret of a new one (shown once)."""
    CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    secret = CalendarToken.new_secret()
    CalendarToken.objects.create(user=user, token_hash=CalendarToken.digest(secret))
    return secret


def feed_owner(secret: str):
    token = (
        CalendarToken.objects.select_related("user")
        .filter(token_hash=CalendarToken.digest(secret), revoked_at__isnull=True)
        .first()
    )
    return token.user if token else None


def site_url() -> str:
    return settings.SITE_URL
