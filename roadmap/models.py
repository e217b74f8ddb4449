"""Roadmaps: small prerequisite graphs of steps up the career ladder."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from content.models import Credential, EducationPath, Role


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
        return reverse("content:roadmap", args=[self.key])


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


def find_cycle(edges: dict[str, Iterable[str]]) -> list[str] | None:
    """Return one cycle of a prerequisite graph as a list of keys, or None when it is acyclic.

    ``edges`` maps each step key to the keys of its prerequisites.
    """
    visiting, done = set(), set()
    path: list[str] = []

    def visit(key: str) -> list[str] | None:
        if key in done:
            return None
        if key in visiting:
            return [*path[path.index(key) :], key]
        visiting.add(key)
        path.append(key)
        for required in edges.get(key, ()):
            cycle = visit(required)
            if cycle:
                return cycle
        path.pop()
        visiting.discard(key)
        done.add(key)
        return None

    for key in edges:
        cycle = visit(key)
        if cycle:
            return cycle
    return None
