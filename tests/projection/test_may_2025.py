"""Projections on the current edition, BLS OEWS May 2025, worked out by hand from the real release
(content/data/oews/2025A01.csv) and the article's figures (content/data/*.yaml).

The BLS figures used, for medical records specialists (29-2072):
- the nation (OEUN0000000000000292072): annual mean 56,790; 25th percentile 43,490, median 51,140,
  75th percentile 64,820;
- Texas (OEUS4800000000000292072): annual mean 52,880; 25th percentile 39,470, median 48,860,
  75th percentile 63,970;
- general medical and surgical hospitals, nationally (NAICS 622100, OEUN0000000622100292072): mean 62,270.
The article's figures: without certification 51,699; CPC 64,712; CCS about 68,000; CDI specialist
80,000-110,000+ (a range: its midpoint 95,000 is the typical value); bands entry 0-2 years 40,000-52,000,
mid-career 3-9 years 53,000-68,000, senior from 10 years.

How the engine combines them (the method, point 4): the area's factor and the setting's multiply
low, typical and high, unrounded; each is shown to three places.
- Texas: 52,880 / 56,790 = 0.931150 -> shown 0.931.
- Hospitals: 62,270 / 56,790 = 1.096496 -> shown 1.096.
- A hospital coder in Texas: (52,880 x 62,270) / (56,790 x 56,790) = 3,292,837,600 / 3,225,104,100
  = 1.0210020 (1.02100195773...).
Low and high (point 3): the base times Texas's own spread, 39,470 / 48,860 = 0.807818 below and
63,970 / 48,860 = 1.309251 above, then times the factor; a range the source gives keeps its ends.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from roadmap.projection import Profile, _State, project, salary_for
from roadmap.projection_inputs import default_plans, load_reference

TEXAS_HOSPITAL = Profile(region="texas", work_setting="hospitals")


@pytest.fixture
def reference(ladder):
    return load_reference()


@pytest.fixture
def plans(ladder):
    return {plan.key: plan for plan in default_plans()}


def test_the_factors_of_a_texas_hospital_coder_are_exact_and_name_their_bls_series(reference):
    salary = salary_for(reference, TEXAS_HOSPITAL, _State(frozenset({"CPC"}), frozenset(), Decimal(0)))
    factors = salary.factors

    assert (factors.location, factors.setting) == (Decimal("0.931"), Decimal("1.096"))
    assert not factors.approximate  # a mean over the national mean of the same edition
    assert factors.location_figure.value == Decimal(52880)
    assert "OEUS4800000000000292072" in factors.location_figure.describes
    assert factors.setting_figure.value == Decimal(62270)
    assert "OEUN0000000622100292072" in factors.setting_figure.describes
    assert "Occupational Employment and Wage Statistics (May 2025)" in factors.location_figure.source
    assert [f.value for f in factors.range_from] == [Decimal(39470), Decimal(48860), Decimal(63970)]  # Texas's


def test_a_texas_hospital_coder_holding_the_cpc(reference):
    salary = salary_for(reference, TEXAS_HOSPITAL, _State(frozenset({"CPC"}), frozenset(), Decimal(0)))

    # The base: the CPC's own figure, 64,712 (it equals the AAPC average for one certification; the
    # first of equals names itself), above 51,699 and the entry band's 40,000 at 0 years.
    assert salary.factors.base_rule == "the CPC's own figure"
    # Typical: 64,712 x 1.0210020 = 66,071.08 -> 66,071.
    # Low:  64,712 x 39,470 / 48,860 = 52,275.53; x 1.0210020 = 53,373.42 -> 53,373.
    # High: 64,712 x 63,970 / 48,860 = 84,724.25; x 1.0210020 = 86,503.62 -> 86,504.
    assert (salary.low, salary.typical, salary.high) == (Decimal(53373), Decimal(66071), Decimal(86504))


def test_a_texas_hospital_coder_on_the_certificate_route(reference, plans):
    result = project(reference, TEXAS_HOSPITAL, plans["inpatient-certificate"], horizon_years=5)

    # Now, without certification: 51,699 x 1.0210020 = 52,784.78 -> 52,785;
    # low 51,699 x 0.807818 = 41,763.40, x 1.0210020 = 42,640.51 -> 42,641;
    # high 51,699 x 1.309251 = 67,686.96, x 1.0210020 = 69,108.52 -> 69,109.
    assert (result.now.low, result.now.typical, result.now.high) == (Decimal(42641), Decimal(52785), Decimal(69109))
    steps = {s.step.key: s for s in result.steps}
    # The certificate takes 12 months; the CCA and the Coder I add nothing (no figure above 51,699 there).
    assert [
        (key, steps[key].months_from_now, steps[key].salary.typical) for key in ("certificate", "cca", "coder-1")
    ] == [
        ("certificate", 12, Decimal(52785)),
        ("cca", 12, Decimal(52785)),
        ("coder-1", 12, Decimal(52785)),
    ]
    # The CCS, at month 12: about 68,000 x 1.0210020 = 69,428.13 -> 69,428, a gain of 69,428 - 52,785 = 16,643;
    # low 68,000 x 0.807818 = 54,931.64, x 1.0210020 = 56,085.31 -> 56,085;
    # high 68,000 x 1.309251 = 89,029.06, x 1.0210020 = 90,898.85 -> 90,899.
    ccs = steps["ccs"]
    assert (ccs.salary.low, ccs.salary.typical, ccs.salary.high) == (Decimal(56085), Decimal(69428), Decimal(90899))
    assert ccs.gain == Decimal(16643)
    # The CDI specialist waits for the senior band (10 years = month 120, 108 months after the CCS). Its
    # figure is the article's range, which keeps its ends: 80,000 x 1.0210020 = 81,680.16 -> 81,680 and
    # 110,000 x 1.0210020 = 112,310.22 -> 112,310, "or more"; typical, the midpoint 95,000 x 1.0210020
    # = 96,995.19 -> 96,995.
    cdi = steps["cdi-specialist"]
    assert (cdi.months_from_now, cdi.waits_months) == (120, 108)
    assert (cdi.salary.low, cdi.salary.typical, cdi.salary.high) == (Decimal(81680), Decimal(96995), Decimal(112310))
    assert cdi.salary.open_ended and cdi.salary.factors.range_from == ()
    assert cdi.gain == Decimal(96995 - 69428)
    # Five years: year 1 at 52,785, then the CCS (from month 12) in years 2 to 5: 52,785 + 4 x 69,428 = 330,497.
    assert result.horizon.following_by_year == tuple(Decimal(v) for v in (52785, 69428, 69428, 69428, 69428))
    # Staying: the higher of 51,699 and the band at 0 to 4 years, times 1.0210020: 51,699 -> 52,785 twice
    # (the band is 40,000 and 46,000); 52,000 -> 53,092.10 -> 53,092; 53,000 -> 54,113.10 -> 54,113;
    # 53,000 + 1/6 x 15,000 = 55,500 -> 56,665.61 -> 56,666.
    assert result.horizon.staying_by_year == tuple(Decimal(v) for v in (52785, 52785, 53092, 54113, 56666))
    assert (result.horizon.following, result.horizon.staying) == (Decimal(330497), Decimal(269441))
    assert not result.approximate_location and result.national.value == Decimal(56790)


def test_the_work_setting_alone_compares_its_industry_with_the_nation_and_keeps_the_nations_spread(reference):
    salary = salary_for(
        reference, Profile(work_setting="hospitals"), _State(frozenset({"CPC"}), frozenset(), Decimal(0))
    )

    # 62,270 / 56,790 = 1.096496: typical 64,712 x 1.096496 = 70,956.44 -> 70,956; the nation's spread:
    # low 64,712 x 43,490 / 51,140 = 55,031.77, x 1.096496 = 60,342.11 -> 60,342;
    # high 64,712 x 64,820 / 51,140 = 82,022.52, x 1.096496 = 89,937.36 -> 89,937.
    assert (salary.factors.location, salary.factors.setting) == (Decimal(1), Decimal("1.096"))
    assert (salary.low, salary.typical, salary.high) == (Decimal(60342), Decimal(70956), Decimal(89937))
    assert [f.value for f in salary.factors.range_from] == [Decimal(43490), Decimal(51140), Decimal(64820)]


def test_a_neutral_profile_still_gets_exactly_the_articles_figure(reference):
    salary = salary_for(reference, Profile(), _State(frozenset({"CPC"}), frozenset(), Decimal(0)))

    # National, any setting: factor 1, and the nation's own spread for low and high:
    # 64,712 x 43,490 / 51,140 = 55,031.77 -> 55,032; 64,712 x 64,820 / 51,140 = 82,022.52 -> 82,023.
    assert (salary.low, salary.typical, salary.high) == (Decimal(55032), Decimal(64712), Decimal(82023))
    assert not salary.factors.approximate


def test_an_area_only_the_release_gives_can_be_projected(reference, plans):
    nonmetro = Profile(region="northwestern-region-of-texas-nonmetropolitan-area")

    result = project(reference, nonmetro, plans["outpatient-aapc"])

    # BLS: 45,100 there (OEUM4800001000000292072); 45,100 / 56,790 = 0.794154 -> 0.794; without
    # certification 51,699 x 0.794154 = 41,056.96 -> 41,057.
    assert result.now.factors.location == Decimal("0.794")
    assert result.now.typical == Decimal(41057)
    assert "OEUM4800001000000292072" in result.now.factors.location_figure.describes


def test_an_area_without_its_own_spread_takes_the_nations(reference):
    without = dataclasses.replace(reference, region_spreads={})
    state = _State(frozenset({"CPC"}), frozenset(), Decimal(0))

    salary = salary_for(without, Profile(region="texas"), state)

    # 64,712 x 0.931150 = 60,256.57 -> 60,257; the nation's spread: 55,031.77 x 0.931150 = 51,242.83 -> 51,243;
    # 82,022.52 x 0.931150 = 76,375.26 -> 76,375.
    assert (salary.low, salary.typical, salary.high) == (Decimal(51243), Decimal(60257), Decimal(76375))
    assert [f.value for f in salary.factors.range_from] == [Decimal(43490), Decimal(51140), Decimal(64820)]
