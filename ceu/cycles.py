"""Renewal cycles and CEU requirements as plain calculations: data in, data out, no ORM, no clock.

The rules (content/data/renewal_rules.yaml, from each body's published pages):
- A cycle lasts the rule's ``cycle_months`` (24 for AAPC and AHIMA). CEUs count from the later of
  the cycle's start and the day the credential was earned (earlier CEUs are not accepted).
- AAPC: all of a person's AAPC credentials share one cycle, anchored on the first one earned (the
  membership renewal date); a credential earned mid-cycle joins it. The requirement grows with the
  number held (36 / 40 / 44 / 48 / 52 for 1 / 2 / 3 / 4 / 5+).
- AHIMA: the initial cycle is two years from the day the exam was passed; the requirement is the
  highest single-credential figure plus 10 for each additional AHIMA credential, up to 50.
- A rule we could not confirm (ACDIS) has no computed cycle: the person enters the cycle end.
- A cycle end the person entered (as printed in their AAPC or AHIMA account) always wins; renewing
  moves it one cycle on. Without one, the estimate is the cycle that contains today (we cannot know
  whether earlier cycles were renewed), so only an entered date can show a cycle as ended.
- Minimums inside the total (the rule edition's ``minimums``): a credential's own (CPMA: 16 on
  auditing; 8 specialty-specific for each AAPC specialty credential), counted from the entries of that
  credential in the matching category; or a share of the body's requirement (AHIMA, from 2025: 40 %
  from AHIMA or an affiliated association), counted over all the body's credentials. They are
  sub-goals: a cycle is short while the total or any minimum is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from roadmap.rules import add_months

ZERO = Decimal(0)
DEFAULT_CYCLE_MONTHS = 24  # renewing a cycle whose rule gives no length (ceu.services.renew says the same)


@dataclass(frozen=True)
class Minimum:
    """A part of the requirement that must come from one kind of CEU (rule data, dated)."""

    topic: str  # in words: "related to auditing", "from AHIMA or an affiliated association"
    ceus: int | None = None  # a fixed number for the credential
    share_percent: int | None = None  # or a share of the body's requirement
    category: str = ""  # the entry category that counts ("": any)
    sourced: bool = False  # only CEUs from the body or an affiliated association count
    per_body: bool = False  # counted over all the body's credentials, not the one alone
    effective_from: dt.date | None = None  # applies to cycles ending on or after this day

    def applies_to(self, end: dt.date | None) -> bool:
        return self.effective_from is None or end is None or end >= self.effective_from

    def required(self, body_required: int | None) -> Decimal | None:
        if self.ceus is not None:
            return Decimal(self.ceus)
        if self.share_percent is None or body_required is None:
            return None
        share = Decimal(body_required) * self.share_percent / 100
        return share.quantize(Decimal("0.01"), rounding=ROUND_CEILING)

    def counts(self, entry: Entry) -> bool:
        return (not self.category or entry.category == self.category) and (not self.sourced or entry.sourced)


@dataclass(frozen=True)
class MinimumProgress:
    minimum: Minimum
    required: Decimal
    logged: Decimal

    @property
    def remaining(self) -> Decimal:
        return max(ZERO, self.required - self.logged)

    @property
    def percent(self) -> int:
        return min(100, int(self.logged * 100 / self.required)) if self.required else 100


@dataclass(frozen=True)
class Holding:
    id: int
    code: str
    body: str
    earned_on: dt.date
    cycle_ends_on: dt.date | None  # entered by the person
    method: str  # by_count | highest_plus_additional | unconfirmed
    cycle_months: int | None
    ceus_by_count: tuple[int, ...] = ()
    additional_per_credential: int | None = None
    maximum_ceus: int | None = None
    ceus_single: int | None = None
    minimums: tuple[Minimum, ...] = ()


@dataclass(frozen=True)
class Entry:
    completed_on: dt.date
    hours: Decimal
    holding_ids: frozenset[int]
    category: str = ""
    sourced: bool = False  # from the body or an affiliated association (AHIMA's share)


@dataclass(frozen=True)
class Cycle:
    holding: Holding
    start: dt.date | None
    end: dt.date | None
    end_entered: bool
    required: int | None
    logged: Decimal
    minimums: tuple[MinimumProgress, ...] = ()

    @property
    def remaining(self) -> Decimal | None:
        return None if self.required is None else max(ZERO, Decimal(self.required) - self.logged)

    @property
    def short_minimums(self) -> list[MinimumProgress]:
        """The minimums still short, to name in the page and the reminder."""
        return [m for m in self.minimums if m.remaining]

    @property
    def is_short(self) -> bool:
        return bool(self.remaining) or bool(self.short_minimums)

    def days_left(self, today: dt.date) -> int | None:
        return None if self.end is None else (self.end - today).days

    def contains(self, day: dt.date) -> bool:
        return self.start is not None and self.end is not None and self.start <= day <= self.end

    @property
    def percent(self) -> int:
        if not self.required:
            return 0
        return min(100, int(self.logged * 100 / self.required))


def required_ceus(holdings: list[Holding]) -> int | None:
    """The CEUs one body asks per cycle of a person holding ``holdings`` (all of that body)."""
    rule = holdings[0]
    if rule.method == "by_count" and rule.ceus_by_count:
        return rule.ceus_by_count[min(len(holdings), len(rule.ceus_by_count)) - 1]
    if rule.method == "highest_plus_additional":
        singles = [h.ceus_single for h in holdings if h.ceus_single]
        if not singles:
            return None
        total = max(singles) + (rule.additional_per_credential or 0) * (len(holdings) - 1)
        return min(total, rule.maximum_ceus) if rule.maximum_ceus else total
    return None


def cycle_end(holding: Holding, group: list[Holding], today: dt.date) -> dt.date | None:
    """The entered cycle end, else an estimate: the end of the cycle that contains ``today``, counting
    whole cycles from the anchor (we assume earlier cycles were renewed; the person can correct it).

    Any stored date works, even outside the site's range (rows from before it was checked): the
    months arithmetic stops at ``date.max``, which is never before ``today``, so the count ends."""
    if holding.cycle_ends_on:
        return holding.cycle_ends_on
    if not holding.cycle_months:
        return None
    anchor = holding
    if holding.method == "by_count":  # one shared membership cycle, anchored on the first credential
        anchor = min(group, key=lambda h: (h.earned_on, h.id))
        if anchor.cycle_ends_on:
            return anchor.cycle_ends_on
    cycles_passed = 1
    while (end := add_months(anchor.earned_on, holding.cycle_months * cycles_passed)) < today:
        cycles_passed += 1
    return end


def cycles(holdings: list[Holding], entries: list[Entry], today: dt.date) -> list[Cycle]:
    """Each active holding's current cycle, with CEUs required, logged and remaining."""
    by_body: dict[str, list[Holding]] = defaultdict(list)
    for holding in holdings:
        by_body[holding.body].append(holding)
    result = []
    for holding in holdings:
        group = by_body[holding.body]
        group_ids = {h.id for h in group}
        end = cycle_end(holding, group, today)
        start = None
        if end is not None and holding.cycle_months:
            start = max(add_months(end, -holding.cycle_months), holding.earned_on)
        elif end is not None:
            start = holding.earned_on

        def within(entry: Entry, start=start, end=end) -> bool:
            return start is not None and end is not None and start <= entry.completed_on <= end

        in_cycle = [e for e in entries if within(e) and e.holding_ids & group_ids]
        required = required_ceus(group)
        result.append(
            Cycle(
                holding=holding,
                start=start,
                end=end,
                end_entered=holding.cycle_ends_on is not None,
                required=required,
                logged=sum((e.hours for e in in_cycle), ZERO),
                minimums=minimum_progress(holding, in_cycle, required, end),
            )
        )
    return result


