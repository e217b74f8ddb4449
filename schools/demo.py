"""Demo school: a program director, an instructor and a cohort of students at different stages."""

from __future__ import annotations

import datetime as dt

from roadmap import services as roadmap_services
from roadmap.models import Enrollment, Roadmap, Status

from . import reviews, services
from .models import Cohort, ExamAttempt, Membership, Role, School

STUDENTS = [
    ("ana", "Ana", 0),
    ("ben", "Ben", 1),
    ("cara", "Cara", 1),
    ("dev", "Dev", 2),
    ("eli", "Eli", 2),
    ("fay", "Fay", 3),
    ("gus", "Gus", 3),
    ("hana", "Hana", 4),
]


def load_demo(today: dt.date | None = None) -> list[str]:
    from roadmap.demo import DemoAccount, demo_user

    today = today or dt.date.today()
    school, created = School.objects.get_or_create(slug="riverside", defaults={"name": "Riverside Community College"})
    if not created:
        return []
    director, _ = demo_user(DemoAccount("director@example.com", "Dana"))
    instructor, _ = demo_user(DemoAccount("instructor@example.com", "Ivan"))
    Membership.objects.create(school=school, user=director, role=Role.SCHOOL_ADMIN)
    Membership.objects.create(school=school, user=instructor, role=Role.INSTRUCTOR)
    start = today - dt.timedelta(days=420)
    cohort = Cohort.objects.create(
        school=school, name="Medical Coding, fall cohort", starts_on=start, ends_on=start + dt.timedelta(days=730)
    )
    cohort.instructors.add(instructor)
    roadmap = Roadmap.objects.get(key="outpatient-aapc")
    students = [demo_user(DemoAccount(f"{key}@example.com", name))[0] for key, name, _ in STUDENTS]
    services.add_students(cohort, students)
    services.assign_roadmap(cohort, roadmap, start_on=start)
    steps = list(roadmap.steps.order_by("order"))
    for user, (_, _, done) in zip(students, STUDENTS, strict=True):
        enrollment = Enrollment.objects.get(user=user, roadmap=roadmap)
        for step in steps[:done]:
            roadmap_services.change_step(
                enrollment, step, status=Status.DONE, completed_on=today - dt.timedelta(days=30), today=today
            )
    _outcomes(cohort, dict(zip((key for key, _, _ in STUDENTS), students, strict=True)), instructor, roadmap, today)
    return [
        f"demo school {school.name}: director@example.com, instructor@example.com, "
        f"{len(students)} students (ana@ … hana@example.com)"
    ]


def _outcomes(cohort, students: dict, instructor, roadmap, today: dt.date) -> None:
    """Exam attempts of everyone past the CPC-A (Dev failed it once), and evidence in each state:
    Fay's awaits review, Gus's was approved, Hana's returned."""
    exam = roadmap.steps.get(key="cpc-a")
    for key in ("dev", "eli", "fay", "gus", "hana"):
        if key == "dev":
            ExamAttempt.objects.create(
                user=students[key], step=exam, taken_on=today - dt.timedelta(days=90), passed=False, score=66
            )
        ExamAttempt.objects.create(
            user=students[key], step=exam, taken_on=today - dt.timedelta(days=30), passed=True, score=79
        )
    reviews.submit_evidence(students["fay"], exam, cohort=cohort, number="01928374", note="My member number.")
    approved = reviews.submit_evidence(students["gus"], exam, cohort=cohort, number="01827364")
    reviews.decide(approved, reviewer=instructor, approve=True, comment="", today=today)
    returned = reviews.submit_evidence(students["hana"], exam, cohort=cohort, number="12")
    reviews.decide(
        returned,
        reviewer=instructor,
        approve=False,
        comment="This number is too short: send the 8 digits.",
        today=today,
    )
