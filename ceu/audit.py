"""Audit packs: the transcript of one cycle (PDF and CSV) and every certificate, in one ZIP.

AAPC verifies a quarter of CEU submissions; an auditor wants each CEU's date, provider, category and
certificate, and the totals against each requirement. ``transcript`` reads one cycle in a fixed number
of queries whatever its size; ``build_pack`` (what the Celery task runs, and what tests call directly)
claims a pack with one conditional UPDATE, writes the ZIP to private storage, and records progress as
it goes, at most ``PROGRESS_STEPS`` times. A second run of a pack already claimed or made is a no-op.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from lib.spreadsheet import safe_cell
from lib.uploads import download_name
from roadmap.models import HeldCredential

from .cycles import ZERO, Entry, MinimumProgress, minimum_progress, required_ceus
from .models import AuditPack, CeuEntry
from .selectors import active_holdings, holding_of

logger = logging.getLogger(__name__)

PACK_DAYS = 7  # a ready pack is kept this long, then deleted with its file
LEASE = dt.timedelta(minutes=15)  # a pack claimed longer ago than this was abandoned by its worker
PROGRESS_STEPS = 20  # progress is written at most this many times per pack
CSV_HEADER = ["Completed on", "Activity", "Provider", "Category", "CEUs", "Counts toward", "Certificate on file"]


@dataclass(frozen=True)
class Line:
    entry_id: int
    completed_on: dt.date
    activity: str
    provider: str
    category: str
    hours: Decimal
    counts_toward: tuple[str, ...]
    certificate: str  # the stored name, "" when none
    certificate_name: str


@dataclass(frozen=True)
class Requirement:
    label: str
    required: Decimal | None
    logged: Decimal

    @property
    def remaining(self) -> Decimal | None:
        return None if self.required is None else max(ZERO, self.required - self.logged)


@dataclass
class Transcript:
    person: str
    email: str
    credentials: list[str]
    body: str
    starts_on: dt.date
    ends_on: dt.date
    lines: list[Line] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.hours for line in self.lines), ZERO)

    @property
    def with_certificate(self) -> int:
        return sum(1 for line in self.lines if line.certificate)


def transcript(held: HeldCredential, starts_on: dt.date, ends_on: dt.date) -> Transcript:
    """One cycle of ``held``'s body as an auditor reads it: three queries whatever the number of entries.

    The CEUs counted are those logged toward any of the person's current credentials of the same
    body (they share the cycle and the requirement), completed within the cycle's dates."""
    user = held.user
    group = [h for h in active_holdings([user.pk]).get(user.pk, []) if h.credential.body_id == held.credential.body_id]
    if held.pk not in {h.pk for h in group}:
        group.append(held)  # a lapsed credential's last cycle can still be audited
    holdings = {h.pk: holding_of(h) for h in group}
    codes = {h.pk: h.credential.code for h in group}
    links = CeuEntry.credentials.through.objects.filter(
        ceuentry__user=user, ceuentry__completed_on__range=(starts_on, ends_on), heldcredential__in=list(codes)
    ).values_list("ceuentry_id", "heldcredential_id")
    linked: dict[int, set[int]] = defaultdict(set)
    for entry_id, held_id in links:
        linked[entry_id].add(held_id)
    rows = (
        CeuEntry.objects.filter(pk__in=list(linked))
        .order_by("completed_on", "id")
        .values_list(
            "id", "completed_on", "activity", "provider", "category", "body_sourced", "hours", "certificate",
            "certificate_name",
        )
    )  # fmt: skip
    labels = dict(CeuEntry.Category.choices)
    result = Transcript(
        person=user.get_full_name() or user.email,
        email=user.email,
        credentials=[f"{h.credential.code} (earned {h.earned_on:%b %-d, %Y})" for h in group],
        body=held.credential.body.code,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    entries = []
    for entry_id, completed_on, activity, provider, category, sourced, hours, certificate, file_name in rows:
        toward = tuple(sorted(codes[h] for h in linked[entry_id]))
        label = labels.get(category, category)
        result.lines.append(
            Line(entry_id, completed_on, activity, provider, label, hours, toward, certificate or "", file_name)
        )
        entries.append(Entry(completed_on, hours, frozenset(linked[entry_id]), category, sourced))
    required = required_ceus(list(holdings.values()))
    result.requirements.append(
        Requirement(f"{result.body} total for {len(group)} credential(s)", _decimal(required), result.total)
    )
    seen: set[tuple] = set()
    for holding in holdings.values():
        for progress in minimum_progress(holding, entries, required, ends_on):
            key = (progress.minimum, holding.code if not progress.minimum.per_body else "")
            if key in seen:
                continue
            seen.add(key)
            result.requirements.append(_requirement(holding.code, progress))
    return result


def _decimal(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _requirement(code: str, progress: MinimumProgress) -> Requirement:
    scope = "all credentials" if progress.minimum.per_body else code
    return Requirement(f"Of the total, {progress.minimum.topic} ({scope})", progress.required, progress.logged)


def _ceus(value: Decimal | None) -> str:
    return "not known" if value is None else f"{Decimal(value).normalize():f}"


# The files of the pack.


def transcript_csv(doc: Transcript) -> str:
    """The transcript as CSV, safe to open in a spreadsheet (no cell is read as a formula)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for label, value in (
        ("Person", doc.person),
        ("Email", doc.email),
        ("Credentials", "; ".join(doc.credentials)),
        ("Cycle", f"{doc.starts_on:%Y-%m-%d} to {doc.ends_on:%Y-%m-%d}"),
    ):
        writer.writerow([safe_cell(label), safe_cell(value)])
    writer.writerow([])
    writer.writerow(CSV_HEADER)
    for line in doc.lines:
        writer.writerow(
            safe_cell(value)
            for value in (
                line.completed_on.isoformat(),
                line.activity,
                line.provider,
                line.category,
                _ceus(line.hours),
                ", ".join(line.counts_toward),
                "yes" if line.certificate else "no",
            )
        )
    writer.writerow([])
    writer.writerow(["Requirement", "Required", "Logged", "Remaining"])
    for req in doc.requirements:
        writer.writerow(safe_cell(v) for v in (req.label, _ceus(req.required), _ceus(req.logged), _ceus(req.remaining)))
    return buffer.getvalue()


def transcript_pdf(doc: Transcript) -> bytes:
    """The transcript as a PDF (reportlab: pure Python, no system libraries)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)

    def text(value: str, style=small) -> Paragraph:
        return Paragraph(escape(_printable(value)), style)

    story = [
        text(
            f"CEU transcript: {doc.body} cycle {doc.starts_on:%b %-d, %Y} – {doc.ends_on:%b %-d, %Y}", styles["Title"]
        ),
        text(f"{doc.person} <{doc.email}>", styles["BodyText"]),
        text("Credentials: " + ("; ".join(doc.credentials) or "none"), styles["BodyText"]),
        Spacer(1, 0.2 * inch),
    ]
    if doc.lines:
        rows = [[text(h) for h in CSV_HEADER]]
        rows += [
            [
                text(f"{line.completed_on:%Y-%m-%d}"),
                text(line.activity),
                text(line.provider),
                text(line.category),
                text(_ceus(line.hours)),
                text(", ".join(line.counts_toward)),
                text("yes" if line.certificate else "no"),
            ]
            for line in doc.lines
        ]
        widths = [0.8, 1.9, 1.2, 1.3, 0.5, 0.8, 0.7]
        table = Table(rows, colWidths=[w * inch for w in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    else:
        story.append(text("No CEUs were logged toward these credentials in this cycle.", styles["BodyText"]))
    story += [Spacer(1, 0.2 * inch), text("Totals against each requirement", styles["Heading2"])]
    totals = [[text(h) for h in ("Requirement", "Required", "Logged", "Remaining")]]
    totals += [
        [text(r.label), text(_ceus(r.required)), text(_ceus(r.logged)), text(_ceus(r.remaining))]
        for r in doc.requirements
    ]
    table = Table(totals, colWidths=[3.6 * inch, 0.9 * inch, 0.9 * inch, 0.9 * inch])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]))
    story += [
        table,
        Spacer(1, 0.2 * inch),
        text(
            f"{doc.with_certificate} of {len(doc.lines)} entries have a certificate on file. Made by Coding Career "
            "Roadmap from what the person logged; the issuing body's own records are the ones that count."
        ),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=LETTER, title="CEU transcript", author="Coding Career Roadmap").build(story)
    return buffer.getvalue()


