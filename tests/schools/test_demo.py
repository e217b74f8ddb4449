"""The demo school that `make run` loads: a full cohort dashboard on a first visit."""

from __future__ import annotations

import datetime as dt

import pytest

from roadmap.demo import DEMO_PASSWORD
from schools import demo
from schools.models import Cohort, Membership, StepTarget
from schools.selectors import cohort_dashboard

TODAY = dt.date(2026, 11, 25)


@pytest.mark.django_db
def test_the_demo_school_is_created_once_with_students_at_different_stages(ladder):
    first = demo.load_demo(today=TODAY)
    second = demo.load_demo(today=TODAY)

    assert first and second == []
    cohort = Cohort.objects.get(school__slug="riverside")
    assert cohort.students.count() == 8 and StepTarget.objects.filter(assignment__cohort=cohort).exists()
    rows = cohort_dashboard(cohort, today=TODAY)["rows"]
    assert len({row.done for row in rows}) >= 4
    assert any(row.behind for row in rows) and not all(row.behind for row in rows)
    roles = dict(Membership.objects.filter(school=cohort.school).values_list("user__email", "role"))
    assert roles["director@example.com"] == "school_admin" and roles["instructor@example.com"] == "instructor"


@pytest.mark.django_db
def test_the_demo_instructor_signs_in_and_sees_the_cohort(client, ladder):
    demo.load_demo(today=TODAY)
    cohort = Cohort.objects.get(school__slug="riverside")

    client.post("/accounts/login/", {"login": "instructor@example.com", "password": DEMO_PASSWORD})
    html = client.get(cohort.get_absolute_url()).content.decode()

    assert "hana@example.com" in html and "Behind" in html


@pytest.mark.django_db
def test_the_demo_instructor_has_evidence_to_review_and_outcomes_to_read(client, ladder):
    demo.load_demo(today=TODAY)
    cohort = Cohort.objects.get(school__slug="riverside")
    client.post("/accounts/login/", {"login": "instructor@example.com", "password": DEMO_PASSWORD})

    queue = client.get(f"{cohort.get_absolute_url()}reviews/").content.decode()
    report = client.get(f"{cohort.get_absolute_url()}outcomes/").content.decode()

    assert "1 awaiting review" in queue and "Returned" in queue and "Approved" in queue
    assert "CPC-A" in report and "83%" in report  # 5 of 6 attempts passed; 4 of 5 first attempts
