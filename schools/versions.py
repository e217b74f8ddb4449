"""Cohort versions: the cohort dashboard is cached under its cohort's version, which moves on with
any change to the cohort (students, instructors, assignment, target dates) or to one of its
students' own data (reported by ``accounts.versions.users_changed``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models.signals import m2m_changed, post_delete, post_save

from accounts.versions import bump_users, users_changed
from lib import versions

from .models import Assignment, Cohort, CohortStudent, Membership, StepTarget


def _key(cohort_id: int) -> str:
    return f"schools:cohort-version:{cohort_id}"


def cohort_version(cohort_id: int) -> str:
    return versions.current(_key(cohort_id))


def bump_cohorts(cohort_ids: Iterable[int]) -> None:
    versions.bump(_key(cid) for cid in sorted(set(cohort_ids)))


def _students_changed(sender, user_ids, **kwargs) -> None:
    bump_cohorts(CohortStudent.objects.filter(user__in=user_ids).values_list("cohort_id", flat=True))


def _cohort_and_students_changed(cohort_id: int) -> None:
    """What the cohort's students see changed too (their roadmap, their target dates)."""
    bump_cohorts([cohort_id])
    bump_users(CohortStudent.objects.filter(cohort_id=cohort_id).values_list("user_id", flat=True))


def _on_cohort(sender, instance, **kwargs) -> None:
    if not kwargs.get("action", "post_").startswith("pre_"):
        bump_cohorts([instance.pk] if isinstance(instance, Cohort) else kwargs.get("pk_set") or [])


def _on_students(sender, instance, action, pk_set, **kwargs) -> None:
    """``cohort.students.add(user)`` and ``user.cohorts.add(cohort)``."""
    if action.startswith("pre_"):
        return
    if isinstance(instance, Cohort):
        bump_cohorts([instance.pk])
        bump_users(pk_set or [])
    else:
        bump_users([instance.pk])
        bump_cohorts(pk_set or [])


def _on_cohort_student(sender, instance, **kwargs) -> None:
    bump_cohorts([instance.cohort_id])
    bump_users([instance.user_id])


def _on_assignment(sender, instance, **kwargs) -> None:
    _cohort_and_students_changed(instance.cohort_id)


def _on_target(sender, instance, **kwargs) -> None:
    cohort_id = Assignment.objects.filter(pk=instance.assignment_id).values_list("cohort_id", flat=True).first()
    if cohort_id is not None:
        _cohort_and_students_changed(cohort_id)


def _on_membership(sender, instance, **kwargs) -> None:
    # The cohort page offers the school's staff as instructors.
    bump_cohorts(Cohort.objects.filter(school_id=instance.school_id).values_list("pk", flat=True))


def connect() -> None:
    users_changed.connect(_students_changed, dispatch_uid="cohort-version-students")
    for model, handler in (
        (Cohort, _on_cohort),
        (CohortStudent, _on_cohort_student),
        (Assignment, _on_assignment),
        (StepTarget, _on_target),
        (Membership, _on_membership),
    ):
        uid = f"cohort-version-{model._meta.label_lower}"
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(_on_cohort, sender=Cohort.instructors.through, dispatch_uid="cohort-version-instructors")
    m2m_changed.connect(_on_students, sender=Cohort.students.through, dispatch_uid="cohort-version-students-m2m")
