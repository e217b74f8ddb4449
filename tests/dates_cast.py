"""One valid row of each model with an entered date, for the date range tests."""

from __future__ import annotations

import datetime as dt

from accounts.models import Profile
from ceu.models import ApprenticeTracker, AuditPack, CeuEntry
from content.models import Credential
from roadmap.models import Enrollment, HeldCredential, Roadmap, StepProgress
from schools.models import Assignment, Cohort, ExamAttempt, School, StepTarget
from tests.conftest import make_user

DAY = dt.date(2026, 1, 5)


def _person():
    return make_user(f"dates-{Profile.objects.count()}-{HeldCredential.objects.count()}@example.com")


def _cohort() -> Cohort:
    school = School.objects.create(name="Dates", slug=f"dates-{School.objects.count()}")
    return Cohort.objects.create(school=school, name="C", starts_on=DAY, ends_on=DAY)


def _assignment() -> Assignment:
    return Assignment.objects.create(cohort=_cohort(), roadmap=Roadmap.objects.get(key="outpatient-aapc"), start_on=DAY)


def row_of(model):
    if model is Profile:
        return Profile.objects.create(user=_person(), career_start=DAY)
    if model is HeldCredential:
        credential = Credential.objects.get(code="CPC")
        return HeldCredential.objects.create(
            user=_person(), credential=credential, earned_on=DAY, cycle_ends_on=DAY, ended_on=DAY
        )
    if model is StepProgress:
        roadmap = Roadmap.objects.get(key="outpatient-aapc")
        enrollment = Enrollment.objects.create(user=_person(), roadmap=roadmap)
        return StepProgress.objects.create(
            enrollment=enrollment, step=roadmap.steps.first(), status="done", started_on=DAY, completed_on=DAY
        )
    if model is CeuEntry:
        return CeuEntry.objects.create(user=_person(), completed_on=DAY, hours=1, activity="Webinar")
    if model is Cohort:
        return _cohort()
    if model is Assignment:
        return _assignment()
    if model is StepTarget:
        assignment = _assignment()
        return StepTarget.objects.create(assignment=assignment, step=assignment.roadmap.steps.first(), target_on=DAY)
    if model is AuditPack:
        held = HeldCredential.objects.create(
            user=_person(), credential=Credential.objects.get(code="CPC"), earned_on=DAY
        )
        return AuditPack.objects.create(user=held.user, held=held, starts_on=DAY, ends_on=DAY)
    if model is ApprenticeTracker:
        credential = Credential.objects.get(code="CPC-A")
        held = HeldCredential.objects.create(user=_person(), credential=credential, earned_on=DAY)
        return ApprenticeTracker.objects.create(
            held=held,
            experience_started_on=DAY,
            letter_received_on=DAY,
            course_completed_on=DAY,
            practicode_completed_on=DAY,
        )
    if model is ExamAttempt:
        step = Roadmap.objects.get(key="outpatient-aapc").steps.exclude(credential=None).first()
        return ExamAttempt.objects.create(user=_person(), step=step, taken_on=DAY, passed=True)
    raise LookupError(f"No row recipe for {model.__name__}: add one.")
