"""Private uploads: accepted by content and size, named at random, served with safe headers."""

from __future__ import annotations

import pytest
from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile, FileField

from lib.uploads import MAX_UPLOAD_BYTES, PrivateFileField, RandomName, download_name, private_storage, serve

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


class CertificateForm(forms.Form):
    file = PrivateFileField()


def clean(name: str, content: bytes, content_type: str = "application/pdf"):
    form = CertificateForm(files={"file": SimpleUploadedFile(name, content, content_type=content_type)})
    form.is_valid()
    return form


@pytest.mark.parametrize(("content", "extension"), [(PDF, "pdf"), (PNG, "png"), (JPEG, "jpg")])
def test_a_pdf_png_or_jpeg_is_accepted_and_named_for_what_it_is(content, extension):
    form = clean("My Certificate.exe", content, content_type="application/x-msdownload")
    assert form.is_valid(), form.errors
    upload = form.cleaned_data["file"]
    assert (upload.original_name, upload.name) == ("My Certificate.exe", f"upload.{extension}")


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00 a program", b"<html><script>alert(1)</script>", b"GIF89a", b" %PDF-1.7", b"\x89PNG\r\n"],
)
def test_anything_else_is_refused_whatever_its_name_or_claimed_type(content):
    form = clean("certificate.pdf", content)
    assert form.errors["file"] == [
        "This file is not a PDF, PNG or JPEG (whatever its name says). Save or scan it as one of those."
    ]


def test_five_megabytes_exactly_is_accepted_and_one_byte_more_is_not():
    assert clean("big.pdf", PDF + b"0" * (MAX_UPLOAD_BYTES - len(PDF))).is_valid()
    form = clean("bigger.pdf", PDF + b"0" * (MAX_UPLOAD_BYTES - len(PDF) + 1))
    assert form.errors["file"] == [
        "This file is 5.0 MB; the limit is 5 MB. A scan at a lower resolution, or a PDF, is usually smaller."
    ]
    assert MAX_UPLOAD_BYTES == 5 * 1024 * 1024


def test_an_empty_file_is_refused():
    # Django's own FileField already refuses an empty upload, with its own words.
    assert not clean("empty.pdf", b"").is_valid()


def test_the_stored_name_is_random_and_keeps_only_a_known_extension():
    upload_to = RandomName("certificates")
    first, second = upload_to(None, "upload.pdf"), upload_to(None, "upload.pdf")
    assert first != second
    assert first.startswith("certificates/") and first.endswith(".pdf") and len(first) == len("certificates/") + 36
    assert upload_to(None, "../../etc/passwd").endswith(".bin")
    assert upload_to(None, "photo.JPG").endswith(".jpg")
    assert RandomName("certificates").deconstruct() == ("lib.uploads.RandomName", ("certificates",), {})


def test_a_download_name_keeps_the_persons_name_without_path_tricks():
    assert download_name("My scan (2026).png", "png", "certificate") == "My_scan_2026.png"
    assert download_name("../../secret.exe", "pdf", "certificate") == "secret.pdf"
    assert download_name("C:\\Users\\ana\\cert.pdf", "pdf", "certificate") == "cert.pdf"
    assert download_name("...", "jpg", "certificate") == "certificate.jpg"


@pytest.mark.django_db  # closing a response sends request_finished, which closes old DB connections
def test_serving_sends_the_bytes_with_the_type_of_the_content_and_no_cache():
    storage = private_storage()
    name = storage.save("tests/served.pdf", ContentFile(PDF))
    try:
        file = FieldFile(None, FileField(storage=storage), name)
        response = serve(file, filename="certificate.pdf")
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="certificate.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert "sandbox" in response["Content-Security-Policy"]
        inline = serve(FieldFile(None, FileField(storage=storage), name), filename="certificate.pdf", inline=True)
        assert inline["Content-Disposition"].startswith("inline")
        inline.close()
        response.close()
    finally:
        storage.delete(name)


def test_private_files_are_kept_outside_every_public_folder(settings):
    location = str(private_storage().location)
    assert not location.startswith(str(settings.STATIC_ROOT))
    assert not any(location.startswith(str(folder)) for folder in settings.STATICFILES_DIRS)
