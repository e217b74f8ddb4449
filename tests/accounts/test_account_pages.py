"""Sign-up, sign-in, profile, export and deletion, through the web."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.core import mail

from accounts.models import Profile, User
from content.models import Region
from roadmap import services
from roadmap.models import Enrollment, HeldCredential, Roadmap, Status

PASSWORD = "a-long-test-password"


def test_sign_up_verify_email_then_reach_the_dashboard(client, ladder):
    response = client.post(
        "/accounts/signup/", {"email": "New.Person@Example.com", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[0].body).group(1)

    # Not verified yet: signing in is refused with a pointer to the email.
    client.logout()
    client.post("/accounts/login/", {"login": "new.person@example.com", "password": PASSWORD})
    assert client.get("/dashboard/").status_code == 302

    response = client.post(link)
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200
    assert User.objects.get().email == "new.person@example.com"


def test_failed_logins_are_rate_limited(client, student):
    for _ in range(5):
        client.post("/accounts/login/", {"login": student.email, "password": "wrong-password"})

    response = client.post("/accounts/login/", {"login": student.email, "password": "wrong-password"})

    assert "Too many failed login attempts" in response.content.decode()


def test_login_never_redirects_to_another_site(client, student):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=student, email=student.email, verified=True, primary=True)

    response = client.post(
        "/accounts/login/?next=https://evil.example/steal",
        {"login": student.email, "password": PASSWORD, "next": "https://evil.example/steal"},
    )

    assert "evil.example" not in response.get("Location", "")

    response = client.post(
        "/accounts/login/?next=/account/profile/",
        {"login": student.email, "password": PASSWORD, "next": "/account/profile/"},
    )
    assert response["Location"] == "/account/profile/"


def test_profile_is_saved_and_a_future_career_start_is_refused(client, student, ladder):
    client.force_login(student)
    nj = Region.objects.get(key="nj")

    bad = client.post(
        "/account/profile/",
        {
            "region": nj.pk,
            "career_start": "2099-01-01",
            "apprentice_education_credits": 1,
            "time_zone": "America/Chicago",
        },
    )
    assert "cannot be in the future" in bad.content.decode()
    assert f'<option value="{nj.pk}" selected>' in bad.content.decode()  # the choice is kept

    client.post(
        "/account/profile/",
        {
            "region": nj.pk,
            "career_start": "2024-09-01",
            "apprentice_education_credits": 1,
            "time_zone": "America/Chicago",
            "reminder_emails": "on",
        },
    )
    profile = Profile.objects.get(user=student)
    assert (profile.region, profile.career_start, profile.time_zone) == (nj, dt.date(2024, 9, 1), "America/Chicago")


def test_unknown_time_zone_is_refused(client, student, ladder):
    client.force_login(student)

    response = client.post("/account/profile/", {"time_zone": "Mars/Olympus", "apprentice_education_credits": 0})

    assert "Select a valid choice" in response.content.decode()


def test_add_and_remove_a_credential_held(client, student, ladder):
    client.force_login(student)

    client.post("/account/credentials/add/", {"credential": "CCS", "earned_on": "2024-05-02"})
    again = client.post("/account/credentials/add/", {"credential": "CCS", "earned_on": "2024-05-02"})
    held = HeldCredential.objects.get(user=student)

    assert "You already hold this credential." in again.content.decode()
    assert held.credential.code == "CCS"
    client.post(f"/account/credentials/{held.pk}/remove/")
    assert not HeldCredential.objects.exists()


def test_the_stranger_cannot_remove_the_students_credential(client, student, stranger, ladder):
    from content.models import Credential

    held = services.record_credential(student, Credential.objects.get(code="CPC"), earned_on=dt.date(2024, 1, 1))
    client.force_login(stranger)

    assert client.post(f"/account/credentials/{held.pk}/remove/").status_code == 404
    assert HeldCredential.objects.filter(pk=held.pk).exists()


@pytest.fixture
def progress(student, ladder):
    enrollment = services.follow_roadmap(student, Roadmap.objects.get(key="outpatient-aapc"))
    services.change_step(
        enrollment,
        enrollment.roadmap.steps.get(key="certificate"),
        status=Status.DONE,
        completed_on=dt.date(2025, 5, 1),
        note='=HYPERLINK("evil")',
        today=dt.date(2025, 5, 1),
    )
    return enrollment


def test_export_downloads_everything_about_the_person_only(client, student, classmate, progress):
    services.follow_roadmap(classmate, Roadmap.objects.get(key="inpatient-ahima"))
    client.force_login(student)

    response = client.get("/account/export/")

    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment;")
    assert data["account"]["email"] == student.email
    assert [r["roadmap"] for r in data["roadmaps"]] == ["Outpatient coder (AAPC path)"]
    assert data["roadmaps"][0]["steps"][0]["completed_on"] == "2025-05-01"
    assert "classmate" not in response.content.decode()


def test_progress_csv_is_safe_to_open_in_a_spreadsheet(client, student, progress):
    client.force_login(student)

    response = client.get("/account/export/progress.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["roadmap", "step", "status"]
    assert rows[1][-1] == '\'=HYPERLINK("evil")'


def test_deleting_the_account_needs_the_email_and_removes_personal_data(client, student, progress):
    client.force_login(student)

    wrong = client.post("/account/delete/", {"email": "someone@else.com"})
    assert "not the email address of this account" in wrong.content.decode()
    assert User.objects.filter(pk=student.pk).exists()

    response = client.post("/account/delete/", {"email": "Student@Example.com"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=student.pk).exists()
    assert not Enrollment.objects.exists() and not HeldCredential.objects.exists()
    assert client.get("/dashboard/").status_code == 302  # signed out


def test_password_reset_sends_a_link_that_sets_a_new_password(client, student):
    client.post("/accounts/password/reset/", {"email": student.email})

    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.request["PATH_INFO"], {"password1": "another-long-password", "password2": "another-long-password"}
    )

    student.refresh_from_db()
    assert student.check_password("another-long-password")


def test_export_includes_ceus_and_school_memberships(client, student, ladder):
    from schools.models import Cohort, School
    from schools.services import add_students

    school = School.objects.create(name="Riverside", slug="riverside")
    cohort = Cohort.objects.create(
        school=school, name="Fall", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 9, 1)
    )
    add_students(cohort, [student])
    client.force_login(student)

    data = json.loads(client.get("/account/export/").content)

    assert data["cohorts"][0]["cohort"] == "Fall" and data["school_memberships"][0]["role"] == "student"
    assert data["ceu_entries"] == [] and data["reminders"] == []
