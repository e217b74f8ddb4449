"""Projections worked out by hand from content/data/*.yaml: a horizon year by year, a work setting's
factor, the band figure at fractional years around the bands' edges, each salary's base rule and
factors, roadmaps step by step, the best next steps with their reasons, and what the engine refuses.
Each boundary is pinned with fixed values (mutation testing, `make mutate`, showed which were loose);
a few tests change one figure of the real reference (``dataclasses.replace``) to reach an edge the
real data does not have: a gain of exactly 1, a national mean entered, a survey that stops at two.

On the source article's edition of the BLS figures (May 2023, ``read_reference(wages=ARTICLE_WAGES)``),
whose factors compare with the national median and are approximate; the same arithmetic on the current
edition (BLS OEWS May 2025, exact factors, each area's own spread) is in test_may_2025.py.

The figures used (salary_figures.yaml, experience.yaml, roles.yaml, roadmaps.yaml):
- national median 48,780 (BLS; the national mean is not entered, so it stands in);
- hospitals mean 54,260 and physician offices mean 45,390 (BLS);
- average without certification 51,699; the CPC 64,712 (AAPC); the coding manager 85,081 (AAPC);
- the RHIA has no figure of its own and, being AHIMA's, is not counted with the AAPC certifications;
- Salary.com's typical range 53,822 - 61,168 - 70,227 stretches every low and high;
- bands: entry 0-2 years 40,000-52,000; mid-career 3-9 years 53,000-68,000; senior 10-19 years
  69,000-85,000; expert / management from 20 years 85,000-120,000 (an open band stays at its low end);
- a band's figure moves from its low end in its first year to its high end in its last, and stays
  there until the next band begins: position = min(1, max(0, (years - first) / (last - first)));
- the coding manager's band begins at 20 years;
- management-rhia: bachelor's degree 48 months, then the RHIA, the coding manager, the revenue cycle
  director (no durations recorded).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from content.selectors import ARTICLE_WAGES
from roadmap.projection import (
    Band,
    Figure,
    Plan,
    PlanStep,
    Profile,
    ProjectionError,
    _State,
    best_next_steps,
    ordered_steps,
    project,
    salary_after,
    salary_for,
    validate,
)
from roadmap.projection import inputs as inputs_module
from roadmap.projection import person as person_module
from roadmap.projection import tables as tables_module
from roadmap.projection.inputs import _order, _step_order
from roadmap.projection.person import _person
from roadmap.projection.salary import _place
from roadmap.projection.tables import _Candidate, _Held, _tables
from roadmap.projection_inputs import default_plans, read_reference


@pytest.fixture
def reference(ladder):
    return read_reference(wages=ARTICLE_WAGES)


@pytest.fixture
def plans(ladder):
    return {plan.key: plan for plan in default_plans()}


def test_the_horizon_year_by_year_of_a_beginner_half_a_year_in_on_the_rhia_path(reference, plans):
    result = project(reference, Profile(years=Decimal("0.5")), plans["management-rhia"], horizon_years=20)

    # The walk: the degree takes months 0-48, the RHIA comes at once (month 48). The coding manager's
    # band begins at 20 years: ceil((20 - 0.5) x 12) = 234 months, so that step waits 234 - 48 = 186
    # months; the revenue cycle director (same band) comes at once after it.
    assert [(s.step.key, s.months_from_now, s.waits_months) for s in result.steps] == [
        ("bachelor-degree", 48, 0),
        ("rhia", 48, 0),
        ("coding-manager", 234, 186),
        ("revenue-cycle-director", 234, 0),
    ]
    # Year n is lived at 0.5 + n years. The band's figure then (whole dollars, half up):
    #   0.5: entry 40,000 + 0.25 x 12,000 = 43,000    1.5: 40,000 + 0.75 x 12,000 = 49,000
    #   2.5: entry, position 1.25 held at 1 = 52,000
    #   3.5 ... 8.5: mid-career 53,000 + (n - 3) / 6 x 15,000 = 54,250 56,750 59,250 61,750 64,250 66,750
    #   9.5: mid-career, position 6.5 / 6 held at 1 = 68,000
    #   10.5 ... 18.5: senior 69,000 + (n - 10) / 9 x 16,000 = 69,888.9 71,666.7 73,444.4 75,222.2
    #                  77,000 78,777.8 80,555.6 82,333.3 84,111.1 -> 69,889 71,667 73,444 75,222 77,000
    #                  78,778 80,556 82,333 84,111
    #   19.5: senior, position 9.5 / 9 held at 1 = 85,000 (85,888.9 if it were not held)
    # Staying (no figure of their own): the higher of 51,699 and the band.
    staying = [51699, 51699, 52000, 54250, 56750, 59250, 61750, 64250, 66750, 68000]
    staying += [69889, 71667, 73444, 75222, 77000, 78778, 80556, 82333, 84111, 85000]
    assert result.horizon.staying_by_year == tuple(Decimal(value) for value in staying)
    # Following: the degree and the RHIA raise nothing (the RHIA has no figure and is not counted), so
    # until month 234 following earns what staying earns. Year 19 runs months 228-240: six months before
    # the coding manager at 85,000 (the band beats 51,699) and six at 85,081 (the role's own figure beats
    # the band): 85,000 x 6/12 + 85,081 x 6/12 = 42,500 + 42,540.5 = 85,040.5 -> 85,041.
    assert result.horizon.following_by_year == tuple(Decimal(value) for value in [*staying[:19], 85041])
    # 51,699 x 2 + 52,000 + 54,250 + ... + 84,111 = 1,279,398; plus 85,000 or 85,041.
    assert (result.horizon.staying, result.horizon.following) == (Decimal(1364398), Decimal(1364439))
    assert result.horizon.difference == Decimal(41)


def test_each_step_is_projected_at_the_years_of_experience_the_person_has_then(reference, plans):
    """Half a year in now: the degree and the RHIA at month 48 are 0.5 + 4 = 4.5 years; the coding manager
    and the director at month 234 are 0.5 + 19.5 = 20 years, the first year of the expert band."""
    result = project(reference, Profile(years=Decimal("0.5")), plans["management-rhia"], horizon_years=20)

    assert [(s.salary.factors.years, s.salary.factors.band) for s in result.steps] == [
        (Decimal("4.5"), "Mid-career"),
        (Decimal("4.5"), "Mid-career"),
        (Decimal(20), "Expert / management"),
        (Decimal(20), "Expert / management"),
    ]
    assert result.now.factors.years == Decimal("0.5")
    # At 4.5 years the band (53,000 + 1.5 / 6 x 15,000 = 56,750) beats the average without certification
    # (51,699) and is the base; at 20 years the coding manager's own 85,081 beats the band's 85,000.
    assert [(s.salary.typical, s.salary.factors.base_rule) for s in result.steps] == [
        (Decimal(56750), "the mid-career experience range, by years"),
        (Decimal(56750), "the mid-career experience range, by years"),
        (Decimal(85081), "the role's own figure"),
        (Decimal(85081), "the role's own figure"),
    ]
    assert [s.gain for s in result.steps] == [Decimal(5051), 0, Decimal(28331), 0]


def test_a_person_is_worked_out_once_and_the_engine_keeps_at_most_eight(reference, plans):
    """What the engine works out for a person (their points in time, their salaries) is kept by the
    profile's identity while it is in use, and never for more than eight people at once (memory)."""
    profiles = [Profile(years=Decimal(years)) for years in range(9)]
    person_module._people.clear()  # whoever earlier tests left
    person = _person(reference, profiles[0])

    assert _person(reference, profiles[0]) is person
    assert person.after(30) is person.after(30) and person.by_year(3)[1] is person.after(12)
    holding = person.holding(frozenset(), frozenset())
    assert person.staying(holding, 3) is person.staying(holding, 3)
    # Two projections of the same person pass through the same salaries and the same course: each is
    # worked out once and shared.
    first, again = (project(reference, profiles[0], plans["outpatient-aapc"]) for _ in range(2))
    assert all(a.salary is b.salary for a, b in zip(first.steps, again.steps, strict=True))
    order = _step_order(plans["outpatient-aapc"])
    assert person.course(order, {"certificate"}) is person.course(order, {"certificate"})
    for profile in profiles[1:8]:
        project(reference, profile, plans["outpatient-aapc"])
    assert len(person_module._people) == 8 and _person(reference, profiles[0]) is person
    project(reference, profiles[8], plans["outpatient-aapc"])
    assert len(person_module._people) == 1  # the ninth person starts afresh
    assert _person(reference, profiles[0]) is not person


