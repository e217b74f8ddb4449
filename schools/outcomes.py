"""Program outcomes: what a program director reports to accreditors, for one cohort or for all the
cohorts of a school (a start year, if asked): exam pass rates (first attempts apart), months from
the cohort's start to each milestone, graduates employed in a coding role 6 and 12 months after
completing the program, and graduates whose credentials are in good standing.

Who counts: the students of the cohorts in view; after a cohort has ended, only the graduates who
share their outcomes (CohortStudent.shares_after). Verified (evidence an instructor approved) and
self-reported (what the student marked) are counted apart. A group of fewer than ``MIN_GROUP``
people shows no numbers.

Cost: the same number of queries for 50 students or 5,000, none of them correlated per student (so
no plan depends on fresh table statistics). The database filters, joins and counts (the students
and graduates per cohort; the attempts, the approved evidence and the done steps that reach a
milestone, each one plain join); the rates, medians and shares are computed in one pass over those
rows. Good standing reads the graduates' holdings and CEUs in three queries (ceu.selectors) and
applies the renewal rules of ceu.cycles.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, When

from ceu.cycles import cycles
from ceu.selectors import active_holdings, entries_by_user, holding_of
from roadmap.models import Status, Step, StepProgress
from roadmap.rules import add_months

from .models import CohortStudent, ExamAttempt, Submission

MIN_GROUP = 5
DAYS_PER_MONTH = 365.25 / 12
EMPLOYMENT_MONTHS = (6, 12)


@dataclass(frozen=True)
class Milestone:
    key: str
    label: str
    steps: Q  # which done steps reach it (on StepProgress)


MILESTONES = (
    Milestone("program", "Program completed", Q(step__kind=Step.Kind.EDUCATION)),
    Milestone("cpc_a", "CPC-A earned", Q(step__credential__code="CPC-A")),
    Milestone("first_role", "First coding role", Q(step__kind=Step.Kind.ROLE)),
    Milestone(
        "apprentice_removed", "Apprentice designation removed", Q(step__credential__replaces__level="apprentice")
    ),
)


@dataclass
class ExamRate:
    code: str
    name: str
    people: int
    attempts: int
    passes: int
    first_attempts: int
    first_passes: int
    verified_people: int  # people with a pass whose evidence an instructor approved

    @property
    def shown(self) -> bool:
        return self.people >= MIN_GROUP

    @property
    def rate(self) -> int:
        return _percent(self.passes, self.attempts)

    @property
    def first_rate(self) -> int:
        return _percent(self.first_passes, self.first_attempts)


@dataclass
class Spread:
    """Months from the cohort's start: the median and the middle half (25th to 75th percentile)."""

    people: int
    median: float | None = None
    low: float | None = None
    high: float | None = None

    @property
    def shown(self) -> bool:
        return self.people >= MIN_GROUP


@dataclass
class MilestoneOutcome:
    milestone: Milestone
    self_reported: Spread
    verified: Spread


@dataclass
class Employment:
    months: int
    eligible: int  # completed the program at least this many months ago
    employed: int  # self-reported
    employed_verified: int

    @property
    def shown(self) -> bool:
        return self.eligible >= MIN_GROUP

    @property
    def rate(self) -> int:
        return _percent(self.employed, self.eligible)

    @property
    def verified_rate(self) -> int:
        return _percent(self.employed_verified, self.eligible)


@dataclass
class Standing:
    holders: int  # graduates holding an active credential
    in_good_standing: int

    @property
    def shown(self) -> bool:
        return self.holders >= MIN_GROUP

    @property
    def rate(self) -> int:
        return _percent(self.in_good_standing, self.holders)


@dataclass
class Report:
    today: dt.date
    students: int
    graduates: int
    not_sharing: int  # graduates who do not share their outcomes: not counted
    exams: list[ExamRate] = field(default_factory=list)
    milestones: list[MilestoneOutcome] = field(default_factory=list)
    employment: list[Employment] = field(default_factory=list)
    standing: Standing | None = None
    min_group: int = MIN_GROUP


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def counted(rows: QuerySet[CohortStudent], today: dt.date) -> QuerySet[CohortStudent]:
    """The students a report counts: everyone in a running cohort, graduates only while they share."""
    return rows.filter(Q(cohort__ends_on__gte=today) | Q(shares_after=True))


def outcomes(rows: QuerySet[CohortStudent], *, today: dt.date) -> Report:
    """The report for the cohort places ``rows`` (already scoped to what the viewer may see)."""
    ended = Q(cohort__ends_on__lt=today)
    totals = rows.aggregate(
        graduates=Count("pk", filter=ended & Q(shares_after=True)),
        not_sharing=Count("pk", filter=ended & Q(shares_after=False)),
    )
    included = counted(rows, today)
    facts = _milestone_facts(included)
    report = Report(today=today, students=len(facts), graduates=totals["graduates"], not_sharing=totals["not_sharing"])
    report.exams = exam_rates(included.values("user_id"))
    report.milestones = _milestones(facts)
    report.employment = _employment(facts, today)
    report.standing = _standing(included.filter(cohort__ends_on__lt=today).values("user_id"), today)
    return report


