"""The reminder sweep, renewals and calendar feed tokens.

The database, never the broker, decides what is sent: the sweep inserts reminder rows that unique
constraints keep single, and ceu.delivery sends each row once.
"""

from __future__ import annotations

import datetime as dt
import logging
from importlib import import_module
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Profile, User
from roadmap.models import HeldCredential
from roadmap.rules import add_months, apprentice_eligible_on

from .cycles import cycles, threshold_crossed
from .models import CalendarToken, Reminder
from .selectors import active_holdings, entries_by_user, holding_of

logger = logging.getLogger(__name__)
SWEEP_CHUNK = 1000
# Other apps' reminders, created by the same sweep and sent the same way: `due(today) -> [Reminder]`.
OTHER_REMINDER_SOURCES = ("schools.reminders",)


def local_date(now: dt.datetime, time_zone: str) -> dt.date:
    return now.astimezone(ZoneInfo(time_zone)).date()


def sweep(now: dt.datetime) -> list[int]:
    """Create the reminders due at ``now`` (judged on each person's local date) and return the ids of
    every pending reminder, for the caller to send. Running it twice creates nothing new."""
    # People without a saved profile have the default preferences: reminders on, default time zone.
    people = (
        User.objects.filter(held_credentials__ended_on__isnull=True)
        .filter(Q(profile__isnull=True) | Q(profile__reminder_emails=True))
        .distinct()
        .values_list("id", "profile__time_zone", "profile__career_start", "profile__apprentice_education_credits")
    )
    batch: list[tuple] = []
    for row in people.order_by("id").iterator(chunk_size=SWEEP_CHUNK):
        batch.append(row)
        if len(batch) == SWEEP_CHUNK:
            _sweep_batch(batch, now)
            batch = []
    if batch:
        _sweep_batch(batch, now)
    for source in OTHER_REMINDER_SOURCES:
        Reminder.objects.bulk_create(import_module(source).due(now.date()), ignore_conflicts=True)
    return list(Reminder.objects.pending().values_list("id", flat=True))


def _sweep_batch(batch: list[tuple], now: dt.datetime) -> None:
    """Two queries to read a batch of people, one to insert their due reminders."""
    default_zone = Profile._meta.get_field("time_zone").default
    profiles = {user_id: (tz or default_zone, start, credits or 0) for user_id, tz, start, credits in batch}
    holdings = active_holdings(list(profiles))
    entries = entries_by_user(list(profiles))
    due = []
    for user_id, held in holdings.items():
        time_zone, career_start, credits = profiles[user_id]
        today = local_date(now, time_zone)
        for cycle in cycles([holding_of(h) for h in held], entries.get(user_id, []), today):
            days_left = cycle.days_left(today)
            if days_left is None or not cycle.is_short:
                continue
            threshold = threshold_crossed(days_left)
            if threshold is not None:
                due.append(
                    Reminder(
                        user_id=user_id,
                        held_id=cycle.holding.id,
                        kind=Reminder.Kind.RENEWAL,
                        due_on=cycle.end,
                        threshold=threshold,
                    )
                )
        for h in held:
            if h.credential.level == "apprentice":
                eligible = apprentice_eligible_on(career_start, credits, certified_on=h.earned_on)
                if eligible and eligible <= today:
                    due.append(
                        Reminder(
                            user_id=user_id, held_id=h.pk, kind=Reminder.Kind.APPRENTICE, due_on=eligible, threshold=0
                        )
                    )
    Reminder.objects.bulk_create(due, ignore_conflicts=True)


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