def test_what_is_kept_for_a_person_answers_each_horizon_and_holding_apart(reference, plans):
    """The same person projected on 5 and then 10 years, holding nothing and then the CPC: each horizon
    is what a person met for the first time gets."""
    person = Profile(years=Decimal(2))
    for years, roadmap in [(5, "outpatient-aapc"), (10, "outpatient-aapc"), (10, "management-rhia")]:
        kept = project(reference, person, plans[roadmap], horizon_years=years).horizon
        fresh = project(reference, Profile(years=Decimal(2)), plans[roadmap], horizon_years=years).horizon
        assert kept == fresh and len(kept.staying_by_year) == years
    holder = Profile(years=Decimal(2), credentials=frozenset({"CPC"}))
    project(reference, holder, plans["outpatient-aapc"], horizon_years=5)
    assert project(reference, holder, plans["outpatient-aapc"], horizon_years=5).horizon.staying_by_year[0] == 64712


def test_the_tables_kept_for_references_places_and_held_sets_stay_within_their_bounds(reference):
    """Four references, 1,024 places, 4,096 held sets and 4,096 steps taken at once: one more starts the
    memo afresh (memory stays bounded however many people and places are asked for)."""
    copies = [dataclasses.replace(reference) for _ in range(5)]
    tables_module._kept_tables.clear()
    kept = [_tables(copy) for copy in copies[:4]]
    assert [_tables(copy) for copy in copies[:4]] == kept  # the same objects, kept
    _tables(copies[-1])
    assert list(tables_module._kept_tables.values()) == [_tables(copies[-1])]

    tables = _tables(copies[-1])
    places = [Profile(region=f"area-{n}") for n in range(1025)]
    for profile in places[:1024]:
        _place(tables, profile)
    assert len(tables.places) == 1024
    _place(tables, places[-1])
    assert len(tables.places) == 1

    for n in range(4096):
        tables.held(frozenset({f"code-{n}"}), frozenset())
    assert len(tables.helds) == 4096
    tables.held(frozenset({"one more"}), frozenset())
    assert len(tables.helds) == 1

    nothing = frozenset()
    for n in range(4096):
        tables.take(nothing, nothing, PlanStep(f"step-{n}", "A step", "credential", credential=f"code-{n}"))
    assert len(tables.taken) == 4096
    tables.take(nothing, nothing, PlanStep("one-more", "A step", "credential", credential="one more"))
    assert len(tables.taken) == 1

    for n in range(4096):
        tables.band_at(Decimal(n))
    assert len(tables.bands_at) == 4096
    tables.band_at(Decimal(-1))
    assert len(tables.bands_at) == 1
    for n in range(4096):
        tables.band_after(Decimal(0), n)
    assert len(tables.bands_after) == 4096
    tables.band_after(Decimal(1), 0)
    assert len(tables.bands_after) == 1


def test_a_roadmaps_order_is_kept_by_identity_with_bounded_memos_that_do_not_change_its_value(reference, plans):
    """A roadmap is ordered once (64 roadmaps at once) and its splits remembered (256 sets of steps done):
    one more starts afresh. What it remembers is no part of its value or its repr."""
    plan = plans["outpatient-aapc"]
    order = _step_order(plan)
    assert _step_order(plan) is order and order.split(frozenset()) is order.split(frozenset())
    _person(reference, Profile()).course(order, set())  # the order now keeps a course too
    assert _order(plan) == order and "splits" not in repr(order) and "courses" not in repr(order)
    with pytest.raises(dataclasses.FrozenInstanceError):
        order.steps = ()

    inputs_module._step_orders.clear()
    copies = [dataclasses.replace(plan) for _ in range(65)]
    kept = [_step_order(copy) for copy in copies[:64]]
    assert all(_step_order(copy) is order for copy, order in zip(copies[:64], kept, strict=True))
    assert len(inputs_module._step_orders) == 64
    _step_order(copies[-1])
    assert len(inputs_module._step_orders) == 1

    fresh = _order(plan)
    for n in range(256):
        fresh.split(frozenset({f"done-{n}"}))
    assert len(fresh.splits) == 256
    fresh.split(frozenset({"one more"}))
    assert len(fresh.splits) == 1


def test_what_a_place_keeps_is_found_again_and_stays_within_its_bounds(reference):
    """A place (an area and a work setting) keeps each holding's salary and each figure times its factor
    for everyone there: found again as the same objects, 4,096 of each at most."""
    tables = _tables(reference)
    place = _place(tables, Profile(region="nj"))
    assert _place(tables, Profile(region="nj")) is place
    held = tables.held(frozenset({"CPC"}), frozenset())
    assert place.holding(held) is place.holding(held) and not hasattr(place.holding(held), "__dict__")
    assert place.rounded(held.best) is place.rounded(held.best)
    assert not hasattr(place.when(Decimal(3), tables.band_at(Decimal(3))), "__dict__")

    place = _place(tables, Profile(region="nowhere yet asked for"))  # nothing kept yet
    for n in range(4096):
        place.holding(_Held(None, 0, n))
        figure_n = _Candidate(Decimal(n), (), "a figure", False, Decimal(n), Decimal(n), False)
        place.typical(figure_n)
        place.rounded(figure_n)
    assert (len(place._holdings), len(place._typicals), len(place._rounded)) == (4096, 4096, 4096)
    one_more = _Candidate(Decimal(1), (), "a figure", False, Decimal(1), Decimal(1), False)
    place.holding(_Held(None, 0, 1))
    place.rounded(one_more)  # asks for its typical value too
    assert (len(place._holdings), len(place._typicals), len(place._rounded)) == (1, 1, 1)


def test_what_the_engine_keeps_is_compact_and_compares_by_identity(reference, plans):
    """The tables' entries are made once and found again by identity (a dictionary key compares the same
    object at once), and hold no per-object dictionary (slots): thousands are kept."""
    tables = _tables(reference)
    band, held = tables.band_at(Decimal(3)), tables.held(frozenset({"CPC"}), frozenset())
    twin = dataclasses.replace(band)
    course = _person(reference, Profile()).course(_step_order(plans["outpatient-aapc"]), set())

    assert band == band and band != twin and hash(band) != hash(twin)
    assert tables.band_at(Decimal(3)) is band and tables.band_after(Decimal(1), 24) is tables.band_after(Decimal(1), 24)
    cpc = PlanStep("cpc", "Earn the CPC", "credential", credential="CPC")
    assert tables.take(frozenset(), frozenset(), cpc) is tables.take(frozenset(), frozenset(), cpc)
    assert course == course and course != dataclasses.replace(course)
    for value in [band, band.candidate, held, held.best, course]:
        assert not hasattr(value, "__dict__"), type(value).__name__


