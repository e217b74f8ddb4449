"""Cohort versions: the cohort dashboard is cached under its cohort's version, which moves on with
any change to the cohort (students, instructors, assignment, target dates) or to one of its
students' own data (reported by ``accounts.versions.users_changed``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import Http404

from accounts.versions import bump_users, users_changed
from lib import versions

from . import access
from .models import Assignment, Cohort, CohortStudent, Invitation, Membership, School, StepTarget

# A remembered access decision outlives no change (see cohort_access); this only bounds its memory.
ACCESS_CACHE_SECONDS = 60 * 60


def cohort_version_key(cohort_id: int) -> str:
    return f"schools:cohort-version:{cohort_id}"


def cohort_version(cohort_id: int) -> str:
    return versions.current(cohort_version_key(cohort_id))


def cohort_access(request, school_slug: str, cohort_pk: int) -> tuple[Membership, Cohort, str]:
    """``access.cohort_for`` (404 for anyone else), remembered for this person under the cohort's
    version, which moves on with every change that could change the answer: the person's
    membership of the school, the cohort's instructors, school or the school's slug. Also returns
    that version. Refusals are never remembered."""
    if len(school_slug) > School._meta.get_field("slug").max_length:
        raise Http404("No such school.")  # and no such cache key either
    version_key = cohort_version_key(cohort_pk)
    access_key = f"schools:cohort-access:{request.user.pk}:{school_slug}:{cohort_pk}"
    found = cache.get_many([version_key, access_key])
    version = found.get(version_key) or versions.current(version_key)
    if access_key in found and found[access_key][0] == version:
        return *found[access_key][1], version
    membership, cohort = access.cohort_for(request, school_slug, cohort_pk)
    cache.set(access_key, (version, (membership, cohort)), ACCESS_CACHE_SECONDS)
    return membership, cohort, version


def bump_cohorts(cohort_ids: Iterable[int]) -> None:
    versions.bump(cohort_version_key(cid) for cid in sorted(set(cohort_ids)))


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


def _on_invitation(sender, instance, **kwargs) -> None:
    # The cohort page lists the invitations still pending.
    bump_cohorts([instance.cohort_id])


def _on_membership(sender, instance, **kwargs) -> None:
    # Who may see the school's cohorts, and whom the cohort page offers as instructors.
    bump_cohorts(Cohort.objects.filter(school_id=instance.school_id).values_list("pk", flat=True))


def _on_school(sender, instance, **kwargs) -> None:
    # A new slug or name: the school's cohort pages and remembered access decisions.
    bump_cohorts(Cohort.objects.filter(school_id=instance.pk).values_list("pk", flat=True))


def connect() -> None:
    users_changed.connect(_students_changed, dispatch_uid="cohort-version-students")
    for model, handler in (
        (Cohort, _on_cohort),
        (CohortStudent, _on_cohort_student),
        (Assignment, _on_assignment),
        (StepTarget, _on_target),
        (Invitation, _on_invitation),
        (Membership, _on_membership),
        (School, _on_school),
    ):
        uid = f"cohort-version-{model._meta.label_lower}"
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(_on_cohort, sender=Cohort.instructors.through, dispatch_uid="cohort-version-instructors")
    m2m_changed.connect(_on_students, sender=Cohort.students.through, dispatch_uid="cohort-version-students-m2m")
