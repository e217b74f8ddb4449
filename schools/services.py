"""Writes for schools: cohorts, enrolment, roadmap assignment with target dates, rosters, invitations."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.versions import bump_users
from content.edition import bump_edition
from lib.dates import clamp
from lib.urls import absolute_url
from roadmap.models import Enrollment, Roadmap, Step
from roadmap.rules import add_months

from .models import Assignment, Cohort, CohortStudent, Invitation, Membership, Role, SchoolRoadmap, StepTarget
from .reviews import default_reviewed
from .versions import bump_cohorts

MAX_ROSTER_BYTES = 256 * 1024
MAX_ROSTER_ROWS = 1000
ROSTER_HEADERS = ("email", "first_name", "last_name")
INVITATION_DAYS = 14
MAX_EMAIL_LENGTH = 254
MAX_NAME_LENGTH = 150  # the user model's and the invitation's first and last name columns
# Planning months for a step whose typical duration no source gives, by kind: time to prepare for
# and sit an exam, to find a job, to finish a course or gain experience. Only for target dates,
# which staff can change; the projection never uses them.
PLANNING_MONTHS = {"credential": 3, "role": 3, "education": 6, "experience": 12}


def step_targets_for(user) -> dict[int, dt.date]:
    """Step id -> target date from the person's cohort assignments, in one query. Where two of the
    person's cohorts follow the same roadmap with different dates, the earlier date counts."""
    rows = (
        StepTarget.objects.filter(assignment__cohort__students=user)
        .order_by("step_id", "-target_on")
        .values_list("step_id", "target_on")
    )
    return dict(rows)  # the last row per step, the earliest date, wins


@transaction.atomic
def add_students(cohort: Cohort, users: list[User]) -> None:
    """Put people in the cohort (as students of its school) and give them its roadmap, if any."""
    CohortStudent.objects.bulk_create([CohortStudent(cohort=cohort, user=u) for u in users], ignore_conflicts=True)
    Membership.objects.bulk_create(
        [Membership(school=cohort.school, user=u, role=Role.STUDENT) for u in users], ignore_conflicts=True
    )
    assignment = Assignment.objects.filter(cohort=cohort).first()
    if assignment:
        _enrol(assignment.roadmap, [u.pk for u in users])
    bump_users(u.pk for u in users)  # bulk writes send no signals: the cached pages must know


def _enrol(roadmap: Roadmap, user_ids: list[int], *, replacing: int | None = None) -> None:
    """Set-based: every student follows the roadmap; it becomes primary for those without one, and
    for those whose primary roadmap was ``replacing`` (the cohort's previous roadmap), so a change of
    assignment reaches everyone. Progress on the previous roadmap is kept."""
    Enrollment.objects.bulk_create(
        [Enrollment(user_id=uid, roadmap=roadmap) for uid in user_ids], ignore_conflicts=True
    )
    if replacing is not None and replacing != roadmap.pk:
        Enrollment.objects.filter(user__in=user_ids, roadmap_id=replacing, is_primary=True).update(is_primary=False)
    without_primary = set(user_ids) - set(
        Enrollment.objects.filter(user__in=user_ids, is_primary=True).values_list("user_id", flat=True)
    )
    Enrollment.objects.filter(user__in=without_primary, roadmap=roadmap).update(is_primary=True)
    bump_users(user_ids)  # bulk writes send no signals: the cached pages must know


def planning_months(step: Step) -> int:
    """How long a step is planned to take: its typical months, else the planning months of its kind."""
    if step.typical_months:
        return step.typical_months
    return PLANNING_MONTHS.get(step.kind, 3)


def derived_targets(steps: list[Step], start_on: dt.date) -> dict[int, dt.date]:
    """Targets from a start date: a step starts when its last prerequisite is due (or at the start)
    and takes its planning months, so no two steps of a path share a date. ``steps`` need their
    prerequisites prefetched, or cost a query each. A target that would fall after 2100-12-31, the
    last date the site stores, is set on that day: a start late in 2100 still gets its targets."""
    ends: dict[int, int] = {}  # step id -> months from the start when it is due
    by_order = sorted(steps, key=lambda s: s.order)
    in_roadmap = {s.pk for s in by_order}
    pending = list(by_order)
    while pending:
        for step in pending:
            required = [p.pk for p in step.prerequisites.all() if p.pk in in_roadmap]
            if all(pk in ends for pk in required):
                ends[step.pk] = max((ends[pk] for pk in required), default=0) + planning_months(step)
                pending.remove(step)
                break
        else:  # a cycle (the admin could make one): the rest follow in roadmap order
            for step in pending:
                ends[step.pk] = max(ends.values(), default=0) + planning_months(step)
            pending = []
    return {pk: clamp(add_months(start_on, months)) for pk, months in ends.items()}


