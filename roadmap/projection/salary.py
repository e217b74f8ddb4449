"""The projected salary of one state: what a person holds and their years, in an area and a work setting.

The method is in the package's docstring. What a reference gives every salary is in ``tables``; an area
and a work setting (``_Place``) add their factors, and keep each candidate's figures times them and what
may be held there with its typical salary, worked out once for everyone in the place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from .inputs import FACTOR_PLACES, ONE, Figure, PlanStep, Profile, Reference, _start, _State, _state_after, validate
from .tables import PLACES_KEPT, REMEMBERED, _BandAt, _Candidate, _Held, _money, _new, _Tables, _tables


@dataclass(frozen=True)
class Factors:
    """Why a projection is what it is."""

    base: tuple[Figure, ...]
    base_rule: str
    band: str
    band_figure: Decimal
    years: Decimal
    credentials_held: int
    location: Decimal
    location_figure: Figure | None
    setting: Decimal
    setting_figure: Figure | None
    approximate: bool
    counted_certifications: int = 0
    range_from: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Salary:
    low: Decimal
    typical: Decimal
    high: Decimal
    open_ended: bool
    factors: Factors

    @property
    def is_range(self) -> bool:
        """The base figure is a range the source gives (the typical value is its midpoint)."""
        return len(self.factors.base) == 2 and not self.factors.range_from


def salary_for(reference: Reference, profile: Profile, state: _State) -> Salary:
    """The projected salary of one state (kept for callers of the first version)."""
    tables = _tables(reference)
    return _state_salary(tables, _place(tables, profile), state.credentials, state.roles, state.years)


def salary_after(
    reference: Reference, profile: Profile, taken: Iterable[PlanStep], *, years: Decimal | None = None
) -> Salary:
    """The salary of the person once ``taken`` steps are behind them, at ``years`` of experience
    (default: the years they have now). The order of ``taken`` does not matter."""
    validate(reference, profile)
    return salary_for(reference, profile, _state_after(reference, _start(profile), list(taken), years))


@dataclass(slots=True, eq=False)
class _Holding:
    """What a person holds, as their salary sees it, in an area and setting."""

    best: _Candidate | None  # the best candidate that does not depend on years (None: there is none)
    counted: int  # the AAPC certifications the survey counts
    credentials_held: int
    figure: Decimal | None  # the best candidate's typical value
    salary: Decimal | None  # the same, times the area's and setting's factor, in whole dollars


@dataclass(slots=True, eq=False)
class _When:
    """A point in a person's career: their years of experience then, and the band there."""

    years: Decimal
    band: _BandAt
    figure: Decimal  # the band's figure at these years
    salary: Decimal  # the same, times the factor, in whole dollars


class _Rounded(NamedTuple):
    """A candidate's figures in a place: times the factor, in whole dollars."""

    low: Decimal
    typical: Decimal
    high: Decimal
    range_from: tuple[Figure, ...]  # the spread that formed low and high (none: a range, or no spread)
    open_ended: bool


