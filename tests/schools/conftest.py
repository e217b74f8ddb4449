"""A fixed cast: a student and a classmate in the instructor's cohort at Riverside, a school admin,
another instructor, and a stranger who is admin of another school."""

from __future__ import annotations

import datetime as dt

import pytest

from schools import services
from schools.models import Cohort, Membership, Role, School
from tests.conftest import make_user


@pytest.fixture
def school(db):
    return School.objects.create(name="Riverside Community College", slug="riverside")


@pytest.fixture
def admin(school):
    user = make_user("director@example.com")
    Membership.objects.create(school=school, user=user, role=Role.SCHOOL_ADMIN)
    return user


@pytest.fixture
def instructor(school):
    user = make_user("instructor@example.com")
    Membership.objects.create(school=school, user=user, role=Role.INSTRUCTOR)
    return user


@pytest.fixture
def other_instructor(school):
    user = make_user("other.instructor@example.com")
    Membership.objects.create(school=school, user=user, role=Role.INSTRUCTOR)
    return user


@pytest.fixture
def cohort(school, instructor, student, classmate, ladder):
    cohort = Cohort.objects.create(
        school=school, name="Fall", starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2027, 6, 30)
    )
    cohort.instructors.add(instructor)
    services.add_students(cohort, [student, classmate])
    return cohort


@pytest.fixture
def other_school_cohort(stranger, ladder):
    school = School.objects.create(name="Elsewhere Institute", slug="elsewhere")
    Membership.objects.create(school=school, user=stranger, role=Role.SCHOOL_ADMIN)
    return Cohort.objects.create(
        school=school, name="Spring", starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 12, 1)
    )
