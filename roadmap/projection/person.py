"""One person's side of the salary tables: what every projection of that person needs, whatever the roadmap.

A dashboard projects each of a person's roadmaps and the best next steps look across all of them,
so what depends only on the person (their area's and setting's factor, their years now and ahead, what
they may come to hold) is worked out once per profile and shared by those projections.

A projection asks mostly for typical salaries: the higher of two figures, the best for what is held
(``_Holding``) and the band's at the years (``_When``), times the factor, in whole dollars. Each of the
two is multiplied and rounded once, and the method's choice between them is made on the figures
before rounding (``_pick``), exactly as it is for a whole salary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain

from .inputs import (
    TWELVE,
    ZERO,
    PlanStep,
    Profile,
    Reference,
    _held_or_replaced,
    _holding_after,
    _months_until_role,
    _Split,
    _StepOrder,
    validate,
)
from .salary import Salary, _Holding, _place, _salary, _When
from .tables import REMEMBERED, _Candidate, _Held, _Tables, _tables

# How many people the engine keeps what it worked out for: enough for the requests in progress. More
# would outlive their requests, and what outlives many allocations costs the garbage collector dearly.
PEOPLE_KEPT = 8


# One step of a walk: the step, the months from now until it is done, the months of those spent waiting
# for the experience a role needs, what the person holds once it is done, and that point in time.
_Stop = tuple[PlanStep, int, int, _Holding, _When]


def _pick(holding: _Holding, when: _When) -> Decimal:
    """The typical salary: the band's only when its figure is higher, as the first of equals wins."""
    return when.salary if holding.figure is None or when.figure > holding.figure else holding.salary


def _picks(holding: _Holding, whens: list[_When]) -> list[Decimal]:
    """The typical salary at each of ``whens``, holding the same (see ``_pick``)."""
    figure, salary = holding.figure, holding.salary
    if figure is None:
        return [when.salary for when in whens]
    return [when.salary if when.figure > figure else salary for when in whens]


