"""Cohort reminders, created by the same sweep as renewal reminders (plugged into ceu.hooks in
SchoolsConfig.ready) and sent once by the same mechanism: a note to a student a week
before a step's target date, and a weekly digest to each instructor who wants it, listing the
students behind schedule.

Each is one query that the database answers from indexes, and returns only the rows not created
yet, so a sweep costs what is due: the targets within the coming week (an indexed range on
``target_on``) and the instructors still without this week's digest.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.urls import reverse

from ceu.models import Reminder
from roadmap.models import Status, StepProgress

from .models import Cohort, CohortStudent, Membership, Role

TARGET_NOTICE_DAYS = 7
MET = (Status.DONE, Status.SKIPPED)


def due(today: dt.date) -> list[Reminder]:
    """The cohort reminders due on ``today`` and not created yet: two queries whatever the numbers."""
    return _target_notes(today) + _digests(today)


def _met(user, step):
    return StepProgress.objects.filter(enrollment__user=user, step=step, status__in=MET)


def _student_targets():
    """One row per student and target date of their cohort's steps. The target's columns are
    annotations so the subqueries below refer to this very join, not to a new one."""
    return CohortStudent.objects.annotate(
        target_step_id=F("cohort__assignment__targets__step_id"),
        target_on=F("cohort__assignment__targets__target_on"),
    )


def _target_notes(today: dt.date) -> list[Reminder]:
    """A student is told once, from a week before a step's target date up to the day itself (so a
    missed day is caught up), unless the step is done or skipped."""
    window = (today, today + dt.timedelta(days=TARGET_NOTICE_DAYS))
    step, target_on = OuterRef("target_step_id"), OuterRef("target_on")
    told = Reminder.objects.filter(kind=Reminder.Kind.TARGET, user=OuterRef("user_id"), step=step, due_on=target_on)
    rows = (
        _student_targets()
        .filter(target_on__range=window)
        .exclude(Exists(_met(OuterRef("user_id"), step)))
        .exclude(Exists(told))
        .values_list("user_id", "cohort_id", "target_step_id", "target_on")
    )
    return [
        Reminder(
            user_id=user_id,
            cohort_id=cohort_id,
            step_id=step_id,
            kind=Reminder.Kind.TARGET,
            due_on=due_on,
            threshold=TARGET_NOTICE_DAYS,
        )
        for user_id, cohort_id, step_id, due_on in rows
    ]


def _digests(today: dt.date) -> list[Reminder]:
    """One per instructor, cohort and week (due on that week's Monday, so a missed day catches up),
    only where some student is behind schedule: a past target date, the step neither done nor skipped."""
    monday = today - dt.timedelta(days=today.weekday())
    behind = (
        _student_targets()
        .filter(cohort=OuterRef("cohort_id"), target_on__lt=today)
        .exclude(Exists(_met(OuterRef("user_id"), OuterRef("target_step_id"))))
    )
    opted_out = Membership.objects.filter(
        user=OuterRef("user_id"), school=OuterRef("cohort__school_id"), role=Role.INSTRUCTOR, weekly_digest=False
    )
    sent_this_week = Reminder.objects.filter(
        kind=Reminder.Kind.COHORT_DIGEST, user=OuterRef("user_id"), cohort=OuterRef("cohort_id"), due_on=monday
    )
    teaching = (
        Cohort.instructors.through.objects.exclude(Exists(sent_this_week))
        .exclude(Exists(opted_out))
        .filter(Exists(behind))
        .values_list("user_id", "cohort_id")
    )
    return [
        Reminder(user_id=user_id, cohort_id=cohort_id, kind=Reminder.Kind.COHORT_DIGEST, due_on=monday, threshold=0)
        for user_id, cohort_id in teaching
    ]


def target_email(reminder: Reminder, today: dt.date) -> dict:
    """What the target-date note's templates need (emails/target_reminder_*)."""
    return {
        "step": reminder.step,
        "cohort": reminder.cohort,
        "log_url": settings.SITE_URL + reverse("roadmap:dashboard"),
    }


def digest_email(reminder: Reminder, today: dt.date) -> dict:
    """What the weekly digest's templates need: the cohort's students behind schedule."""
    from .selectors import cohort_dashboard

    rows = [row for row in cohort_dashboard(reminder.cohort, today=today)["rows"] if row.behind]
    return {
        "cohort": reminder.cohort,
        "behind": rows,
        "log_url": settings.SITE_URL + reminder.cohort.get_absolute_url(),
    }
