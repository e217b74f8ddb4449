"""axe-core finds no WCAG 2 A/AA violations on the main pages, and keyboard focus is visible."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from content.models import Credential
from roadmap import services
from roadmap.models import Roadmap
from schools import services as services_schools
from schools.models import Cohort, Membership, Role, School

from .conftest import run_axe

pytestmark = pytest.mark.django_db(transaction=True)
PUBLIC_PAGES = [
    "/",
    "/ladder/",
    "/credentials/CPC/",
    "/roles/cdi-specialist/",
    "/roadmaps/outpatient-aapc/",
    "/salaries/",
    "/projection/",
    "/projection/compare/",
    "/salaries/method/",
    "/accounts/login/",
    "/accounts/signup/",
]
PRIVATE_PAGES = ["/dashboard/", "/account/profile/", "/account/delete/", "/ceu/", "/ceu/calendar/"]
PASSWORD = "a-long-browser-password"


def signed_in(page, email="axe@example.com"):
    user = User.objects.create_user(email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    services.follow_roadmap(user, Roadmap.objects.get(key="outpatient-aapc"))
    services.record_credential(user, Credential.objects.get(code="CPC"), earned_on=dt.date(2025, 2, 1))
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/")
    return user


def test_public_pages_have_no_accessibility_violations(page, axe_source):
    found = {}
    for url in PUBLIC_PAGES:
        page.goto(url)
        violations = run_axe(page, axe_source)
        if violations:
            found[url] = violations
        assert page.locator("h1").count() == 1, url
        assert page.locator("main").count() == 1 and page.locator("header").count() == 1, url

    assert found == {}


def test_signed_in_pages_have_no_accessibility_violations(page, axe_source):
    user = signed_in(page)
    school = School.objects.create(name="Axe school", slug="axe-school")
    Membership.objects.create(school=school, user=user, role=Role.SCHOOL_ADMIN)
    cohort = Cohort.objects.create(school=school, name="A", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 9, 1))
    services_schools.add_students(cohort, [user])
    services_schools.assign_roadmap(cohort, Roadmap.objects.get(key="outpatient-aapc"), start_on=dt.date(2026, 1, 1))
    found = {}
    for url in [*PRIVATE_PAGES, "/schools/", school.get_absolute_url(), cohort.get_absolute_url()]:
        page.goto(url)
        violations = run_axe(page, axe_source)
        if violations:
            found[url] = violations

    assert found == {}


def test_keyboard_focus_is_visible(page):
    page.goto("/")
    page.keyboard.press("Tab")

    focused = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to content"
    assert focused != "none"
