"""The one place that decides what school staff may see. Every school-scoped view goes through it:
anything outside the signed-in person's schools (or, for an instructor, outside their cohorts) is 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import STAFF_ROLES, Cohort, Membership, Role


def staff_membership(request, school_slug: str) -> Membership:
    """The signed-in person's staff membership of the school, or 404."""
    return get_object_or_404(
        Membership.objects.select_related("school"),
        school__slug=school_slug,
        user=request.user,
        role__in=STAFF_ROLES,
    )


def visible_cohorts(membership: Membership) -> QuerySet[Cohort]:
    """School admins see every cohort of their school; instructors the cohorts they teach."""
    cohorts = Cohort.objects.filter(school=membership.school)
    if membership.role != Role.SCHOOL_ADMIN:
        cohorts = cohorts.filter(instructors=membership.user)
    return cohorts


def cohort_for(request, school_slug: str, cohort_pk: int) -> tuple[Membership, Cohort]:
    membership = staff_membership(request, school_slug)
    cohort = get_object_or_404(visible_cohorts(membership).select_related("school"), pk=cohort_pk)
    return membership, cohort


def require_admin(membership: Membership) -> None:
    from django.http import Http404

    if membership.role != Role.SCHOOL_ADMIN:
        raise Http404("Only school admins manage staff.")
