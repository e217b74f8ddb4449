"""A cohort of any size with outcomes to report, written set-based (a few bulk inserts whatever the
size), for the outcomes tests and tests/benchmarks/bench_outcomes.py."""

from __future__ import annotations

import datetime as dt

from accounts.models import User
from content.models import Credential
from roadmap.models import Enrollment, HeldCredential, Roadmap, Status, StepProgress
from roadmap.rules import add_months
from schools import services
from schools.models import Cohort, CohortStudent, ExamAttempt, School, Submission

STARTS_ON, ENDS_ON = dt.date(2024, 1, 8), dt.date(2025, 1, 31)


def populate(school: School, size: int, *, name: str = "Class of 2024", sharing: bool = True) -> Cohort:
    """``size`` students of a cohort that ran in 2024 (so they are graduates), following the outpatient
    roadmap: everyone completed the certificate 6-11 months in; student i (counting from 0) sat the
    CPC-A exam, failing it first when i % 4 == 0; 3 in 5 reached a coding role, 1 in 5 the CPC; the
    evidence of every other CPC-A was approved."""
    roadmap = Roadmap.objects.get(key="outpatient-aapc")
    steps = {step.key: step for step in roadmap.steps.all()}
    cohort = Cohort.objects.create(school=school, name=name, starts_on=STARTS_ON, ends_on=ENDS_ON)
    services.assign_roadmap(cohort, roadmap, start_on=STARTS_ON)
    prefix = f"{school.slug}-{cohort.pk}"
    users = User.objects.bulk_create(User(email=f"{prefix}-{i}@example.com", password="!") for i in range(size))
    services.add_students(cohort, users)
    CohortStudent.objects.filter(cohort=cohort).update(shares_after=sharing)
    enrollments = {e.user_id: e for e in Enrollment.objects.filter(user__in=users, roadmap=roadmap)}
    progress, attempts, held, submissions = [], [], [], []
    cpc_a = Credential.objects.get(code="CPC-A")
    for i, user in enumerate(users):
        enrollment = enrollments[user.pk]
        certificate_on = add_months(STARTS_ON, 6 + i % 6)
        exam_on = add_months(certificate_on, 1 + i % 3)

        def done(key: str, on: dt.date, enrollment=enrollment) -> None:
            progress.append(StepProgress(enrollment=enrollment, step=steps[key], status=Status.DONE, completed_on=on))

        done("certificate", certificate_on)
        if i % 4 == 0:
            attempts.append(ExamAttempt(user=user, step=steps["cpc-a"], taken_on=exam_on, passed=False, score=62))
            exam_on = add_months(exam_on, 2)
        attempts.append(ExamAttempt(user=user, step=steps["cpc-a"], taken_on=exam_on, passed=True, score=80))
        done("cpc-a", exam_on)
        held.append(HeldCredential(user=user, credential=cpc_a, earned_on=exam_on))
        if i % 2 == 0:
            submissions.append(
                Submission(
                    cohort=cohort, user=user, step=steps["cpc-a"], number=f"{i:08}", state=Submission.State.APPROVED
                )
            )
        if i % 5 < 3:
            done("coder-1", add_months(certificate_on, 2 + i % 7))
        if i % 5 == 0:
            done("cpc", add_months(exam_on, 24))
    StepProgress.objects.bulk_create(progress)
    ExamAttempt.objects.bulk_create(attempts)
    HeldCredential.objects.bulk_create(held)
    Submission.objects.bulk_create(submissions)
    return cohort