def exam_rates(user_ids: QuerySet) -> list[ExamRate]:
    """Per credential: attempts and passes, first attempts apart. A person's first attempt is their
    earliest at that credential (the id breaks a same-day tie). Two plain queries, read in order."""
    approved = set(
        Submission.objects.filter(user__in=user_ids, state=Submission.State.APPROVED).values_list("user_id", "step_id")
    )
    attempts = (
        ExamAttempt.objects.filter(user__in=user_ids, step__credential__isnull=False)
        .order_by("step__credential__code", "user_id", "taken_on", "pk")
        .values_list("step__credential__code", "step__credential__name", "user_id", "step_id", "passed")
    )
    rates: dict[str, ExamRate] = {}
    seen: set[tuple[str, int]] = set()
    verified: dict[str, set[int]] = defaultdict(set)
    people: dict[str, set[int]] = defaultdict(set)
    for code, name, user_id, step_id, passed in attempts:
        rate = rates.setdefault(code, ExamRate(code, name, 0, 0, 0, 0, 0, 0))
        rate.attempts += 1
        rate.passes += passed
        people[code].add(user_id)
        if (code, user_id) not in seen:  # rows come in date order: the first one seen is the first attempt
            seen.add((code, user_id))
            rate.first_attempts += 1
            rate.first_passes += passed
        if passed and (user_id, step_id) in approved:
            verified[code].add(user_id)
    for code, rate in rates.items():
        rate.people, rate.verified_people = len(people[code]), len(verified[code])
    return list(rates.values())


def _milestone_facts(rows: QuerySet[CohortStudent]) -> list[dict]:
    """One dict per student: the cohort's dates and the first day each milestone was reached, as
    reported and as verified. Three queries, each a plain join the database answers the same way
    whatever its statistics: the students, the approved evidence, and every done step that reaches a
    milestone (a handful per student)."""
    facts = list(rows.values("user_id", starts_on=F("cohort__starts_on"), ends_on=F("cohort__ends_on")).order_by())
    users = rows.values("user_id")
    approved = set(
        Submission.objects.filter(user__in=users, state=Submission.State.APPROVED).values_list("user_id", "step_id")
    )
    reaches = Q()
    flags = {}
    for milestone in MILESTONES:
        reaches |= milestone.steps
        flags[milestone.key] = Case(When(milestone.steps, then=True), default=False, output_field=BooleanField())
    done = (
        StepProgress.objects.filter(reaches, enrollment__user__in=users, status=Status.DONE, completed_on__isnull=False)
        .annotate(user_id=F("enrollment__user_id"), **flags)
        .values_list("user_id", "step_id", "completed_on", *flags)
        .order_by()
    )
    first: dict[tuple[int, str], dt.date] = {}
    for user_id, step_id, completed_on, *reached in done:
        for milestone, hit in zip(MILESTONES, reached, strict=True):
            if not hit:
                continue
            for key in (
                (milestone.key, f"{milestone.key}_verified") if (user_id, step_id) in approved else (milestone.key,)
            ):
                if (user_id, key) not in first or completed_on < first[user_id, key]:
                    first[user_id, key] = completed_on
    keys = [k for m in MILESTONES for k in (m.key, f"{m.key}_verified")]
    for row in facts:
        row.update({key: first.get((row["user_id"], key)) for key in keys})
    return facts


def _months(start: dt.date, day: dt.date | None) -> float | None:
    """Months from the cohort's start; a milestone reached before the program began is not counted."""
    if day is None or day < start:
        return None
    return (day - start).days / DAYS_PER_MONTH


def _spread(values: list[float]) -> Spread:
    spread = Spread(people=len(values))
    if len(values) >= MIN_GROUP:
        low, median, high = statistics.quantiles(values, n=4, method="inclusive")
        spread.median, spread.low, spread.high = round(median, 1), round(low, 1), round(high, 1)
    return spread


def _milestones(facts: list[dict]) -> list[MilestoneOutcome]:
    result = []
    for milestone in MILESTONES:
        own, verified = [], []
        for row in facts:
            if (months := _months(row["starts_on"], row[milestone.key])) is not None:
                own.append(months)
            if (months := _months(row["starts_on"], row[f"{milestone.key}_verified"])) is not None:
                verified.append(months)
        result.append(MilestoneOutcome(milestone, _spread(own), _spread(verified)))
    return result


def _employment(facts: list[dict], today: dt.date) -> list[Employment]:
    """Of those who completed the program at least N months ago: in a coding role by then."""
    result = []
    for months in EMPLOYMENT_MONTHS:
        eligible = employed = verified = 0
        for row in facts:
            completed = row["program"]
            if completed is None or add_months(completed, months) > today:
                continue
            eligible += 1
            by = add_months(completed, months)
            employed += row["first_role"] is not None and row["first_role"] <= by
            verified += (
                row["program_verified"] is not None
                and row["first_role_verified"] is not None
                and row["first_role_verified"] <= add_months(row["program_verified"], months)
            )
        result.append(Employment(months, eligible, employed, verified))
    return result


def on_track(cycle, today: dt.date) -> bool:
    """CEUs on track: what is logged keeps pace with the part of the cycle gone by (all of it due at
    the end). A cycle whose end or requirement is not known counts as on track: nothing says otherwise."""
    if cycle.required is None or cycle.end is None or cycle.start is None or not cycle.is_short:
        return True
    if today > cycle.end:
        return False
    length = max((cycle.end - cycle.start).days, 1)
    gone = Decimal(max((today - cycle.start).days, 0)) / Decimal(length)
    return cycle.logged >= Decimal(cycle.required) * gone


def _standing(graduate_ids: QuerySet, today: dt.date) -> Standing:
    """Graduates holding an active credential, and those of them whose every cycle is on track:
    three queries, the graduates given as a subquery."""
    held = active_holdings(graduate_ids)
    entries = entries_by_user(graduate_ids)
    good = sum(
        all(on_track(c, today) for c in cycles([holding_of(h) for h in holdings], entries.get(user_id, []), today))
        for user_id, holdings in held.items()
    )
    return Standing(holders=len(held), in_good_standing=good)
