"""A reviewed milestone in the browser: the student records a passed exam and sends evidence, the
instructor returns it with a comment, the student sends it again with a file, the instructor
approves, and the outcomes report counts the verified pass. Every new page is axe-clean."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.models import User
from roadmap import services as roadmap_services
from roadmap.models import Enrollment, Roadmap, Status
from schools import services
from schools.models import Cohort, ExamAttempt, Membership, Role, School

from .conftest import run_axe, violations, watch

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-browser-password"


def person(email: str) -> User:
    user = User.objects.create_user(email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def assert_clean(page, axe_source: str, problems: list[str]) -> None:
    assert run_axe(page, axe_source) == [], page.url
    assert violations(page) == [] and problems == [], page.url


def test_return_resubmit_approve_and_the_report_counts_it(new_page, axe_source, tmp_path):
    today = dt.date.today()
    school = School.objects.create(name="Riverside Community College", slug="riverside")
    instructor = person("teach@example.com")
    Membership.objects.create(school=school, user=instructor, role=Role.INSTRUCTOR)
    cohort = Cohort.objects.create(
        school=school,
        name="Spring coders",
        starts_on=today - dt.timedelta(days=200),
        ends_on=today + dt.timedelta(days=200),
    )
    cohort.instructors.add(instructor)
    student = person("sam@example.com")
    classmates = [person(f"mate{i}@example.com") for i in range(4)]
    roadmap = Roadmap.objects.get(key="outpatient-aapc")
    services.add_students(cohort, [student, *classmates])
    services.assign_roadmap(cohort, roadmap, start_on=cohort.starts_on)
    certificate, exam = roadmap.steps.get(key="certificate"), roadmap.steps.get(key="cpc-a")
    for user in (student, *classmates):
        enrollment = Enrollment.objects.get(user=user, roadmap=roadmap)
        roadmap_services.change_step(enrollment, certificate, status=Status.DONE, completed_on=today, today=today)
    for user in classmates:
        ExamAttempt.objects.create(user=user, step=exam, taken_on=today, passed=True)

    sam = new_page()
    sam_problems = watch(sam)
    sign_in(sam, student.email)
    sam.goto(f"/my/steps/{exam.pk}/")
    sam.get_by_label("Exam date").fill(today.isoformat())
    sam.get_by_label("Passed", exact=True).check()
    sam.get_by_label("Score (percent)").fill("81")
    sam.get_by_role("button", name="Record the attempt").click()
    expect(sam.get_by_role("cell", name="Passed")).to_be_visible()
    sam.get_by_label("Credential or score-report number").fill("123")
    sam.get_by_role("button", name="Send for review").click()
    expect(sam.get_by_role("heading", name="Awaiting review")).to_be_visible()
    assert_clean(sam, axe_source, sam_problems)

    teach = new_page()
    teach_problems = watch(teach)
    sign_in(teach, instructor.email)
    teach.goto(cohort.get_absolute_url())
    teach.get_by_role("link", name="Evidence to review: 1").click()
    assert_clean(teach, axe_source, teach_problems)
    teach.get_by_role("link", name="Review").click()
    assert_clean(teach, axe_source, teach_problems)
    teach.get_by_label("Return to the student").check()
    teach.get_by_label("Comment").fill("Send the 8-digit member number, or the score report.")
    teach.get_by_role("button", name="Save the decision").click()
    expect(teach.get_by_text("they are emailed")).to_be_visible()

    sam.goto("/dashboard/")
    sam.get_by_role("link", name="Returned: see the comment").click()
    expect(sam.get_by_text("Send the 8-digit member number, or the score report.")).to_be_visible()
    report = tmp_path / "score-report.pdf"
    report.write_bytes(b"%PDF-1.4\n% score report\n")
    sam.get_by_label("Score report or certificate").set_input_files(str(report))
    sam.get_by_label("Credential or score-report number").fill("01234567")
    sam.get_by_role("button", name="Send for review").click()
    expect(sam.get_by_role("heading", name="Awaiting review")).to_be_visible()
    assert_clean(sam, axe_source, sam_problems)

    teach.goto(cohort.get_absolute_url())
    teach.get_by_role("link", name="Evidence to review: 1").click()
    teach.get_by_role("link", name="Review").click()
    teach.get_by_label("Approve").check()
    teach.get_by_role("button", name="Save the decision").click()
    teach.goto(cohort.get_absolute_url())
    teach.get_by_role("link", name="Program outcomes").click()
    row = teach.get_by_role("row").filter(has_text="Certified Professional Coder - Apprentice")
    expect(row).to_contain_text("100%")
    expect(row.get_by_role("cell").last).to_have_text("1")  # one verified pass
    assert_clean(teach, axe_source, teach_problems)
