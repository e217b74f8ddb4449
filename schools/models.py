"""Schools, their staff and students, cohorts, invitations and roadmap assignments."""

from __future__ import annotations

import hashlib
import secrets

from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse

from lib.dates import date_in_range, validate_date_in_range
from lib.uploads import RandomName, private_storage


class School(models.Model):
    name = models.CharField(max_length=160)
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("schools:school", args=[self.slug])


class Role(models.TextChoices):
    SCHOOL_ADMIN = "school_admin", "School admin"
    INSTRUCTOR = "instructor", "Instructor"
    STUDENT = "student", "Student"


STAFF_ROLES = (Role.SCHOOL_ADMIN, Role.INSTRUCTOR)


class Membership(models.Model):
    """A person's role in one school; a person can belong to several schools."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    weekly_digest = models.BooleanField(
        default=True, help_text="Instructors: a weekly email listing their students behind schedule."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "user"], name="one_role_per_school")]

    def __str__(self) -> str:
        return f"{self.user} is {self.get_role_display()} at {self.school}"

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


def _join_code() -> str:
    return secrets.token_urlsafe(6).replace("-", "x").replace("_", "y").upper()


class Cohort(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=120)
    starts_on = models.DateField(validators=[validate_date_in_range])
    ends_on = models.DateField(validators=[validate_date_in_range])
    instructors = models.ManyToManyField("accounts.User", blank=True, related_name="cohorts_taught")
    students = models.ManyToManyField("accounts.User", blank=True, through="CohortStudent", related_name="cohorts")
    join_code = models.CharField(max_length=12, unique=True, default=_join_code)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="cohort_ends_after_it_starts",
                violation_error_message="The end date cannot be before the start date.",
            ),
            date_in_range("starts_on", name="cohort_starts_on_in_range"),
            date_in_range("ends_on", name="cohort_ends_on_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.school})"

    def get_absolute_url(self) -> str:
        return reverse("schools:cohort", args=[self.school.slug, self.pk])


class CohortStudent(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE)
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE)
    joined_at = models.DateTimeField(auto_now_add=True)
    shares_after = models.BooleanField(
        default=False,
        help_text="After the cohort ends, the school still sees this graduate's progress and counts it "
        "in its outcomes reports (the graduate's choice, asked on joining, changeable on the profile).",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="one_place_per_cohort")]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort}"


class Invitation(models.Model):
    """An emailed, expiring, single-use invitation to a cohort. Only the token's hash is stored."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.cohort}"

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class Assignment(models.Model):
    """The roadmap a cohort follows, with a target date per step."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="assignment")
    roadmap = models.ForeignKey("roadmap.Roadmap", on_delete=models.PROTECT, related_name="assignments")
    start_on = models.DateField(validators=[validate_date_in_range])
    reviewed_steps = models.ManyToManyField(
        "roadmap.Step", blank=True, related_name="+", help_text="Steps an instructor checks the evidence of."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [date_in_range("start_on", name="assignment_start_on_in_range")]

    def __str__(self) -> str:
        return f"{self.cohort} follows {self.roadmap}"


class StepTarget(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="targets")
    step = models.ForeignKey("roadmap.Step", on_delete=models.CASCADE, related_name="targets")
    target_on = models.DateField(validators=[validate_date_in_range])

    class Meta:
        ordering = ["target_on"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "step"], name="one_target_per_step"),
            date_in_range("target_on", name="target_on_in_range"),
        ]
        # The reminder sweep reads the targets of the coming week (schools.reminders).
        indexes = [models.Index(fields=["target_on"], name="step_target_on")]

    def __str__(self) -> str:
        return f"{self.step} by {self.target_on}"


class SchoolRoadmap(models.Model):
    """A school's own roadmap, copied from a default one so the default never changes."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="roadmaps")
    roadmap = models.OneToOneField("roadmap.Roadmap", on_delete=models.CASCADE, related_name="school_copy")
    copied_from = models.ForeignKey("roadmap.Roadmap", on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self) -> str:
        return f"{self.roadmap} ({self.school})"


class ExamAttempt(models.Model):
    """One sitting of an exam step, recorded by the person who sat it. Pass rates count these rows;
    a person's first attempt at a credential is their earliest one (the id breaks a same-day tie)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="exam_attempts")
    step = models.ForeignKey("roadmap.Step", on_delete=models.CASCADE, related_name="exam_attempts")
    taken_on = models.DateField(validators=[validate_date_in_range])
    passed = models.BooleanField()
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)], help_text="Percent, if you wish."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_on", "id"]
        constraints = [
            date_in_range("taken_on", name="exam_taken_on_in_range"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="exam_score_at_most_100"),
        ]
        indexes = [models.Index(fields=["user", "step", "taken_on"], name="exam_attempts_of_person")]

    def __str__(self) -> str:
        return f"{self.step} on {self.taken_on}: {'passed' if self.passed else 'not passed'}"


class Submission(models.Model):
    """Evidence that a reviewed step is done: a file and/or a credential or score-report number. A
    returned submission stays as it was; the student sends a new one."""

    class State(models.TextChoices):
        AWAITING = "awaiting", "Awaiting review"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="submissions")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="submissions")
    step = models.ForeignKey("roadmap.Step", on_delete=models.CASCADE, related_name="submissions")
    file = models.FileField(upload_to=RandomName("evidence"), storage=private_storage, blank=True)
    file_name = models.CharField(max_length=200, blank=True, help_text="The name the student gave the file.")
    number = models.CharField(
        max_length=60, blank=True, help_text="A credential number or the number on the score report."
    )
    note = models.TextField(blank=True, max_length=1000)
    state = models.CharField(max_length=10, choices=State.choices, default=State.AWAITING)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(file="") | ~models.Q(number=""), name="submission_has_evidence"),
            # One open submission per student and step: a second waits until the first is decided.
            models.UniqueConstraint(
                fields=["user", "step"], condition=models.Q(state="awaiting"), name="one_open_submission_per_step"
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "state"], name="submissions_by_cohort_state"),
            # The outcomes report asks, per student and step, whether evidence was approved.
            models.Index(fields=["user", "step", "state"], name="submissions_of_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.step}: {self.get_state_display()}"


class Decision(models.Model):
    """An instructor's verdict on a submission, kept for good: who, when, what and why."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="decisions")
    reviewer = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    outcome = models.CharField(
        max_length=10, choices=[(Submission.State.APPROVED, "Approved"), (Submission.State.RETURNED, "Returned")]
    )
    comment = models.TextField(blank=True, max_length=2000)
    decided_at = models.DateTimeField(auto_now_add=True)
    email = models.OneToOneField(
        "ceu.Reminder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The once-only email telling the student.",
    )

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.submission}: {self.get_outcome_display()}"


class StepComment(models.Model):
    """One message of the short thread between a student and their cohort's staff about one step."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="comments")
    student = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="step_threads")
    step = models.ForeignKey("roadmap.Step", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["cohort", "student", "step"], name="comment_thread")]

    def __str__(self) -> str:
        return f"{self.author} on {self.step} ({self.student})"
