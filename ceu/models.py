"""CEUs logged toward credentials held, renewal reminders, and calendar feed tokens."""

from __future__ import annotations

import hashlib
import secrets
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from lib.dates import date_in_range, validate_date_in_range
from lib.uploads import RandomName, private_storage

MAX_HOURS_PER_ENTRY = Decimal(40)


class CeuEntry(models.Model):
    class Category(models.TextChoices):
        GENERAL = "general", "General (any approved program)"
        SPECIALTY = "specialty", "Specialty-specific (AAPC)"
        AUDITING = "auditing", "Related to auditing (AAPC CPMA)"
        COMPLIANCE = "compliance", "Related to compliance (AAPC CPCO)"
        DOCUMENTATION = "documentation", "Related to documentation (AAPC CDEO)"
        PRACTICE_MANAGEMENT = "practice_management", "Related to practice management (AAPC CPPM)"
        INTERVENTIONAL = "interventional", "Interventional radiology or cardiovascular (AAPC CIRCC)"
        HIIM = "hiim", "Within AHIMA's HIIM domains"
        OTHER = "other", "Other job-relevant activity (AHIMA, up to 20%)"

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="ceu_entries")
    completed_on = models.DateField("Completed on", validators=[validate_date_in_range])
    hours = models.DecimalField(
        "CEUs",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_HOURS_PER_ENTRY)],
    )
    activity = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.GENERAL)
    body_sourced = models.BooleanField(
        "From AHIMA or an AHIMA-affiliated association",
        default=False,
        help_text="From 2025, 40% of AHIMA CEUs must come from AHIMA or an affiliated association.",
    )
    credentials = models.ManyToManyField("roadmap.HeldCredential", related_name="ceu_entries")
    # The certificate an auditor asks for (AAPC verifies a quarter of submissions): private storage,
    # a random stored name, served only by ceu.views.certificate; it goes with the row (ceu.apps).
    certificate = models.FileField(
        upload_to=RandomName("certificates"), storage=private_storage, max_length=200, blank=True
    )
    certificate_name = models.CharField(max_length=255, blank=True, help_text="The file name the person uploaded.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-completed_on", "-id"]
        verbose_name = "CEU entry"
        verbose_name_plural = "CEU entries"
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="ceu_hours_positive"),
            models.CheckConstraint(condition=models.Q(hours__lte=MAX_HOURS_PER_ENTRY), name="ceu_hours_bounded"),
            date_in_range("completed_on", name="ceu_completed_on_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.hours} CEUs: {self.activity}"


class ReminderQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Reminder.Status.PENDING)