def test_a_credential_whose_figure_is_a_range_keeps_its_ends_wherever_the_person_works(reference):
    """A source that gives only a range (50,000 - 60,000): the typical figure is its midpoint, and its low
    and high are the range's ends, not the place's spread; a single figure is stretched by the spread."""
    ranged = dataclasses.replace(
        reference, credential_figures={"X": (figure(50000), figure(60000)), "Y": (figure(55000),)}
    )

    x = salary_for(ranged, Profile(), _State(frozenset({"X"}), frozenset(), Decimal(0)))
    y = salary_for(ranged, Profile(), _State(frozenset({"Y"}), frozenset(), Decimal(0)))

    assert (x.low, x.typical, x.high, x.is_range) == (Decimal(50000), Decimal(55000), Decimal(60000), True)
    # 55,000 x 53,822 / 61,168 = 48,395.07 -> 48,395; 55,000 x 70,227 / 61,168 = 63,145.60 -> 63,146.
    assert (y.low, y.typical, y.high, y.is_range) == (Decimal(48395), Decimal(55000), Decimal(63146), False)


def test_a_work_setting_multiplies_by_its_bls_mean_over_the_national_figure(reference):
    hospital = salary_for(
        reference, Profile(work_setting="hospitals"), _State(frozenset({"CPC"}), frozenset(), Decimal(0))
    )

    # 54,260 / 48,780 = 1.11234... -> 1.112 as shown; the area stays national (factor 1).
    assert (hospital.factors.setting, hospital.factors.location) == (Decimal("1.112"), Decimal(1))
    assert hospital.factors.setting_figure.value == Decimal(54260) and "BLS" in hospital.factors.setting_figure.source
    # Typical 64,712 x 54,260 / 48,780 = 71,981.82 -> 71,982; low 64,712 x 53,822 / 61,168 x 1.11234
    # = 63,337.13 -> 63,337; high 64,712 x 70,227 / 61,168 x 1.11234 = 82,642.35 -> 82,642.
    assert (hospital.low, hospital.typical, hospital.high) == (Decimal(63337), Decimal(71982), Decimal(82642))
    assert hospital.factors.approximate  # compared with the national median, the mean not being entered

    office = salary_for(
        reference, Profile(work_setting="physician-offices"), _State(frozenset({"CPC"}), frozenset(), Decimal(0))
    )
    # 45,390 / 48,780 = 0.93050... -> 0.931; 64,712 x 45,390 / 48,780 = 60,214.79 -> 60,215.
    assert (office.factors.setting, office.typical) == (Decimal("0.931"), Decimal(60215))

    both = salary_for(
        reference, Profile(region="nj", work_setting="hospitals"), _State(frozenset({"CPC"}), frozenset(), Decimal(0))
    )
    # The area's factor and the setting's multiply: 64,712 x (70,860 / 48,780) x (54,260 / 48,780)
    # = 64,712 x 1.452645 x 1.112341 = 104,564.0 -> 104,564.
    assert (both.factors.location, both.typical) == (Decimal("1.453"), Decimal(104564))


def test_the_work_setting_reaches_every_figure_of_a_projection(reference, plans):
    result = project(reference, Profile(work_setting="hospitals"), plans["outpatient-aapc"], horizon_years=4)

    # Without certification: 51,699 x 54,260 / 48,780 = 57,506.56 -> 57,507, now and in years 0 and 1
    # (the entry band, 40,000 and 46,000, is lower); at 2 years the band reaches 52,000: 52,000 x 1.11234
    # = 57,841.7 -> 57,842; at 3 years 53,000 x 1.11234 = 58,954.1 -> 58,954.
    assert result.now.typical == Decimal(57507)
    assert result.horizon.staying_by_year == (Decimal(57507), Decimal(57507), Decimal(57842), Decimal(58954))
    # Month 36 brings the CPC, the CCC and the CPMA: three AAPC certifications, 83,866 x 1.11234
    # = 93,287.6 -> 93,288, the year-3 salary and the projection's CPMA step.
    assert result.horizon.following_by_year[3] == Decimal(93288)
    assert next(s for s in result.steps if s.step.key == "cpma").salary.typical == Decimal(93288)
    # The best next step, the certificate, pays off with the CPC at month 36, compared at the same 3 years:
    # 64,712 x 1.11234 = 71,981.8 -> 71,982 against 58,954: 13,028 a year.
    assert result.next_steps[0].gain == Decimal(13028)


@pytest.mark.parametrize(
    ("years", "band", "figure", "typical"),
    [
        # entry 0-2: 40,000 + years / 2 x 12,000, held at 52,000 until mid-career begins at 3 years
        ("0", "Entry-level", 40000, 51699),  # below the average without certification, which wins
        ("0.5", "Entry-level", 43000, 51699),
        ("1.99", "Entry-level", 51940, 51940),  # 40,000 + 0.995 x 12,000 = 51,940 > 51,699
        ("2", "Entry-level", 52000, 52000),
        ("2.9", "Entry-level", 52000, 52000),  # position 1.45 held at 1 (57,400 if not held)
        ("3.0", "Mid-career", 53000, 53000),
        ("9", "Mid-career", 68000, 68000),
        ("9.9", "Mid-career", 68000, 68000),  # position 6.9 / 6 held at 1 (70,250 if not held)
        ("10", "Senior", 69000, 69000),
        ("10.5", "Senior", 69889, 69889),  # 69,000 + 0.5 / 9 x 16,000 = 69,888.9
        ("19.5", "Senior", 85000, 85000),  # position 9.5 / 9 held at 1 (85,888.9 if not held)
        ("20", "Expert / management", 85000, 85000),
        ("49.9", "Expert / management", 85000, 85000),  # an open band stays at its low end
    ],
)
def test_the_band_figure_at_fractional_years_is_held_within_the_band(reference, years, band, figure, typical):
    salary = salary_for(reference, Profile(), _State(frozenset(), frozenset(), Decimal(years)))

    assert (salary.factors.band, salary.factors.band_figure, salary.typical) == (band, figure, typical)


def test_a_bands_position_is_held_between_0_and_1(reference):
    entry, mid_career, senior, expert = reference.bands

    assert entry.position(Decimal("0.5")) == Decimal("0.25")
    assert entry.position(Decimal("2.9")) == 1  # 2.9 / 2 = 1.45 held at 1
    assert mid_career.position(Decimal("2.9")) == 0  # (2.9 - 3) / 6 < 0 held at 0
    assert senior.position(Decimal("19.5")) == 1
    assert expert.position(Decimal("49.9")) == 0  # open: no last year to move towards


# --- Helpers: a result as plain values, to compare whole results with figures worked out by hand ---------


def figure(value, source: str = "A source (2023)", describes: str = "", open_ended: bool = False) -> Figure:
    return Figure(Decimal(value), source, describes, open_ended)


def state(credentials=(), roles=(), years="0") -> _State:
    return _State(frozenset(credentials), frozenset(roles), Decimal(years))


def steps_of(result) -> list[tuple]:
    """Each step: key, months from now, months waited, typical salary, gain, cumulative gain, done, payback."""
    return [
        (
            s.step.key,
            s.months_from_now,
            s.waits_months,
            s.salary.typical,
            s.gain,
            s.cumulative_gain,
            s.done,
            s.payback_months,
        )
        for s in result.steps
    ]


def next_steps_of(found) -> list[tuple]:
    """Each next step: plan, step, gain, months, gain per month, gain over the horizon, and the reason."""
    return [(n.plan_key, n.step.key, n.gain, n.months, n.gain_per_month, n.horizon_gain, n.reason) for n in found]


def money(*values) -> tuple[Decimal, ...]:
    return tuple(Decimal(value) for value in values)


