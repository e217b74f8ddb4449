"""CEUs logged toward credentials held, renewal reminders, and calendar feed tokens."""

from __future__ import annotations

import hashlib
import secrets
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from lib.dates import date_in_range, validate_date_in_range

MAX_HOURS_PER_ENTRY = Decimal(40)


class CeuEntry(models.Model):
    class Category(models.TextChoices):
        GENERAL = "general", "General (any approved program)"
        SPECIALTY = "specialty", "Specialty-specific (AAPC)"
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
    credentials = models.ManyToManyField("roadmap.HeldCredential", related_name="ceu_entries")
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
