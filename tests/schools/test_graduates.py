"""Graduates keep their account; the school sees a graduate's progress, and counts them in its
outcomes, only while they consent (asked on joining, changeable on the profile)."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from schools import services
from schools.models import Cohort, CohortStudent
from schools.selectors import cohort_dashboard


def place(user, cohort):
    return CohortStudent.objects.get(user=user, cohort=cohort)


def test_joining_asks_whether_to_share_after_the_cohort(client, student, cohort):
    client.force_login(student)
    page = client.get(reverse("schools:join")).content.decode()
    assert "let the school keep seeing my progress" in page
    other = Cohort.objects.create(
        school=cohort.school, name="Evening", starts_on=cohort.starts_on, ends_on=cohort.ends_on
    )

    client.post(reverse("schools:join"), {"code": other.join_code, "shares_after": "on"})

    assert place(student, other).shares_after


def test_joining_without_the_box_shares_nothing_after_the_cohort(client, stranger, cohort):
    client.force_login(stranger)

    client.post(reverse("schools:join"), {"code": cohort.join_code})

    assert not place(stranger, cohort).shares_after


def test_after_the_cohort_ends_staff_see_only_the_graduates_who_share(cohort, student, classmate):
    services.set_sharing(student, {cohort.pk: True})

    during = cohort_dashboard(cohort, today=dt.date(2026, 6, 1))["rows"]
    after = cohort_dashboard(cohort, today=dt.date(2027, 7, 1))["rows"]

    assert {r.user for r in during} == {student, classmate}
    assert [r.user for r in after] == [student]


def test_a_graduate_changes_their_mind_on_the_profile_and_is_told_what_it_means(client, student, cohort):
    services.set_sharing(student, {cohort.pk: True})
    client.force_login(student)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Your schools after the program" in profile and "Fall" in profile

    response = client.post(reverse("schools:sharing"), {}, follow=True)

    assert not place(student, cohort).shares_after
    page = response.content.decode()
    assert "no longer sees your progress once Fall has ended" in page
    assert "not counted in its future outcomes reports" in page


def test_the_instructor_no_longer_sees_a_withdrawn_graduate(client, instructor, student, classmate, cohort):
    services.set_sharing(student, {cohort.pk: True})
    services.set_sharing(classmate, {cohort.pk: True})
    services.set_sharing(classmate, {cohort.pk: False})
    with time_machine.travel(dt.datetime(2027, 7, 1, 12, tzinfo=dt.UTC)):
        client.force_login(instructor)
        page = client.get(reverse("schools:cohort", args=["riverside", cohort.pk])).content.decode()

    assert "student@example.com" in page and "classmate@example.com" not in page


def test_a_person_keeps_their_account_and_progress_after_the_cohort(client, student, cohort):
    with time_machine.travel(dt.datetime(2027, 7, 1, 12, tzinfo=dt.UTC)):
        client.force_login(student)
        assert client.get("/dashboard/").status_code == 200
    assert place(student, cohort)


def test_sharing_changes_only_the_persons_own_places(client, student, classmate, cohort):
    services.set_sharing(classmate, {cohort.pk: True})
    client.force_login(student)

    client.post(reverse("schools:sharing"), {f"cohort_{cohort.pk}": "on"})

    assert place(student, cohort).shares_after and place(classmate, cohort).shares_after
    client.post(reverse("schools:sharing"), {})
    assert not place(student, cohort).shares_after and place(classmate, cohort).shares_after
