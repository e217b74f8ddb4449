"""What the apps above ceu add to the reminders and the calendar feed (lib/hooks.py says how hooks
work).

- ``reminder_sources``: more reminders for the sweep to create (a school's target notes and weekly
  digests), each ``(today) -> [unsaved Reminder]``; the sweep inserts them under the same unique
  constraints and sends them the same way, once.
- ``reminder_emails``: for each kind of reminder another app creates, ``(reminder, today) -> dict``,
  what its email templates (``emails/<kind>_reminder_*``) need besides the common parts.
- ``calendar_events``: more deadlines for a person's calendar feed, each ``(user) -> [Deadline]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lib.hooks import Hook, Registry

if TYPE_CHECKING:
    from accounts.models import User

    from .models import Reminder


@dataclass(frozen=True)
class Deadline:
    """One event of the calendar feed. ``uid`` and ``stamp`` must stay the same from one refresh to
    the next, or calendar apps show the event twice."""

    title: str
    day: dt.date
    uid: str
    stamp: dt.datetime


reminder_sources: Hook[Callable[[dt.date], list[Reminder]]] = Hook("ceu.reminder_sources")
reminder_emails: Registry[Callable[[Reminder, dt.date], dict[str, Any]]] = Registry("ceu.reminder_emails")
calendar_events: Hook[Callable[[User], list[Deadline]]] = Hook("ceu.calendar_events")
