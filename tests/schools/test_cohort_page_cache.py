"""The cohort dashboard from the page cache: every change to the cohort or to one of its students
shows at once, and so does a change of who may see it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from roadmap.models import Roadmap
from schools import services as school_services
from schools.models import Membership
from tests.test_personal_page_cache import NOW, cached_twice, step_form

from .test_cohorts import cohort_url


@pytest.fixture
def assigned(cohort):
    """The cohort of the student and the classmate, following the outpatient roadmap."""
    school_services.assign_roadmap(cohort, Roadmap.objects.get(key="outpatient-aapc"), start_on=dt.date(2026, 1, 5))
    return cohort


@pytest.fixture
def staff(client, instructor):
    client.force_login(instructor)
    return client


@time_machine.travel(NOW)
def test_a_students_progress_shows_on_the_cohort_page_at_once(staff, student, assigned, django_assert_num_queries):
    assert '<td class="num">0%</td>' in cached_twice(staff, cohort_url(assigned), django_assert_num_queries)
    student_client = Client()
    student_client.force_login(student)
    enrollment = student.enrollments.get()

    url, data = step_form(enrollment, "certificate", status="done", completed_on="2026-06-01")
    student_client.post(url, data)

    assert '<td class="num">12%</td>' in staff.get(cohort_url(assigned)).content.decode()


@time_machine.travel(NOW)
def test_a_new_student_a_renamed_student_and_a_new_assignment_show_at_once(staff, assigned, stranger):
    staff.get(cohort_url(assigned))

    school_services.add_students(assigned, [stranger])
    assert stranger.email in staff.get(cohort_url(assigned)).content.decode()

    stranger.first_name, stranger.last_name = "Stan", "Renamed"
    stranger.save()
    assert "Stan Renamed" in staff.get(cohort_url(assigned)).content.decode()

    billing = Roadmap.objects.filter(is_default=True).exclude(key="outpatient-aapc").first()
    school_services.assign_roadmap(assigned, billing, start_on=dt.date(2026, 2, 1))
    assert billing.name in staff.get(cohort_url(assigned)).content.decode()


@time_machine.travel(NOW)
def test_an_instructor_taken_off_the_cohort_or_the_school_is_refused_at_once(staff, instructor, school, assigned):
    assert staff.get(cohort_url(assigned)).status_code == 200
    assert staff.get(cohort_url(assigned)).status_code == 200  # the access decision is remembered now

    assigned.instructors.remove(instructor)
    assert staff.get(cohort_url(assigned)).status_code == 404

    assigned.instructors.add(instructor)
    assert staff.get(cohort_url(assigned)).status_code == 200
    Membership.objects.filter(school=school, user=instructor).delete()
    assert staff.get(cohort_url(assigned)).status_code == 404


@time_machine.travel(NOW)
def test_a_school_admin_and_an_instructor_get_their_own_cohort_page(staff, school, assigned, admin):
    staff.get(cohort_url(assigned))
    director = Client()
    director.force_login(admin)

    assert director.get(cohort_url(assigned)).status_code == 200
    assert Client().get(cohort_url(assigned)).status_code == 302
