"""Roadmaps: small prerequisite graphs of steps up the career ladder."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from content.models import Credential, EducationPath, Role
from lib.dates import date_in_range, validate_date_in_range


class Roadmap(models.Model):
    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=160)
    summary = models.TextField()
    setting = models.CharField(max_length=20, blank=True)
    is_default = models.BooleanField(default=True, help_text="Offered to everyone, not built by a school.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("roadmap:detail", args=[self.key])


class Step(models.Model):
    class Kind(models.TextChoices):
        EDUCATION = "education", "Education"
        CREDENTIAL = "credential", "Exam / credential"
        EXPERIENCE = "experience", "Experience"
        ROLE = "role", "Role"

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="steps")
    key = models.SlugField(max_length=60)
    title = models.CharField(max_length=160)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.TextField(blank=True)
    credential = models.ForeignKey(Credential, on_delete=models.PROTECT, null=True, blank=True, related_name="steps")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, null=True, blank=True, related_name="steps")
    education = models.ForeignKey(EducationPath, on_delete=models.PROTECT, null=True, blank=True, related_name="steps")
    typical_months = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty where not known.")
    months_note = models.CharField(max_length=200, blank=True, help_text="Where the typical duration comes from.")
    cost = models.DecimalField(
        max_digits=9, decimal_places=2, null=True, blank=True, help_text="Empty where not known."
    )
    prerequisites = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="unlocks")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["roadmap", "order"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "key"], name="unique_step_key_per_roadmap"),
        ]

    def __str__(self) -> str:
        return f"{self.roadmap.key}: {self.title}"

    def clean(self) -> None:
        targets = {
            self.Kind.EDUCATION: ("education", self.education_id),
            self.Kind.CREDENTIAL: ("credential", self.credential_id),
            self.Kind.ROLE: ("role", self.role_id),
        }
        if self.kind in targets and targets[self.kind][1] is None:
            field = targets[self.kind][0]
            raise ValidationError({field: f"A {self.get_kind_display().lower()} step names its {field}."})

    @property
    def subject(self) -> Credential | Role | EducationPath | None:
        return self.credential or self.role or self.education


class Enrollment(models.Model):
    """A person following a roadmap. One of a person's enrolments may be primary."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="enrollments")
    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="enrollments")
    is_primary = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_primary", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "roadmap"], name="one_enrollment_per_roadmap"),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(is_primary=True), name="one_primary_enrollment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.roadmap}"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class StepProgress(models.Model):
    """Where a person stands on one step. A step without a row is not started."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="progress")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    started_on = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    completed_on = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    note = models.TextField(blank=True, max_length=2000)
    evidence = models.CharField(
        max_length=200, blank=True, help_text="For example an exam date or a certificate number."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "step"], name="one_progress_per_step"),
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(completed_on__gte=models.F("started_on")),
                name="completed_after_started",
                violation_error_message="The completion date cannot be before the start date.",
            ),
            date_in_range("started_on", name="progress_started_on_in_range"),
            date_in_range("completed_on", name="progress_completed_on_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.step}: {self.get_status_display()}"


class ProgressEvent(models.Model):
    """One change to a step, kept for the timeline and so the change can be undone."""

    progress = models.ForeignKey(StepProgress, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    previous = models.JSONField(help_text="The step's fields before this change, to undo it.")
    recorded_credential = models.ForeignKey(
        "HeldCredential", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.progress.step} → {self.get_status_display()}"


class HeldCredential(models.Model):
    """A credential a person holds (or held: ``ended_on`` is set when replaced or lapsed)."""

    class EndReason(models.TextChoices):
        REPLACED = "replaced", "Replaced by a higher credential"
        LAPSED = "lapsed", "Lapsed"
        REMOVED = "removed", "Removed by the holder"

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="held_credentials")
    credential = models.ForeignKey(Credential, on_delete=models.PROTECT, related_name="holders")
    earned_on = models.DateField(validators=[validate_date_in_range])
    cycle_ends_on = models.DateField(
        null=True,
        blank=True,
        validators=[validate_date_in_range],
        help_text="The current cycle end printed in your AAPC / AHIMA account, where the rule cannot be computed.",
    )
    ended_on = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["earned_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "credential"], condition=models.Q(ended_on__isnull=True), name="one_active_holding"
            ),
            date_in_range("earned_on", name="held_earned_on_in_range"),
            date_in_range("cycle_ends_on", name="held_cycle_ends_on_in_range"),
            date_in_range("ended_on", name="held_ended_on_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.user} holds {self.credential.code}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class ShareLink(models.Model):
    """A person's opt-in, read-only link to their roadmap progress and projection. Only the hash of
    its random token is stored; deleting the row (revoking) kills the link at once."""

    user = models.OneToOneField("accounts.User", on_delete=models.CASCADE, related_name="share_link")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Share link of {self.user}"

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