@transaction.atomic
def assign_roadmap(
    cohort: Cohort,
    roadmap: Roadmap,
    *,
    start_on: dt.date,
    targets: dict[int, dt.date] | None = None,
    reviewed: list[int] | None = None,
) -> Assignment:
    """Assign (or change) the cohort's roadmap; every student, and anyone who joins later, gets it.
    ``reviewed``: the ids of the steps whose evidence an instructor checks; by default the steps
    reviewed so far (same roadmap), else its exam and credential steps."""
    previous = Assignment.objects.filter(cohort=cohort).values_list("roadmap_id", flat=True).first()
    assignment, _ = Assignment.objects.update_or_create(
        cohort=cohort, defaults={"roadmap": roadmap, "start_on": start_on}
    )
    steps = list(roadmap.steps.prefetch_related("prerequisites"))
    if reviewed is not None:
        assignment.reviewed_steps.set([s for s in steps if s.pk in set(reviewed)])
    elif previous != roadmap.pk:
        assignment.reviewed_steps.set(default_reviewed(steps))
    chosen = derived_targets(steps, start_on) | {k: v for k, v in (targets or {}).items() if v}
    StepTarget.objects.filter(assignment=assignment).delete()
    StepTarget.objects.bulk_create(
        [StepTarget(assignment=assignment, step_id=step_id, target_on=day) for step_id, day in chosen.items()]
    )
    students = list(CohortStudent.objects.filter(cohort=cohort).values_list("user_id", flat=True))
    _enrol(roadmap, students, replacing=previous)
    return assignment


@transaction.atomic
def copy_roadmap(school, source: Roadmap, *, name: str) -> Roadmap:
    """A school's own copy of a roadmap, steps and prerequisites included; the source is untouched."""
    key = f"{school.slug}-{secrets.token_hex(3)}"
    copy = Roadmap.objects.create(key=key, name=name, summary=source.summary, setting=source.setting, is_default=False)
    mapping = {}
    for step in source.steps.order_by("order"):
        old_pk = step.pk
        prerequisites = list(step.prerequisites.values_list("pk", flat=True))
        step.pk, step.id, step.roadmap = None, None, copy
        step.save()
        mapping[old_pk] = (step, prerequisites)
    for new_step, prerequisites in mapping.values():
        new_step.prerequisites.set([mapping[p][0] for p in prerequisites])
    SchoolRoadmap.objects.create(school=school, roadmap=copy, copied_from=source)
    return copy


@transaction.atomic
def add_step(roadmap: Roadmap, *, title: str, kind: str, typical_months: int | None, after: Step | None) -> Step:
    """Add a step (e.g. an externship) after ``after``; the steps that followed it now follow the new one."""
    position = after.order + 1 if after else 0
    roadmap.steps.filter(order__gte=position).update(order=F("order") + 1)
    step = Step.objects.create(
        roadmap=roadmap,
        key=f"custom-{secrets.token_hex(3)}",
        title=title,
        kind=kind,
        typical_months=typical_months,
        order=position,
    )
    if after:
        for follower in list(after.unlocks.all()):
            follower.prerequisites.remove(after)
            follower.prerequisites.add(step)
        step.prerequisites.add(after)
    return step


@transaction.atomic
def move_step(step: Step, *, up: bool) -> bool:
    """Swap a school roadmap's step with its neighbour; refused (False) where a step would come
    before one of its own prerequisites."""
    steps = list(step.roadmap.steps.order_by("order").prefetch_related("prerequisites"))
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(steps):
        return False
    first, second = sorted((steps[index], steps[other_index]), key=lambda s: s.order)
    if first in second.prerequisites.all():
        return False
    steps[index], steps[other_index] = steps[other_index], steps[index]
    for order, each in enumerate(steps):
        Step.objects.filter(pk=each.pk).update(order=order)
    bump_edition()  # an update sends no signal: pages showing this roadmap must know
    return True


