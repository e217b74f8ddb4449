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


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_no_link_leads_to_are_axe_clean_in_both_themes(new_page, axe_source, tmp_path, scheme):
    """The invitation page, the roster report and a shared roadmap: reached by email, by a form or by a
    link someone sent, so the crawl of every page cannot find them."""
    owner = User.objects.create_user("owner@example.com", password=PASSWORD, first_name="Olu")
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    services.follow_roadmap(owner, Roadmap.objects.get(key="outpatient-aapc"))
    school = School.objects.create(name="Axe school", slug="axe-school")
    Membership.objects.create(school=school, user=owner, role=Role.SCHOOL_ADMIN)
    cohort = Cohort.objects.create(school=school, name="A", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 9, 1))
    token = services_schools.invite(cohort, email="new@example.com", first_name="Ny", invited_by=owner)
    share_token = services.make_share_link(owner)
    visitor = new_page(scheme=scheme)
    found = {}
    for url in (f"/invitations/{token}/", f"/shared/{share_token}/", "/accounts/password/reset/"):
        visitor.goto(url)
        if violations := run_axe(visitor, axe_source):
            found[url] = violations
    staff = new_page(scheme=scheme)
    staff.goto("/accounts/login/")
    staff.get_by_label("Email").fill(owner.email)
    staff.get_by_label("Password", exact=True).fill(PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    staff.goto(cohort.get_absolute_url())
    roster = tmp_path / "roster.csv"
    roster.write_text("email,first_name,last_name\nbad-address,A,B\n")
    staff.get_by_label("Roster (CSV: email, first_name, last_name)").set_input_files(str(roster))
    staff.get_by_role("button", name="Check the file").click()
    staff.wait_for_url("**/roster/")
    if violations := run_axe(staff, axe_source):
        found["roster report"] = violations

    assert found == {}


def test_the_dashboard_and_the_projection_print_without_their_forms(page):
    signed_in(page)
    for url in ("/dashboard/", "/projection/"):
        page.goto(url)
        page.emulate_media(media="print")

        assert page.locator("form:visible").count() == 0, url
        assert page.locator(".site-header nav:visible").count() == 0, url
        assert page.locator("main h1").is_visible()
        if url == "/dashboard/":
            assert page.locator(".roadmap-map .map-wide").is_visible()  # the map prints
        page.emulate_media(media="screen")


def test_each_step_of_the_map_is_a_link_reached_with_the_keyboard(page):
    page.goto("/roadmaps/outpatient-aapc/")
    links = page.locator(".map-wide a.map-node")
    assert links.count() == 8
    links.first.focus()
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')").startswith(
        "Step 1: Complete a certificate or diploma program"
    )
    outline = page.evaluate("() => getComputedStyle(document.activeElement.querySelector('.map-box')).strokeWidth")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')").startswith("Step 2")
    assert outline != "1.5px"  # the focused step is drawn thicker than the others
    page.keyboard.press("Enter")
    assert page.url.endswith("#outpatient-aapc-cpc-a")  # to the step's card below
