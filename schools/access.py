"""The one place that decides what school staff may see. Every school-scoped view goes through it:
anything outside the signed-in person's schools (or, for an instructor, outside their cohorts) is
404, never 403, so a foreign id does not even confirm that the object exists."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from roadmap.models import Roadmap, Step

from .models import STAFF_ROLES, Assignment, Cohort, Membership, Role


def staff_membership(request, school_slug: str) -> Membership:
    """The signed-in person's staff membership of the school, or 404."""
    return get_object_or_404(
        Membership.objects.select_related("school"),
        school__slug=school_slug,
        user=request.user,
        role__in=STAFF_ROLES,
    )


def admin_membership(request, school_slug: str) -> Membership:
    """Like staff_membership, for what only school admins may do (manage staff)."""
    membership = staff_membership(request, school_slug)
    if membership.role != Role.SCHOOL_ADMIN:
        raise Http404("Only school admins manage staff.")
    return membership


def visible_cohorts(membership: Membership) -> QuerySet[Cohort]:
    """School admins see every cohort of their school; instructors the cohorts they teach."""
    cohorts = Cohort.objects.filter(school=membership.school)
    if membership.role != Role.SCHOOL_ADMIN:
        cohorts = cohorts.filter(instructors=membership.user_id)
    return cohorts


def cohort_for(request, school_slug: str, cohort_pk: int) -> tuple[Membership, Cohort]:
    membership = staff_membership(request, school_slug)
    cohort = get_object_or_404(visible_cohorts(membership).select_related("school"), pk=cohort_pk)
    return membership, cohort


def assignment_for(request, school_slug: str, cohort_pk: int) -> tuple[Membership, Assignment]:
    """The visible cohort's roadmap assignment, or 404 (also when none is assigned yet)."""
    membership, cohort = cohort_for(request, school_slug, cohort_pk)
    return membership, get_object_or_404(Assignment.objects.select_related("cohort__school", "roadmap"), cohort=cohort)


def school_roadmaps(membership: Membership) -> QuerySet[Roadmap]:
    """The school's own roadmaps (copies); the defaults are not the school's to change."""
    return Roadmap.objects.filter(school_copy__school=membership.school)


def school_roadmap_for(request, school_slug: str, key: str) -> tuple[Membership, Roadmap]:
    membership = staff_membership(request, school_slug)
    return membership, get_object_or_404(school_roadmaps(membership), key=key)


def school_step_for(request, school_slug: str, key: str, step_pk: int) -> tuple[Membership, Step]:
    membership, roadmap = school_roadmap_for(request, school_slug, key)
    return membership, get_object_or_404(Step.objects.select_related("roadmap"), roadmap=roadmap, pk=step_pk)


def assignable_roadmaps(membership: Membership) -> QuerySet[Roadmap]:
    """What a cohort of this school may follow: the defaults and the school's own roadmaps."""
    return Roadmap.objects.filter(Q(is_default=True) | Q(school_copy__school=membership.school))


def school_staff(membership: Membership) -> QuerySet[Membership]:
    return Membership.objects.filter(school=membership.school, role__in=STAFF_ROLES).select_related("user")
