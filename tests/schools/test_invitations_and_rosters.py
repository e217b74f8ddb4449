"""Invitations a new student can follow from the email to the cohort, pending invitations staff can
see, resend and revoke, the roster report on a page of its own, and where staff land."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from roadmap.models import Roadmap
from schools import services
from schools.models import CohortStudent, Invitation
from tests.conftest import make_user

PASSWORD = "a-long-test-password"


@pytest.fixture
def outpatient(ladder):
    return Roadmap.objects.get(key="outpatient-aapc")


def cohort_url(cohort, name="schools:cohort", *extra):
    return reverse(name, args=[cohort.school.slug, cohort.pk, *extra])


def link_in(message) -> str:
    return re.search(r"https?://\S+/invitations/\S+/", message.body).group(0)


def test_the_invitation_link_is_on_the_address_the_instructor_uses(
    client, instructor, cohort, django_capture_on_commit_callbacks
):
    client.force_login(instructor)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(cohort_url(cohort, "schools:invite"), {"email": "new@example.com"}, HTTP_HOST="localhost:8140")

    assert link_in(mail.outbox[0]).startswith("http://localhost:8140/invitations/")
    assert "Fall" in mail.outbox[0].alternatives[0][0]  # an HTML part too


def test_without_a_request_the_link_is_on_site_url(instructor, cohort, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://roadmap.example.com"

    with django_capture_on_commit_callbacks(execute=True):
        services.invite(cohort, email="new@example.com", invited_by=instructor)

    assert link_in(mail.outbox[0]).startswith("https://roadmap.example.com/invitations/")


def test_a_visitor_sees_who_invites_them_and_signs_up_into_the_cohort_with_their_name(
    client, instructor, cohort, django_capture_on_commit_callbacks
):
    token = services.invite(
        cohort, email="Nia@Example.com", first_name="Nia", last_name="Okafor", invited_by=instructor
    )

    page = client.get(f"/invitations/{token}/").content.decode()
    assert "Riverside Community College invites you, Nia," in page and "Create your account" in page
    signup = client.get(reverse("account_signup")).content.decode()
    assert 'value="nia@example.com"' in signup  # the invited address, filled in
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"), {"email": "nia@example.com", "password1": PASSWORD, "password2": PASSWORD}
        )

    nia = User.objects.get(email="nia@example.com")
    assert response.status_code == 302 and response.url == reverse("roadmap:dashboard")  # signed in at once
    assert CohortStudent.objects.filter(cohort=cohort, user=nia).exists()
    assert (nia.first_name, nia.last_name) == ("Nia", "Okafor")
    assert Invitation.objects.get().accepted_at is not None
    assert "You joined Fall at Riverside Community College" in client.get(reverse("roadmap:dashboard")).content.decode()


def test_signing_up_with_another_address_needs_verification_and_joins_nothing(client, instructor, cohort):
    token = services.invite(cohort, email="nia@example.com", invited_by=instructor)
    client.get(f"/invitations/{token}/")

    client.post(reverse("account_signup"), {"email": "other@example.com", "password1": PASSWORD, "password2": PASSWORD})

    other = User.objects.get(email="other@example.com")
    assert not CohortStudent.objects.filter(user=other).exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_existing_account_is_asked_to_sign_in_and_comes_back_to_the_invitation(client, instructor, cohort):
    make_user("kim@example.com")
    token = services.invite(cohort, email="kim@example.com", invited_by=instructor)

    page = client.get(f"/invitations/{token}/").content.decode()

    assert f'href="/accounts/login/?next=/invitations/{token}/"' in page and "Sign in to accept" in page


def test_pending_invitations_are_listed_with_names_and_count_on_the_school_page(client, admin, cohort):
    services.invite(cohort, email="nia@example.com", first_name="Nia", last_name="Okafor", invited_by=admin)
    client.force_login(admin)

    cohort_page = client.get(cohort_url(cohort)).content.decode()
    school_page = client.get(reverse("schools:school", args=["riverside"])).content.decode()

    assert "1 pending invitation" in cohort_page and "Nia Okafor" in cohort_page and "nia@example.com" in cohort_page
    assert "+ 1 invited" in school_page


def test_resending_replaces_the_link_and_revoking_kills_it(client, admin, cohort, django_capture_on_commit_callbacks):
    old_token = services.invite(cohort, email="nia@example.com", invited_by=admin)
    invitation = Invitation.objects.get()
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(cohort_url(cohort, "schools:resend-invitation", invitation.pk))

    assert services.open_invitation(old_token) is None
    new_link = link_in(mail.outbox[-1])
    assert services.open_invitation(new_link.rstrip("/").rsplit("/", 1)[1]) is not None
    client.post(cohort_url(cohort, "schools:revoke-invitation", invitation.pk))
    assert not Invitation.objects.exists()
    assert "no longer works" in client.get(urlparse(new_link).path).content.decode()


def test_importing_a_roster_gives_existing_people_without_a_name_the_roster_name(admin, cohort):
    named, unnamed = make_user("named@example.com", first_name="Own"), make_user("unnamed@example.com")
    rows = services.check_roster(
        b"email,first_name,last_name\nnamed@example.com,Other,Name\nunnamed@example.com,Uma,Ng\n"
    ).rows

    services.import_roster(cohort, rows, invited_by=admin)

    named.refresh_from_db(), unnamed.refresh_from_db()
    assert (named.first_name, named.last_name) == ("Own", "Name")  # their own first name is kept
    assert (unnamed.first_name, unnamed.last_name) == ("Uma", "Ng")


def test_the_roster_report_is_a_page_that_survives_a_reload(client, instructor, cohort):
    client.force_login(instructor)
    upload = SimpleUploadedFile("r.csv", b"email,first_name,last_name\nnew@example.com,New,One\n", "text/csv")

    response = client.post(cohort_url(cohort, "schools:roster"), {"file": upload})
    assert response.status_code == 302 and response.url == cohort_url(cohort, "schools:roster")
    first, reload = client.get(response.url), client.get(response.url)

    for page in (first.content.decode(), reload.content.decode()):
        assert "The file is clean: 1 student" in page and "Import 1 student" in page
    assert first.content.decode().index("The file is clean") < first.content.decode().index("Upload another file")


@pytest.mark.parametrize(
    ("students", "message"), [(0, "It has no students yet"), (2, "All 2 students of Fall now follow")]
)
def test_assigning_says_who_now_follows_the_roadmap(client, admin, cohort, outpatient, students, message):
    if not students:
        CohortStudent.objects.all().delete()
    client.force_login(admin)

    response = client.post(
        cohort_url(cohort, "schools:assign"), {"roadmap": outpatient.pk, "start_on": "2026-01-05"}, follow=True
    )

    assert message in response.content.decode()


def test_school_staff_land_on_their_school_and_students_on_their_dashboard(client, admin, student):
    for user, landing in ((admin, "/schools/riverside/"), (student, "/dashboard/")):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
        assert response.url == landing
        client.logout()


def test_a_new_cohort_is_offered_the_most_common_route_from_its_own_start(client, admin, cohort):
    client.force_login(admin)

    html = client.get(cohort_url(cohort)).content.decode()

    outpatient = Roadmap.objects.get(key="outpatient-aapc")
    assert f'<option value="{outpatient.pk}" selected>Outpatient coder (AAPC path)</option>' in html
    assert 'name="start_on" value="2026-01-05"' in html


def test_the_new_pages_run_a_bounded_number_of_queries(client, admin, cohort, django_assert_max_num_queries):
    for index in range(30):
        services.invite(cohort, email=f"p{index}@example.com", first_name="P", invited_by=admin)
    token = services.invite(cohort, email="last@example.com", invited_by=admin)
    with django_assert_max_num_queries(8):
        client.get(f"/invitations/{token}/")
    client.force_login(admin)
    with django_assert_max_num_queries(12):
        client.get(cohort_url(cohort, "schools:roster"))
    with django_assert_max_num_queries(14):
        client.get(reverse("schools:school", args=["riverside"]))
    with django_assert_max_num_queries(40):
        assert "31 pending invitations" in client.get(cohort_url(cohort)).content.decode()