# Rosters -----------------------------------------------------------------------------------------


@dataclass
class RosterRow:
    line: int
    email: str
    first_name: str
    last_name: str


@dataclass
class RosterCheck:
    sha256: str = ""  # of the file's bytes: the confirmation names the file it imports by it
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message); line 0: the file

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _header(name: str | None) -> str:
    """'First Name', 'first-name' and 'first_name' are the same column."""
    return (name or "").strip().lower().replace(" ", "_").replace("-", "_")


def _row_problem(email: str, first_name: str, last_name: str) -> str | None:
    if not email:
        return "The email is missing."
    try:
        validate_email(email)
    except ValidationError:
        return f"{email!r} is not a valid email address."
    if len(email) > MAX_EMAIL_LENGTH:
        return f"The email is longer than {MAX_EMAIL_LENGTH} characters."
    for label, value in (("first name", first_name), ("last name", last_name)):
        if len(value) > MAX_NAME_LENGTH:
            return f"The {label} is longer than {MAX_NAME_LENGTH} characters."
        if any(ord(char) < 32 for char in value):
            return f"The {label} contains a control character."
    return None


def check_roster(data: bytes) -> RosterCheck:
    """Validate a whole roster file (UTF-8 CSV, a byte order mark allowed, with the headers email,
    first_name, last_name). Line numbers are the file's own, as a spreadsheet shows them."""
    check = RosterCheck(sha256=hashlib.sha256(data).hexdigest())
    if len(data) > MAX_ROSTER_BYTES:
        check.errors.append((0, f"The file is larger than {MAX_ROSTER_BYTES // 1024} KB."))
        return check
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        check.errors.append((0, "The file is not UTF-8 text: save it as 'CSV UTF-8' and upload it again."))
        return check
    reader = csv.DictReader(io.StringIO(text))
    try:
        headers = tuple(_header(h) for h in (reader.fieldnames or ()))
        if headers[: len(ROSTER_HEADERS)] != ROSTER_HEADERS:
            check.errors.append((0, f"The first line must be the headers: {', '.join(ROSTER_HEADERS)}."))
            return check
        seen: dict[str, int] = {}
        for raw in reader:
            line = reader.line_num
            if len(check.rows) + len(check.errors) >= MAX_ROSTER_ROWS:
                check.errors.append((line, f"A roster can have at most {MAX_ROSTER_ROWS} rows."))
                break
            values = {_header(k): (v or "").strip() for k, v in raw.items() if k}
            email = values.get("email", "").lower()
            first_name, last_name = values.get("first_name", ""), values.get("last_name", "")
            problem = _row_problem(email, first_name, last_name)
            if problem is None and email in seen:
                problem = f"{email} is already on line {seen[email]}."
            if problem:
                check.errors.append((line, problem))
                continue
            seen[email] = line
            check.rows.append(RosterRow(line, email, first_name, last_name))
    except csv.Error as error:  # e.g. a field longer than the csv module allows
        check.errors.append((0, f"The file cannot be read as CSV after line {reader.line_num} ({error})."))
    if not check.rows and not check.errors:
        check.errors.append((0, "The file has no students."))
    return check


@transaction.atomic
def import_roster(
    cohort: Cohort, rows: list[RosterRow], *, invited_by: User, request: HttpRequest | None = None
) -> tuple[int, int]:
    """All or nothing: existing people join the cohort, new people get an invitation, except those
    whose invitation to this cohort is still open (importing an updated roster sends no second email).
    Existing people without a name get the one on the roster. Returns (joined, invited)."""
    emails = [row.email for row in rows]
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    named = [
        _fill_names(user, row.first_name, row.last_name)
        for row in rows
        if (user := existing.get(row.email)) is not None
    ]
    User.objects.bulk_update([u for u in named if u is not None], ["first_name", "last_name"])
    add_students(cohort, list(existing.values()))  # bumps their versions: the names show at once
    still_open = set(
        Invitation.objects.filter(
            cohort=cohort, email__in=emails, accepted_at__isnull=True, expires_at__gt=timezone.now()
        ).values_list("email", flat=True)
    )
    invited = 0
    for row in rows:
        if row.email not in existing and row.email not in still_open:
            invite(
                cohort,
                email=row.email,
                first_name=row.first_name,
                last_name=row.last_name,
                invited_by=invited_by,
                request=request,
            )
            invited += 1
    return len(existing), invited


