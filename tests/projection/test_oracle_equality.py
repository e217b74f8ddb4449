"""The engine gives the same projections as the engine before its speed-up (``oracle_engine``), field by field.

The engine keeps what it works out between calls (a reference's tables, a roadmap's step order, a
person's salaries), so the comparisons run many projections through the same objects, in turn, as
a dashboard does. Every Decimal must be equal and written alike (``Decimal('2.0')`` is not ``Decimal('2')``),
so a page shows the same characters whichever engine made its numbers.
"""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.selectors import ARTICLE_WAGES
from roadmap import projection
from roadmap.projection import (
    Figure,
    Plan,
    PlanStep,
    Profile,
    ProjectionError,
    Reference,
    best_next_steps,
    project,
    salary_after,
    salary_for,
)
from roadmap.projection_inputs import default_plans, load_reference, read_reference

from . import oracle_engine as oracle

EDUCATION = ["certificate-program", "associate-degree", "bachelor-degree"]
EXAMPLES = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def plain(value):
    """A value as nested plain data: a dataclass as its class name and fields, a Decimal as its digits."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = tuple((field.name, plain(getattr(value, field.name))) for field in dataclasses.fields(value))
        return (type(value).__name__, fields)
    if isinstance(value, tuple | list):
        return tuple(plain(item) for item in value)
    if isinstance(value, Decimal):
        return ("Decimal", str(value))
    return value


def outcome(call):
    """What a call gives: its result as plain data, or the error it raises (type and message)."""
    try:
        return ("result", plain(call()))
    except (ProjectionError, oracle.ProjectionError) as error:
        return ("error", str(error))


def assert_same(engine_call, oracle_call):
    new, old = outcome(engine_call), outcome(oracle_call)
    assert new == old


def assert_same_projections(reference, profile, plans, done_by_plan, horizon):
    for plan in plans:
        done = done_by_plan.get(plan.key, frozenset())
        new = project(reference, profile, plan, done=done, horizon_years=horizon)
        old = oracle.project(reference, profile, plan, done=done, horizon_years=horizon)
        assert plain(new) == plain(old)
        assert new == dataclasses.replace(new)  # still an ordinary dataclass: equal to a copy made by its __init__
    for limit in (1, 3, 10):
        new = best_next_steps(reference, profile, plans, done=done_by_plan, horizon_years=horizon, limit=limit)
        old = oracle.best_next_steps(reference, profile, plans, done=done_by_plan, horizon_years=horizon, limit=limit)
        assert plain(new) == plain(old)


@pytest.fixture
def reference(ladder):
    return load_reference()


@pytest.fixture
def plans(ladder):
    return default_plans()


# --- Random references drawn from the real ladder, random people, every default roadmap ---------------


def sub_dict(draw, full: dict, *, min_size: int = 0) -> dict:
    keys = draw(st.lists(st.sampled_from(sorted(full, key=str)), unique=True, min_size=min_size)) if full else []
    return {key: full[key] for key in full if key in keys}


@st.composite
def references(draw, real: Reference) -> Reference:
    """The real reference with figures left out: credentials, roles, areas, count averages (0 up to
    some count, as the survey gives them), bands, the spread, the areas' own spreads; and sometimes no
    national mean (the factors then compare with the median), or another figure standing in for it."""
    counts_up_to = draw(st.integers(min_value=-1, max_value=max(real.aapc_count_averages)))
    first_band = draw(st.integers(min_value=0, max_value=len(real.bands) - 1))
    last_band = draw(st.integers(min_value=first_band + 1, max_value=len(real.bands)))
    national_mean = draw(st.none() | st.sampled_from([*real.region_means.values(), *real.setting_means.values()]))
    return dataclasses.replace(
        real,
        national_mean=national_mean,
        region_means=sub_dict(draw, real.region_means),
        setting_means=sub_dict(draw, real.setting_means),
        credential_figures=sub_dict(draw, real.credential_figures),
        role_figures=sub_dict(draw, real.role_figures),
        aapc_count_averages={n: f for n, f in real.aapc_count_averages.items() if n <= counts_up_to},
        bands=real.bands[first_band:last_band],
        aapc_credentials=frozenset(sub_dict(draw, dict.fromkeys(real.aapc_credentials))),
        replaces=sub_dict(draw, real.replaces),
        spread=draw(st.sampled_from([real.spread, None])),
        role_years=sub_dict(draw, real.role_years),
        region_spreads=sub_dict(draw, real.region_spreads),
    )


@st.composite
def profiles(draw, reference: Reference, codes: list[str]) -> Profile:
    years = draw(
        st.decimals(min_value=0, max_value=60, places=draw(st.integers(min_value=0, max_value=3)), allow_nan=False)
    )
    return Profile(
        region=draw(st.none() | st.sampled_from(sorted(reference.region_means))) if reference.region_means else None,
        work_setting=draw(st.none() | st.sampled_from(sorted(reference.setting_means)))
        if reference.setting_means
        else None,
        years=years,
        credentials=frozenset(draw(st.lists(st.sampled_from(codes), unique=True, max_size=4))),
        education=frozenset(draw(st.lists(st.sampled_from(EDUCATION), unique=True, max_size=2))),
    )


def done_sets(draw, plans: list[Plan]) -> dict[str, frozenset[str]]:
    return {
        plan.key: frozenset(draw(st.lists(st.sampled_from([s.key for s in plan.steps]), unique=True, max_size=3)))
        for plan in plans
    }


def all_codes(reference: Reference, plans: list[Plan]) -> list[str]:
    codes = set(reference.aapc_credentials) | set(reference.credential_figures) | set(reference.replaces)
    codes |= {step.credential for plan in plans for step in plan.steps if step.credential}
    return sorted(codes)


@EXAMPLES
@given(data=st.data())
def test_every_default_roadmap_projects_as_the_oracle_does(reference, plans, data):
    reference = data.draw(references(reference))
    profile = data.draw(profiles(reference, all_codes(reference, plans)))
    horizon = data.draw(st.sampled_from([1, 2, 10, 25, 40]))

    assert_same_projections(reference, profile, plans, done_sets(data.draw, plans), horizon)


@st.composite
def branching(draw, plan: Plan) -> Plan:
    """The roadmap with some prerequisites dropped and its steps listed in another order: a graph with
    branches, where the steps done need not come first and the way on from a step skips some."""
    steps = [
        dataclasses.replace(step, requires=tuple(draw(st.lists(st.sampled_from(step.requires), unique=True))))
        if step.requires
        else step
        for step in plan.steps
    ]
    return Plan(plan.key, plan.name, tuple(draw(st.permutations(steps))))


@EXAMPLES
@given(data=st.data())
def test_roadmaps_with_branches_project_as_the_oracle_does(reference, plans, data):
    plans = [data.draw(branching(plan)) for plan in plans]
    profile = data.draw(profiles(reference, all_codes(reference, plans)))

    assert_same_projections(reference, profile, plans, done_sets(data.draw, plans), data.draw(st.sampled_from([3, 10])))


@EXAMPLES
@given(data=st.data())
def test_the_salary_of_a_state_is_the_oracles(reference, plans, data):
    roles = frozenset(data.draw(st.lists(st.sampled_from(sorted(reference.role_years)), unique=True, max_size=2)))
    reference = data.draw(references(reference))
    codes = all_codes(reference, plans)
    profile = data.draw(profiles(reference, codes))
    years = data.draw(st.decimals(min_value=0, max_value=70, places=2, allow_nan=False))
    state = projection._State(frozenset(data.draw(st.lists(st.sampled_from(codes), unique=True))), roles, years)
    taken = data.draw(st.lists(st.sampled_from([step for plan in plans for step in plan.steps]), max_size=5))

    assert plain(salary_for(reference, profile, state)) == plain(
        oracle.salary_for(reference, profile, oracle._State(state.credentials, state.roles, state.years))
    )
    assert_same(
        lambda: salary_after(reference, profile, taken, years=years),
        lambda: oracle.salary_after(reference, profile, taken, years=years),
    )


# --- A fixed grid, so that equality does not rest on luck ----------------------------------------------

FIXED_PROFILES = [
    Profile(),
    Profile(years=Decimal("0.5")),
    Profile(region="nj", work_setting="hospitals", years=Decimal("4.25"), credentials=frozenset({"CPC-A"})),
    Profile(region="ca", years=Decimal("9.9"), credentials=frozenset({"CPC", "CCC"})),
    Profile(work_setting="physician-offices", years=Decimal("2.9"), credentials=frozenset({"RHIT", "CCS"})),
    Profile(region="trenton-nj", years=Decimal("19.5"), credentials=frozenset({"CPC", "COC", "CRC", "CPMA"})),
    Profile(region="al", years=Decimal("35"), education=frozenset({"associate-degree", "bachelor-degree"})),
    Profile(years=Decimal("60"), credentials=frozenset({"RHIA"}), education=frozenset({"certificate-program"})),
    Profile(region="texas", work_setting="hospitals", years=Decimal("1"), credentials=frozenset({"CCS"})),
    Profile(region="northwestern-region-of-texas-nonmetropolitan-area", work_setting="home-health-care"),
]


@pytest.mark.parametrize("profile", FIXED_PROFILES, ids=lambda profile: f"{profile.region}-{profile.years}")
@pytest.mark.parametrize("horizon", [1, 10, 40])
@pytest.mark.parametrize("wages", [None, ARTICLE_WAGES], ids=["current-edition", "article-edition"])
def test_a_fixed_grid_of_people_projects_as_the_oracle_does(ladder, plans, profile, horizon, wages):
    reference = read_reference(wages=wages)
    if profile.region not in (None, *reference.region_means):  # an area only the BLS release gives
        assert_same(lambda: project(reference, profile, plans[0]), lambda: oracle.project(reference, profile, plans[0]))
        assert outcome(lambda: project(reference, profile, plans[0]))[0] == "error"
        return
    nothing_done: dict[str, frozenset[str]] = {}
    first_done = {plan.key: frozenset({plan.steps[0].key}) for plan in plans}
    last_done = {plan.key: frozenset({plan.steps[-1].key}) for plan in plans}  # and so every step before it

    for done in (nothing_done, first_done, last_done):
        assert_same_projections(reference, profile, plans, done, horizon)


def test_the_same_people_again_and_again_in_any_order_project_as_the_oracle_does(reference, plans):
    """The engine keeps what it worked out per reference, roadmap and person: more people than it keeps,
    asked for in a shuffled order and each more than once, still project as the oracle does."""
    rng = random.Random(2026)
    codes = all_codes(reference, plans)
    people = [
        Profile(
            region=rng.choice([None, *reference.region_means]),
            work_setting=rng.choice([None, *reference.setting_means]),
            years=Decimal(rng.randint(0, 400)) / 10,
            credentials=frozenset(rng.sample(codes, rng.randint(0, 3))),
        )
        for _ in range(projection.PEOPLE_KEPT + 20)
    ]
    asked = people * 2
    rng.shuffle(asked)
    for profile in asked:
        plan = rng.choice(plans)
        assert plain(project(reference, profile, plan)) == plain(oracle.project(reference, profile, plan))


def test_more_places_than_the_engine_keeps_project_as_the_oracle_does(reference, plans, monkeypatch):
    """Each reference keeps the places in use (an area and a setting) up to a limit, then starts afresh:
    people in more places than that, asked for in turn and again, still project as the oracle does."""
    monkeypatch.setattr("roadmap.projection.salary.PLACES_KEPT", 3)
    rng = random.Random(15)
    areas = rng.sample(sorted(reference.region_means), 6)
    people = [Profile(region=area, work_setting=rng.choice([None, *reference.setting_means])) for area in areas]
    for profile in people * 2:
        plan = rng.choice(plans)
        assert plain(project(reference, profile, plan)) == plain(oracle.project(reference, profile, plan))


@pytest.mark.parametrize(
    ("profile", "plan", "horizon"),
    [
        (Profile(region="atlantis"), None, 10),
        (Profile(work_setting="moon-base"), None, 10),
        (Profile(years=Decimal(-1)), None, 10),
        (Profile(years=Decimal("60.1")), None, 10),
        (Profile(region="atlantis", years=Decimal(-1)), "cycle", 0),  # the first problem is named
        (Profile(), "cycle", 10),
        (Profile(), "unknown", 10),
        (Profile(), "duplicate", 10),
        (Profile(), None, 0),
        (Profile(), None, 41),
    ],
)
def test_inputs_the_engine_cannot_use_are_refused_as_the_oracle_refuses_them(reference, plans, profile, plan, horizon):
    broken = {
        None: plans[0],
        "cycle": Plan(
            "c", "C", (PlanStep("a", "A", "role", requires=("b",)), PlanStep("b", "B", "role", requires=("a",)))
        ),
        "unknown": Plan("u", "U", (PlanStep("a", "A", "role", requires=("zzz",)),)),
        "duplicate": Plan("d", "D", (PlanStep("a", "A", "role"), PlanStep("a", "A again", "role"))),
    }[plan]

    for _ in range(2):  # a refused profile or roadmap is not remembered as a good one
        assert_same(
            lambda: project(reference, profile, broken, horizon_years=horizon),
            lambda: oracle.project(reference, profile, broken, horizon_years=horizon),
        )
        assert_same(
            lambda: best_next_steps(reference, profile, [broken], horizon_years=horizon),
            lambda: oracle.best_next_steps(reference, profile, [broken], horizon_years=horizon),
        )
    assert outcome(lambda: project(reference, profile, broken, horizon_years=horizon))[0] == "error"


def test_a_national_mean_once_entered_makes_the_factors_exact_as_in_the_oracle(plans):
    article = read_reference(wages=ARTICLE_WAGES)  # the article's May 2023 figures, without the national mean
    entered = dataclasses.replace(article, national_mean=Figure(Decimal(50000), "BLS", "National mean"))
    profile = Profile(region="nj", work_setting="hospitals", years=Decimal(3))

    assert_same_projections(entered, profile, plans, {}, 10)
    assert project(entered, profile, plans[0]).now.factors.location == Decimal("1.417")  # 70,860 / 50,000
