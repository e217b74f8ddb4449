"""Reads about a person that every app above accounts uses."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from .models import Profile


def local_today(profile: Profile, now: dt.datetime) -> dt.date:
    """Today's date where the person lives: deadlines and "not in the future" use it."""
    return now.astimezone(ZoneInfo(profile.time_zone)).date()
