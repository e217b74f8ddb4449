"""Reads for a person's dashboard, in a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.urls import reverse

from accounts.models import Profile, User

from . import projection, projection_inputs
from .models import Enrollment, HeldCredential, ProgressEvent, Status, Step, StepProgress
from .projection import Projection
from .rules import apprentice_eligible_on

TIMELINE_LENGTH = 20
MET_STATUSES = {Status.DONE, Status.SKIPPED}


@dataclass
class StepRow:
    step: Step
    progress: StepProgress | None
    prerequisites_met: bool
    today: dt.date
    apprentice_eligible_on: dt.date | None = None
    target_on: dt.date | None = None
    can_undo: bool = False
    form: object = None
    badge: object = None  # a roadmap.hooks.StepBadge from a plug-in (a school's review), if any

    @property
    def status(self) -> str:
        return self.progress.status if self.progress else Status.NOT_STARTED

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def is_met(self) -> bool:
        return self.status in MET_STATUSES

    @property
    def behind_schedule(self) -> bool:
        return bool(self.target_on and not self.is_met and self.target_on < self.today)


@dataclass
class EnrollmentView:
    enrollment: Enrollment
    rows: list[StepRow] = field(default_factory=list)
    projection: Projection | None = None
    projection_url: str = ""

    @property
    def done_count(self) -> int:
        return sum(row.is_met for row in self.rows)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / len(self.rows)) if self.rows else 0

    @property
    def next_row(self) -> StepRow | None:
        return next((row for row in self.rows if not row.is_met and row.prerequisites_met), None)


def steps_with_subjects():
    return Step.objects.select_related("credential__replaces", "role", "education").prefetch_related(
        Prefetch("prerequisites", queryset=Step.objects.only("id", "key", "title", "roadmap_id"))
    )


def enrollments_for(user: User):
    return (
        Enrollment.objects.filter(user=user)
        .select_related("roadmap")
        .prefetch_related(
            Prefetch("roadmap__steps", queryset=steps_with_subjects()),
            Prefetch("progress", queryset=StepProgress.objects.all()),
        )
    )


def build_enrollment_view(
    enrollment: Enrollment,
    *,
    profile: Profile,
    held: list[HeldCredential],
    today: dt.date,
    targets: dict[int, dt.date] | None = None,
    undoable: set[int] = frozenset(),
) -> EnrollmentView:
    progress_by_step = {p.step_id: p for p in enrollment.progress.all()}
    met = {step_id for step_id, p in progress_by_step.items() if p.status in MET_STATUSES}
    apprentice_since = {h.credential_id: h.earned_on for h in held if h.is_active}
    view = EnrollmentView(enrollment)
    for step in enrollment.roadmap.steps.all():
        row = StepRow(
            step=step,
            progress=progress_by_step.get(step.pk),
            prerequisites_met=all(required.pk in met for required in step.prerequisites.all()),
            today=today,
            target_on=(targets or {}).get(step.pk),
        )
        row.can_undo = row.progress is not None and row.progress.pk in undoable
        replaced = step.credential.replaces if step.credential else None
        if replaced is not None and replaced.level == "apprentice":
            row.apprentice_eligible_on = apprentice_eligible_on(
                profile.career_start,
                profile.apprentice_education_credits,
                certified_on=apprentice_since.get(replaced.pk),
            )
        view.rows.append(row)
    return view


def timeline_for(user: User) -> list[ProgressEvent]:
    return list(
        ProgressEvent.objects.filter(progress__enrollment__user=user)
        .select_related("progress__step__roadmap", "progress__enrollment")
        .order_by("-at", "-id")[:TIMELINE_LENGTH]
    )


def undoable_progress_ids(user: User) -> set[int]:
    """Steps whose latest change can still be undone."""
    events = ProgressEvent.objects.filter(progress__enrollment__user=user, undone=False)
    return set(events.order_by().values_list("progress_id", flat=True).distinct())


def years_of_experience(profile: Profile, today: dt.date) -> Decimal:
    if profile.career_start is None or profile.career_start > today:
        return Decimal(0)
    return (Decimal((today - profile.career_start).days) / Decimal("365.25")).quantize(Decimal("0.1"))


def projection_profile(profile: Profile, held: list[HeldCredential], today: dt.date) -> projection.Profile:
    return projection_inputs.profile_for(
        profile,
        {h.credential.code for h in held if h.is_active},
        years_of_experience(profile, today),
        {e.key for e in profile.education.all()},
    )


def projection_for(view: EnrollmentView, *, reference, person: projection.Profile) -> Projection | None:
    """The salary projection of a followed roadmap for this person, from their profile and progress."""
    plan = projection_inputs.plan_for(view.enrollment.roadmap, steps=[row.step for row in view.rows])
    done = frozenset(row.step.key for row in view.rows if row.is_met)
    try:
        return projection.project(reference, person, plan, done=done)
    except projection.ProjectionError:
        return None


def projection_url(roadmap, person: projection.Profile) -> str:
    """The public projection page with this person's inputs, to see it in full."""
    query = [("roadmap", roadmap.key), ("years", str(person.years))]
    query += [("region", person.region)] if person.region else []
    query += [("work_setting", person.work_setting)] if person.work_setting else []
    query += [("credentials", code) for code in sorted(person.credentials)]
    query += [("education", key) for key in sorted(person.education)]
    return f"{reverse('projection:projection')}?{urlencode(query)}"


def held_credentials_for(user: User) -> list[HeldCredential]:
    return list(HeldCredential.objects.filter(user=user).select_related("credential__body"))
