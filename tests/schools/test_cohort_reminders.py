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
from schools import reminders as cohort_reminders
from schools import services
from schools.models import Membership, StepTarget
from tests.conftest import make_user

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


def certificate_notes(today: dt.date) -> set[tuple]:
    return {
        (r.user_id, r.due_on) for r in cohort_reminders.due(today) if r.kind == "target" and r.step.key == "certificate"
    }


def test_a_target_note_is_due_from_seven_days_before_the_target_to_the_day_itself(assigned, student):
    target = dt.date(2027, 1, 5)

    assert (student.pk, target) not in certificate_notes(target - dt.timedelta(days=8))
    assert (student.pk, target) in certificate_notes(target - dt.timedelta(days=7))
    assert (student.pk, target) in certificate_notes(target)  # a missed week is caught up on the day
    assert (student.pk, target) not in certificate_notes(target + dt.timedelta(days=1))


def test_the_sources_return_only_what_is_not_created_yet(assigned, instructor):
    reminders.sweep(at(dt.date(2027, 1, 12)))

    assert cohort_reminders.due(dt.date(2027, 1, 12)) == []
    assert Reminder.objects.filter(kind="cohort_digest").count() == 1


@pytest.mark.parametrize("students", [2, 40])
def test_cohort_reminders_take_two_queries_whatever_the_cohort_size(
    assigned, instructor, students, django_assert_num_queries
):
    services.add_students(assigned, [make_user(f"s{n}@example.com") for n in range(students - 2)])
    week_before = dt.date(2026, 12, 29)
    targets_that_week = StepTarget.objects.filter(target_on__range=(week_before, dt.date(2027, 1, 5))).count()

    with django_assert_num_queries(2):
        notes = cohort_reminders.due(week_before)
    with django_assert_num_queries(2):
        digests = cohort_reminders.due(dt.date(2027, 1, 12))

    assert targets_that_week >= 1
    assert [r.kind for r in notes] == ["target"] * students * targets_that_week
    assert [r.kind for r in digests if r.kind == "cohort_digest"] == ["cohort_digest"]