def _printable(value: str) -> str:
    """Text the PDF's standard fonts can draw: control characters dropped."""
    return "".join(ch for ch in value if ch.isprintable() or ch == " ")


# Making a pack.


def claim(pack_id: int, now: dt.datetime) -> AuditPack | None:
    """Claim a pending pack, or one whose worker died (claimed longer ago than ``LEASE``): one
    conditional UPDATE, so of two copies of a task only one makes the pack."""
    claimable = Q(status=AuditPack.Status.PENDING) | Q(status=AuditPack.Status.RUNNING, claimed_at__lt=now - LEASE)
    claimed = AuditPack.objects.filter(claimable, pk=pack_id).update(
        status=AuditPack.Status.RUNNING, claimed_at=now, progress=0
    )
    return AuditPack.objects.select_related("held__credential__body", "user").get(pk=pack_id) if claimed else None


def build_pack(pack_id: int, *, now: dt.datetime | None = None) -> str:
    """Make the pack (what ``ceu.tasks.build_audit_pack`` runs); the pack's status afterwards."""
    now = now or timezone.now()
    pack = claim(pack_id, now)
    if pack is None:
        return AuditPack.objects.filter(pk=pack_id).values_list("status", flat=True).first() or "gone"
    try:
        doc = transcript(pack.held, pack.starts_on, pack.ends_on)
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
            certificates = _write_zip(spool, doc, pack)
            spool.seek(0)
            with transaction.atomic():
                pack.file.save("pack.zip", File(spool), save=False)
                pack.status, pack.progress, pack.entries, pack.certificates = "ready", 100, len(doc.lines), certificates
                pack.finished_at = timezone.now()
                pack.expires_at = pack.finished_at + dt.timedelta(days=PACK_DAYS)
                pack.save(
                    update_fields=["file", "status", "progress", "entries", "certificates", "finished_at", "expires_at"]
                )
    except Exception as error:
        logger.exception("audit pack %s failed", pack_id, extra={"user_id": pack.user_id})
        AuditPack.objects.filter(pk=pack_id).update(status=AuditPack.Status.FAILED, error=repr(error)[:1000])
        return AuditPack.Status.FAILED
    return AuditPack.Status.READY