# --- Bands, by their edges ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "inside"),
    [("-0.1", False), ("0", True), ("1.5", True), ("2.99", True), ("3", False)],
)
def test_a_band_holds_its_first_year_up_to_the_start_of_the_year_after_its_last(reference, years, inside):
    entry = reference.bands[0]  # 0-2 years

    assert (entry.years_min, entry.years_max) == (0, 2)
    assert entry.contains(Decimal(years)) is inside


def test_the_open_band_holds_every_year_from_its_first(reference):
    expert = reference.bands[-1]  # 20 years and more

    assert [expert.contains(Decimal(years)) for years in ("19.99", "20", "60")] == [False, True, True]


def test_a_band_of_a_single_year_stays_at_its_low_end():
    single = Band("one", "One year", 5, 5, figure(1000), figure(2000))

    assert [single.position(Decimal(years)) for years in ("5", "5.5")] == [0, 0]
    assert single.figure_at(Decimal("5.5")) == Decimal(1000)


def test_a_bands_figure_moves_from_its_low_to_its_high_end(reference):
    entry, mid_career = reference.bands[0], reference.bands[1]

    # 40,000 + 0.25 x (52,000 - 40,000) = 43,000; 53,000 + 3/6 x 15,000 = 60,500.
    assert entry.figure_at(Decimal("0.5")) == Decimal(43000)
    assert mid_career.position(Decimal(6)) == Decimal("0.5")
    assert mid_career.figure_at(Decimal(6)) == Decimal(60500)


# --- What the engine refuses, in words a person can act on -------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        (Profile(region="atlantis"), "We have no salary figures for the area 'atlantis'."),
        (Profile(work_setting="moon-base"), "We have no salary figures for the work setting 'moon-base'."),
        (Profile(years=Decimal("-0.1")), "Years of experience cannot be negative."),
        (Profile(years=Decimal("60.1")), "Years of experience must be at most 60."),
    ],
)
def test_a_profile_the_engine_cannot_use_is_refused_with_its_reason(reference, profile, message):
    with pytest.raises(ProjectionError) as refused:
        validate(reference, profile)

    assert str(refused.value) == message


@pytest.mark.parametrize(
    "profile",
    [
        Profile(years=Decimal(0)),
        Profile(years=Decimal(60)),
        Profile(region="nj", work_setting="hospitals", years=Decimal("0.5")),
    ],
)
def test_the_edges_of_what_a_profile_may_be_are_accepted(reference, plans, profile):
    validate(reference, profile, plans["outpatient-aapc"])

    assert project(reference, profile, plans["outpatient-aapc"]).profile == profile


@pytest.mark.parametrize("horizon", [1, 40])
def test_a_horizon_of_one_to_forty_years_is_accepted(reference, plans, horizon):
    result = project(reference, Profile(), plans["outpatient-aapc"], horizon_years=horizon)

    assert len(result.horizon.following_by_year) == len(result.horizon.staying_by_year) == horizon
    assert len(best_next_steps(reference, Profile(), [plans["outpatient-aapc"]], horizon_years=horizon)) == 1


@pytest.mark.parametrize("horizon", [0, 41])
def test_a_horizon_outside_one_to_forty_years_is_refused_for_next_steps_too(reference, plans, horizon):
    with pytest.raises(ProjectionError) as refused:
        best_next_steps(reference, Profile(), [plans["outpatient-aapc"]], horizon_years=horizon)

    assert str(refused.value) == "The horizon must be 1 to 40 years."


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (
            (PlanStep("x", "X", "role"), PlanStep("a", "A", "role"), PlanStep("a", "A again", "role")),
            "The roadmap has two steps called 'a'.",
        ),
        (
            (PlanStep("a", "A", "role", requires=("zzz", "yyy")),),
            "Step 'a' requires zzz, yyy, which is not in the roadmap.",
        ),
        (
            (
                PlanStep("x", "X", "role"),
                PlanStep("a", "A", "role", requires=("x", "b")),
                PlanStep("b", "B", "role", requires=("a",)),
            ),
            "The roadmap's steps form a cycle: a -> b -> a.",
        ),
    ],
)
def test_a_roadmap_the_engine_cannot_order_is_refused_with_its_reason(reference, steps, message):
    with pytest.raises(ProjectionError) as refused:
        validate(reference, Profile(), Plan("bad", "Bad", steps))

    assert str(refused.value) == message


def test_steps_are_taken_after_their_prerequisites_and_otherwise_in_the_roadmaps_order():
    steps = (
        PlanStep("c", "C", "role", requires=("b",)),
        PlanStep("a", "A", "role"),
        PlanStep("b", "B", "role", requires=("a",)),
        PlanStep("d", "D", "role", requires=("a",)),
    )

    assert [step.key for step in ordered_steps(Plan("p", "P", steps))] == ["a", "b", "c", "d"]


# --- One salary and the factors that explain it ----------------------------------------------------------


def factors_of(salary) -> tuple:
    f = salary.factors
    return (
        tuple(figure.value for figure in f.base),
        f.base_rule,
        f.band,
        f.band_figure,
        f.years,
        f.credentials_held,
        f.location,
        f.location_figure and f.location_figure.value,
        f.setting,
        f.setting_figure and f.setting_figure.value,
        f.approximate,
        f.counted_certifications,
        len(f.range_from),
    )


@pytest.mark.parametrize(
    ("held", "profile", "salary", "factors"),
    [
        # Two AAPC certifications: their survey average 74,896 beats the CPC's own 64,712; low and high
        # by the spread: 74,896 x 53,822 / 61,168 = 65,900.5 -> 65,901; x 70,227 / 61,168 = 85,988.4.
        (
            state({"CPC", "CCC"}),
            Profile(),
            (65901, 74896, 85988),
            (money(74896), "the AAPC average for 2 AAPC certifications", "Entry-level", 40000, 0, 2)
            + (Decimal("1.000"), None, Decimal("1.000"), None, False, 2, 3),
        ),
        # One: the CPC's own figure and the average for one certification are equal, and the first of
        # equals (the credential's own) is the base.
        (
            state({"CPC"}),
            Profile(),
            (56940, 64712, 74296),
            (money(64712), "the CPC's own figure", "Entry-level", 40000, 0, 1)
            + (Decimal("1.000"), None, Decimal("1.000"), None, False, 1, 3),
        ),
        # Three or more, in New Jersey at 5 years: 83,866 x 70,860 / 48,780 = 121,827.4 -> 121,827;
        # the band's figure (mid-career, 53,000 + 2/6 x 15,000 = 58,000) is lower.
        (
            state({"CPC", "CCC", "COSC"}, years="5"),
            Profile(region="nj"),
            (107197, 121827, 139870),
            (money(83866), "the AAPC average for 3 or more AAPC certifications", "Mid-career", 58000, 5, 3)
            + (Decimal("1.453"), Decimal(70860), Decimal("1.000"), None, True, 3, 3),
        ),
        # The RHIT is AHIMA's: its own figure, and no AAPC certification counted.
        (
            state({"RHIT"}),
            Profile(),
            (47515, 54000, 61997),
            (money(54000), "the RHIT's own figure", "Entry-level", 40000, 0, 1)
            + (Decimal("1.000"), None, Decimal("1.000"), None, False, 0, 3),
        ),
        # Nothing held, 4 years, in a hospital: the band (53,000 + 1/6 x 15,000 = 55,500) beats the
        # average without certification; 55,500 x 54,260 / 48,780 = 61,734.9 -> 61,735.
        (
            state(years="4"),
            Profile(work_setting="hospitals"),
            (54321, 61735, 70878),
            (money(53000, 68000), "the mid-career experience range, by years", "Mid-career", 55500, 4, 0)
            + (Decimal("1.000"), None, Decimal("1.112"), Decimal(54260), True, 0, 3),
        ),
        # Nothing held, at the start: the average without certification, 51,699, stretched by the spread:
        # 51,699 x 53,822 / 61,168 = 45,490.2 -> 45,490; x 70,227 / 61,168 = 59,356.0.
        (
            state(),
            Profile(),
            (45490, 51699, 59356),
            (money(51699), "the average without certification", "Entry-level", 40000, 0, 0)
            + (Decimal("1.000"), None, Decimal("1.000"), None, False, 0, 3),
        ),
        # The CDI specialist: the article gives only a range (80,000-110,000+), whose midpoint is typical.
        (
            state(roles={"cdi-specialist"}),
            Profile(),
            (80000, 95000, 110000),
            (money(80000, 110000), "the role's own figure", "Entry-level", 40000, 0, 0)
            + (Decimal("1.000"), None, Decimal("1.000"), None, False, 0, 0),
        ),
    ],
)
def test_a_salary_names_its_base_rule_band_factors_and_figures(reference, held, profile, salary, factors):
    result = salary_for(reference, profile, held)

    assert (result.low, result.typical, result.high) == money(*salary)
    assert factors_of(result) == factors
    assert result.is_range is (len(factors[0]) == 2 and factors[-1] == 0)


