from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models

from lib.dates import date_in_range, validate_date_in_range


class UserManager(BaseUserManager):
    """People sign in with their email address; there are no usernames."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not (extra_fields["is_staff"] and extra_fields["is_superuser"]):
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        # One address, one account: "Ann@Example.com" and "ann@example.com" are the same person.
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


def _valid_time_zone(value: str) -> None:
    from zoneinfo import available_timezones

    from django.core.exceptions import ValidationError

    if value not in available_timezones():
        raise ValidationError(f"{value!r} is not a time zone we know; choose one from the list.")


class Profile(models.Model):
    """What the projection and the reminders need to know about a person.

    Years of experience are derived from ``career_start`` so they never go stale.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    region = models.ForeignKey(
        "content.Region", on_delete=models.SET_NULL, null=True, blank=True, help_text="Empty means national figures."
    )
    work_setting = models.ForeignKey("content.WorkSetting", on_delete=models.SET_NULL, null=True, blank=True)
    career_start = models.DateField(
        null=True,
        blank=True,
        validators=[validate_date_in_range],
        help_text="The day you started working in coding or billing, if you have.",
    )
    education = models.ManyToManyField("content.EducationPath", blank=True, related_name="+")
    apprentice_education_credits = models.PositiveSmallIntegerField(
        default=0,
        help_text="Education credits toward removing the CPC-A apprentice designation (0, 1 or 2).",
    )
    time_zone = models.CharField(max_length=64, default="America/New_York", validators=[_valid_time_zone])
    reminder_emails = models.BooleanField(default=True, help_text="Email me before renewal deadlines.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(apprentice_education_credits__lte=2), name="at_most_two_education_credits"
            ),
            date_in_range("career_start", name="profile_career_start_in_range"),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"