class _Place:
    """An area and a work setting: the figures that compare them with the nation, the factor, and
    what may be held there with its salary, worked out once for everyone in the place."""

    __slots__ = (
        "location_figure",
        "location",
        "setting_figure",
        "setting",
        "factor",
        "approximate",
        "spread",
        "_holdings",
        "_rounded",
        "_typicals",
    )

    def __init__(self, tables: _Tables, profile: Profile) -> None:
        reference = tables.reference
        national = reference.national.value
        location_figure = reference.region_means.get(profile.region) if profile.region else None
        setting_figure = reference.setting_means.get(profile.work_setting) if profile.work_setting else None
        location = location_figure.value / national if location_figure else ONE
        setting = setting_figure.value / national if setting_figure else ONE
        self.location_figure = location_figure
        self.location = location.quantize(FACTOR_PLACES)  # to three places, as shown
        self.setting_figure = setting_figure
        self.setting = setting.quantize(FACTOR_PLACES)
        self.factor = location * setting  # unrounded, as it multiplies
        self.approximate = reference.location_is_approximate and (location_figure or setting_figure) is not None
        # The spread of wages in the area, where the reference has one for it; else the reference's own.
        area_spread = reference.region_spreads.get(profile.region) if profile.region else None
        self.spread = area_spread or reference.spread
        self._holdings: dict[_Held, _Holding] = {}  # a _Held compares by identity, being made once
        # A candidate's (low, typical, high) times the factor, in whole dollars, with the figures its low
        # and high come from and whether its high is open-ended; a candidate compares by identity, being
        # made once and kept.
        self._rounded: dict[_Candidate, _Rounded] = {}
        self._typicals: dict[_Candidate, Decimal] = {}  # the same, the typical value alone

    def holding(self, held: _Held) -> _Holding:
        found = self._holdings.get(held)
        if found is None:
            if len(self._holdings) >= REMEMBERED:
                self._holdings.clear()
            best, figure, salary = held.best, None, None
            if best is not None:
                figure, salary = best.typical, self.typical(best)
            found = self._holdings[held] = _Holding(best, held.counted, held.credentials_held, figure, salary)
        return found

    def when(self, years: Decimal, band: _BandAt) -> _When:
        """The point in time at ``years``, ``band`` being the band there."""
        return _When(years, band, band.typical, self.typical(band.candidate))

    def typical(self, candidate: _Candidate) -> Decimal:
        """The candidate's typical value times the factor, in whole dollars: all most of a projection asks
        for, so its low and high are worked out only for the salaries shown (``rounded``)."""
        found = self._typicals.get(candidate)
        if found is None:
            if len(self._typicals) >= REMEMBERED:
                self._typicals.clear()
            found = self._typicals[candidate] = _money(candidate.typical * self.factor)
        return found

    def rounded(self, candidate: _Candidate) -> _Rounded:
        """The candidate's low, typical and high times the factor, in whole dollars: a range the source
        gives keeps its ends; any other figure is stretched by the place's spread (when there is one)."""
        found = self._rounded.get(candidate)
        if found is None:
            if len(self._rounded) >= REMEMBERED:
                self._rounded.clear()
            factor, spread, typical = self.factor, self.spread, candidate.typical
            if candidate.is_range or spread is None:
                low, high, range_from, open_ended = candidate.low, candidate.high, (), candidate.open_ended
            else:
                low = typical * spread.low.value / spread.middle.value
                high = typical * spread.high.value / spread.middle.value
                range_from, open_ended = (spread.low, spread.middle, spread.high), False
            found = self._rounded[candidate] = _Rounded(
                _money(low * factor), self.typical(candidate), _money(high * factor), range_from, open_ended
            )
        return found


def _place(tables: _Tables, profile: Profile) -> _Place:
    key = (profile.region, profile.work_setting)
    found = tables.places.get(key)
    if found is None:
        if len(tables.places) >= PLACES_KEPT:
            tables.places.clear()
        found = tables.places[key] = _Place(tables, profile)
    return found


def _state_salary(
    tables: _Tables, place: _Place, credentials: frozenset[str], roles: frozenset[str], years: Decimal
) -> Salary:
    """The projected salary of one state, with its factors; see the package docstring for the method."""
    held = tables.held(credentials, roles)
    best, counted, band = held.best, held.counted, tables.band_at(years)
    # The band's figure is the base only when it is higher: the first of equal candidates wins.
    base = band.candidate if best is None or band.typical > best.typical else best
    return _salary(place, band, base, counted, len(credentials), years, place.rounded(base))


def _salary(
    place: _Place,
    band: _BandAt,
    base: _Candidate,
    counted: int,
    held: int,
    years: Decimal,
    rounded: _Rounded,
) -> Salary:
    factors = _new(
        Factors,
        {
            "base": base.base,
            "base_rule": base.rule,
            "band": band.band.name,
            "band_figure": band.figure,
            "years": years,
            "credentials_held": held,
            "location": place.location,
            "location_figure": place.location_figure,
            "setting": place.setting,
            "setting_figure": place.setting_figure,
            "approximate": place.approximate,
            "counted_certifications": counted,
            "range_from": rounded.range_from,
        },
    )
    return _new(
        Salary,
        {
            "low": rounded.low,
            "typical": rounded.typical,
            "high": rounded.high,
            "open_ended": rounded.open_ended,
            "factors": factors,
        },
    )