def test_an_open_range_is_open_ended_and_a_stretched_figure_is_not(reference):
    cdi = salary_for(reference, Profile(), state(roles={"cdi-specialist"}))
    expert = salary_for(reference, Profile(), state(years="25"))

    assert (cdi.open_ended, cdi.is_range) == (True, True)
    # The 20+ band stays at its low end, 85,000, stretched by the spread like any single figure.
    assert (expert.low, expert.typical, expert.high, expert.open_ended, expert.is_range) == (
        *money(74792, 85000, 97589),
        False,
        False,
    )


def test_without_a_spread_low_and_high_are_the_typical_figure(reference):
    plain = dataclasses.replace(reference, spread=None)

    cpc = salary_for(plain, Profile(), state({"CPC"}))
    cdi = salary_for(plain, Profile(), state(roles={"cdi-specialist"}))

    assert (cpc.low, cpc.typical, cpc.high, cpc.open_ended, cpc.factors.range_from) == (
        *money(64712, 64712, 64712),
        False,
        (),
    )
    assert (cdi.low, cdi.typical, cdi.high, cdi.open_ended) == (*money(80000, 95000, 110000), True)


def test_once_the_national_mean_is_entered_areas_compare_with_it_and_are_no_longer_approximate(reference, plans):
    entered = dataclasses.replace(reference, national_mean=figure(50000, "BLS, OEWS (May 2023)", "national mean"))

    salary = salary_for(entered, Profile(region="nj"), state({"CPC"}))

    # 64,712 x 70,860 / 50,000 = 91,709.8 -> 91,710; the factor 1.4172 is shown as 1.417.
    assert (salary.typical, salary.factors.location, salary.factors.approximate) == (
        Decimal(91710),
        Decimal("1.417"),
        False,
    )
    assert (entered.national.value, entered.location_is_approximate) == (Decimal(50000), False)
    result = project(entered, Profile(region="nj"), plans["outpatient-aapc"])
    assert (result.approximate_location, result.national.value) == (False, Decimal(50000))


@pytest.mark.parametrize(
    ("profile", "approximate"),
    [(Profile(), False), (Profile(region="nj"), True), (Profile(work_setting="hospitals"), True)],
)
def test_a_projection_says_its_location_is_approximate_only_where_an_area_or_setting_applies(
    reference, plans, profile, approximate
):
    result = project(reference, profile, plans["outpatient-aapc"])

    assert (result.approximate_location, result.national.value) == (approximate, Decimal(48780))


def test_without_credential_figures_one_certification_takes_the_average_for_one(reference):
    counts_only = dataclasses.replace(reference, credential_figures={})

    one = salary_for(counts_only, Profile(), state({"CPC"}))
    apprentice = salary_for(counts_only, Profile(), state({"CPC-A"}))

    assert (one.typical, one.factors.base_rule, one.factors.counted_certifications) == (
        Decimal(64712),
        "the AAPC average for 1 AAPC certification",
        1,
    )
    assert (apprentice.typical, apprentice.factors.base_rule, apprentice.factors.counted_certifications) == (
        Decimal(51699),
        "the average without certification",
        0,
    )


def test_with_no_figure_for_what_is_held_the_band_is_the_base(reference):
    bare = dataclasses.replace(reference, credential_figures={}, aapc_count_averages={})

    salary = salary_for(bare, Profile(), state({"CPC"}, years="1"))

    # Entry band at 1 year: 40,000 + 1/2 x 12,000 = 46,000; the CPC still counts as one certification.
    assert (salary.typical, salary.factors.base_rule, salary.factors.counted_certifications) == (
        Decimal(46000),
        "the entry-level experience range, by years",
        1,
    )


def test_a_replacing_credential_takes_the_place_of_the_one_it_replaces(reference):
    after = salary_after(
        reference, Profile(credentials=frozenset({"RHIT"})), [PlanStep("r", "R", "credential", credential="RHIA")]
    )

    # The RHIA replaces the RHIT: one credential held, and the RHIA has no figure of its own.
    assert (after.typical, after.factors.credentials_held) == (Decimal(51699), 1)


# --- A roadmap step by step, its horizon, and the best next steps -----------------------------------------

CPC_IN_18 = PlanStep("cpc", "Earn the CPC", "credential", credential="CPC", typical_months=18)
CCC_IN_3 = PlanStep("ccc", "Add the CCC", "credential", credential="CCC", typical_months=3, requires=("cpc",))
COSC_IN_2 = PlanStep("cosc", "Add the COSC", "credential", credential="COSC", typical_months=2, requires=("ccc",))
FAST_TRACK = Plan("fast", "Fast track", (CPC_IN_18, CCC_IN_3, dataclasses.replace(COSC_IN_2, cost=Decimal(1200))))


def test_three_credentials_within_one_year_are_earned_month_by_month(reference):
    result = project(reference, Profile(years=Decimal(1)), FAST_TRACK, horizon_years=3)

    # Now (1 year, entry band 46,000 < the floor): 51,699. The CPC at month 18 (64,712), the CCC at 21
    # (two certifications, 74,896), the COSC at 23 (three, 83,866), which cost 1,200: paid back in
    # 1,200 / (8,970 / 12) = 1.605 -> 1.6 months.
    assert steps_of(result) == [
        ("cpc", 18, 0, Decimal(64712), Decimal(13013), Decimal(13013), False, None),
        ("ccc", 21, 0, Decimal(74896), Decimal(10184), Decimal(23197), False, None),
        ("cosc", 23, 0, Decimal(83866), Decimal(8970), Decimal(32167), False, Decimal("1.6")),
    ]
    # Year 0 (1 year of experience): 51,699. Year 1 (2 years, band 52,000): 52,000 for months 12-18,
    # 64,712 for 18-21, 74,896 for 21-23 and 83,866 for 23-24: 26,000 + 16,178 + 12,482.67 + 6,988.83
    # = 61,649.5 -> 61,650. Year 2: 83,866. Staying: 51,699, 52,000 and 53,000 (mid-career begins).
    assert result.horizon.following_by_year == money(51699, 61650, 83866)
    assert result.horizon.staying_by_year == money(51699, 52000, 53000)
    assert (result.horizon.following, result.horizon.staying, result.horizon.difference) == money(197215, 156699, 40516)
    assert result.horizon.by_year == tuple(zip(money(51699, 61650, 83866), money(51699, 52000, 53000), strict=True))
    assert (result.final.typical, result.total_gain, result.next_step.step.key) == (
        Decimal(83866),
        Decimal(32167),
        "cpc",
    )
    assert result.has_unknown_durations is False
    # The CPC compared at the same 2.5 years: 64,712 - 52,000 = 12,712 a year, for 18 months of effort:
    # 706 a year for each month; over the 36 - 18 months left of the horizon: 12,712 x 1.5 = 19,068.
    assert next_steps_of(result.next_steps) == [
        (
            "fast",
            "cpc",
            Decimal(12712),
            18,
            Decimal(706),
            Decimal(19068),
            "It raises the projected typical salary by $12,712 a year. It takes about 18 months ($706 a year for "
            "each month). Over 3 years it adds about $19,068.",
        )
    ]


