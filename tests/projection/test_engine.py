"""The projection engine on the real reference data: the article's figures and the invariants."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.selectors import ARTICLE_WAGES
from roadmap.models import Roadmap
from roadmap.projection import Plan, PlanStep, Profile, ProjectionError, project, salary_for, validate
from roadmap.projection import _State as State
from roadmap.projection_inputs import load_reference, plan_for, read_reference

NEUTRAL = Profile()


@pytest.fixture
def reference(ladder):
    return load_reference()


@pytest.fixture
def plans(ladder):
    return {roadmap.key: plan_for(roadmap) for roadmap in Roadmap.objects.all()}


def typical(reference, credentials=(), roles=(), years=0, profile=NEUTRAL) -> Decimal:
    state = State(frozenset(credentials), frozenset(roles), Decimal(years))
    return salary_for(reference, profile, state).typical


@pytest.mark.parametrize(
    ("credentials", "roles", "expected"),
    [
        ((), (), "51699"),  # without certification
        (("CPC",), (), "64712"),
        (("COC",), (), "70186"),
        (("CCS",), (), "68000"),
        (("RHIT",), (), "54000"),
        (("CPMA",), (), "81048"),
        (("CPC", "CCC"), (), "74896"),  # two AAPC credentials
        (("CPC", "CCC", "COSC"), (), "83866"),  # three or more
        (("CPC", "CCC", "COSC", "CRC"), (), "83866"),
        ((), ("coding-manager",), "85081"),
    ],
)
def test_a_neutral_profile_reproduces_the_articles_figures(reference, credentials, roles, expected):
    assert typical(reference, credentials, roles) == Decimal(expected)


def test_where_the_article_gives_only_a_range_the_projection_is_that_range(reference):
    salary = salary_for(reference, NEUTRAL, State(frozenset(), frozenset({"cdi-specialist"}), Decimal(0)))

    assert (salary.low, salary.high, salary.open_ended) == (Decimal(80000), Decimal(110000), True)
    assert salary.typical == Decimal(95000)  # the midpoint, as the method says


def test_the_national_reference_has_location_factor_one(reference):
    salary = salary_for(reference, NEUTRAL, State(frozenset({"CPC"}), frozenset(), Decimal(0)))

    assert salary.factors.location == 1 and salary.factors.setting == 1 and not salary.factors.approximate


def test_in_the_articles_edition_location_compares_the_areas_mean_with_the_national_median_and_says_it_is_approximate(
    ladder,
):
    reference = read_reference(wages=ARTICLE_WAGES)
    nj = Profile(region="nj")
    salary = salary_for(reference, nj, State(frozenset({"CPC"}), frozenset(), Decimal(0)))

    assert salary.factors.location == (Decimal(70860) / Decimal(48780)).quantize(Decimal("0.001"))
    assert salary.typical == (Decimal(64712) * Decimal(70860) / Decimal(48780)).quantize(Decimal(1))
    assert salary.factors.approximate


def test_location_compares_the_areas_mean_with_the_national_mean_of_the_same_edition_exactly(reference):
    nj = Profile(region="nj")
    salary = salary_for(reference, nj, State(frozenset({"CPC"}), frozenset(), Decimal(0)))

    # BLS OEWS May 2025: New Jersey 54,490 / the nation 56,790 = 0.95950... -> 0.959 as shown.
    assert salary.factors.location == Decimal("0.959")
    assert salary.typical == (Decimal(64712) * Decimal(54490) / Decimal(56790)).quantize(Decimal(1)) == Decimal(62091)
    assert not salary.factors.approximate


def test_experience_moves_a_person_through_the_bands(reference):
    assert typical(reference, years=0) == Decimal(51699)  # entry band low end 40,000 < the floor
    assert typical(reference, years=9) == Decimal(68000)  # top of the mid-career band
    assert typical(reference, years=10) == Decimal(69000)
    assert typical(reference, years=25) == Decimal(85000)  # open band stays at its low end


def test_projection_follows_the_outpatient_path(reference, plans):
    result = project(reference, NEUTRAL, plans["outpatient-aapc"])

    by_key = {s.step.key: s for s in result.steps}
    assert result.now.typical == Decimal(51699)
    # The apprentice CPC-A is not counted as a certification: the jump comes when the "-A" goes.
    assert by_key["cpc-a"].gain == 0
    assert by_key["cpc"].gain == Decimal(64712 - 51699)
    assert by_key["cpc"].months_from_now == 12 + 24  # the certificate, then two years as an apprentice
    assert by_key["specialty"].salary.typical == Decimal(74896)
    assert by_key["cpma"].salary.typical == Decimal(83866)
    # Auditors are in the 10-19 years band and coding managers in the 20+ band: those steps wait.
    assert (by_key["auditor"].months_from_now, by_key["auditor"].waits_months) == (120, 120 - 36)
    assert (by_key["coding-manager"].months_from_now, by_key["coding-manager"].waits_months) == (240, 120)
    assert by_key["coding-manager"].salary.typical == Decimal(85081)
    assert by_key["coding-manager"].cumulative_gain == Decimal(85081 - 51699)
    assert result.horizon.following > result.horizon.staying
    assert all(s.payback_months is None for s in result.steps)  # no costs recorded yet


def test_steps_already_taken_are_marked_done_with_their_prerequisites(reference, plans):
    result = project(reference, Profile(credentials=frozenset({"CPC"})), plans["outpatient-aapc"])

    done = [s.step.key for s in result.steps if s.done]
    assert done == ["certificate", "cpc-a", "coder-1", "cpc"]
    assert result.next_steps[0].step.key == "specialty"


def test_payback_is_cost_over_monthly_gain(reference):
    plan = Plan("p", "P", (PlanStep("exam", "Exam", "credential", credential="CPC", cost=Decimal(3000)),))

    step = project(reference, NEUTRAL, plan).steps[0]

    assert step.payback_months == (Decimal(3000) / ((Decimal(64712) - Decimal(51699)) / 12)).quantize(Decimal("0.1"))


@pytest.mark.parametrize(
    ("profile", "plan", "message"),
    [
        (Profile(region="atlantis"), None, "no salary figures for the area 'atlantis'"),
        (Profile(work_setting="moon-base"), None, "no salary figures for the work setting"),
        (Profile(years=Decimal(-1)), None, "cannot be negative"),
        (
            NEUTRAL,
            Plan("c", "C", (PlanStep("a", "A", "role", requires=("b",)), PlanStep("b", "B", "role", requires=("a",)))),
            "form a cycle",
        ),
        (NEUTRAL, Plan("m", "M", (PlanStep("a", "A", "role", requires=("zzz",)),)), "not in the roadmap"),
    ],
)
def test_bad_inputs_give_a_clear_error(reference, profile, plan, message):
    with pytest.raises(ProjectionError, match=message):
        validate(reference, profile, plan)


# Properties over many profiles.
CODES = ["CPC-A", "CPC", "COC", "CRC", "CCC", "COSC", "CPMA", "CCA", "CCS", "RHIT", "RHIA", "CDIP", "CCDS"]
# The article's areas, and areas only the BLS release gives: a state, a metro area, a nonmetro area.
REGIONS = [None, "dc", "nj", "ca", "md", "ma", "al", "ok", "trenton-nj", "san-jose-ca"]
REGIONS += ["texas", "abilene-tx", "northwestern-region-of-texas-nonmetropolitan-area"]
SETTINGS = [None, "hospitals", "physician-offices", "outpatient-care-centers", "nursing-care-facilities"]
SETTINGS += ["health-insurance-carriers", "home-health-care", "office-administrative-services"]
ROLES = [None, "coder-1", "auditor", "coding-manager", "cdi-specialist", "revenue-cycle-director"]
years_st = st.decimals(min_value=0, max_value=45, places=1)
credentials_st = st.frozensets(st.sampled_from(CODES), max_size=5)
profile_st = st.builds(Profile, region=st.sampled_from(REGIONS), work_setting=st.sampled_from(SETTINGS))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(profile=profile_st, credentials=credentials_st, role=st.sampled_from(ROLES), years=years_st)
def test_low_is_at_most_typical_is_at_most_high(reference, profile, credentials, role, years):
    salary = salary_for(reference, profile, State(credentials, frozenset({role} - {None}), years))

    assert salary.low <= salary.typical <= salary.high


@FAST
@given(profile=profile_st, credentials=credentials_st, extra=st.sampled_from(CODES), years=years_st)
def test_adding_a_credential_never_lowers_the_typical_projection(reference, profile, credentials, extra, years):
    before = salary_for(reference, profile, State(credentials, frozenset(), years)).typical
    after = salary_for(reference, profile, State(credentials | {extra}, frozenset(), years)).typical

    assert after >= before


@FAST
@given(profile=profile_st, credentials=credentials_st, years=years_st, more=years_st)
def test_projection_is_monotone_in_years_of_experience(reference, profile, credentials, years, more):
    young = salary_for(reference, profile, State(credentials, frozenset(), years))
    older = salary_for(reference, profile, State(credentials, frozenset(), years + more))

    assert (older.low, older.typical, older.high) >= (young.low, young.typical, young.high)
    assert older.low >= young.low and older.typical >= young.typical and older.high >= young.high


@FAST
@given(
    profile=profile_st,
    years=years_st,
    plan_key=st.sampled_from(["outpatient-aapc", "inpatient-ahima", "inpatient-certificate", "management-rhia"]),
)
def test_the_same_end_state_gives_the_same_projection_whatever_the_order(reference, plans, profile, years, plan_key):
    steps = plans[plan_key].steps
    profile = Profile(profile.region, profile.work_setting, years)
    finals = {
        project(reference, profile, Plan("p", "P", tuple(replace_requires(order)))).final.typical
        for order in itertools.islice(itertools.permutations(steps), 6)
    }
    assert len(finals) == 1


def replace_requires(steps):
    """The same steps taken in another order: drop prerequisites so any order is allowed."""
    from dataclasses import replace

    return [replace(step, requires=()) for step in steps]