class Reminder(models.Model):
    """One email the sweep decided is due. The unique constraints make a second sweep a no-op; a
    sender claims the row (pending -> sending, see ceu.delivery) just before it sends."""

    class Kind(models.TextChoices):
        RENEWAL = "renewal", "Renewal deadline"
        APPRENTICE = "apprentice", "Apprentice designation can be removed"
        TARGET = "target", "A cohort target date is near"
        COHORT_DIGEST = "cohort_digest", "Weekly digest of students behind schedule"
        STEP_REVIEW = "step_review", "A reviewed step was approved or returned"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped (reminders turned off)"

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="reminders")
    held = models.ForeignKey(
        "roadmap.HeldCredential", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    cohort = models.ForeignKey("schools.Cohort", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    step = models.ForeignKey("roadmap.Step", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_on = models.DateField(
        help_text="The cycle end, the day the apprentice designation can be removed, the target date, "
        "or the Monday of the digest's week."
    )
    threshold = models.SmallIntegerField(help_text="Days before due_on (0: on or after it).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When the current sender claimed it.")
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="After a transient failure, the earliest time of the next attempt."
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["held", "kind", "due_on", "threshold"], name="one_reminder_per_threshold"),
            models.UniqueConstraint(
                fields=["user", "step", "due_on"], condition=models.Q(kind="target"), name="one_note_per_target"
            ),
            models.UniqueConstraint(
                fields=["user", "cohort", "due_on"], condition=models.Q(kind="cohort_digest"), name="one_digest_a_week"
            ),
        ]
        # Senders look only at open rows; sent ones pile up and must not slow the claim down.
        indexes = [
            models.Index(fields=["id"], condition=models.Q(status__in=["pending", "sending"]), name="open_reminders")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user_id}, {self.threshold} days before {self.due_on}"


class PlannedReminder(models.Model):
    """A reminder the sweep will create when its moment comes, or a note to make a person's plan again.

    The sweep copies every step whose ``due_at`` has come (and whose ``until`` has not: a later
    threshold supersedes it) into Reminder, and deletes it; so a day costs what is due, whatever the
    number of people. ``due_at`` is local midnight of the first day the reminder is due, in the
    person's time zone, so the sweep needs no time-zone arithmetic. Plans are made in ceu.sweep
    from the same rule as the full per-person computation (ceu.cycles.reminders_due); every write that
    can move a reminder marks the person's plan stale (ceu.receivers) and the next sweep makes it again.
    """

    class Kind(models.TextChoices):
        RENEWAL = "renewal", "Renewal deadline"
        APPRENTICE = "apprentice", "Apprentice designation can be removed"
        REPLAN = "replan", "Make the plan again at due_at"
        STALE = "stale", "Make the plan again at the next sweep"

    STEP_KINDS = (Kind.RENEWAL, Kind.APPRENTICE)
    MARK_KINDS = (Kind.REPLAN, Kind.STALE)

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    held = models.ForeignKey("roadmap.HeldCredential", on_delete=models.CASCADE, null=True, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_on = models.DateField(null=True)
    threshold = models.SmallIntegerField(null=True)
    due_at = models.DateTimeField()
    until = models.DateTimeField(null=True, help_text="Superseded from then on (empty: never).")

    class Meta:
        indexes = [models.Index(fields=["due_at"], name="planned_reminder_due_at")]
        constraints = [
            # Marking a plan stale twice before a sweep is one mark.
            models.UniqueConstraint(fields=["user"], condition=models.Q(kind="stale"), name="one_stale_mark_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user_id} at {self.due_at:%Y-%m-%d %H:%M}"


class CalendarToken(models.Model):
    """The secret in a person's calendar feed URL. Only its SHA-256 is stored."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="calendar_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)


class AuditPack(models.Model):
    """An audit pack being made or ready: the transcript (PDF and CSV) of one cycle and every
    certificate, in one ZIP in private storage. Made by a Celery task (ceu.audit.build_pack), offered
    to its owner alone, and deleted (row and file) once it expires."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a worker"
        RUNNING = "running", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    OPEN = (Status.PENDING, Status.RUNNING)

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="audit_packs")
    held = models.ForeignKey("roadmap.HeldCredential", on_delete=models.CASCADE, related_name="audit_packs")
    starts_on = models.DateField(validators=[validate_date_in_range])
    ends_on = models.DateField(validators=[validate_date_in_range])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    entries = models.PositiveIntegerField(default=0, help_text="CEU entries in the transcript.")
    certificates = models.PositiveIntegerField(default=0, help_text="Certificates in the ZIP.")
    file = models.FileField(upload_to=RandomName("audit-packs"), storage=private_storage, max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker started making it.")
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="The pack and its file are deleted then.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Asking twice while one is being made gives the same pack, not a second task.
            models.UniqueConstraint(
                fields=["held", "starts_on", "ends_on"],
                condition=models.Q(status__in=["pending", "running"]),
                name="one_open_audit_pack_per_cycle",
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="audit_pack_progress_percent"),
            date_in_range("starts_on", name="audit_pack_starts_on_in_range"),
            date_in_range("ends_on", name="audit_pack_ends_on_in_range"),
        ]

    def __str__(self) -> str:
        return f"Audit pack {self.pk} of {self.user_id}, {self.starts_on} – {self.ends_on} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class ApprenticeTracker(models.Model):
    """A CPC-A's (or another apprentice credential's) record of the proof toward removing the "A":
    the route they follow and the day each piece of proof exists from, with a note of the evidence.
    The routes and their dates are worked out in roadmap.rules.apprentice_routes."""

    class Route(models.TextChoices):
        EXPERIENCE = "experience", "Two years of coding experience"
        EXPERIENCE_AND_EDUCATION = (
            "experience_and_education",
            "One year of experience plus the 80-hour course or Practicode",
        )
        EDUCATION = "education", "The 80-hour course plus Practicode"

    held = models.OneToOneField("roadmap.HeldCredential", on_delete=models.CASCADE, related_name="apprentice_tracker")
    route = models.CharField("The route you follow", max_length=30, choices=Route.choices, blank=True)
    experience_started_on = models.DateField(
        "Coding experience started on", null=True, blank=True, validators=[validate_date_in_range]
    )
    experience_evidence = models.CharField("Where (employer, externship)", max_length=200, blank=True)
    letter_received_on = models.DateField(
        "Verification letter received on", null=True, blank=True, validators=[validate_date_in_range]
    )
    course_completed_on = models.DateField(
        "80-hour course completed on", null=True, blank=True, validators=[validate_date_in_range]
    )
    course_evidence = models.CharField("Course and provider", max_length=200, blank=True)
    practicode_completed_on = models.DateField(
        "Practicode completed on", null=True, blank=True, validators=[validate_date_in_range]
    )
    practicode_evidence = models.CharField("Practicode completion note", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            date_in_range("experience_started_on", name="apprentice_experience_in_range"),
            date_in_range("letter_received_on", name="apprentice_letter_in_range"),
            date_in_range("course_completed_on", name="apprentice_course_in_range"),
            date_in_range("practicode_completed_on", name="apprentice_practicode_in_range"),
        ]

    def __str__(self) -> str:
        return f"Apprentice tracker of held credential {self.held_id}"