def test_a_roadmap_walked_from_the_apprentice_designation(reference, plans):
    result = project(reference, Profile(credentials=frozenset({"CPC-A"})), plans["outpatient-aapc"])

    # The CPC-A shows the certificate and the exam as done. The Coder I and the specialty and audit
    # credentials have no known duration; the CPC takes 24 months; the auditor's band begins at 10 years
    # (waiting 120 - 24 = 96 months) and the coding manager's at 20 (120 more).
    assert steps_of(result) == [
        ("certificate", 0, 0, Decimal(51699), 0, 0, True, None),
        ("cpc-a", 0, 0, Decimal(51699), 0, 0, True, None),
        ("coder-1", 0, 0, Decimal(51699), 0, 0, False, None),
        ("cpc", 24, 0, Decimal(64712), Decimal(13013), Decimal(13013), False, None),
        ("specialty", 24, 0, Decimal(74896), Decimal(10184), Decimal(23197), False, None),
        ("cpma", 24, 0, Decimal(83866), Decimal(8970), Decimal(32167), False, None),
        ("auditor", 120, 96, Decimal(83866), 0, Decimal(32167), False, None),
        ("coding-manager", 240, 120, Decimal(85081), Decimal(1215), Decimal(33382), False, None),
    ]
    assert (result.final.typical, result.total_gain, result.next_step.step.key) == (
        Decimal(85081),
        Decimal(33382),
        "coder-1",
    )
    assert result.has_unknown_durations is True
    # The Coder I raises nothing by itself; it opens the way to the CPC at month 24, compared at 2 years:
    # 64,712 - 52,000 = 12,712, over the 120 - 24 months left: 12,712 x 8 = 101,696.
    assert next_steps_of(result.next_steps) == [
        (
            "outpatient-aapc",
            "coder-1",
            Decimal(12712),
            None,
            None,
            Decimal(101696),
            "It opens the way to \u201cRemove the apprentice designation (CPC)\u201d, which raises the projected "
            "typical salary by $12,712 a year. How long it takes is not known. Over 10 years it adds about $101,696.",
        )
    ]


def test_an_education_held_counts_its_step_as_done(reference, plans):
    result = project(reference, Profile(education=frozenset({"certificate-program"})), plans["inpatient-certificate"])

    # The CCS (68,000) comes at once, no step before it having a known duration; the CDI specialist
    # (95,000, the midpoint of its range) waits for the 10 years of its band.
    assert steps_of(result) == [
        ("certificate", 0, 0, Decimal(51699), 0, 0, True, None),
        ("cca", 0, 0, Decimal(51699), 0, 0, False, None),
        ("coder-1", 0, 0, Decimal(51699), 0, 0, False, None),
        ("ccs", 0, 0, Decimal(68000), Decimal(16301), Decimal(16301), False, None),
        ("cdi-specialist", 120, 120, Decimal(95000), Decimal(27000), Decimal(43301), False, None),
    ]


def test_a_step_done_by_hand_brings_every_step_before_it(reference, plans):
    result = project(reference, Profile(), plans["inpatient-ahima"], done=frozenset({"ccs", "not-a-step"}))

    assert [s.step.key for s in result.steps if s.done] == ["associate-degree", "rhit", "ccs"]
    assert result.next_step.step.key == "coder-2"


def test_a_finished_roadmap_stays_where_the_person_stands(reference, plans):
    keys = frozenset(step.key for step in plans["inpatient-certificate"].steps)

    result = project(reference, Profile(), plans["inpatient-certificate"], done=keys)

    assert (result.final, result.total_gain, result.next_step, result.next_steps) == (result.now, 0, None, ())
    assert result.has_unknown_durations is False


@pytest.mark.parametrize(("gain", "payback"), [(Decimal(1), Decimal("14400.0")), (Decimal(0), None)])
def test_payback_needs_a_gain(reference, gain, payback):
    """A step worth exactly 1 a year pays back 1,200 in 14,400 months; one worth nothing never does."""
    tiny = dataclasses.replace(reference, credential_figures={"X": (figure(51699 + gain),)})
    step = PlanStep("x", "X", "credential", credential="X", typical_months=1, cost=Decimal(1200))

    (projected,) = project(tiny, Profile(), Plan("p", "P", (step,))).steps

    assert (projected.gain, projected.payback_months) == (gain, payback)


COURSE = PlanStep("course", "Take a course", "education", education="certificate-program", typical_months=2)
CODER_2 = PlanStep("coder-2", "Work as a Coder II", "role", role="coder-2", requires=("course",))
COC_IN_4 = PlanStep("coc", "Earn the COC", "credential", credential="COC", typical_months=4)
CPC_IN_2 = PlanStep("cpc", "Earn the CPC", "credential", credential="CPC", typical_months=2)
CCS = PlanStep("ccs", "Earn the CCS", "credential", credential="CCS")
RHIT = PlanStep("rhit", "Earn the RHIT", "credential", credential="RHIT")


def test_next_steps_rank_gain_per_month_then_unknown_durations_by_horizon_then_steps_that_raise_nothing(
    reference, plans
):
    mixed = Plan("mix", "A mixed roadmap", (COURSE, CODER_2, COC_IN_4, CPC_IN_2, CCS, RHIT))

    found = best_next_steps(reference, Profile(), [mixed, plans["management-rhia"]], limit=10)

    # Against the newcomer's 51,699: the CPC 13,013 in 2 months (6,506.5 -> 6,507 a month; over the 118
    # months left 127,960.8 -> 127,961), the COC 18,487 in 4 (4,621.75 -> 4,622; 178,707.7 -> 178,708);
    # then the durations not known, by what they add over 10 years: the CCS 16,301 (163,010), the RHIT
    # 2,301 (23,010), the bachelor's degree on its way to the coding manager at 20 years (81 a year, but
    # after the horizon: 0); last the course, which raises nothing: the Coder II it opens has no figure
    # (its 36 months are known: 2 of study, then waiting for the band that begins at 3 years).
    assert next_steps_of(found) == [
        ("mix", "cpc", Decimal(13013), 2, Decimal(6507), Decimal(127961), found[0].reason),
        ("mix", "coc", Decimal(18487), 4, Decimal(4622), Decimal(178708), found[1].reason),
        ("mix", "ccs", Decimal(16301), None, None, Decimal(163010), found[2].reason),
        ("mix", "rhit", Decimal(2301), None, None, Decimal(23010), found[3].reason),
        ("management-rhia", "bachelor-degree", Decimal(81), None, None, Decimal(0), found[4].reason),
        ("mix", "course", Decimal(0), 36, None, Decimal(0), found[5].reason),
    ]
    assert [n.plan_name for n in found] == ["A mixed roadmap"] * 4 + ["Health information management (RHIA path)"] + [
        "A mixed roadmap"
    ]
    assert [n.reason for n in found] == [
        "It raises the projected typical salary by $13,013 a year. It takes about 2 months ($6,507 a year for each "
        "month). Over 10 years it adds about $127,961.",
        "It raises the projected typical salary by $18,487 a year. It takes about 4 months ($4,622 a year for each "
        "month). Over 10 years it adds about $178,708.",
        "It raises the projected typical salary by $16,301 a year. How long it takes is not known. Over 10 years it "
        "adds about $163,010.",
        "It raises the projected typical salary by $2,301 a year. How long it takes is not known. Over 10 years it "
        "adds about $23,010.",
        "It opens the way to \u201cBecome a coding manager\u201d, which raises the projected typical salary by $81 a "
        "year. How long it takes is not known. Over 10 years it adds about $0.",
        "It does not raise the projected salary by itself, but it opens the steps after it.",
    ]
    assert next_steps_of(best_next_steps(reference, Profile(), [mixed, plans["management-rhia"]])) == next_steps_of(
        found[:3]
    )


