"""The cohort dashboard's data, in the same number of queries for 5 students or 500."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch

from ceu.hooks import Deadline
from content.models import Region
from roadmap.models import Enrollment, Status, StepProgress
from roadmap.projection import Profile, ProjectionError, project
from roadmap.projection_inputs import load_reference, plan_for
from roadmap.selectors import steps_with_subjects

from .models import Assignment, Cohort, CohortStudent, Invitation, StepTarget

MET = {Status.DONE, Status.SKIPPED}
NATIONAL = Profile()
# One frozen profile per place, so the engine keeps what it worked out for each place between requests.
_places: dict[tuple[str | None, str | None], Profile] = {}
SORTS = {"name", "progress", "activity", "behind"}


@dataclass
class StudentRow:
    user: object
    done: int
    total: int
    current: str
    behind: bool
    last_activity: dt.datetime | None
    gain: Decimal | None
    current_step: object | None = None  # the first step not done (None: finished, or no roadmap)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class StepStat:
    step: object
    target_on: dt.date | None
    done: int
    total: int

    @property
    def rate(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def cohort_dashboard(cohort: Cohort, *, today: dt.date, sort: str = "name", behind_only: bool = False) -> dict:
    places = CohortStudent.objects.filter(cohort=cohort)
    if cohort.ends_on < today:  # after the cohort, the school sees only the graduates who share
        places = places.filter(shares_after=True)
    students = list(
        places.select_related("user__profile__region", "user__profile__work_setting").order_by("user__email")
    )
    assignment = Assignment.objects.select_related("roadmap").filter(cohort=cohort).first()
    if assignment is None:
        return {
            # Without target dates nobody can be behind schedule.
            "rows": []
            if behind_only
            else [StudentRow(s.user, 0, 0, "No roadmap assigned", False, None, None) for s in students],
            "steps": [],
            "assignment": None,
            "average_gain": None,
        }
    steps = list(steps_with_subjects().filter(roadmap=assignment.roadmap).order_by("order"))
    targets = dict(assignment.targets.values_list("step_id", "target_on"))
    enrollments = {
        e.user_id: e
        for e in Enrollment.objects.filter(
            user__in=[s.user_id for s in students], roadmap=assignment.roadmap
        ).prefetch_related(
            Prefetch(
                "progress", queryset=StepProgress.objects.only("id", "enrollment_id", "step_id", "status", "updated_at")
            )
        )
    }
    reference, plan = load_reference(), plan_for(assignment.roadmap, steps=steps)
    gains: dict[tuple, Decimal | None] = {}
    rows, done_by_step = [], dict.fromkeys((s.pk for s in steps), 0)
    for student in students:
        progress = list(enrollments[student.user_id].progress.all()) if student.user_id in enrollments else []
        met = {p.step_id for p in progress if p.status in MET}
        for step_id in met:
            done_by_step[step_id] = done_by_step.get(step_id, 0) + 1
        current = next((s for s in steps if s.pk not in met), None)
        behind = any(day < today and step_id not in met for step_id, day in targets.items())
        done_keys = frozenset(s.key for s in steps if s.pk in met)
        stage = (done_keys, _place_of(student.user, reference))
        if stage not in gains:  # students at the same stage in the same place share a projection
            gains[stage] = _gain(reference, plan, *stage)
        rows.append(
            StudentRow(
                user=student.user,
                done=len(met),
                total=len(steps),
                current=current.title if current else "Finished",
                behind=behind,
                last_activity=max((p.updated_at for p in progress), default=None),
                gain=gains[stage],
                current_step=current,
            )
        )
    if behind_only:
        rows = [r for r in rows if r.behind]
    rows = _sorted(rows, sort)
    known = [r.gain for r in rows if r.gain is not None]
    return {
        "rows": rows,
        "steps": [StepStat(s, targets.get(s.pk), done_by_step.get(s.pk, 0), len(students)) for s in steps],
        "assignment": assignment,
        "average_gain": (sum(known) / len(known)).quantize(Decimal(1)) if known else None,
    }


def _place_of(user, reference) -> Profile:
    """Where the student works, as their profile says (national and any setting without one); an area
    or setting the reference has no figures for counts as national, so every student counts."""
    try:
        profile = user.profile
    except ObjectDoesNotExist:
        return NATIONAL
    region = profile.region.key if profile.region_id and profile.region.kind != Region.Kind.NATION else None
    setting = profile.work_setting.key if profile.work_setting_id else None
    place = (
        region if region in reference.region_means else None,
        setting if setting in reference.setting_means else None,
    )
    found = _places.get(place)
    if found is None:
        found = _places[place] = Profile(region=place[0], work_setting=place[1])
    return found


def _gain(reference, plan, done_keys, place: Profile) -> Decimal | None:
    """What the rest of the roadmap is projected to add for a student at this stage, where they work
    (with no experience or credential of their own: the roadmap's steps alone)."""
    try:
        result = project(reference, place, plan, done=done_keys)
    except ProjectionError:
        return None
    return result.final.typical - result.now.typical


def _sorted(rows: list[StudentRow], sort: str) -> list[StudentRow]:
    if sort == "progress":
        return sorted(rows, key=lambda r: (-r.percent, r.user.email))
    if sort == "activity":
        return sorted(
            rows, key=lambda r: (r.last_activity is None, -(r.last_activity.timestamp() if r.last_activity else 0))
        )
    if sort == "behind":
        return sorted(rows, key=lambda r: (not r.behind, r.user.email))
    return rows


def target_deadlines(user) -> list[Deadline]:
    """The target dates of the person's cohorts, for their calendar feed."""
    targets = StepTarget.objects.filter(assignment__cohort__students=user).select_related("step", "assignment")
    return [
        Deadline(f"Target: {t.step.title}", t.target_on, f"target-{t.pk}-{t.target_on:%Y%m%d}", t.assignment.updated_at)
        for t in targets
    ]


def pending_invitations(cohort: Cohort) -> list[Invitation]:
    """Invitations not accepted yet, expired ones included (staff can send them again), in one query."""
    return list(Invitation.objects.filter(cohort=cohort, accepted_at__isnull=True).order_by("email"))
