"""Private uploads: a file a person hands the site (a CEU certificate, a score report).

Three promises, kept here once for every app:
- a file is accepted only for what its first bytes say it is (PDF, PNG or JPEG), never for its name
  or the type the browser claims, and only up to ``MAX_UPLOAD_BYTES``;
- it is kept through Django's storage API under a random name, in the ``private`` storage (a folder
  outside the static and media URLs by default; an S3-compatible bucket when the environment
  configures one), so no URL reaches it without a view;
- it is served only by a view that has first checked who may see it (``serve``), and it goes when
  the row that holds it goes (``delete_file_with``), once the deleting transaction has committed.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django import forms
from django.core.files.storage import Storage, storages
from django.db import models, transaction
from django.db.models.signals import post_delete, pre_save
from django.http import FileResponse
from django.utils.deconstruct import deconstructible

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str
    signature: bytes


KINDS = (
    Kind("application/pdf", "pdf", b"%PDF-"),
    Kind("image/png", "png", b"\x89PNG\r\n\x1a\n"),
    Kind("image/jpeg", "jpg", b"\xff\xd8\xff"),
)
ACCEPT = ",".join(sorted({".pdf", ".png", ".jpg", ".jpeg", *(kind.content_type for kind in KINDS)}))


def private_storage() -> Storage:
    """The storage for private files (settings.STORAGES["private"]); a callable, so a model field
    keeps pointing at whatever the settings say when they change."""
    return storages["private"]


def kind_of(head: bytes) -> Kind | None:
    """What a file is, from its first bytes; None for anything that is not PDF, PNG or JPEG."""
    return next((kind for kind in KINDS if head.startswith(kind.signature)), None)


def check_upload(upload) -> Kind:
    """The upload's kind, or a ValidationError that says what was wrong in words a person can act on."""
    if upload.size == 0:
        raise forms.ValidationError("This file is empty.", code="empty")
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            "This file is %(size)s; the limit is 5 MB. A scan at a lower resolution, or a PDF, is usually smaller.",
            code="too_large",
            params={"size": f"{upload.size / (1024 * 1024):.1f} MB"},
        )
    upload.seek(0)
    kind = kind_of(upload.read(16))
    upload.seek(0)
    if kind is None:
        raise forms.ValidationError(
            "This file is not a PDF, PNG or JPEG (whatever its name says). Save or scan it as one of those.",
            code="file_type",
        )
    return kind


class PrivateFileField(forms.FileField):
    """A form field for a private upload, checked by content and size. The cleaned upload keeps the
    person's own file name in ``original_name`` and is renamed to what it really is (``upload.pdf``),
    so ``random_name`` can trust its extension."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "PDF, PNG or JPEG, at most 5 MB.")
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial:
            kind = check_upload(upload)
            upload.original_name = upload.name
            upload.name = f"upload.{kind.extension}"
        return upload


EXTENSIONS = frozenset(kind.extension for kind in KINDS)


@deconstructible
class RandomName:
    """An ``upload_to`` that never puts the person's file name in the path (it may carry a name, a
    date of birth or a path trick): a random name in ``folder``, keeping only a known extension."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance: models.Model, filename: str) -> str:
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        return f"{self.folder}/{uuid.uuid4().hex}.{extension if extension in EXTENSIONS else 'bin'}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def download_name(original: str, kind_extension: str, fallback: str) -> str:
    """A safe file name to offer on download: the person's own name without path parts or odd
    characters, with the extension of what the file really is."""
    stem = re.sub(r"[^-\w]+", "_", original.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]).strip("_.-")
    return f"{stem[:80] or fallback}.{kind_extension}"


def serve(file: models.fields.files.FieldFile, *, filename: str, inline: bool = False) -> FileResponse:
    """The file's bytes, for a view that has already checked who may see them. The type comes from
    the content, the browser may not guess another, and no cache keeps a copy."""
    handle = file.open("rb")
    kind = kind_of(handle.read(16))
    handle.seek(0)
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=filename,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def delete_file_with(model: type[models.Model], field_name: str) -> None:
    """Delete the stored file when its row is deleted or its file replaced, once the transaction
    commits (a rollback keeps both). Call from the app's ``AppConfig.ready()``."""
    storage = model._meta.get_field(field_name).storage

    def after_delete(sender, instance, **kwargs):
        _delete_on_commit(storage, getattr(instance, field_name).name)

    def before_save(sender, instance, **kwargs):
        if instance.pk is None:
            return
        old = sender._default_manager.filter(pk=instance.pk).values_list(field_name, flat=True).first()
        if old != getattr(instance, field_name).name:
            _delete_on_commit(storage, old)

    uid = f"lib.uploads:{model._meta.label}.{field_name}"
    post_delete.connect(after_delete, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
    pre_save.connect(before_save, sender=model, weak=False, dispatch_uid=f"{uid}:replace")


def _delete_on_commit(storage: Storage, name: str | None) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))