def test_a_step_is_worth_only_what_its_own_way_on_brings_in_a_roadmap_that_branches(reference):
    """The course opens the Coder II (no figure of its own); the CPC, between them in the roadmap, does not
    follow from the course: the course is not credited with the CPC's gain."""
    branching = Plan("b", "Branching", (COURSE, CPC_IN_2, CODER_2))

    result = project(reference, Profile(), branching)

    by_key = {n.step.key: n for n in result.next_steps}
    assert (by_key["course"].gain, by_key["course"].months) == (Decimal(0), 36)
    assert by_key["cpc"].gain == Decimal(13013)


def test_a_role_taken_counts_in_the_salary_after_it(reference):
    """At 20 years the band pays 85,000; once the coding manager's role is taken its own 85,081 is the base."""
    manager = PlanStep("manager", "Become a coding manager", "role", role="coding-manager")

    before = salary_after(reference, Profile(years=Decimal(20)), [])
    after = salary_after(reference, Profile(years=Decimal(20)), [COURSE, manager])

    assert (before.typical, after.typical) == (Decimal(85000), Decimal(85081))
    assert after.factors.base_rule == "the role's own figure"


def test_a_step_that_raises_nothing_comes_after_one_whose_gain_falls_after_the_horizon(reference, plans):
    course_first = Plan("course", "A course", (COURSE, CODER_2))

    found = best_next_steps(reference, Profile(), [course_first, plans["management-rhia"]])

    assert [(n.step.key, n.gain, n.horizon_gain) for n in found] == [
        ("bachelor-degree", Decimal(81), Decimal(0)),
        ("course", Decimal(0), Decimal(0)),
    ]


def test_a_role_step_waits_for_the_experience_its_band_needs(reference):
    manager = PlanStep("manager", "Become a coding manager", "role", role="coding-manager", typical_months=6)

    (found,) = best_next_steps(reference, Profile(years=Decimal("18.5")), [Plan("m", "Management", (manager,))])

    # The band begins at 20 years: ceil(1.5 x 12) = 18 months, longer than the step's 6. At 20 years the
    # band (85,000) is what the person earns anyway; the role's own 85,081 adds 81 a year: 4.5 -> 5 a
    # month, and over the 102 months left 688.5 -> 689.
    assert next_steps_of([found]) == [
        (
            "m",
            "manager",
            Decimal(81),
            18,
            Decimal(5),
            Decimal(689),
            "It raises the projected typical salary by $81 a year. The role needs experience you reach in about 18 "
            "months ($5 a year for each month). Over 10 years it adds about $689.",
        )
    ]


@pytest.mark.parametrize(
    ("years", "months", "waits"),
    [(Decimal("18.5"), 18, 12), (Decimal("19.75"), 6, 0), (Decimal(20), 6, 0)],
)
def test_a_role_step_ends_when_its_months_are_over_or_its_band_begins_whichever_is_later(
    reference, years, months, waits
):
    """Six months to become a manager, whose band begins at 20 years: at 18.5 years the band is 18 months
    away (the step waits 12 more); at 19.75 it is 3 months away and at 20 it has begun: the six months."""
    manager = PlanStep("manager", "Become a coding manager", "role", role="coding-manager", typical_months=6)

    (step,) = project(reference, Profile(years=years), Plan("m", "Management", (manager,))).steps

    assert (step.months_from_now, step.waits_months) == (months, waits)


def test_a_role_without_an_experience_band_of_its_own_waits_for_nothing(reference):
    step = PlanStep("lead", "Lead a coding team", "role", role="team-lead", typical_months=3)

    (projected,) = project(reference, Profile(years=Decimal(1)), Plan("t", "Team", (step,))).steps

    assert (projected.months_from_now, projected.waits_months) == (3, 0)


@pytest.mark.parametrize(("gain", "per_month"), [(1, Decimal(1)), (0, None)])
def test_a_gain_per_month_is_given_for_any_gain_and_none_for_none(reference, gain, per_month):
    tiny = dataclasses.replace(reference, credential_figures={"X": (figure(51699 + gain),)})
    step = PlanStep("x", "X", "credential", credential="X", typical_months=1)

    (found,) = best_next_steps(tiny, Profile(), [Plan("t", "T", (step,))])

    assert (found.gain, found.months, found.gain_per_month, found.horizon_gain) == (gain, 1, per_month, 10 * gain)
    reasons = {  # a step that opens nothing does not say it does
        0: "It does not raise the projected salary.",
        1: "It raises the projected typical salary by $1 a year. It takes about 1 month ($1 a year for each "
        "month). Over 10 years it adds about $10.",
    }
    assert found.reason == reasons[gain]


def test_the_smallest_gain_is_the_steps_own_even_when_a_later_step_gains_more(reference):
    """X raises the salary by $1 and opens Z, which raises it by $100: X is worth its own $1."""
    tiny = dataclasses.replace(reference, credential_figures={"X": (figure(51700),), "Z": (figure(51799),)})
    x = PlanStep("x", "X", "credential", credential="X", typical_months=1)
    z = PlanStep("z", "Z", "credential", credential="Z", typical_months=1, requires=("x",))

    (found,) = best_next_steps(tiny, Profile(), [Plan("t", "T", (x, z))])

    assert (found.step.key, found.gain, found.months) == ("x", Decimal(1), 1)
    assert found.reason.startswith("It raises the projected typical salary by $1 a year. It takes about 1 month")


def test_a_gain_of_one_dollar_a_month_ranks_above_a_larger_gain_worth_less_a_month(reference):
    """X: $1 a year after 1 month ($1 a month); Y: $10 after 22 months ($0.45 -> $0 a month; the band is
    then 40,000 + 22 / 24 x 12,000 = 51,000, under the 51,699 Y is compared with)."""
    tiny = dataclasses.replace(reference, credential_figures={"X": (figure(51700),), "Y": (figure(51709),)})
    x = PlanStep("x", "X", "credential", credential="X", typical_months=1)
    y = PlanStep("y", "Y", "credential", credential="Y", typical_months=22)

    found = best_next_steps(tiny, Profile(), [Plan("t", "T", (y, x))])

    assert [(n.step.key, n.gain, n.gain_per_month) for n in found] == [
        ("x", Decimal(1), Decimal(1)),
        ("y", Decimal(10), Decimal(0)),
    ]


def test_a_role_step_of_unknown_length_takes_the_month_its_band_is_away(reference):
    """At 19.92 years the manager's band (20 years) is ceil(0.08 x 12) = 1 month away: the step's length
    is not recorded, but the wait is, so its months are known."""
    manager = PlanStep("manager", "Become a coding manager", "role", role="coding-manager")

    (found,) = best_next_steps(reference, Profile(years=Decimal("19.92")), [Plan("m", "Management", (manager,))])

    assert (found.months, found.gain_per_month) == (1, Decimal(81))
    assert "The role needs experience you reach in about 1 month ($81 a year for each month)." in found.reason


