"""Cohort reminders, created by the same daily sweep as renewal reminders (ceu.services.sweep) and
sent once by the same mechanism: a note to a student a week before a step's target date, and a
weekly digest to each instructor who wants it, listing the students behind schedule."""

from __future__ import annotations

import datetime as dt

from ceu.models import Reminder
from roadmap.models import Status, StepProgress

from .models import Cohort, CohortStudent, Membership, Role, StepTarget

TARGET_NOTICE_DAYS = 7
MET = (Status.DONE, Status.SKIPPED)


def due(today: dt.date) -> list[Reminder]:
    """Set-based: a handful of queries whatever the number of cohorts and students."""
    return _target_notes(today) + _digests(today)


def _target_notes(today: dt.date) -> list[Reminder]:
    window = (today, today + dt.timedelta(days=TARGET_NOTICE_DAYS))
    targets = list(
        StepTarget.objects.filter(target_on__range=window).values_list("assignment__cohort_id", "step_id", "target_on")
    )
    students = _students_of({cohort_id for cohort_id, _, _ in targets})
    met = _met({uid for ids in students.values() for uid in ids}, {step_id for _, step_id, _ in targets})
    return [
        Reminder(
            user_id=user_id,
            cohort_id=cohort_id,
            step_id=step_id,
            kind=Reminder.Kind.TARGET,
            due_on=target_on,
            threshold=TARGET_NOTICE_DAYS,
        )
        for cohort_id, step_id, target_on in targets
        for user_id in students.get(cohort_id, ())
        if (user_id, step_id) not in met
    ]


def _students_of(cohort_ids: set[int]) -> dict[int, list[int]]:
    students: dict[int, list[int]] = {}
    for cohort_id, user_id in CohortStudent.objects.filter(cohort__in=cohort_ids).values_list("cohort_id", "user_id"):
        students.setdefault(cohort_id, []).append(user_id)
    return students


def _met(user_ids: set[int], step_ids: set[int]) -> set[tuple[int, int]]:
    return set(
        StepProgress.objects.filter(enrollment__user__in=user_ids, step__in=step_ids, status__in=MET).values_list(
            "enrollment__user_id", "step_id"
        )
    )


def _digests(today: dt.date) -> list[Reminder]:
    """One per instructor, cohort and week (due on that week's Monday, so a missed day catches up),
    only where some student is behind schedule."""
    monday = today - dt.timedelta(days=today.weekday())
    past = list(StepTarget.objects.filter(target_on__lt=today).values_list("assignment__cohort_id", "step_id"))
    students = _students_of({cohort_id for cohort_id, _ in past})
    met = _met({uid for ids in students.values() for uid in ids}, {step_id for _, step_id in past})
    behind = {
        cohort_id
        for cohort_id, step_id in past
        for user_id in students.get(cohort_id, ())
        if (user_id, step_id) not in met
    }
    teaching = Cohort.instructors.through.objects.filter(cohort__in=behind).values_list("user_id", "cohort_id")
    opted_out = set(
        Membership.objects.filter(role=Role.INSTRUCTOR, weekly_digest=False).values_list("user_id", "school__cohorts")
    )
    return [
        Reminder(user_id=user_id, cohort_id=cohort_id, kind=Reminder.Kind.COHORT_DIGEST, due_on=monday, threshold=0)
        for user_id, cohort_id in teaching
        if (user_id, cohort_id) not in opted_out
    ]
