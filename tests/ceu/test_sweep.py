"""The daily sweep: the right people get the right reminder on the right day, each once."""

from __future__ import annotations

import datetime as dt

import pytest

from ceu import services
from ceu.models import Reminder
from roadmap.services import profile_of

from .conftest import NOW, hold, log


def sweep_at(now=NOW):
    return services.sweep(now)


def test_a_coder_short_of_ceus_gets_the_30_day_reminder(coder):
    pending = sweep_at()

    reminder = Reminder.objects.get()
    assert pending == [reminder.pk]
    assert (reminder.user, reminder.kind, reminder.threshold, reminder.due_on) == (
        coder,
        "renewal",
        30,
        dt.date(2026, 12, 20),
    )


def test_running_the_sweep_twice_creates_no_duplicate(coder):
    sweep_at()
    sweep_at()
    sweep_at(NOW + dt.timedelta(hours=1))

    assert Reminder.objects.count() == 1


def test_a_missed_day_is_caught_up_the_next_day(coder):
    # Nothing ran at 30 days (Nov 20); on Nov 25 (25 days left) the 30-day reminder is still due.
    assert dt.date(2026, 12, 20) - dt.date(2026, 11, 25) == dt.timedelta(days=25)
    sweep_at()
    assert Reminder.objects.get().threshold == 30


def test_the_next_threshold_makes_a_new_reminder_and_an_ended_cycle_another(coder):
    sweep_at()
    sweep_at(dt.datetime(2026, 12, 14, 15, tzinfo=dt.UTC))  # 6 days left
    sweep_at(dt.datetime(2026, 12, 22, 15, tzinfo=dt.UTC))  # ended

    assert sorted(Reminder.objects.values_list("threshold", flat=True)) == [0, 7, 30]


def test_due_is_judged_on_the_persons_local_date(coder):
    profile = profile_of(coder)
    profile.time_zone = "Pacific/Honolulu"
    profile.save()
    # 08:00 UTC on Nov 21 is still Nov 20 in Honolulu: 30 days left exactly, so the reminder is due...
    sweep_at(dt.datetime(2026, 11, 21, 8, tzinfo=dt.UTC))
    assert Reminder.objects.get().threshold == 30
    # ...while on Oct 21 UTC-late it is 60 days before, only the 60-day one would be due.


def test_enough_ceus_means_no_reminder(coder):
    log(coder, list(coder.held_credentials.all()), "30", dt.date(2026, 6, 1))

    assert sweep_at() == []


def test_far_deadlines_and_people_who_turned_reminders_off_get_nothing(coder, classmate, ladder):
    hold(classmate, "CCS", dt.date(2026, 1, 1))  # AHIMA cycle ends 2028
    profile = profile_of(coder)
    profile.reminder_emails = False
    profile.save()

    assert sweep_at() == []


def test_an_apprentice_who_became_eligible_is_told_once(classmate, ladder):
    profile = profile_of(classmate)
    profile.career_start, profile.apprentice_education_credits = dt.date(2025, 6, 1), 1
    profile.save()
    hold(classmate, "CPC-A", dt.date(2025, 9, 1), cycle_ends_on=dt.date(2027, 9, 1))

    sweep_at()
    sweep_at()

    reminder = Reminder.objects.get(kind="apprentice")
    assert reminder.due_on == dt.date(2026, 6, 1)


@pytest.mark.django_db
def test_the_sweep_reads_people_in_a_fixed_number_of_queries(coder, classmate, django_assert_max_num_queries):
    hold(classmate, "CPC", dt.date(2023, 1, 1), cycle_ends_on=dt.date(2026, 12, 1))
    with django_assert_max_num_queries(14):  # renewal and cohort reminders, each a few set-based queries
        sweep_at()
    assert Reminder.objects.count() == 2