# --- Inputs and results are values -----------------------------------------------------------------------


def test_results_are_values_equal_for_equal_inputs_hashable_and_frozen(reference, plans):
    """The engine keeps what it works out by the identity of frozen inputs, and pages cache results: both
    rest on inputs and results that are values no one can change."""
    first = project(reference, Profile(credentials=frozenset({"CPC-A"})), plans["outpatient-aapc"])
    again = project(reference, Profile(credentials=frozenset({"CPC-A"})), plans["outpatient-aapc"])

    assert first == again and first is not again
    assert hash(first) == hash(again)
    found = best_next_steps(reference, Profile(credentials=frozenset({"CPC-A"})), list(plans.values()))
    found_again = best_next_steps(reference, Profile(credentials=frozenset({"CPC-A"})), list(plans.values()))
    assert found == found_again and hash(found) == hash(found_again)
    values = [first, first.now, first.now.factors, first.steps[0], first.horizon, first.next_steps[0], found[0]]
    values += [first.plan, first.plan.steps[0], first.profile, first.national, reference.bands[0], reference.spread]
    for value in [*values, reference, state()]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            value.__setattr__(dataclasses.fields(value)[0].name, None)


def with_defaults(value):
    """The same value made by its constructor from its required fields alone."""
    missing = dataclasses.MISSING
    fields = dataclasses.fields(value)
    required = {f.name: getattr(value, f.name) for f in fields if f.default is missing and f.default_factory is missing}
    return type(value)(**required)


def test_what_a_constructor_fills_in_when_left_out(reference, plans):
    """The optional fields, for code that builds inputs or results by hand (the ORM adapters, tests)."""
    result = project(reference, Profile(), plans["outpatient-aapc"])
    step = with_defaults(plans["outpatient-aapc"].steps[0])
    bare = with_defaults(reference)

    assert (step.credential, step.role, step.education, step.typical_months, step.cost, step.requires) == (
        *(None,) * 5,
        (),
    )
    assert with_defaults(Profile(region="nj", years=Decimal(3))) == Profile(None, None, 0, frozenset(), frozenset())
    assert with_defaults(reference.spread.low).open_ended is False
    assert bare.edition == ""
    assert (bare.replaces, bare.spread, bare.role_years, bare.region_names, bare.setting_names) == (
        {},
        None,
        {},
        {},
        {},
    )
    assert (with_defaults(result.now.factors).counted_certifications, with_defaults(result.now.factors).range_from) == (
        0,
        (),
    )
    assert with_defaults(result.steps[-1]).waits_months == 0
    assert (with_defaults(result.next_steps[0]).plan_key, with_defaults(result.next_steps[0]).plan_name) == ("", "")
    assert with_defaults(result).national is None


def test_where_the_band_reaches_a_credentials_figure_exactly_the_credential_stays_the_base(reference, plans):
    """At 7.6848 years the mid-career band is 53,000 + 4.6848 / 6 x 15,000 = 64,712, the CPC's own figure:
    the first of equal candidates (the credential) is the base, in a salary and in a projection alike."""
    years = Decimal("7.6848")

    salary = salary_for(reference, Profile(), state({"CPC"}, years=years))
    now = project(reference, Profile(years=years, credentials=frozenset({"CPC"})), plans["outpatient-aapc"]).now

    assert (salary.factors.band_figure, salary.typical, salary.factors.base_rule) == (
        64712,
        64712,
        "the CPC's own figure",
    )
    assert (now.typical, now.factors.base_rule) == (64712, "the CPC's own figure")


def test_when_the_survey_stops_at_two_certifications_two_or_more_share_its_average(reference):
    up_to_two = dataclasses.replace(
        reference,
        credential_figures={},
        aapc_count_averages={n: f for n, f in reference.aapc_count_averages.items() if n <= 2},
    )
    up_to_one = dataclasses.replace(
        up_to_two, aapc_count_averages={n: f for n, f in up_to_two.aapc_count_averages.items() if n <= 1}
    )

    rules = [
        salary_for(up_to_two, Profile(), state(held)).factors.base_rule
        for held in ({"CPC"}, {"CPC", "CCC"}, {"CPC", "CCC", "COSC"})
    ]

    assert rules == [
        "the AAPC average for 1 AAPC certification",
        "the AAPC average for 2 or more AAPC certifications",
        "the AAPC average for 2 or more AAPC certifications",
    ]
    assert (
        salary_for(up_to_one, Profile(), state({"CPC"})).factors.base_rule
        == "the AAPC average for 1 AAPC certification"
    )


def test_years_outside_every_band_take_the_nearest_end_of_the_table(reference):
    """A reference may give fewer bands (a new edition, or one in preparation): years before its first band
    take the first, years after its last the last."""
    entry_to_senior = dataclasses.replace(reference, bands=reference.bands[:3])
    mid_and_senior = dataclasses.replace(reference, bands=reference.bands[1:3])

    late = salary_for(entry_to_senior, Profile(), state(years="25"))
    early = salary_for(mid_and_senior, Profile(), state(years="1"))

    assert (late.factors.band, late.factors.band_figure) == ("Senior", 85000)  # held at its high end
    assert (early.factors.band, early.factors.band_figure) == ("Mid-career", 53000)  # held at its low end


def test_the_same_profile_projected_on_a_new_edition_of_the_figures_uses_the_new_figures(reference, plans):
    """The engine keeps what it worked out for a profile; a new reference (a new data edition) must not
    find the old one's."""
    profile = Profile(region="nj", credentials=frozenset({"CPC"}))
    entered = dataclasses.replace(reference, national_mean=figure(50000, "BLS, OEWS (May 2023)", "national mean"))

    before = project(reference, profile, plans["outpatient-aapc"]).now
    after = project(entered, profile, plans["outpatient-aapc"]).now

    # 64,712 x 70,860 / 48,780 = 94,004.0 against the median; / 50,000 = 91,709.8 against the mean.
    assert (before.typical, before.factors.location) == (Decimal(94004), Decimal("1.453"))
    assert (after.typical, after.factors.location) == (Decimal(91710), Decimal("1.417"))


def test_next_steps_across_roadmaps_start_after_the_steps_done_in_each(reference, plans):
    apprentice = Profile(credentials=frozenset({"CPC-A"}))

    before = best_next_steps(reference, apprentice, list(plans.values()))
    after = best_next_steps(
        reference, apprentice, list(plans.values()), done={"outpatient-aapc": frozenset({"coder-1"})}
    )

    # With the Coder I done, the CPC is next on the outpatient roadmap: 24 months, compared at 2 years,
    # 64,712 - 52,000 = 12,712 a year, 529.7 -> 530 a month, and 12,712 x 96 / 12 = 101,696 over the horizon.
    assert [(n.plan_key, n.step.key, n.months, n.gain_per_month) for n in before] == [
        ("inpatient-certificate", "certificate", None, None),
        ("outpatient-aapc", "coder-1", None, None),
        ("inpatient-ahima", "associate-degree", None, None),
    ]
    assert [(n.plan_key, n.step.key, n.gain, n.months, n.gain_per_month, n.horizon_gain) for n in after] == [
        ("outpatient-aapc", "cpc", Decimal(12712), 24, Decimal(530), Decimal(101696)),
        ("inpatient-certificate", "certificate", Decimal(16301), None, None, Decimal(146709)),
        ("inpatient-ahima", "associate-degree", Decimal(2000), None, None, Decimal(16000)),
    ]