def _write_zip(spool, doc: Transcript, pack: AuditPack) -> int:
    """The transcript and every certificate, recording progress as certificates are copied."""
    with_files = [line for line in doc.lines if line.certificate]
    steps = len(with_files) + 1
    report = _Progress(pack.pk, steps)
    storage = CeuEntry._meta.get_field("certificate").storage
    copied = 0
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("transcript.pdf", transcript_pdf(doc))
        archive.writestr("transcript.csv", transcript_csv(doc))
        report.step()
        for line in with_files:
            extension = line.certificate.rsplit(".", 1)[-1]
            name = download_name(line.certificate_name, extension, "certificate")
            try:
                with storage.open(line.certificate, "rb") as handle:
                    archive.writestr(f"certificates/{line.completed_on:%Y-%m-%d}-{line.entry_id}-{name}", handle.read())
                copied += 1
            except FileNotFoundError:
                archive.writestr(f"certificates/{line.completed_on:%Y-%m-%d}-{line.entry_id}-MISSING.txt", "Not found.")
            report.step()
    return copied


class _Progress:
    """Writes the pack's percent done at most ``PROGRESS_STEPS`` times."""

    def __init__(self, pack_id: int, steps: int):
        self.pack_id, self.steps, self.done, self.written = pack_id, max(steps, 1), 0, 0

    def step(self) -> None:
        self.done += 1
        percent = min(99, self.done * 100 // self.steps)
        if percent >= self.written + 100 // PROGRESS_STEPS:
            self.written = percent
            AuditPack.objects.filter(pk=self.pack_id, status=AuditPack.Status.RUNNING).update(progress=percent)


def request_pack(held: HeldCredential, *, starts_on: dt.date, ends_on: dt.date) -> tuple[AuditPack, bool]:
    """The open pack of this cycle, or a new one whose task is sent once the transaction commits."""
    from .tasks import build_audit_pack

    same_cycle = AuditPack.objects.filter(held=held, starts_on=starts_on, ends_on=ends_on, status__in=AuditPack.OPEN)
    if open_pack := same_cycle.first():
        if (open_pack.claimed_at or open_pack.created_at) < timezone.now() - LEASE:
            # Its worker died, or its message was lost: asking again sends the task again (claim()
            # takes an abandoned pack over), rather than leaving the person with a pack that never ends.
            transaction.on_commit(lambda: build_audit_pack.delay(open_pack.pk))
        return open_pack, False
    try:
        with transaction.atomic():
            pack = AuditPack.objects.create(user=held.user, held=held, starts_on=starts_on, ends_on=ends_on)
            build_audit_pack.delay_on_commit(pack.pk)
    except IntegrityError:  # a second click won the race: the same pack, one task
        return same_cycle.get(), False
    return pack, True


def delete_expired(now: dt.datetime) -> int:
    """Delete the packs past their expiry, and failed ones older than a day; their files go after commit."""
    stale = Q(expires_at__lte=now) | Q(status=AuditPack.Status.FAILED, created_at__lte=now - dt.timedelta(days=1))
    deleted = 0
    for pack in AuditPack.objects.filter(stale).iterator():
        pack.delete()
        deleted += 1
    return deleted
