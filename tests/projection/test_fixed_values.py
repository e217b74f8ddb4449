"""Projections worked out by hand from content/data/*.yaml: a horizon year by year, a work setting's
factor, and the band figure at fractional years around the bands' edges.

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

from decimal import Decimal

import pytest

from content.selectors import ARTICLE_WAGES
from roadmap.projection import Profile, _State, project, salary_for
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
