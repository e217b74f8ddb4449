"""Demo school: a program director, an instructor and a cohort of students at different stages."""

from __future__ import annotations

import datetime as dt

from roadmap import services as roadmap_services
from roadmap.models import Enrollment, Roadmap, Status

from . import services
from .models import Cohort, Membership, Role, School

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
    return [
        f"demo school {school.name}: director@example.com, instructor@example.com, "
        f"{len(students)} students (ana@ … hana@example.com)"
    ]
