"""Certificates on file: uploaded with a CEU entry, served to its owner alone, gone with the entry."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.services import delete_account
from ceu.models import CeuEntry
from lib.uploads import MAX_UPLOAD_BYTES, private_storage

from .conftest import hold, log

TODAY = dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC)
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def upload(content: bytes = PDF, name: str = "AAPC webinar.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def entry_data(held, **changes):
    return {
        "completed_on": "2026-10-01",
        "hours": "2",
        "activity": "Audit webinar",
        "provider": "AAPC",
        "category": "general",
        "credentials": [held.pk],
    } | changes


@pytest.fixture
def signed_in(client, coder):
    client.force_login(coder)
    return client


def stored(entry: CeuEntry) -> bool:
    return private_storage().exists(entry.certificate.name)


def with_certificate(entry: CeuEntry, content: bytes = PDF, name: str = "cert.pdf") -> CeuEntry:
    entry.certificate.save("upload.pdf" if content.startswith(b"%PDF") else "upload.png", upload(content), save=False)
    entry.certificate_name = name
    entry.save()
    return entry


@time_machine.travel(TODAY)
def test_a_certificate_uploaded_with_an_entry_is_kept_privately_under_a_random_name(signed_in, coder):
    held = coder.held_credentials.get()

    response = signed_in.post("/ceu/", entry_data(held, certificate=upload()))

    assert response.status_code == 302
    entry = CeuEntry.objects.get(user=coder, activity="Audit webinar")
    assert entry.certificate_name == "AAPC webinar.pdf"
    assert entry.certificate.name.startswith("certificates/") and "webinar" not in entry.certificate.name
    assert stored(entry)


@time_machine.travel(TODAY)
def test_the_owner_downloads_the_certificate_with_safe_headers(signed_in, coder):
    entry = with_certificate(coder.ceu_entries.get(), name="My scan.pdf")

    response = signed_in.get(f"/ceu/entries/{entry.pk}/certificate/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="My_scan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]


@time_machine.travel(TODAY)
def test_the_stranger_cannot_download_anyone_elses_certificate(client, coder, stranger):
    entry = with_certificate(coder.ceu_entries.get())
    client.force_login(stranger)

    assert client.get(f"/ceu/entries/{entry.pk}/certificate/").status_code == 404
    assert client.post(f"/ceu/entries/{entry.pk}/", entry_data(entry.credentials.get())).status_code == 404


@time_machine.travel(TODAY)
def test_an_entry_without_a_certificate_has_none_to_download(signed_in, coder):
    assert signed_in.get(f"/ceu/entries/{coder.ceu_entries.get().pk}/certificate/").status_code == 404


@time_machine.travel(TODAY)
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 a program", "not a PDF, PNG or JPEG"),
        (PDF + b"0" * MAX_UPLOAD_BYTES, "the limit is 5 MB"),
        (b"", "The submitted file is empty."),
    ],
    ids=["fake", "oversized", "empty"],
)
def test_a_fake_oversized_or_empty_file_is_refused_with_a_clear_message_and_nothing_written(
    signed_in, coder, content, message
):
    held = coder.held_credentials.get()
    before = CeuEntry.objects.count()
    files_before = private_storage().listdir("certificates")[1] if private_storage().exists("certificates") else []

    response = signed_in.post("/ceu/", entry_data(held, certificate=upload(content, "cert.pdf")))

    assert response.status_code == 200 and message in response.content.decode()
    assert CeuEntry.objects.count() == before
    files_after = private_storage().listdir("certificates")[1] if private_storage().exists("certificates") else []
    assert files_after == files_before


@time_machine.travel(TODAY)
def test_replacing_a_certificate_deletes_the_old_file_after_commit(
    signed_in, coder, django_capture_on_commit_callbacks
):
    entry = with_certificate(coder.ceu_entries.get())
    old = entry.certificate.name
    held = entry.credentials.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            f"/ceu/entries/{entry.pk}/", entry_data(held, certificate=upload(PNG, "new.png"), completed_on="2026-03-01")
        )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.certificate.name != old and entry.certificate.name.endswith(".png")
    assert entry.certificate_name == "new.png"
    assert stored(entry) and not private_storage().exists(old)


@time_machine.travel(TODAY)
def test_removing_the_certificate_deletes_its_file(signed_in, coder, django_capture_on_commit_callbacks):
    entry = with_certificate(coder.ceu_entries.get())
    old = entry.certificate.name

    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(
            f"/ceu/entries/{entry.pk}/",
            entry_data(entry.credentials.get(), completed_on="2026-03-01", remove_certificate="on"),
        )

    entry.refresh_from_db()
    assert not entry.certificate and entry.certificate_name == ""
    assert not private_storage().exists(old)


@time_machine.travel(TODAY)
def test_editing_an_entry_without_a_new_file_keeps_the_certificate(signed_in, coder):
    entry = with_certificate(coder.ceu_entries.get(), name="kept.pdf")
    name = entry.certificate.name

    signed_in.post(f"/ceu/entries/{entry.pk}/", entry_data(entry.credentials.get(), completed_on="2026-03-01"))

    entry.refresh_from_db()
    assert (entry.certificate.name, entry.certificate_name, entry.hours) == (name, "kept.pdf", 2)
    assert stored(entry)


@time_machine.travel(TODAY)
def test_deleting_an_entry_removes_its_file_after_commit(signed_in, coder, django_capture_on_commit_callbacks):
    entry = with_certificate(coder.ceu_entries.get())
    name = entry.certificate.name

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        signed_in.post(f"/ceu/entries/{entry.pk}/delete/")
        assert private_storage().exists(name)  # not before the transaction commits

    assert callbacks and not private_storage().exists(name)


def test_a_rolled_back_delete_keeps_the_file(coder, django_capture_on_commit_callbacks):
    entry = with_certificate(coder.ceu_entries.get())

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        CeuEntry.objects.get(pk=entry.pk).delete()
        transaction.set_rollback(True)

    assert CeuEntry.objects.filter(pk=entry.pk).exists() and stored(entry)


def test_deleting_the_account_removes_every_certificate(coder, ladder, django_capture_on_commit_callbacks):
    first = with_certificate(coder.ceu_entries.get())
    second = with_certificate(log(coder, [coder.held_credentials.get()], "3", dt.date(2026, 5, 1)), PNG)
    names = [first.certificate.name, second.certificate.name]

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(coder)

    assert not any(private_storage().exists(name) for name in names)


@time_machine.travel(TODAY)
def test_the_ceu_page_says_which_entries_have_a_certificate_in_bounded_queries(
    signed_in, coder, django_assert_max_num_queries
):
    held = coder.held_credentials.get()
    for day in range(1, 29):
        with_certificate(log(coder, [held], "1", dt.date(2026, 2, day)))

    with django_assert_max_num_queries(16):
        html = signed_in.get("/ceu/").content.decode()

    # One page of 25: the fixture's newest entry has none, the next 24 have one.
    assert html.count("/certificate/") == 24 and html.count("None on file") == 1


def test_the_data_export_says_whether_a_certificate_is_on_file(coder):
    from ceu.export import personal_data

    with_certificate(coder.ceu_entries.get(), name="scan.pdf")
    hold(coder, "CCS", dt.date(2025, 1, 1))

    (row,) = personal_data(coder)["ceu_entries"]
    assert (row["certificate_on_file"], row["certificate_file_name"]) == (True, "scan.pdf")