class _Person:
    """A profile's factor, salaries and points in time, each worked out once."""

    __slots__ = (
        "tables",
        "profile",
        "place",
        "credentials",
        "education",
        "now",
        "_salaries",
        "_after",
        "_by_year",
        "_waits",
        "_staying",
    )

    def __init__(self, tables: _Tables, profile: Profile) -> None:
        self.tables = tables
        self.profile = profile
        self.place = _place(tables, profile)
        self.credentials = frozenset(profile.credentials)
        self.education = frozenset(profile.education)
        # (base, AAPC certifications counted, credentials held, when) -> the salary: two roadmaps of a
        # person often pass through the same figures at the same time. Candidates, holdings and points
        # in time compare by identity: each is made once and kept.
        self._salaries: dict[tuple[_Candidate, int, int, _When], Salary] = {}
        self._after: dict[int, _When] = {}  # months from now -> the point in time then
        self._by_year: list[_When] = []  # now, a year on, two years on...
        self._waits: dict[str, int] = {}
        self._staying: dict[tuple[_Holding, int], tuple[tuple[Decimal, ...], Decimal]] = {}
        self.now = self.place.when(profile.years, tables.band_at(profile.years))

    def holding(self, credentials: frozenset[str], roles: frozenset[str]) -> _Holding:
        return self.place.holding(self.tables.held(credentials, roles))

    def after(self, months: int) -> _When:
        """The point in time ``months`` from now."""
        found = self._after.get(months)
        if found is None:
            start = self.profile.years
            band = self.tables.band_after(start, months)
            found = self._after[months] = self.place.when(start + Decimal(months) / TWELVE, band)
        return found

    def by_year(self, count: int) -> list[_When]:
        """Now, and the start of each of the next ``count - 1`` years (experience counts in whole years)."""
        known = self._by_year
        if len(known) < count:  # a new list, not extended in place: another thread may be reading it
            known = self._by_year = known + [self.after(12 * year) for year in range(len(known), count)]
        return known[:count]

    def staying(self, holding: _Holding, count: int) -> tuple[tuple[Decimal, ...], Decimal]:
        """The typical salary in each of the next ``count`` years, holding the same all along, and their sum."""
        key = (holding, count)
        found = self._staying.get(key)
        if found is None:
            by_year = tuple(_picks(holding, self.by_year(count)))
            found = self._staying[key] = (by_year, sum(by_year, ZERO))
        return found

    def months_until(self, role: str) -> int:
        """Months until the person's experience reaches the band of the role (0 when it has)."""
        found = self._waits.get(role)
        if found is None:
            found = self._waits[role] = _months_until_role(self.tables.reference, self.profile, role)
        return found

    def walk(self, steps: Iterable[tuple[PlanStep, _Held]]) -> Iterator[_Stop]:
        """Take the steps in turn, each with what is held once it is taken: each lasts its typical months
        (none when not known), and a role step waits until the person reaches the role's band. One
        step at a time, so that whoever stops early works out no more."""
        place, months = self.place, 0
        for step, held in steps:
            duration = step.typical_months or 0
            ready_at = max(months + duration, self.months_until(step.role)) if step.role else months + duration
            waited = ready_at - months - duration
            months = ready_at
            yield step, months, waited, place.holding(held), self.after(months)

    def course(self, order: _StepOrder, done: Iterable[str]) -> _Course:
        return _course(self.tables, order, frozenset(done), self.credentials, self.education)

    def salary(self, holding: _Holding, when: _When) -> Salary:
        """The projected salary, with its factors, holding ``holding`` at ``when``; the same as
        ``_Tables.salary`` makes for the same credentials, roles and years."""
        best, band = holding.best, when.band
        # The band's figure is the base only when it is higher: the first of equal candidates wins.
        base = band.candidate if best is None or band.typical > best.typical else best
        key = (base, holding.counted, holding.credentials_held, when)
        found = self._salaries.get(key)
        if found is not None:
            return found
        salary = _salary(
            self.place, band, base, holding.counted, holding.credentials_held, when.years, self.place.rounded(base)
        )
        self._salaries[key] = salary
        return salary


@dataclass(slots=True, eq=False)
class _Course:
    """A roadmap for anyone holding the same credentials and education, whatever their years or area:
    the steps done and the rest, what is held now, and what is held once each remaining step is taken."""

    done: frozenset[str]
    split: _Split
    start: tuple[frozenset[str], frozenset[str]]  # the credentials and roles held now
    held: _Held
    ahead: tuple[tuple[PlanStep, _Held], ...]  # each remaining step, and what is held once it is taken


def _course(
    tables: _Tables, order: _StepOrder, done: frozenset[str], credentials: frozenset[str], education: frozenset[str]
) -> _Course:
    """Many people hold the same credentials: their course is kept with the roadmap's order, under the
    reference's tables (which compare by identity) and what they hold."""
    key = (tables, done, credentials, education)
    found = order.courses.get(key)
    if found is None:
        if len(order.courses) >= REMEMBERED:
            order.courses.clear()
        reference = tables.reference
        shown = order.shown_by(_held_or_replaced(reference, credentials), education)
        done = order.with_prerequisites(chain(done, shown))
        split = order.split(done)
        start = _holding_after(reference, credentials, frozenset(), split.taken)
        ahead = tuple(tables.steps_taken(*start, split.remaining))
        found = order.courses[key] = _Course(done, split, start, tables.held(*start), ahead)
    return found


# A profile is frozen, so the person it describes is kept by identity, with the reference's tables.
_people: dict[int, _Person] = {}


def _person(reference: Reference, profile: Profile) -> _Person:
    """The person a profile describes; raises ProjectionError for a profile the engine cannot use."""
    tables = _tables(reference)
    person = _people.get(id(profile))
    if person is not None and person.tables is tables:
        return person
    validate(reference, profile)  # once: the reference and the profile are both frozen
    if len(_people) >= PEOPLE_KEPT:
        _people.clear()
    person = _people[id(profile)] = _Person(tables, profile)  # it holds the profile, and so its id
    return person
