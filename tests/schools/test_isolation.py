"""Tenant isolation: every school and cohort URL with a foreign id is 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from roadmap.models import Enrollment
from schools.models import Cohort, Membership

COHORT_GETS = ["schools:cohort", "schools:export"]
COHORT_POSTS = ["schools:assign", "schools:targets", "schools:add-instructor", "schools:roster", "schools:invite"]
SCHOOL_GETS = ["schools:school"]
SCHOOL_POSTS = ["schools:create-cohort", "schools:add-staff", "schools:copy-roadmap"]


def crawl(client, school_slug: str, cohort_pk: int) -> dict[str, int]:
    statuses = {}
    for name in COHORT_GETS:
        statuses[name] = client.get(reverse(name, args=[school_slug, cohort_pk])).status_code
    for name in COHORT_POSTS:
        statuses[name] = client.post(
            reverse(name, args=[school_slug, cohort_pk]), {"email": "x@example.com"}
        ).status_code
    for name in SCHOOL_GETS:
        statuses[name] = client.get(reverse(name, args=[school_slug])).status_code
    for name in SCHOOL_POSTS:
        statuses[name] = client.post(reverse(name, args=[school_slug]), {"name": "Hijack"}).status_code
    return statuses


def test_staff_of_another_school_cannot_see_or_change_anything(client, stranger, cohort, other_school_cohort):
    client.force_login(stranger)

    statuses = crawl(client, "riverside", cohort.pk)
    # The stranger's own school slug with the other school's cohort id is 404 too.
    statuses["own slug, foreign cohort"] = client.get(
        reverse("schools:cohort", args=["elsewhere", cohort.pk])
    ).status_code

    assert set(statuses.values()) == {404}, statuses
    assert not Cohort.objects.filter(name="Hijack").exists()
    assert not Membership.objects.filter(user__email="x@example.com").exists()


def test_students_cannot_see_school_pages_or_other_students(client, student, cohort):
    client.force_login(student)

    assert set(crawl(client, "riverside", cohort.pk).values()) == {404}


def test_an_instructor_sees_only_the_cohorts_they_teach(client, other_instructor, cohort):
    client.force_login(other_instructor)

    assert client.get(reverse("schools:cohort", args=["riverside", cohort.pk])).status_code == 404
    assert client.get(reverse("schools:school", args=["riverside"])).status_code == 200
    assert "Fall" not in client.get(reverse("schools:school", args=["riverside"])).content.decode()


def test_the_instructor_and_the_school_admin_see_the_cohort(client, instructor, admin, cohort):
    for person in (instructor, admin):
        client.force_login(person)
        html = client.get(reverse("schools:cohort", args=["riverside", cohort.pk])).content.decode()
        assert "student@example.com" in html and "classmate@example.com" in html


def test_only_school_admins_manage_staff(client, instructor, cohort):
    client.force_login(instructor)

    response = client.post(
        reverse("schools:add-staff", args=["riverside"]), {"email": "instructor@example.com", "role": "school_admin"}
    )

    assert response.status_code == 404
    assert Membership.objects.get(user=instructor).role == "instructor"


@pytest.mark.parametrize("stranger_role", ["student"])
def test_joining_with_a_code_enrols_in_the_cohort_only(client, stranger, cohort, stranger_role):
    client.force_login(stranger)

    client.post("/join/", {"code": cohort.join_code.lower()})

    assert cohort.students.filter(pk=stranger.pk).exists()
    assert Membership.objects.get(user=stranger, school=cohort.school).role == stranger_role
    assert client.get(reverse("schools:cohort", args=["riverside", cohort.pk])).status_code == 404
    assert not Enrollment.objects.filter(user=stranger).exists()  # no roadmap assigned yet
