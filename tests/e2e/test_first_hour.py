"""The first hour on the site, as a new person lives it: each stumble found when four journeys were
tried in a real browser has a test here, so it cannot come back."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from accounts.services import profile_of
from content.models import Credential, Region
from roadmap import services
from roadmap.models import Roadmap
from schools.models import Cohort, CohortStudent, Membership, Role, School, StepTarget

from .conftest import sign_in, violations, watch

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-browser-password"


def person(email: str, **extra) -> User:
    user = User.objects.create_user(email, password=PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def director(ladder):
    school = School.objects.create(name="Riverside Community College", slug="riverside")
    user = person("dana@example.com", first_name="Dana")
    Membership.objects.create(school=school, user=user, role=Role.SCHOOL_ADMIN)
    return user


@pytest.fixture
def cohort(director):
    return Cohort.objects.create(
        school=School.objects.get(), name="Spring coders", starts_on=dt.date(2026, 1, 12), ends_on=dt.date(2026, 12, 18)
    )


def invitation_link() -> str:
    return re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)


# 1, 2, 3: an invitation from the director to a person without an account ---------------------------


def test_an_invited_student_is_told_who_invites_them_and_lands_in_the_cohort(new_page, live_server, director, cohort):
    staff = new_page()
    sign_in(staff, director.email, PASSWORD)
    staff.goto(cohort.get_absolute_url())
    staff.get_by_label("Email", exact=True).fill("nia.okafor@example.com")
    staff.get_by_label("First name").fill("Nia")
    staff.get_by_label("Last name").fill("Okafor")
    staff.get_by_role("button", name="Send invitation").click()
    expect(staff.get_by_text("Invitation sent to nia.okafor@example.com.")).to_be_visible()
    # The pending invitation is listed with the name the director typed.
    invited = staff.locator("section", has=staff.get_by_role("heading", name="Invited, not joined yet"))
    expect(invited).to_contain_text("Nia Okafor")
    expect(invited.get_by_role("button", name="Send again to nia.okafor@example.com")).to_be_visible()

    link = invitation_link()
    assert link.startswith(live_server.url + "/invitations/")  # the address the site runs on, not SITE_URL

    student = new_page()
    student.goto(link)
    expect(student.get_by_role("heading", level=1)).to_have_text("Join Spring coders")
    expect(student.locator("main")).to_contain_text("Riverside Community College invites you, Nia,")
    student.get_by_role("link", name="Create your account").click()
    expect(student.get_by_role("heading", level=1)).to_have_text("Create an account")
    expect(student.get_by_label("Email")).to_have_value("nia.okafor@example.com")
    expect(student.locator("main")).to_contain_text("You are joining Spring coders at Riverside Community College")
    student.get_by_label("Password", exact=True).fill(PASSWORD)
    student.get_by_label("Password (again)").fill(PASSWORD)
    student.get_by_role("button", name="Create my account").click()

    expect(student.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(student.get_by_text("Welcome! You joined Spring coders at Riverside Community College.")).to_be_visible()
    nia = User.objects.get(email="nia.okafor@example.com")
    assert nia.get_full_name() == "Nia Okafor"
    assert CohortStudent.objects.filter(cohort=cohort, user=nia).exists()

    staff.reload()
    table = staff.locator("#student-table")
    expect(table).to_contain_text("1 student")
    expect(table.get_by_role("rowheader")).to_have_text("Nia Okafornia.okafor@example.com")  # the email once
    expect(staff.get_by_role("heading", name="Invited, not joined yet")).to_have_count(0)


def test_imported_and_invited_people_show_as_pending_and_can_be_revoked(new_page, director, cohort, tmp_path):
    page = new_page()
    sign_in(page, director.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/schools/riverside/$"))  # a director lands on the school
    page.goto(cohort.get_absolute_url())
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "email,first_name,last_name\nana@example.com,Ana,Diaz\nben@example.com,Ben,Cho\ncara@example.com,Cara,Ito\n"
    )
    page.get_by_label("Roster (CSV: email, first_name, last_name)").set_input_files(str(roster))
    page.get_by_role("button", name="Check the file").click()

    # 4: the report is at the top of a page of its own, with a message, and a reload does not break it.
    result = page.get_by_role("heading", name="The file is clean: 3 students")
    expect(result).to_be_in_viewport()
    expect(page.locator("#messages")).to_contain_text("ready to import")
    page.reload()
    expect(result).to_be_in_viewport()
    page.get_by_role("button", name="Import 3 students").click()
    expect(page.get_by_text("Roster imported: 0 joined, 3 invited by email.")).to_be_visible()

    invited = page.locator("section", has=page.get_by_role("heading", name="Invited, not joined yet"))
    expect(invited).to_contain_text("3 pending invitations")
    expect(invited).to_contain_text("Ben Cho")
    invited.get_by_role("button", name="Revoke the invitation of ben@example.com").click()
    expect(page.get_by_text("Invitation of ben@example.com revoked")).to_be_visible()
    page.goto("/schools/riverside/")
    expect(page.get_by_role("row", name=re.compile("Spring coders"))).to_contain_text("+ 2 invited")


def test_a_director_sets_up_a_cohort_without_surprises(new_page, director):
    page = new_page()
    sign_in(page, director.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Community College")
    # The digest preference is its own section, not part of creating a cohort.
    create = page.locator("form", has=page.get_by_role("button", name="Create cohort"))
    expect(create.get_by_label("Email me a weekly digest of my students behind schedule")).to_have_count(0)
    expect(page.get_by_role("heading", name="Your emails")).to_be_visible()

    create.get_by_label("Name").fill("Evening cohort")
    create.get_by_label("Starts on").fill("2026-01-12")
    create.get_by_label("Ends on").fill("2026-12-18")
    create.get_by_role("button", name="Create cohort").click()
    roadmap = page.get_by_label("Roadmap", exact=True)
    expect(roadmap.locator("option:checked")).to_have_text("Outpatient coder (AAPC path)")
    expect(page.get_by_label("Start date")).to_have_value("2026-01-12")  # the cohort's own start
    page.get_by_role("button", name="Assign").click()
    expect(
        page.get_by_text("Evening cohort will follow Outpatient coder (AAPC path). It has no students yet")
    ).to_be_visible()

    targets = list(StepTarget.objects.order_by("target_on").values_list("target_on", flat=True))
    assert len(set(targets)) == len(targets) == Roadmap.objects.get(key="outpatient-aapc").steps.count()


# 5, 6: the projection for a newcomer, and for a signed-in person ---------------------------------------


def test_the_projection_explains_itself_to_a_newcomer(page):
    page.goto("/projection/?roadmap=management-rhia")

    result = page.locator(".projection-result")
    expect(result).to_contain_text("If you were working as a coder now:")
    expect(result).to_contain_text("You are not working in coding yet")
    expect(page.locator("#results")).not_to_contain_text("How long it takes is not known")
    for row in page.locator("table.projection-steps tbody tr").all():
        cells = row.locator("td.num").all_inner_texts()
        if len(cells) > 3 and cells[3] == "+$0":
            expect(row).to_contain_text("No raise by itself")


def test_a_signed_in_person_starts_from_their_profile_and_can_keep_a_what_if(new_page, ladder):
    user = person("maria@example.com")
    profile = profile_of(user)
    profile.region = Region.objects.get(key="nj")
    profile.save()
    services.follow_roadmap(user, Roadmap.objects.get(key="outpatient-aapc"))
    page = new_page()
    sign_in(page, user.email, PASSWORD)

    page.get_by_role("link", name="Salary projection").click()
    expect(page.get_by_label("State, metro or nonmetro area").locator("option:checked")).to_have_text(
        "New Jersey (whole state)"
    )
    page.get_by_label("Years of experience in coding or billing").fill("3")
    page.get_by_label("Years of experience in coding or billing").press("Tab")
    expect(page).to_have_url(re.compile("years=3"))
    page.get_by_role("button", name="Save these answers to my profile").click()
    expect(page.get_by_text("Saved to your profile")).to_be_visible()

    page.goto("/dashboard/")
    expect(page.locator(".profile-summary")).to_contain_text("New Jersey")
    summary = page.locator(".projection-summary").inner_text()
    page.get_by_role("link", name="See the full projection").click()
    now = re.search(r"Projected salary now: (\$[\d,]+)", summary).group(1)
    expect(page.locator(".projection-result .lead")).to_contain_text(now)  # the same number on both pages


# 7, 8: saving shows what changed; the CEU form takes the obvious ----------------------------------------


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_marking_a_credential_step_done_updates_the_whole_page(new_page, ladder, javascript):
    user = person("leo@example.com")
    page = new_page(javascript=javascript)
    sign_in(page, user.email, PASSWORD)
    page.get_by_role("button", name="Follow this roadmap").first.click()
    expect(page.get_by_text("You now follow Outpatient coder (AAPC path).")).to_be_visible()
    about = page.locator(".profile-summary")
    expect(about).to_contain_text("None yet")

    for index in (0, 1):  # the certificate, then the CPC exam
        page.locator("li.step-row").nth(index).get_by_text("Update this step").click()
        form = page.locator("form", has=page.get_by_label("Status"))  # in place with htmx, a page without
        form.get_by_label("Status").select_option("done")
        form.get_by_role("button", name="Save").click()
        expect(page.locator("li.step-row").nth(index).locator(".status-label")).to_have_text("Done")

    expect(about).to_contain_text("CPC-A")
    expect(page.get_by_role("heading", name="Renewals")).to_be_visible()
    messages = page.locator("#messages")
    expect(messages).to_contain_text("Saved: Pass the CPC exam (CPC-A) is now done.")
    expect(messages).to_contain_text("CPC-A is now among your credentials")
    expect(messages).not_to_contain_text("You now follow")


def test_the_first_ceu_entry_counts_toward_the_only_credential_without_a_tick(new_page, ladder):
    user = person("corey@example.com")
    services.record_credential(user, Credential.objects.get(code="CPC"), earned_on=dt.date(2025, 3, 1))
    page = new_page()
    problems = watch(page)
    sign_in(page, user.email, PASSWORD)
    page.goto("/ceu/")
    expect(page.get_by_label("CPC (Certified Professional Coder)")).to_be_checked()
    page.get_by_label("CEUs earned").fill("2")
    page.get_by_label("Activity").fill("Coding Clinic webinar")
    page.get_by_role("button", name="Log CEUs").click()

    expect(page.get_by_text("2 of 36 logged")).to_be_visible()
    assert violations(page) == [] and problems == []  # 12: no inline style refused, before or after htmx


# 9: account pages and emails are the site's own ----------------------------------------------------------


def test_sign_up_verification_and_its_email_speak_like_the_site(new_page, ladder):
    page = new_page()
    page.goto("/")
    page.get_by_role("link", name="Create an account").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    expect(page.locator("link[href$='site.css']")).to_have_count(1)
    page.get_by_label("Email").fill("sam.new@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_role("link", name="roadmap@localhost")).to_have_attribute("href", "mailto:roadmap@localhost")
    email = mail.outbox[-1]
    assert email.body.startswith("Hello from Coding Career Roadmap")
    assert "127.0.0.1" not in email.body.split("\n")[0]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", email.body).group(1)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")


# 11: the projection table is whole on a laptop ----------------------------------------------------------


def test_the_projection_table_shows_its_last_column_at_1280(new_page, ladder):
    page = new_page(width=1280)
    page.goto("/projection/")

    wrap = page.locator(".projection-result .table-wrap").first.bounding_box()
    last = page.locator("table.projection-steps thead th").last.bounding_box()
    assert last["x"] + last["width"] <= wrap["x"] + wrap["width"] + 1


# Without JavaScript: the invitation and the theme --------------------------------------------------------


def test_without_javascript_an_invitation_and_the_theme_switch_work(new_page, director, cohort):
    from schools import services as school_services

    token = school_services.invite(cohort, email="kai@example.com", first_name="Kai", invited_by=director)
    page = new_page(javascript=False)
    page.goto(f"/invitations/{token}/")
    page.get_by_role("link", name="Create your account").click()
    expect(page.get_by_label("Email")).to_have_value("kai@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("Welcome! You joined Spring coders")).to_be_visible()

    page.get_by_role("button", name="Dark").click()
    expect(page.locator("body")).to_have_css("background-color", "rgb(18, 23, 29)")  # dark paper, no script
    assert page.url.endswith("/dashboard/")  # back where the switch was used
    page.get_by_role("button", name="Auto").click()
    expect(page.locator("body")).to_have_css("background-color", "rgb(255, 255, 255)")  # the system's: light


def test_with_javascript_the_theme_switch_changes_colours_without_a_page_load_and_is_remembered(page):
    page.goto("/ladder/")
    page.evaluate("() => { window.__same_page = true; }")

    page.get_by_role("button", name="Dark").click()

    expect(page.locator("body")).to_have_css("background-color", "rgb(18, 23, 29)")
    expect(page.get_by_role("button", name="Dark")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("() => window.__same_page") is True
    page.goto("/salaries/")
    expect(page.locator("body")).to_have_css("background-color", "rgb(18, 23, 29)")
