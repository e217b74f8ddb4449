"""What a reference gives every salary, whoever and wherever the person: each credential's and role's
candidate figure, the best of them for a set held, the band and its figure at a number of years.

Worked out once for each reference (``_tables``) and kept while the reference is in use. The
arithmetic is the method's (see the package's docstring), in the method's order, so what is worked out
here is the same to the last digit as what the method works out afresh.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter
from typing import TypeVar

from .inputs import ONE, TWELVE, TWO, Band, Figure, PlanStep, Reference, _held_after

# How many references keep their tables at once: the current one, and one just replaced.
TABLES_KEPT = 4
# How many held sets, numbers of years and the like each table remembers before starting afresh.
REMEMBERED = 4096
# How many places (an area and a work setting) each reference keeps what it worked out for: those in use
# and the most asked for, not every one of the thousands there are (559 areas times 8 settings in BLS
# OEWS May 2025), whose figures would outlive their requests and burden the garbage collector.
PLACES_KEPT = 1024

_Result = TypeVar("_Result")  # pragma: no mutate (only a type checker reads a type variable)
_set_attribute = object.__setattr__  # the frozen results' own __setattr__ refuses


def _new(cls: type[_Result], fields: dict[str, object]) -> _Result:
    """One of the engine's frozen results, every field given: the very object its constructor makes
    (equal, hashable, immutable), without the generated ``__init__`` that sets each field in turn
    through ``object.__setattr__``; the fields become its attributes at once. A projection makes
    dozens, and that was a fifth of its time."""
    instance = object.__new__(cls)
    _set_attribute(instance, "__dict__", fields)
    return instance


def _money(value: Decimal) -> Decimal:
    return value.quantize(ONE, ROUND_HALF_UP)  # positional: a keyword is parsed on every call


@dataclass(slots=True, eq=False)
class _Candidate:
    """A figure the base may be: its typical value, the figures it comes from and the rule in words, and
    whether the source gives it as a range (then its low and high are the range's ends, wherever the
    person works; otherwise the place's spread forms them: see ``salary._Place``)."""

    typical: Decimal
    base: tuple[Figure, ...]
    rule: str
    is_range: bool
    low: Decimal  # the range's low end (the typical value when it is no range)
    high: Decimal
    open_ended: bool  # the source's range says "or more", or the figure does


@dataclass(slots=True, eq=False)
class _BandAt:
    band: Band
    typical: Decimal  # the band's figure at some years, unrounded
    figure: Decimal  # the same, in whole dollars
    candidate: _Candidate


@dataclass(slots=True, eq=False)
class _Held:
    """What a set of credentials and roles gives a salary, wherever the person works."""

    best: _Candidate | None  # the best candidate that does not depend on years (None: there is none)
    counted: int  # the AAPC certifications the survey counts
    credentials_held: int


class _Tables:
    """What a reference's salaries need that does not depend on the person, worked out once."""

    __slots__ = (
        "reference",
        "credentials",
        "roles",
        "counted",
        "top_count",
        "by_count",
        "uncertified",
        "band_rules",
        "places",
        "helds",
        "shapes",
        "bands_at",
        "bands_after",
        "taken",
        "sets",
    )
    # What each table keeps (see the methods that fill them); declared here, where the annotations are read.
    places: dict[tuple[str | None, str | None], object]  # see salary._place
    helds: dict[tuple[frozenset[str], frozenset[str]], _Held]
    shapes: dict[tuple[_Candidate | None, int, int], _Held]
    bands_at: dict[Decimal, _BandAt]
    bands_after: dict[tuple[Decimal, int], _BandAt]
    taken: dict[tuple, tuple[frozenset[str], frozenset[str], _Held]]
    sets: dict[frozenset[str], frozenset[str]]

    def __init__(self, reference: Reference) -> None:
        self.reference = reference
        self.credentials = {
            code: self._candidate(_typical(figures), figures, f"the {code}'s own figure", len(figures) == 2)
            for code, figures in reference.credential_figures.items()
            if figures
        }
        self.roles = {
            role: self._candidate(_typical(figures), figures, "the role's own figure", len(figures) == 2)
            for role, figures in reference.role_figures.items()
            if figures
        }
        self.counted = reference.aapc_credentials
        counts = reference.aapc_count_averages
        self.top_count = max(counts) if counts else 0
        self.by_count = {
            count: self._candidate(figure.value, (figure,), _count_rule(count, self.top_count), False)
            for count, figure in counts.items()
        }
        uncertified = counts.get(0)
        self.uncertified = (
            self._candidate(uncertified.value, (uncertified,), "the average without certification", False)
            if uncertified
            else None
        )
        self.band_rules = {band: f"the {band.name.lower()} experience range, by years" for band in reference.bands}
        self.places = {}
        self.helds = {}
        self.shapes = {}
        self.bands_at = {}
        self.bands_after = {}
        self.taken = {}
        self.sets = {}

    def _candidate(self, typical: Decimal, base: tuple[Figure, ...], rule: str, is_range: bool) -> _Candidate:
        """A candidate; a range keeps its ends, which no place's spread changes."""
        low, high = (base[0].value, base[-1].value) if is_range else (typical, typical)
        return _Candidate(typical, base, rule, is_range, low, high, base[-1].open_ended)

    def held(self, credentials: frozenset[str], roles: frozenset[str]) -> _Held:
        """The highest of the candidates that do not depend on years (the first of equals), how many
        certifications the AAPC survey counts among ``credentials``, and how many they are."""
        key = (credentials, roles)
        found = self.helds.get(key)
        if found is None:
            if len(self.helds) >= REMEMBERED:
                self.helds.clear()
            best, counted = self._best(credentials, roles)
            # One for each best candidate, count and number held: what an area keeps for each is then shared.
            shape = (best, counted, len(credentials))
            found = self.helds[key] = self.shapes.setdefault(shape, _Held(*shape))
        return found

    def take(
        self, credentials: frozenset[str], roles: frozenset[str], step: PlanStep
    ) -> tuple[frozenset[str], frozenset[str], _Held]:
        """What is held once ``step`` is taken, and what it gives a salary: always the same set objects
        for the same sets, so the memos keyed by them find them by identity rather than by comparing
        their members."""
        key = (credentials, roles, step.credential, step.role)
        found = self.taken.get(key)
        if found is None:
            if len(self.taken) >= REMEMBERED:
                self.taken.clear()
                self.sets.clear()
            if step.credential is not None:
                credentials = _held_after(self.reference, credentials, step.credential)
            if step.role:
                roles = roles | {step.role}
            credentials = self.sets.setdefault(credentials, credentials)
            roles = self.sets.setdefault(roles, roles)
            found = self.taken[key] = (credentials, roles, self.held(credentials, roles))
        return found

    def steps_taken(
        self, credentials: frozenset[str], roles: frozenset[str], steps: Iterable[PlanStep]
    ) -> Iterator[tuple[PlanStep, _Held]]:
        """Each of ``steps`` in turn, and what is held once it is taken, from ``credentials`` and ``roles``."""
        for step in steps:
            credentials, roles, held = self.take(credentials, roles, step)
            yield step, held

    def _best(self, credentials: frozenset[str], roles: frozenset[str]) -> tuple[_Candidate | None, int]:
        candidates = [self.credentials[code] for code in sorted(credentials) if code in self.credentials]
        candidates += [self.roles[role] for role in sorted(roles) if role in self.roles]
        counted = len(credentials & self.counted)
        if counted and self.by_count:
            candidates.append(self.by_count[min(counted, self.top_count)])
        if self.uncertified:
            candidates.append(self.uncertified)
        return max(candidates, key=attrgetter("typical"), default=None), counted

    def band_at(self, years: Decimal) -> _BandAt:
        """The band a number of years falls in, and the band's figure there."""
        found = self.bands_at.get(years)
        if found is None:
            if len(self.bands_at) >= REMEMBERED:
                self.bands_at.clear()
            band = _band_for(self.reference, years)
            typical = band.figure_at(years)
            candidate = self._candidate(typical, (band.low, band.high), self.band_rules[band], False)
            found = self.bands_at[years] = _BandAt(band, typical, _money(typical), candidate)
        return found

    def band_after(self, start: Decimal, months: int) -> _BandAt:
        """The band ``months`` after ``start`` years. Keyed by both: a person's years are hashed once,
        where hashing the years worked out for each month (a Decimal that is not whole) costs more
        than finding the band."""
        key = (start, months)
        found = self.bands_after.get(key)
        if found is None:
            if len(self.bands_after) >= REMEMBERED:
                self.bands_after.clear()
            found = self.bands_after[key] = self.band_at(start + Decimal(months) / TWELVE)
        return found


def _typical(figures: tuple[Figure, ...]) -> Decimal:
    return figures[0].value if len(figures) == 1 else (figures[0].value + figures[-1].value) / TWO


def _count_rule(count: int, top: int) -> str:
    more = " or more" if count == top and top > 1 else ""
    plural = "s" if count > 1 else ""
    return f"the AAPC average for {count}{more} AAPC certification{plural}"


def _band_for(reference: Reference, years: Decimal) -> Band:
    for band in reference.bands:
        if band.contains(years):
            return band
    return reference.bands[-1] if years >= reference.bands[-1].years_min else reference.bands[0]


# A reference is frozen and read once a minute in each process, so its tables are kept by identity.
_kept_tables: dict[int, _Tables] = {}


def _tables(reference: Reference) -> _Tables:
    tables = _kept_tables.get(id(reference))
    if tables is not None:
        return tables
    if len(_kept_tables) >= TABLES_KEPT:
        _kept_tables.clear()
    tables = _kept_tables[id(reference)] = _Tables(reference)  # it holds the reference, and so its id
    return tables
