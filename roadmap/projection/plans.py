"""A whole roadmap for one person: the salary after each remaining step, its payback, and the earnings
year by year over a horizon against staying where they are."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal

from .inputs import (
    DEFAULT_HORIZON_YEARS,
    TWELVE,
    ZERO,
    Figure,
    Plan,
    PlanStep,
    Profile,
    Reference,
    _step_order,
    _validate_horizon,
)
from .next_steps import NextStep, _rank
from .person import _Holding, _Person, _person, _pick, _picks, _Stop
from .salary import Salary
from .tables import _money, _new


@dataclass(frozen=True)
class StepProjection:
    step: PlanStep
    salary: Salary
    gain: Decimal  # over the previous step (the first step: over where the person stands now)
    cumulative_gain: Decimal
    months_from_now: int
    done: bool
    payback_months: Decimal | None  # None: no cost recorded, or no gain to pay it back
    waits_months: int = 0  # months spent waiting for the experience a role step needs


@dataclass(frozen=True)
class Horizon:
    years: int
    following: Decimal
    staying: Decimal
    following_by_year: tuple[Decimal, ...]  # the salary earned in each year
    staying_by_year: tuple[Decimal, ...]

    @property
    def difference(self) -> Decimal:
        return self.following - self.staying

    @property
    def by_year(self) -> tuple[tuple[Decimal, Decimal], ...]:
        return tuple(zip(self.following_by_year, self.staying_by_year, strict=True))


@dataclass(frozen=True)
class Projection:
    plan: Plan
    profile: Profile
    now: Salary
    steps: tuple[StepProjection, ...]
    horizon: Horizon
    next_steps: tuple[NextStep, ...]
    approximate_location: bool
    national: Figure | None = None  # the national figure location and setting are compared with

    @property
    def final(self) -> Salary:
        remaining = [s for s in self.steps if not s.done]
        return remaining[-1].salary if remaining else self.now

    @property
    def total_gain(self) -> Decimal:
        """What the remaining steps add to the typical salary, all told."""
        return self.final.typical - self.now.typical

    @property
    def next_step(self) -> StepProjection | None:
        """The first step not yet taken, in roadmap order."""
        return next((s for s in self.steps if not s.done), None)

    @property
    def has_unknown_durations(self) -> bool:
        return any(s.step.typical_months is None for s in self.steps if not s.done)


def project(
    reference: Reference,
    profile: Profile,
    plan: Plan,
    *,
    done: frozenset[str] = frozenset(),
    horizon_years: int = DEFAULT_HORIZON_YEARS,
) -> Projection:
    """Project ``plan`` for ``profile``; ``done`` names steps already taken (or skipped).

    Steps whose credential or education the profile already holds count as done, and so does
    every step before a done step."""
    person = _person(reference, profile)
    order = _step_order(plan)
    _validate_horizon(horizon_years)
    course = person.course(order, done)
    done, split = course.done, course.split
    holding = person.place.holding(course.held)
    now = person.salary(holding, person.now)
    walk = list(person.walk(course.ahead))

    results: list[StepProjection] = []
    stops, previous = iter(walk), now
    for step in order.steps:
        if step.key in done:
            results.append(_done(step, now))
            continue
        _step, months, waited, then, when = next(stops)
        after = person.salary(then, when)
        gain = after.typical - previous.typical
        results.append(
            _new(
                StepProjection,
                {
                    "step": step,
                    "salary": after,
                    "gain": gain,
                    "cumulative_gain": after.typical - now.typical,
                    "months_from_now": months,
                    "done": False,
                    "payback_months": None if step.cost is None else _payback(step.cost, gain),
                    "waits_months": waited,
                },
            )
        )
        previous = after
    # The way on from the first remaining step is, in a roadmap that is a single path, the walk itself.
    walks = {split.remaining[0].key: walk} if split.single_path else {}
    reachable = [(plan, step) for step in split.reachable]
    return _new(
        Projection,
        {
            "plan": plan,
            "profile": profile,
            "now": now,
            "steps": tuple(results),
            "horizon": _horizon(person, holding, walk, horizon_years),
            "next_steps": _rank(reachable, course.start, holding, horizon_years, person, walks),
            "approximate_location": reference.location_is_approximate and bool(profile.region or profile.work_setting),
            "national": reference.national,
        },
    )


def _done(step: PlanStep, now: Salary) -> StepProjection:
    """A step already behind the person: it leaves them where they stand."""
    return _new(
        StepProjection,
        {
            "step": step,
            "salary": now,
            "gain": ZERO,
            "cumulative_gain": ZERO,
            "months_from_now": 0,
            "done": True,
            "payback_months": None,
            "waits_months": 0,
        },
    )


def _payback(cost: Decimal | None, gain: Decimal) -> Decimal | None:
    if cost is None or gain <= 0:
        return None
    return (cost / (gain / TWELVE)).quantize(Decimal("0.1"))


def _horizon(person: _Person, holding: _Holding, walk: list[_Stop], years: int) -> Horizon:
    """Earnings year by year: taking the remaining steps in turn, against staying where you are.

    Salaries change only when a step completes or a year of experience is added, so each year is
    split at the months where a step completes. Steps complete in roadmap order, so the steps taken
    by a month are always the first few of the walk: ``holdings[n]`` is what the person holds once the
    first ``n`` are taken (``holdings[0]``: now), and ``completed_at[n]`` the month the next one
    completes."""
    holdings = [holding, *[stop[3] for stop in walk]]
    completed_at = [stop[1] for stop in walk]
    by_year = person.by_year(years)
    staying, stays = person.staying(holdings[0], years)
    following: list[Decimal] = []
    last = len(completed_at)
    while len(following) < years:
        year = len(following)
        taken = bisect_right(completed_at, year * 12)
        # Until the year the next step completes in, the salary changes only with the band.
        until = years if taken == last else min(years, completed_at[taken] // 12)
        following += _picks(holdings[taken], by_year[year:until])
        if until == year:  # a step completes within this year: it earns each salary for its months
            month, end, earned = year * 12, year * 12 + 12, ZERO
            while month < end:
                change = completed_at[taken] if taken < last and completed_at[taken] < end else end
                earned += _pick(holdings[taken], by_year[year]) * (change - month) / TWELVE
                month = change
                taken = bisect_right(completed_at, month)
            following.append(_money(earned))
    return Horizon(years, sum(following, ZERO), stays, tuple(following), staying)