def minimum_progress(
    holding: Holding, in_cycle: list[Entry], body_required: int | None, end: dt.date | None
) -> tuple[MinimumProgress, ...]:
    """Each minimum of ``holding`` that applies to a cycle ending on ``end``, with the CEUs that count
    toward it: the credential's own entries, or (``per_body``) all of the body's entries in the cycle."""
    progress = []
    for minimum in holding.minimums:
        required = minimum.required(body_required)
        if required is None or not minimum.applies_to(end):
            continue
        counted = [e for e in in_cycle if minimum.per_body or holding.id in e.holding_ids]
        logged = sum((e.hours for e in counted if minimum.counts(e)), ZERO)
        progress.append(MinimumProgress(minimum, required, logged))
    return tuple(progress)


def renewed_end(current_end: dt.date, cycle_months: int | None) -> dt.date:
    """Where the next cycle ends once the person renews: one cycle on (two years where the rule
    gives no length). ``date.max`` when that is past 9999-12-31."""
    return add_months(current_end, cycle_months or DEFAULT_CYCLE_MONTHS)


REMINDER_THRESHOLDS = (90, 60, 30, 7)


def threshold_crossed(days_left: int) -> int | None:
    """The most urgent reminder threshold crossed: 25 days left -> 30; ended -> 0; 120 -> None.

    Judging "crossed", not "exactly N days", lets a day the sweep did not run be caught up."""
    if days_left < 0:
        return 0
    crossed = [t for t in REMINDER_THRESHOLDS if days_left <= t]
    return min(crossed) if crossed else None


# The reminder rule, once: what is due on a day (the full per-person computation) and, from it, the
# plan of what will be due on every day ahead, which the sweep stores so a day costs only what is due.

RENEWAL, APPRENTICE = "renewal", "apprentice"  # ceu.models.Reminder.Kind values


