"""A short thread about one step between a student and their cohort's staff, emailed to the other
side, with plain and htmx forms, scoped like every school page."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from roadmap.models import Roadmap
from schools import services
from schools.models import StepComment


@pytest.fixture
def exam(cohort, ladder):
    roadmap = Roadmap.objects.get(key="outpatient-aapc")
    services.assign_roadmap(cohort, roadmap, start_on=cohort.starts_on)
    return roadmap.steps.get(key="cpc-a")


def staff_url(cohort, student, step):
    return reverse("schools:comments", args=["riverside", cohort.pk, student.pk, step.pk])


def test_a_students_message_reaches_the_cohorts_instructors_by_email(
    client, student, instructor, cohort, exam, django_capture_on_commit_callbacks
):
    client.force_login(student)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("schools:my-comment", args=[exam.pk]), {"body": "Is the CPC open book?"})

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["instructor@example.com"]]
    assert "Is the CPC open book?" in mail.outbox[0].body and staff_url(cohort, student, exam) in mail.outbox[0].body


def test_the_instructor_answers_with_htmx_and_the_student_is_emailed(
    client, student, instructor, cohort, exam, django_capture_on_commit_callbacks
):
    client.force_login(instructor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            staff_url(cohort, student, exam), {"body": "Yes: bring your code books."}, headers={"HX-Request": "true"}
        )

    html = response.content.decode()
    assert response.status_code == 200 and html.strip().startswith('<div id="comment-thread"')
    assert "bring your code books" in html
    assert [m.to for m in mail.outbox] == [["student@example.com"]]
    client.force_login(student)
    assert "bring your code books" in client.get(reverse("schools:my-step", args=[exam.pk])).content.decode()


def test_an_empty_message_is_refused_next_to_the_field(client, student, cohort, exam):
    client.force_login(student)

    response = client.post(reverse("schools:my-comment", args=[exam.pk]), {"body": " "}, headers={"HX-Request": "true"})

    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not StepComment.objects.exists()


def test_nobody_else_reads_or_writes_the_thread(client, student, classmate, other_instructor, stranger, cohort, exam):
    for person in (classmate, other_instructor, stranger):
        client.force_login(person)
        assert client.get(staff_url(cohort, student, exam)).status_code == 404
        assert client.post(staff_url(cohort, student, exam), {"body": "x"}).status_code == 404
    client.force_login(stranger)
    assert client.post(reverse("schools:my-comment", args=[exam.pk]), {"body": "x"}).status_code == 404
    assert not StepComment.objects.exists()


def test_a_step_of_another_roadmap_or_a_student_of_another_cohort_is_404(
    client, admin, student, stranger, cohort, exam
):
    other_step = Roadmap.objects.get(key="inpatient-ahima").steps.first()
    client.force_login(admin)

    assert client.get(staff_url(cohort, student, other_step)).status_code == 404
    assert client.get(staff_url(cohort, stranger, exam)).status_code == 404


def test_the_thread_pages_run_a_bounded_number_of_queries(
    client, student, instructor, cohort, exam, django_assert_max_num_queries
):
    client.force_login(instructor)
    for n in range(5):
        client.post(staff_url(cohort, student, exam), {"body": f"Message {n}"})
    with django_assert_max_num_queries(10):
        assert client.get(staff_url(cohort, student, exam)).status_code == 200


def test_the_cohort_page_links_each_students_current_step_to_their_thread(client, student, instructor, cohort, exam):
    """A student who has not begun is on the first step (the certificate program): its thread is one
    click from the cohort page."""
    first = exam.roadmap.steps.order_by("order").first()
    client.force_login(instructor)

    html = client.get(reverse("schools:cohort", args=["riverside", cohort.pk])).content.decode()

    assert f'href="{staff_url(cohort, student, first)}"' in html
    assert client.get(staff_url(cohort, student, first)).status_code == 200
