"""The apprentice reminder comes on the eligibility day itself, judged on the person's local date."""

from __future__ import annotations

import datetime as dt

from accounts.services import profile_of
from ceu import services
from ceu.models import Reminder

from .conftest import hold

ELIGIBLE = dt.date(2026, 6, 1)  # one year of experience from 1 Jun 2025 with one education credit


def apprentice(user):
    profile = profile_of(user)
    profile.career_start, profile.apprentice_education_credits = dt.date(2025, 6, 1), 1
    profile.time_zone = "America/New_York"
    profile.save()
    hold(user, "CPC-A", dt.date(2025, 9, 1), cycle_ends_on=dt.date(2027, 9, 1))


def test_nothing_the_evening_before_the_eligibility_day(classmate, ladder):
    apprentice(classmate)

    services.sweep(dt.datetime(2026, 6, 1, 3, 59, tzinfo=dt.UTC))  # 23:59 on May 31 in New York

    assert not Reminder.objects.filter(kind="apprentice").exists()


def test_the_reminder_is_due_from_the_first_minute_of_the_eligibility_day(classmate, ladder):
    apprentice(classmate)

    services.sweep(dt.datetime(2026, 6, 1, 4, 0, tzinfo=dt.UTC))  # 00:00 on Jun 1 in New York

    assert Reminder.objects.get(kind="apprentice").due_on == ELIGIBLE
