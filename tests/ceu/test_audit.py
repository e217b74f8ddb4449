"""Audit packs: the transcript of a cycle (PDF, CSV) and every certificate in a ZIP, made by a plain
function the Celery task runs, offered to its owner alone, bounded in queries whatever the cycle's size."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone

from ceu import audit
from ceu.models import AuditPack, CeuEntry
from lib.uploads import private_storage

from .conftest import NOW, hold

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
START, END = dt.date(2024, 12, 20), dt.date(2026, 12, 20)
HX = {"HX-Request": "true"}


def log(user, held_list, hours, on, activity="Webinar", provider="AAPC", category="general", certificate=None):
    entry = CeuEntry(
        user=user, completed_on=on, hours=Decimal(hours), activity=activity, provider=provider, category=category
    )
    if certificate:
        entry.certificate.save("upload.pdf", ContentFile(certificate), save=False)
        entry.certificate_name = "My certificate.pdf"
    entry.save()
    entry.credentials.set(held_list)
    return entry


@pytest.fixture
def auditee(student, ladder):
    """A CPC and CPMA holder: three CEUs in the cycle (one with a certificate), one outside it."""
    student.first_name, student.last_name = "Sam", "Rivera"
    student.save()
    cpc = hold(student, "CPC", dt.date(2023, 1, 1), cycle_ends_on=END)
    cpma = hold(student, "CPMA", dt.date(2023, 1, 1), cycle_ends_on=END)
    log(student, [cpc], "10", dt.date(2025, 3, 1), activity='=HYPERLINK("http://evil")', certificate=PDF)
    log(student, [cpma], "6", dt.date(2025, 4, 1), activity="Audit basics", category="auditing")
    log(student, [cpc, cpma], "2.5", dt.date(2026, 1, 1), provider="+Local chapter")
    log(student, [cpc], "39", dt.date(2024, 6, 1))  # before the cycle
    return student


def pack_for(user, code="CPC", starts_on=START, ends_on=END) -> AuditPack:
    held = user.held_credentials.get(credential__code=code)
    return AuditPack.objects.create(user=user, held=held, starts_on=starts_on, ends_on=ends_on)


def test_the_transcript_lists_each_entry_of_the_cycle_and_the_totals_against_each_requirement(auditee):
    doc = audit.transcript(auditee.held_credentials.get(credential__code="CPC"), START, END)

    assert (doc.person, doc.body) == ("Sam Rivera", "AAPC")
    assert [(line.completed_on, line.hours, line.counts_toward) for line in doc.lines] == [
        (dt.date(2025, 3, 1), 10, ("CPC",)),
        (dt.date(2025, 4, 1), 6, ("CPMA",)),
        (dt.date(2026, 1, 1), Decimal("2.5"), ("CPC", "CPMA")),
    ]
    assert [bool(line.certificate) for line in doc.lines] == [True, False, False]
    assert [(r.label, r.required, r.logged, r.remaining) for r in doc.requirements] == [
        ("AAPC total for 2 credential(s)", 40, Decimal("18.5"), Decimal("21.5")),
        ("Of the total, related to auditing (CPMA)", 16, 6, 10),
    ]


def test_the_csv_transcript_is_formula_safe(auditee):
    doc = audit.transcript(auditee.held_credentials.get(credential__code="CPC"), START, END)

    rows = list(csv.reader(io.StringIO(audit.transcript_csv(doc))))

    assert rows[0] == ["Person", "Sam Rivera"] and rows[3] == ["Cycle", "2024-12-20 to 2026-12-20"]
    assert rows[5] == audit.CSV_HEADER
    assert rows[6] == [
        "2025-03-01",
        '\'=HYPERLINK("http://evil")',
        "AAPC",
        "General (any approved program)",
        "10",
        "CPC",
        "yes",
    ]
    assert rows[8][2] == "'+Local chapter"
    assert ["Of the total, related to auditing (CPMA)", "16", "6", "10"] in rows


def test_building_a_pack_writes_a_zip_with_the_transcript_and_every_certificate(auditee):
    pack = pack_for(auditee)

    assert audit.build_pack(pack.pk) == "ready"

    pack.refresh_from_db()
    assert (pack.status, pack.progress, pack.entries, pack.certificates) == ("ready", 100, 3, 1)
    assert pack.expires_at - pack.finished_at == dt.timedelta(days=7)
    with pack.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
        assert archive.read("transcript.pdf").startswith(b"%PDF-")
        assert b"Sam Rivera" in archive.read("transcript.csv")
        (certificate,) = [n for n in names if n.startswith("certificates/")]
        assert certificate.endswith("-My_certificate.pdf") and archive.read(certificate) == PDF


def test_a_second_run_of_the_task_makes_nothing_twice(auditee):
    pack = pack_for(auditee)
    audit.build_pack(pack.pk)
    pack.refresh_from_db()
    first = pack.file.name

    assert audit.build_pack(pack.pk) == "ready"
    pack.refresh_from_db()
    assert pack.file.name == first


def test_a_pack_abandoned_by_a_dead_worker_is_made_by_the_next_run(auditee):
    pack = pack_for(auditee)
    AuditPack.objects.filter(pk=pack.pk).update(status="running", claimed_at=timezone.now())
    assert audit.build_pack(pack.pk) == "running"  # another worker is on it

    later = timezone.now() + audit.LEASE + dt.timedelta(seconds=1)
    assert audit.build_pack(pack.pk, now=later) == "ready"


def test_an_empty_cycle_gives_a_transcript_that_says_so(student, ladder):
    hold(student, "CPC", dt.date(2025, 1, 1), cycle_ends_on=dt.date(2027, 1, 1))
    pack = pack_for(student, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2027, 1, 1))

    audit.build_pack(pack.pk)

    pack.refresh_from_db()
    assert (pack.status, pack.entries, pack.certificates) == ("ready", 0, 0)
    with pack.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        assert sorted(archive.namelist()) == ["transcript.csv", "transcript.pdf"]
        assert "Required" in archive.read("transcript.csv").decode()


def test_a_cycle_of_thousands_of_entries_is_made_in_bounded_queries(student, ladder, django_assert_max_num_queries):
    held = hold(student, "CPC", dt.date(2023, 1, 1), cycle_ends_on=END)
    entries = CeuEntry.objects.bulk_create(
        CeuEntry(
            user=student, completed_on=START + dt.timedelta(days=i % 700), hours=Decimal("0.5"), activity=f"Unit {i}"
        )
        for i in range(3000)
    )
    CeuEntry.credentials.through.objects.bulk_create(
        CeuEntry.credentials.through(ceuentry_id=e.pk, heldcredential_id=held.pk) for e in entries
    )
    for entry in entries[:30]:
        entry.certificate.save("upload.pdf", ContentFile(PDF), save=False)
        entry.certificate_name = "c.pdf"
    CeuEntry.objects.bulk_update(entries[:30], ["certificate", "certificate_name"])
    pack = pack_for(student)

    with django_assert_max_num_queries(40):
        assert audit.build_pack(pack.pk) == "ready"

    pack.refresh_from_db()
    assert (pack.entries, pack.certificates) == (3000, 30)


def test_a_missing_certificate_file_is_named_in_the_zip_not_a_failure(auditee):
    entry = CeuEntry.objects.exclude(certificate="").get()
    private_storage().delete(entry.certificate.name)
    pack = pack_for(auditee)

    assert audit.build_pack(pack.pk) == "ready"
    pack.refresh_from_db()
    with pack.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        assert any(name.endswith("MISSING.txt") for name in archive.namelist())


def test_expired_packs_are_deleted_with_their_files(auditee, django_capture_on_commit_callbacks):
    pack = pack_for(auditee)
    audit.build_pack(pack.pk)
    pack.refresh_from_db()
    name = pack.file.name

    with django_capture_on_commit_callbacks(execute=True):
        assert audit.delete_expired(timezone.now()) == 0
        assert audit.delete_expired(pack.expires_at) == 1

    assert not AuditPack.objects.exists() and not private_storage().exists(name)


# Through the web -----------------------------------------------------------------------------------


@pytest.fixture
def signed_in(client, auditee):
    client.force_login(auditee)
    return client


@time_machine.travel(NOW)
def test_asking_for_a_pack_creates_it_once_and_shows_its_progress(signed_in, auditee, django_assert_max_num_queries):
    held = auditee.held_credentials.get(credential__code="CPC")

    with django_assert_max_num_queries(14):
        response = signed_in.get("/ceu/audit/")
    assert "Make the pack for this cycle" in response.content.decode()
    first = signed_in.post("/ceu/audit/", {"held": held.pk, "cycle": "current"})
    second = signed_in.post("/ceu/audit/", {"held": held.pk, "cycle": "current"})

    pack = AuditPack.objects.get()
    assert first["Location"] == second["Location"] == f"/ceu/audit/{pack.pk}/"
    assert (pack.starts_on, pack.ends_on) == (START, END)
    with django_assert_max_num_queries(10):
        html = signed_in.get(f"/ceu/audit/{pack.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in html and '<meta http-equiv="refresh"' in html
    fragment = signed_in.get(f"/ceu/audit/{pack.pk}/", headers=HX).content.decode()
    assert fragment.lstrip().startswith('<div id="pack-status"') and "<html" not in fragment


@time_machine.travel(NOW)
def test_the_previous_cycle_is_one_cycle_earlier_from_the_day_the_credential_was_earned(signed_in, auditee):
    held = auditee.held_credentials.get(credential__code="CPC")

    signed_in.post("/ceu/audit/", {"held": held.pk, "cycle": "previous"})

    pack = AuditPack.objects.get()
    assert (pack.starts_on, pack.ends_on) == (dt.date(2023, 1, 1), dt.date(2024, 12, 19))


@time_machine.travel(NOW)
def test_a_ready_pack_is_downloaded_whole_or_as_its_transcript(signed_in, auditee):
    pack = pack_for(auditee)
    audit.build_pack(pack.pk)

    html = signed_in.get(f"/ceu/audit/{pack.pk}/").content.decode()
    assert "Download the audit pack (ZIP)" in html and "hx-trigger" not in html and "refresh" not in html
    whole = signed_in.get(f"/ceu/audit/{pack.pk}/download/")
    assert whole["Content-Disposition"] == 'attachment; filename="audit-pack-CPC-2026-12-20.zip"'
    assert zipfile.is_zipfile(io.BytesIO(b"".join(whole.streaming_content)))
    pdf = signed_in.get(f"/ceu/audit/{pack.pk}/transcript.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert b"Sam Rivera" in signed_in.get(f"/ceu/audit/{pack.pk}/transcript.csv").content


@time_machine.travel(NOW)
def test_a_pack_not_ready_has_nothing_to_download(signed_in, auditee):
    pack = pack_for(auditee)

    for path in ("download/", "transcript.pdf", "transcript.csv"):
        assert signed_in.get(f"/ceu/audit/{pack.pk}/{path}").status_code == 404


@time_machine.travel(NOW)
def test_the_stranger_cannot_see_or_download_anyone_elses_pack(client, auditee, stranger):
    pack = pack_for(auditee)
    audit.build_pack(pack.pk)
    held = auditee.held_credentials.get(credential__code="CPC")
    client.force_login(stranger)

    for path in ("", "download/", "transcript.pdf", "transcript.csv"):
        assert client.get(f"/ceu/audit/{pack.pk}/{path}").status_code == 404
    response = client.post("/ceu/audit/", {"held": held.pk, "cycle": "current"})
    assert response.status_code == 200 and AuditPack.objects.count() == 1


@time_machine.travel(NOW)
def test_an_expired_pack_is_gone_from_the_page(signed_in, auditee):
    pack = pack_for(auditee)
    audit.build_pack(pack.pk)
    AuditPack.objects.filter(pk=pack.pk).update(expires_at=timezone.now())

    assert signed_in.get(f"/ceu/audit/{pack.pk}/").status_code == 404


@time_machine.travel(NOW)
def test_a_cycle_without_known_dates_gets_a_clear_message(client, student, ladder):
    held = hold(student, "CCDS", dt.date(2025, 1, 1))
    client.force_login(student)

    response = client.post("/ceu/audit/", {"held": held.pk, "cycle": "current"})

    assert response.status_code == 200 and "dates are not known" in response.content.decode()
    assert not AuditPack.objects.exists()


@time_machine.travel(NOW)
def test_there_is_no_previous_cycle_before_the_credential_was_earned(client, student, ladder):
    held = hold(student, "CPC", dt.date(2025, 6, 1), cycle_ends_on=dt.date(2027, 6, 1))
    client.force_login(student)

    response = client.post("/ceu/audit/", {"held": held.pk, "cycle": "previous"})

    assert "There is no previous cycle" in response.content.decode() and not AuditPack.objects.exists()


@time_machine.travel(NOW)
def test_the_ceu_page_of_a_cycle_with_thousands_of_entries_shows_one_page_in_bounded_queries(
    client, student, ladder, django_assert_max_num_queries
):
    held = hold(student, "CPC", dt.date(2023, 1, 1), cycle_ends_on=END)
    entries = CeuEntry.objects.bulk_create(
        CeuEntry(
            user=student, completed_on=START + dt.timedelta(days=i % 700), hours=Decimal("0.5"), activity=f"Unit {i}"
        )
        for i in range(3000)
    )
    CeuEntry.credentials.through.objects.bulk_create(
        CeuEntry.credentials.through(ceuentry_id=e.pk, heldcredential_id=held.pk) for e in entries
    )
    client.force_login(student)

    with django_assert_max_num_queries(16):
        html = client.get("/ceu/?page=7").content.decode()

    assert "Page 7 of 120" in html and html.count('<tr id="entry-') == 25
    assert "1500 of 36 logged" in html


def test_deleting_the_account_removes_its_audit_packs_files(auditee, django_capture_on_commit_callbacks):
    from accounts.services import delete_account

    pack = pack_for(auditee)
    audit.build_pack(pack.pk)
    pack.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(auditee)

    assert not private_storage().exists(pack.file.name)


def test_asking_again_for_a_pack_abandoned_by_its_worker_sends_the_task_again(
    auditee, django_capture_on_commit_callbacks
):
    held = auditee.held_credentials.get(credential__code="CPC")
    pack = pack_for(auditee)
    with django_capture_on_commit_callbacks() as fresh:
        assert audit.request_pack(held, starts_on=START, ends_on=END) == (pack, False)
    assert fresh == []  # just made: its task is on its way

    AuditPack.objects.filter(pk=pack.pk).update(
        status="running", claimed_at=timezone.now() - audit.LEASE - dt.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks() as stale:
        assert audit.request_pack(held, starts_on=START, ends_on=END) == (pack, False)
    assert len(stale) == 1
