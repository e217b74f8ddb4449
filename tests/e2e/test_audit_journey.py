"""A working coder keeps a certificate, downloads the audit pack; a CPC-A ticks a route to removing the "A"."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.models import User
from accounts.services import profile_of
from ceu import audit
from ceu.models import ApprenticeTracker, AuditPack, CeuEntry
from content.models import Credential
from roadmap import services

from .conftest import sign_in, watch

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-browser-password"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def person(email: str) -> User:
    user = User.objects.create_user(email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    profile_of(user)
    return user


def test_coder_uploads_a_certificate_and_downloads_the_audit_pack(new_page, tmp_path):
    coder = person("auditee.browser@example.com")
    held = services.record_credential(coder, Credential.objects.get(code="CPC"), earned_on=dt.date(2024, 1, 15))
    page = new_page()
    problems = watch(page)
    sign_in(page, coder.email, PASSWORD)

    page.goto("/ceu/")
    page.get_by_label("CEUs earned").fill("3")
    page.get_by_label("Activity").fill("Coding Clinic webinar")
    page.get_by_label("Certificate (optional)").set_input_files(
        {"name": "not a certificate.pdf", "mimeType": "application/pdf", "buffer": b"MZ a program"}
    )
    page.get_by_role("button", name="Log CEUs").click()
    expect(page.get_by_text("This file is not a PDF, PNG or JPEG")).to_be_visible()  # explained, nothing written
    assert not CeuEntry.objects.exists()
    page.get_by_label("Certificate (optional)").set_input_files(
        {"name": "webinar certificate.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Log CEUs").click()
    expect(page.get_by_text("3 of 36 logged")).to_be_visible()
    entry = CeuEntry.objects.get(user=coder)
    assert entry.certificate_name == "webinar certificate.pdf" and entry.credentials.get() == held
    with page.expect_download() as certificate:
        page.get_by_role("link", name="Download the certificate for Coding Clinic webinar").click()
    assert certificate.value.suggested_filename == "webinar_certificate.pdf"

    page.get_by_role("link", name="Make an audit pack").click()
    page.get_by_role("button", name="Make the pack for this cycle (CPC)").click()
    expect(page.locator("#pack-status")).to_contain_text("Waiting for a worker")
    audit.build_pack(AuditPack.objects.get().pk)  # what the Celery worker runs (a real one: test_audit_worker.py)
    download_link = page.get_by_role("link", name="Download the audit pack (ZIP)")
    expect(download_link).to_be_visible()  # htmx polled the status until it was ready
    with page.expect_download() as pack:
        download_link.click()
    saved = tmp_path / "pack.zip"
    pack.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        names = archive.namelist()
    assert "transcript.pdf" in names and "transcript.csv" in names
    assert any(name.endswith("webinar_certificate.pdf") for name in names)
    assert problems == []


def test_apprentice_ticks_a_route_and_sees_the_earliest_day(new_page):
    apprentice = person("apprentice.browser@example.com")
    held = services.record_credential(apprentice, Credential.objects.get(code="CPC-A"), earned_on=dt.date(2025, 9, 1))
    page = new_page()
    sign_in(page, apprentice.email, PASSWORD)

    page.goto("/ceu/")
    page.get_by_role("link", name="Track removing the “A” from your CPC-A").click()
    expect(page.get_by_text("Not known yet")).to_be_visible()
    page.get_by_label("The 80-hour course plus Practicode").check()
    page.get_by_label("80-hour course completed on").fill("2025-10-01")
    page.get_by_label("Practicode completed on").fill("2025-11-15")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("(the route you follow)")).to_be_visible()
    expect(page.get_by_text("By the route “The 80-hour course plus Practicode”: Nov 15, 2025")).to_be_visible()
    tracker = ApprenticeTracker.objects.get(held=held)
    assert (tracker.route, tracker.practicode_completed_on) == ("education", dt.date(2025, 11, 15))
