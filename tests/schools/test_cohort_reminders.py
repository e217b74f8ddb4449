"""Cohort reminders go through the renewal reminder mechanism: created by the sweep, sent once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from ceu import delivery
from ceu import services as reminders
from ceu.models import Reminder
from roadmap import services as roadmap_services
from roadmap.models import Enrollment, Roadmap, Status
from schools import services
from schools.models import Membership

START = dt.date(2026, 1, 5)  # certificate target: 2027-01-05


@pytest.fixture
def assigned(cohort, ladder):
    services.assign_roadmap(cohort, Roadmap.objects.get(key="outpatient-aapc"), start_on=START)
    return cohort


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(15), tzinfo=dt.UTC)


def test_students_get_one_note_a_week_before_a_target_date(assigned, student, classmate):
    enrollment = Enrollment.objects.get(user=classmate)
    roadmap_services.change_step(
        enrollment,
        enrollment.roadmap.steps.get(key="certificate"),
        status=Status.DONE,
        completed_on=dt.date(2026, 12, 1),
        today=dt.date(2026, 12, 1),
    )

    reminders.sweep(at(dt.date(2026, 12, 29)))
    reminders.sweep(at(dt.date(2026, 12, 30)))

    notes = Reminder.objects.filter(kind="target")
    assert {(r.user, r.step.key) for r in notes} >= {(student, "certificate")}
    assert not notes.filter(user=classmate, step__key="certificate").exists()  # already done
    assert notes.filter(user=student, step__key="certificate").count() == 1


def test_instructors_get_a_weekly_digest_of_students_behind(assigned, instructor, student):
    reminders.sweep(at(dt.date(2027, 1, 12)))  # a Tuesday, a week after the first targets
    reminders.sweep(at(dt.date(2027, 1, 14)))  # the same week: nothing new
    reminders.sweep(at(dt.date(2027, 1, 19)))  # the next week: a new digest

    digests = Reminder.objects.filter(kind="cohort_digest", user=instructor)
    assert sorted(digests.values_list("due_on", flat=True)) == [dt.date(2027, 1, 11), dt.date(2027, 1, 18)]


def test_the_digest_lists_the_students_behind(assigned, instructor, student):
    reminders.sweep(at(dt.date(2027, 1, 12)))
    Reminder.objects.exclude(kind="cohort_digest").delete()

    assert delivery.deliver_due(today=dt.date(2027, 1, 12)) == {delivery.SENT: 1}
    (message,) = mail.outbox
    assert message.to == [instructor.email]
    assert "student@example.com" in message.body and "behind schedule" in message.subject


def test_instructors_can_turn_the_digest_off(assigned, instructor):
    Membership.objects.filter(user=instructor).update(weekly_digest=False)

    reminders.sweep(at(dt.date(2027, 1, 12)))

    assert not Reminder.objects.filter(kind="cohort_digest").exists()


def test_the_digest_toggle_is_on_the_school_page(client, instructor, cohort):
    client.force_login(instructor)

    client.post("/schools/riverside/digest/", {})

    assert not Membership.objects.get(user=instructor).weekly_digest


def test_cohort_target_dates_are_in_the_students_calendar_feed(client, assigned, student):
    from ceu.services import rotate_calendar_token

    secret = rotate_calendar_token(student)

    body = client.get(f"/ceu/calendar/{secret}.ics").content.decode()

    assert "SUMMARY:Target: Complete a certificate or diploma program" in body
    assert "DTSTART;VALUE=DATE:20270105" in body
