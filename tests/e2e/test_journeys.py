"""What people do on the site, in a real browser."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from roadmap.models import StepProgress

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-browser-password"


def test_visitor_explores_the_ladder_a_credential_and_the_salaries(page):
    page.goto("/")
    page.get_by_role("link", name="Explore the career ladder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The medical billing and coding career ladder")

    page.get_by_role("link", name="Become an auditor (CPMA)").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("CPMA")
    expect(page.get_by_text("$81,048")).to_be_visible()

    page.get_by_role("link", name="Salaries", exact=True).click()
    page.wait_for_load_state()  # htmx listens for changes only once the page has loaded
    page.get_by_label("Source").select_option("bls-oews-2023")
    expect(page.get_by_text("19 figures.")).to_be_visible()  # htmx swapped the table in place
    assert "source=bls-oews-2023" in page.url  # and the filter is in the address, to bookmark


def sign_up(page, email: str) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()


def test_student_signs_up_follows_a_roadmap_and_marks_steps_with_and_without_javascript(new_page):
    page = new_page()
    sign_up(page, "browser.student@example.com")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")

    page.get_by_role("button", name="Follow this roadmap").first.click()
    expect(page.get_by_text("0 of 8 steps (0%)")).to_be_visible()
    summary = page.locator(".projection-summary")
    expect(summary).to_contain_text("after “Complete a certificate or diploma program”")

    step = page.locator("li.step-row").first
    step.get_by_text("Update this step").click()
    step.get_by_label("Status").select_option("done")
    step.get_by_role("button", name="Save").click()
    expect(page.get_by_text("1 of 8 steps (12%)")).to_be_visible()
    expect(page.locator("li.step-row").first.get_by_role("button", name="Undo last change")).to_be_visible()
    expect(summary).to_contain_text("after “Pass the CPC exam (CPC-A)”")  # the projection moved on with them

    # The same page without JavaScript: plain form posts and a redirect back.
    plain = new_page(javascript=False, storage_state=page.context.storage_state())
    plain.goto("/dashboard/")
    plain.locator("li.step-row").nth(1).get_by_text("Update this step").click()
    expect(plain.get_by_role("heading", level=1)).to_have_text("Pass the CPC exam (CPC-A)")  # a page of its own
    plain.get_by_label("Status").select_option("done")
    plain.get_by_label("Evidence").fill("Exam passed 2026-01-12")
    plain.get_by_role("button", name="Save").click()
    expect(plain.get_by_text("2 of 8 steps (25%)")).to_be_visible()
    expect(plain.get_by_text("Evidence: Exam passed 2026-01-12")).to_be_visible()

    user = User.objects.get(email="browser.student@example.com")
    assert StepProgress.objects.filter(enrollment__user=user, status="done").count() == 2
    assert user.held_credentials.get().credential.code == "CPC-A"

    # The CPC-A is now held: log CEUs toward it and take the deadlines to a calendar.
    page.goto("/ceu/")
    page.get_by_label("CEUs earned").fill("2")
    page.get_by_label("Activity").fill("Anatomy refresher")
    page.get_by_label("CPC-A (Certified Professional Coder - Apprentice)").check()
    page.get_by_role("button", name="Log CEUs").click()
    expect(page.get_by_text("2 of 36 logged")).to_be_visible()
    page.goto("/ceu/calendar/")
    page.get_by_role("button", name="Make my calendar link").click()
    feed = page.request.get(page.get_by_role("link", name="Download the .ics file").get_attribute("href")).text()
    assert "CPC-A renewal due" in feed


def test_a_broken_rule_is_shown_in_the_browser_and_the_input_is_kept(new_page):
    page = new_page()
    sign_up(page, "rule.breaker@example.com")
    page.get_by_role("button", name="Follow this roadmap").first.click()

    step = page.locator("li.step-row").nth(3)  # the CPC: its prerequisites are not done
    step.get_by_text("Update this step").click()
    step.get_by_label("Status").select_option("done")
    step.get_by_label("Evidence").fill("Certificate 12345")
    step.get_by_role("button", name="Save").click()

    expect(page.get_by_text(re.compile("Finish Work as a Coder I first"))).to_be_visible()
    expect(page.locator("li.step-row").nth(3).get_by_label("Evidence")).to_have_value("Certificate 12345")
