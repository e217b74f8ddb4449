"""An instructor in the browser: create a cohort, import a roster with a bad row, fix it, assign a
roadmap and see the dashboard."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.models import User
from schools.models import Invitation, Membership, Role, School

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-browser-password"


def test_instructor_sets_up_a_cohort_from_a_roster(page, tmp_path):
    school = School.objects.create(name="Riverside Community College", slug="riverside")
    instructor = User.objects.create_user("teach@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=instructor, email=instructor.email, verified=True, primary=True)
    Membership.objects.create(school=school, user=instructor, role=Role.INSTRUCTOR)
    User.objects.create_user("already.here@example.com", password=PASSWORD)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(instructor.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Community College")  # staff land here

    page.get_by_label("Name").fill("Spring coders")
    page.get_by_label("Starts on").fill("2026-01-12")
    page.get_by_label("Ends on").fill("2026-12-18")
    page.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring coders")

    bad = tmp_path / "roster.csv"
    bad.write_text("email,first_name,last_name\nalready.here@example.com,Al,Ready\nnot-an-email,Bad,Row\n")
    page.get_by_label("Roster (CSV: email, first_name, last_name)").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("Line 3: 'not-an-email' is not a valid email address.")).to_be_visible()

    good = tmp_path / "fixed.csv"
    good.write_text(
        "email,first_name,last_name\nalready.here@example.com,Al,Ready\nnew.person@example.com,New,Person\n"
    )
    page.get_by_label("Roster (CSV: email, first_name, last_name)").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import 2 students").click()
    expect(page.get_by_text("Roster imported: 1 joined, 1 invited by email.")).to_be_visible()

    page.get_by_label("Roadmap", exact=True).select_option(label="Outpatient coder (AAPC path)")
    page.get_by_label("Start date").fill("2026-01-12")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("The student of Spring coders now follows Outpatient coder (AAPC path).")).to_be_visible()
    expect(page.get_by_role("cell", name="Complete a certificate or diploma program").first).to_be_visible()
    expect(page.locator("#student-table")).to_contain_text("already.here@example.com")
    assert Invitation.objects.get().email == "new.person@example.com"
