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
  Credential-specific minimums (e.g. CPMA: 16 on auditing) are sub-goals.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from roadmap.rules import add_months

ZERO = Decimal(0)
DEFAULT_CYCLE_MONTHS = 24  # renewing a cycle whose rule gives no length (ceu.services.renew says the same)


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
    specific_ceus: int | None = None
    specific_topic: str = ""


@dataclass(frozen=True)
class Entry:
    completed_on: dt.date
    hours: Decimal
    holding_ids: frozenset[int]


@dataclass(frozen=True)
class Cycle:
    holding: Holding
    start: dt.date | None
    end: dt.date | None
    end_entered: bool
    required: int | None
    logged: Decimal
    specific_logged: Decimal

    @property
    def remaining(self) -> Decimal | None:
        return None if self.required is None else max(ZERO, Decimal(self.required) - self.logged)

    @property
    def specific_remaining(self) -> Decimal | None:
        if not self.holding.specific_ceus:
            return None
        return max(ZERO, Decimal(self.holding.specific_ceus) - self.specific_logged)

    @property
    def is_short(self) -> bool:
        return bool(self.remaining) or bool(self.specific_remaining)

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

        logged = sum((e.hours for e in entries if within(e) and e.holding_ids & group_ids), ZERO)
        specific = sum((e.hours for e in entries if within(e) and holding.id in e.holding_ids), ZERO)
        result.append(
            Cycle(
                holding=holding,
                start=start,
                end=end,
                end_entered=holding.cycle_ends_on is not None,
                required=required_ceus(group),
                logged=logged,
                specific_logged=specific,
            )
        )
    return result


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