def _shift(day: dt.date, days: int) -> dt.date | None:
    """``day`` moved by ``days``, or None past the ends of the calendar (dates stored before they
    were checked can lie there; the plan then simply has no such day)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


# A plan keeps the steps due within this many days; later ones wait for the plan to be made again,
# so a cycle two years away costs one stored row, not five.
PLAN_HORIZON_DAYS = 100


@dataclass(frozen=True)
class DueReminder:
    """One reminder row (the unique key of ceu.models.Reminder)."""

    held_id: int
    kind: str
    due_on: dt.date  # the cycle end, or the day the apprentice designation can be removed
    threshold: int


def renewal_reminder(cycle: Cycle, day: dt.date) -> DueReminder | None:
    """The renewal reminder ``cycle`` is due on ``day`` (the person's local date): its end and the most
    urgent threshold crossed, while CEUs or the credential's own minimum are short."""
    days_left = cycle.days_left(day)
    if days_left is None or not cycle.is_short:
        return None
    threshold = threshold_crossed(days_left)
    if threshold is None:
        return None
    return DueReminder(cycle.holding.id, RENEWAL, cycle.end, threshold)


def apprentice_reminder(held_id: int, eligible_on: dt.date | None, day: dt.date) -> DueReminder | None:
    """From the day a CPC-A / COC-A can ask for the apprentice designation to be removed, on."""
    if eligible_on is None or eligible_on > day:
        return None
    return DueReminder(held_id, APPRENTICE, eligible_on, 0)


def reminders_due(cycles: list[Cycle], eligible_on: dict[int, dt.date | None], day: dt.date) -> list[DueReminder]:
    """Every reminder one person is due on ``day``: the full per-person computation.

    ``cycles`` are the person's current cycles as of ``day``; ``eligible_on`` maps each apprentice
    credential held to the day its designation can be removed (None where it cannot be known)."""
    due = [reminder for cycle in cycles if (reminder := renewal_reminder(cycle, day))]
    due += [
        reminder
        for held_id, eligible in eligible_on.items()
        if (reminder := apprentice_reminder(held_id, eligible, day))
    ]
    return due


@dataclass(frozen=True)
class PlannedStep:
    """A reminder and the local days it is due on: ``first_day`` to ``last_day`` (None: from then on)."""

    reminder: DueReminder
    first_day: dt.date
    last_day: dt.date | None


@dataclass(frozen=True)
class HoldingPlan:
    steps: tuple[PlannedStep, ...]
    replan_on: dt.date | None  # the plan says nothing from this day on: make it again then


def plan_reminders(
    cycle: Cycle,
    group: list[Holding],
    eligible_on: dt.date | None,
    today: dt.date,
    *,
    horizon_days: int = PLAN_HORIZON_DAYS,
) -> HoldingPlan:
    """What ``reminders_due`` gives this holding on each day from ``today`` on, as long as nothing changes.

    ``cycle`` is the holding's current cycle as of ``today`` and ``group`` the person's holdings of
    the same body. The answer only changes on the days a threshold is crossed, the day after the cycle
    end and the eligibility day, so the rule is asked on those days alone. Where the cycle end is an
    estimate (no end entered for the holding or its body's anchor) the next day starts the next
    cycle, so the plan stops there and says to make it again."""
    held_id = cycle.holding.id
    eligibility = {held_id: eligible_on} if eligible_on is not None else {}
    expires = None
    day_after_end = _shift(cycle.end, 1) if cycle.end is not None else None
    if day_after_end is not None and cycle_end(cycle.holding, group, day_after_end) != cycle.end:
        expires = day_after_end
    change_days = {today}
    if cycle.end is not None:
        change_days |= {day for t in REMINDER_THRESHOLDS if (day := _shift(cycle.end, -t)) is not None}
        if day_after_end is not None:
            change_days.add(day_after_end)
    if eligible_on is not None:
        change_days.add(eligible_on)
    days = sorted(d for d in change_days if d >= today and (expires is None or d < expires))
    horizon = _shift(today, horizon_days) or dt.date.max
    replan_on = expires
    steps: list[PlannedStep] = []
    open_since: dict[DueReminder, dt.date] = {}
    for day in days:
        due = set(reminders_due([cycle], eligibility, day))
        if day > horizon and not due <= open_since.keys():
            replan_on = day  # a new reminder beyond the horizon: plan again when it comes
            break
        for reminder in [r for r in open_since if r not in due]:
            steps.append(PlannedStep(reminder, open_since.pop(reminder), _shift(day, -1) or day))
        for reminder in due:
            open_since.setdefault(reminder, day)
    last_day = (_shift(replan_on, -1) or replan_on) if replan_on else None
    steps += [PlannedStep(reminder, first_day, last_day) for reminder, first_day in open_since.items()]
    steps.sort(key=lambda step: (step.first_day, step.reminder.kind))
    return HoldingPlan(tuple(steps), replan_on)