def _fill_names(user: User, first_name: str, last_name: str) -> User | None:
    """The names staff typed, where the person has none of their own (never overwritten); the user
    when something changed."""
    changed = False
    if first_name and not user.first_name:
        user.first_name, changed = first_name, True
    if last_name and not user.last_name:
        user.last_name, changed = last_name, True
    return user if changed else None


def invite(
    cohort: Cohort,
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    invited_by: User,
    request: HttpRequest | None = None,
) -> str:
    """Create an invitation and email its link, built on the address the staff member is using
    (SITE_URL without a request). Returns the token; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        cohort=cohort,
        email=email.lower(),
        first_name=first_name,
        last_name=last_name,
        token_hash=Invitation.digest(token),
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    _send_invitation(invitation, token, invited_by=invited_by, request=request)
    return token


def _send_invitation(invitation: Invitation, token: str, *, invited_by: User, request: HttpRequest | None) -> None:
    cohort = invitation.cohort
    url = absolute_url(reverse("schools:accept", args=[token]), request)
    context = {
        "invitation": invitation,
        "cohort": cohort,
        "school": cohort.school,
        "inviter": invited_by.get_full_name() or invited_by.email,
        "url": url,
        "days": INVITATION_DAYS,
    }
    subject = f"[Coding Career Roadmap] {cohort.school.name} invites you to {cohort.name}"
    message = render_to_string("emails/invitation_body.txt", context)
    html = render_to_string("emails/invitation_body.html", context)
    transaction.on_commit(
        lambda: send_mail(
            subject=subject, message=message, html_message=html, from_email=None, recipient_list=[invitation.email]
        )
    )


@transaction.atomic
def resend_invitation(invitation: Invitation, *, invited_by: User, request: HttpRequest | None = None) -> str:
    """A new link (the old one stops working) valid for another INVITATION_DAYS, emailed again."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = Invitation.digest(token)
    invitation.expires_at = timezone.now() + dt.timedelta(days=INVITATION_DAYS)
    invitation.save(update_fields=["token_hash", "expires_at"])
    _send_invitation(invitation, token, invited_by=invited_by, request=request)
    return token


def revoke_invitation(invitation: Invitation) -> None:
    """The link stops working at once; the person can still be invited again."""
    invitation.delete()


def open_invitation(token: str) -> Invitation | None:
    """The invitation behind a link, if it is neither used nor expired."""
    return (
        Invitation.objects.filter(
            token_hash=Invitation.digest(token), accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("cohort__school")
        .first()
    )


@transaction.atomic
def accept_invitation(token: str, user: User, *, shares_after: bool = False) -> Cohort | None:
    """Single use, before it expires, and only for the address it was sent to."""
    invitation = (
        Invitation.objects.select_for_update()
        .filter(token_hash=Invitation.digest(token), accepted_at__isnull=True, expires_at__gt=timezone.now())
        .filter(Q(email=user.email))
        .select_related("cohort__school")
        .first()
    )
    if invitation is None:
        return None
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    if _fill_names(user, invitation.first_name, invitation.last_name):
        user.save(update_fields=["first_name", "last_name"])
    add_students(invitation.cohort, [user])
    set_sharing(user, {invitation.cohort_id: shares_after})
    return invitation.cohort


def has_account(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def join_by_code(code: str, user: User, *, shares_after: bool = False) -> Cohort | None:
    cohort = Cohort.objects.select_related("school").filter(join_code=code.strip().upper()).first()
    if cohort:
        add_students(cohort, [user])
        set_sharing(user, {cohort.pk: shares_after})
    return cohort


def set_sharing(user: User, choices: dict[int, bool]) -> list[CohortStudent]:
    """Whether the person shares their outcomes with each cohort's school after it ends; returns the
    places they stopped sharing (so the page can say what that means)."""
    places = list(CohortStudent.objects.filter(user=user, cohort__in=choices).select_related("cohort__school"))
    withdrawn = [p for p in places if p.shares_after and not choices[p.cohort_id]]
    for place in places:
        place.shares_after = choices[place.cohort_id]
    CohortStudent.objects.bulk_update(places, ["shares_after"])
    if places:
        bump_cohorts([p.cohort_id for p in places])
    return withdrawn
