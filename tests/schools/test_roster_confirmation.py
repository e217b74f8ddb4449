"""Confirming a roster imports exactly the file that was checked, named by its SHA-256."""

from __future__ import annotations

import hashlib

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools.models import CohortStudent, Invitation

CLEAN = b"email,first_name,last_name\nkim@example.com,Kim,Lee\nlou@example.com,Lou,Ng\n"
BAD = b"email,first_name,last_name\nnot-an-email,Bad,Row\n"
OTHER_CLEAN = b"email,first_name,last_name\nmo@example.com,Mo,Ro\n"


def upload(client, cohort, data: bytes, name: str = "roster.csv"):
    url = reverse("schools:roster", args=[cohort.school.slug, cohort.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data, content_type="text/csv")}, follow=True)


def confirm(client, cohort, digest: str | None):
    url = reverse("schools:roster", args=[cohort.school.slug, cohort.pk])
    data = {"confirm": "yes"} | ({"sha256": digest} if digest is not None else {})
    return client.post(url, data, follow=True)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def signed_in(client, instructor):
    client.force_login(instructor)
    return client


def nothing_imported(cohort) -> bool:
    return not Invitation.objects.filter(cohort=cohort).exists() and not mail.outbox


def test_a_failed_check_forgets_the_clean_file_checked_before_it(signed_in, cohort, django_capture_on_commit_callbacks):
    upload(signed_in, cohort, CLEAN)
    report = upload(signed_in, cohort, BAD).content.decode()
    assert "Nothing was imported" in report

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(signed_in, cohort, digest(CLEAN))

    assert "Nothing was imported: upload the roster again" in response.content.decode()
    assert nothing_imported(cohort)


def test_a_file_that_is_not_a_roster_at_all_also_forgets_the_earlier_one(
    signed_in, cohort, django_capture_on_commit_callbacks
):
    upload(signed_in, cohort, CLEAN)
    signed_in.post(reverse("schools:roster", args=[cohort.school.slug, cohort.pk]), {})  # no file at all

    with django_capture_on_commit_callbacks(execute=True):
        confirm(signed_in, cohort, digest(CLEAN))

    assert nothing_imported(cohort)


def test_the_confirmation_shows_the_files_name_rows_and_short_hash(signed_in, cohort):
    html = upload(signed_in, cohort, CLEAN, name="fall-2026.csv").content.decode()

    assert "The file is clean: 2 students" in html
    assert 'Checked: <strong class="break">fall-2026.csv</strong>' in html
    assert "from fall-2026.csv</button>" in html
    assert digest(CLEAN)[:12] in html
    assert f'<input type="hidden" name="sha256" value="{digest(CLEAN)}">' in html


@pytest.mark.parametrize("sent", [None, "", "0" * 64, digest(OTHER_CLEAN), digest(CLEAN).upper()])
def test_a_confirmation_naming_another_file_imports_nothing(
    signed_in, cohort, sent, django_capture_on_commit_callbacks
):
    upload(signed_in, cohort, CLEAN)

    with django_capture_on_commit_callbacks(execute=True):
        confirm(signed_in, cohort, sent)

    assert nothing_imported(cohort)


def test_a_confirmation_of_an_older_file_after_a_newer_clean_one_imports_nothing(
    signed_in, cohort, django_capture_on_commit_callbacks
):
    upload(signed_in, cohort, CLEAN)
    upload(signed_in, cohort, OTHER_CLEAN)  # e.g. in another tab

    with django_capture_on_commit_callbacks(execute=True):
        confirm(signed_in, cohort, digest(CLEAN))

    assert nothing_imported(cohort)


def test_the_checked_file_is_imported_once_when_its_hash_comes_back(
    signed_in, cohort, django_capture_on_commit_callbacks
):
    upload(signed_in, cohort, CLEAN)

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(signed_in, cohort, digest(CLEAN))
        again = confirm(signed_in, cohort, digest(CLEAN))

    assert "Roster imported: 0 joined, 2 invited by email." in response.content.decode()
    assert "Nothing was imported" in again.content.decode()
    assert sorted(Invitation.objects.filter(cohort=cohort).values_list("email", flat=True)) == [
        "kim@example.com",
        "lou@example.com",
    ]
    assert len(mail.outbox) == 2
    assert not CohortStudent.objects.filter(cohort=cohort, user__email="kim@example.com").exists()


def test_a_checked_roster_kept_in_the_older_form_must_be_checked_again(
    signed_in, cohort, django_capture_on_commit_callbacks
):
    session = signed_in.session
    session[f"roster-{cohort.pk}"] = [{"line": 2, "email": "kim@example.com", "first_name": "", "last_name": ""}]
    session.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(signed_in, cohort, digest(CLEAN))

    assert "Nothing was imported: upload the roster again" in response.content.decode()
    assert nothing_imported(cohort)
