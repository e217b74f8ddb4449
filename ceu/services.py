"""Renewals and calendar feed tokens, and the reminder sweep's entry point.

The database, never the broker, decides what is sent: the sweep (ceu.sweep) inserts reminder rows
that unique constraints keep single, and ceu.delivery sends each row once.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from roadmap.models import HeldCredential
from roadmap.rules import add_months

from .models import CalendarToken
from .sweep import sweep

__all__ = ["feed_owner", "lapse", "local_date", "renew", "rotate_calendar_token", "site_url", "sweep"]

logger = logging.getLogger(__name__)


def local_date(now: dt.datetime, time_zone: str) -> dt.date:
    return now.astimezone(ZoneInfo(time_zone)).date()


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
