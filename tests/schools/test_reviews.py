"""Exam attempts and reviewed milestones: the student records and sends, the cohort's instructor
decides, every decision is kept and emailed once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ceu import delivery
from roadmap import services as roadmap_services
from roadmap.models import Enrollment, Roadmap, Status, StepProgress
from schools import reviews, services
from schools.models import Decision, ExamAttempt, Submission

TODAY = dt.date(2026, 9, 1)
PDF = b"%PDF-1.4\n% a score report\n"


@pytest.fixture
def outpatient(ladder):
    return Roadmap.objects.get(key="outpatient-aapc")


@pytest.fixture
def assigned(cohort, outpatient):
    services.assign_roadmap(cohort, outpatient, start_on=cohort.starts_on)
    return cohort


@pytest.fixture
def exam(outpatient):
    return outpatient.steps.get(key="cpc-a")


def finish_certificate(user, outpatient, on=dt.date(2026, 6, 1)):
    enrollment = Enrollment.objects.get(user=user, roadmap=outpatient)
    roadmap_services.change_step(
        enrollment, outpatient.steps.get(key="certificate"), status=Status.DONE, completed_on=on, today=on
    )


def status_of(user, step):
    progress = StepProgress.objects.filter(enrollment__user=user, step=step).first()
    return progress.status if progress else Status.NOT_STARTED


# Exam attempts ------------------------------------------------------------------------------------


def test_a_failed_attempt_is_kept_and_leaves_the_step_open(student, assigned, exam, outpatient):
    finish_certificate(student, outpatient)

    reviews.record_attempt(student, exam, taken_on=dt.date(2026, 7, 1), passed=False, score=64, today=TODAY)

    assert status_of(student, exam) == Status.NOT_STARTED
    assert ExamAttempt.objects.get(user=student).score == 64


def test_the_first_pass_marks_the_exam_step_done_on_the_exam_day(student, assigned, exam, outpatient):
    finish_certificate(student, outpatient)
    reviews.record_attempt(student, exam, taken_on=dt.date(2026, 7, 1), passed=False, score=None, today=TODAY)

    reviews.record_attempt(student, exam, taken_on=dt.date(2026, 8, 15), passed=True, score=78, today=TODAY)

    progress = StepProgress.objects.get(enrollment__user=student, step=exam)
    assert progress.status == Status.DONE and progress.completed_on == dt.date(2026, 8, 15)
    assert student.held_credentials.get().credential.code == "CPC-A"


def test_a_later_pass_does_not_move_the_completion_date(student, assigned, exam, outpatient):
    finish_certificate(student, outpatient)
    reviews.record_attempt(student, exam, taken_on=dt.date(2026, 7, 1), passed=True, score=None, today=TODAY)

    reviews.record_attempt(student, exam, taken_on=dt.date(2026, 8, 1), passed=True, score=None, today=TODAY)

    assert StepProgress.objects.get(enrollment__user=student, step=exam).completed_on == dt.date(2026, 7, 1)
    assert ExamAttempt.objects.filter(user=student).count() == 2


def test_a_pass_before_its_prerequisite_is_kept_and_says_why_the_step_stays_open(student, assigned, exam):
    attempt, problem = reviews.record_attempt(
        student, exam, taken_on=dt.date(2026, 7, 1), passed=True, score=None, today=TODAY
    )

    assert attempt.pk and "first" in problem
    assert status_of(student, exam) == Status.NOT_STARTED


def test_an_exam_date_in_the_future_is_refused(student, assigned, exam):
    with pytest.raises(ValidationError):
        reviews.record_attempt(
            student, exam, taken_on=TODAY + dt.timedelta(days=1), passed=True, score=None, today=TODAY
        )


def test_only_an_exam_step_takes_attempts(client, student, assigned, outpatient):
    client.force_login(student)
    role = outpatient.steps.get(key="coder-1")

    response = client.post(
        reverse("schools:record-attempt", args=[role.pk]), {"taken_on": "2026-07-01", "passed": "yes"}
    )

    assert response.status_code == 404
    assert not ExamAttempt.objects.exists()


def test_a_student_records_an_attempt_on_the_steps_page(client, student, assigned, exam, outpatient):
    finish_certificate(student, outpatient)
    client.force_login(student)

    response = client.post(
        reverse("schools:record-attempt", args=[exam.pk]), {"taken_on": "2026-07-01", "passed": "yes", "score": "81"}
    )

    assert response.status_code == 302
    page = client.get(reverse("schools:my-step", args=[exam.pk])).content.decode()
    assert "Passed" in page and "81%" in page


def test_a_step_of_a_roadmap_the_person_does_not_follow_is_404(client, stranger, assigned, exam):
    client.force_login(stranger)

    assert client.get(reverse("schools:my-step", args=[exam.pk])).status_code == 404
    assert client.post(reverse("schools:record-attempt", args=[exam.pk]), {}).status_code == 404
    assert client.post(reverse("schools:submit-evidence", args=[exam.pk]), {}).status_code == 404


# Reviewed milestones ------------------------------------------------------------------------------


def test_a_new_assignment_reviews_the_exam_and_credential_steps(assigned, outpatient):
    keys = set(assigned.assignment.reviewed_steps.values_list("key", flat=True))

    assert keys == {"cpc-a", "cpc", "specialty", "cpma"}


def test_staff_choose_the_reviewed_steps_with_the_target_dates(client, instructor, assigned, outpatient):
    client.force_login(instructor)
    certificate, exam = outpatient.steps.get(key="certificate"), outpatient.steps.get(key="cpc-a")

    client.post(
        reverse("schools:targets", args=["riverside", assigned.pk]),
        {f"review_{certificate.pk}": "on", f"review_{exam.pk}": "on"},
    )

    assert set(assigned.assignment.reviewed_steps.values_list("key", flat=True)) == {"certificate", "cpc-a"}
    # Saving the dates again without a change keeps the choice; a new roadmap starts from the defaults.
    services.assign_roadmap(assigned, outpatient, start_on=assigned.starts_on)
    assert assigned.assignment.reviewed_steps.count() == 2


def test_a_done_reviewed_step_asks_for_evidence_on_the_dashboard(client, student, assigned, exam, outpatient):
    finish_certificate(student, outpatient)
    reviews.record_attempt(student, exam, taken_on=dt.date(2026, 7, 1), passed=True, score=None, today=TODAY)
    client.force_login(student)

    page = client.get("/dashboard/").content.decode()

    assert "Needs evidence for review" in page and reverse("schools:my-step", args=[exam.pk]) in page


def send(client, step, **data):
    return client.post(reverse("schools:submit-evidence", args=[step.pk]), data)


def test_evidence_is_checked_by_its_content_not_its_name(client, student, assigned, exam):
    client.force_login(student)

    response = send(client, exam, file=SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>"))

    assert response.status_code == 200 and "not a PDF, PNG or JPEG" in response.content.decode()
    assert not Submission.objects.exists()


def test_evidence_needs_a_file_or_a_number(client, student, assigned, exam):
    client.force_login(student)

    response = send(client, exam, note="trust me")

    assert "Attach a file or give a credential or score-report number" in response.content.decode()


def test_sent_evidence_awaits_review_and_shows_so(client, student, assigned, exam):
    client.force_login(student)

    response = send(client, exam, file=SimpleUploadedFile("My score.pdf", PDF), number="12345678")

    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.state == "awaiting" and submission.file_name == "My score.pdf"
    assert "my score" not in submission.file.name.lower()  # stored under a random name
    assert "Awaiting review" in client.get("/dashboard/").content.decode()
    assert "already awaiting review" in send(client, exam, number="again").content.decode()


def test_return_resubmit_approve_keeps_every_decision_and_emails_each(client, student, instructor, assigned, exam):
    client.force_login(student)
    send(client, exam, number="WRONG-1")
    client.force_login(instructor)
    first = Submission.objects.get()
    review_url = reverse("schools:review", args=["riverside", assigned.pk, first.pk])

    assert "Say what is missing" in client.post(review_url, {"decision": "return"}).content.decode()
    client.post(review_url, {"decision": "return", "comment": "That is not a CPC-A member number."})
    client.force_login(student)
    send(client, exam, number="01234567", file=SimpleUploadedFile("card.pdf", PDF))
    client.force_login(instructor)
    second = Submission.objects.get(state="awaiting")
    client.post(reverse("schools:review", args=["riverside", assigned.pk, second.pk]), {"decision": "approve"})

    assert [d.outcome for d in Decision.objects.order_by("id")] == ["returned", "approved"]
    assert all(d.reviewer == instructor for d in Decision.objects.all())
    delivery.deliver_due(today=TODAY)
    delivery.deliver_due(today=TODAY)  # a rerun sends nothing twice
    assert [m.subject for m in mail.outbox] == [f"Returned: {exam.title}", f"Approved: {exam.title}"]
    assert "That is not a CPC-A member number." in mail.outbox[0].body
    client.force_login(student)
    page = client.get(reverse("schools:my-step", args=[exam.pk])).content.decode()
    assert "That is not a CPC-A member number." in page and "Approved" in page
    assert "Verified by your school" in client.get("/dashboard/").content.decode()


def test_a_decided_submission_cannot_be_decided_again(student, instructor, assigned, exam):
    submission = reviews.submit_evidence(student, exam, cohort=assigned, number="1")
    reviews.decide(submission, reviewer=instructor, approve=True, comment="", today=TODAY)

    with pytest.raises(ValidationError):
        reviews.decide(submission, reviewer=instructor, approve=False, comment="No", today=TODAY)


def test_the_file_is_served_to_the_student_and_the_cohorts_staff_only(
    client, student, classmate, instructor, admin, other_instructor, stranger, assigned, exam
):
    client.force_login(student)
    send(client, exam, file=SimpleUploadedFile("card.pdf", PDF))
    submission = Submission.objects.get()
    mine = reverse("schools:my-evidence-file", args=[exam.pk, submission.pk])
    staff = reverse("schools:review-file", args=["riverside", assigned.pk, submission.pk])

    response = client.get(mine)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    for person in (instructor, admin):
        client.force_login(person)
        assert client.get(staff).status_code == 200
    for person in (classmate, other_instructor, stranger):
        client.force_login(person)
        assert client.get(mine).status_code == 404
        assert client.get(staff).status_code == 404


def test_a_submission_of_another_cohort_is_404_under_ones_own(
    client, student, instructor, school, assigned, exam, outpatient
):
    from schools.models import Cohort

    other = Cohort.objects.create(school=school, name="Evening", starts_on=assigned.starts_on, ends_on=assigned.ends_on)
    services.assign_roadmap(other, outpatient, start_on=other.starts_on)
    submission = reviews.submit_evidence(student, exam, cohort=other, number="1")
    client.force_login(instructor)

    for name in ("schools:review", "schools:review-file"):
        assert client.get(reverse(name, args=["riverside", assigned.pk, submission.pk])).status_code == 404


def test_the_review_pages_run_a_bounded_number_of_queries(
    client, student, classmate, instructor, assigned, exam, django_assert_max_num_queries
):
    for person in (student, classmate):
        submission = reviews.submit_evidence(person, exam, cohort=assigned, number="1")
        reviews.decide(submission, reviewer=instructor, approve=False, comment="Again", today=TODAY)
        reviews.submit_evidence(person, exam, cohort=assigned, number="2")
    client.force_login(instructor)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("schools:reviews", args=["riverside", assigned.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("schools:review", args=["riverside", assigned.pk, submission.pk])).status_code == 200
    client.force_login(student)
    # The step, its progress, attempts, the reviewing cohort, the submissions with their decisions,
    # and the thread with the cohort's staff: a fixed number whatever their lengths.
    with django_assert_max_num_queries(18):
        assert client.get(reverse("schools:my-step", args=[exam.pk])).status_code == 200


def test_the_data_export_and_the_delete_page_include_attempts_evidence_and_messages(
    client, student, instructor, assigned, exam, outpatient
):
    from schools import comments

    finish_certificate(student, outpatient)
    reviews.record_attempt(student, exam, taken_on=dt.date(2026, 7, 1), passed=True, score=75, today=TODAY)
    submission = reviews.submit_evidence(student, exam, cohort=assigned, number="4242")
    reviews.decide(submission, reviewer=instructor, approve=False, comment="Send the card.", today=TODAY)
    comments.add_comment(assigned, student, exam, author=student, body="Which card?")
    from schools.export import deletion_summary, personal_data

    data = personal_data(student)

    assert data["exam_attempts"] == [{"step": exam.title, "taken_on": "2026-07-01", "passed": True, "score": 75}]
    assert data["evidence_sent"][0]["decisions"][0]["comment"] == "Send the card."
    assert data["step_messages"][0]["body"] == "Which card?"
    assert any("exam attempts" in line for line in deletion_summary(student))
