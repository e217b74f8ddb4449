"""Best next steps across roadmaps, order independence of an end state, and the ORM adapters' query bounds."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from content.models import Region
from content.selectors import ARTICLE_WAGES
from roadmap.models import Roadmap
from roadmap.projection import Plan, PlanStep, Profile, ProjectionError, best_next_steps, project, salary_after
from roadmap.projection_inputs import default_plans, load_reference, plan_for, profile_for, read_reference
from roadmap.projection_views import result_context

NEUTRAL = Profile()


@pytest.fixture
def reference(ladder):
    return load_reference()


@pytest.fixture
def plans(ladder):
    return default_plans()


def test_loading_the_reference_takes_four_queries(ladder, django_assert_num_queries):
    with django_assert_num_queries(4):
        reference = load_reference()

    # The current edition, BLS OEWS May 2025: the national mean is known, so the factors are exact.
    assert reference.national_mean.value == Decimal(56790) and "May 2025" in reference.national_mean.source
    assert reference.national_median.value == Decimal(51140)
    assert not reference.location_is_approximate
    assert reference.edition == "BLS OEWS May 2025"
    with django_assert_num_queries(0):
        assert load_reference() is reference  # kept while the data's edition stands


def test_the_articles_edition_takes_three_queries_and_stays_approximate(ladder, django_assert_num_queries):
    with django_assert_num_queries(3):  # no release to read
        reference = read_reference(wages=ARTICLE_WAGES)

    assert reference.national_mean is None  # the national mean row exists but is not entered yet
    assert reference.national_median.value == Decimal(48780)
    assert reference.location_is_approximate
    assert reference.edition == "BLS OEWS May 2023"
    assert reference.region_spreads == {} and reference.spread.middle.value == Decimal(61168)  # Salary.com's


def test_every_default_roadmap_loads_in_three_queries(ladder, django_assert_num_queries):
    with django_assert_num_queries(3):
        plans = default_plans()

    assert [plan.key for plan in plans] == list(Roadmap.objects.filter(is_default=True).values_list("key", flat=True))
    assert plans[0].steps[1].requires == ("certificate",)


def test_a_roadmap_fetched_with_its_steps_becomes_a_plan_without_a_query(ladder, django_assert_num_queries):
    roadmap = Roadmap.objects.get(key="outpatient-aapc")
    steps = list(roadmap.steps.select_related("credential", "role", "education").prefetch_related("prerequisites"))

    with django_assert_num_queries(0):
        plan = plan_for(roadmap, steps=steps)

    assert plan == plan_for(roadmap)


def test_a_profile_in_the_nation_row_is_the_national_profile(ladder):
    class AccountProfile:  # what accounts.Profile offers
        region = Region.objects.get(key="us")
        region_id = region.pk
        work_setting = None
        work_setting_id = None

    person = profile_for(AccountProfile(), {"CPC"}, Decimal(2), set())

    assert person == Profile(region=None, years=Decimal(2), credentials=frozenset({"CPC"}))


def test_the_apprentice_is_not_counted_the_jump_comes_with_the_full_cpc(reference):
    apprentice = salary_after(reference, NEUTRAL, [PlanStep("a", "A", "credential", credential="CPC-A")])
    certified = salary_after(
        reference, Profile(credentials=frozenset({"CPC-A"})), [PlanStep("c", "C", "credential", credential="CPC")]
    )

    assert apprentice.typical == Decimal(51699)
    assert certified.typical == Decimal(64712)
    assert certified.factors.credentials_held == 1  # the CPC replaced the CPC-A


def test_every_number_of_a_salary_traces_to_its_figures(ladder):
    reference = read_reference(wages=ARTICLE_WAGES)
    salary = salary_after(reference, Profile(region="ca"), [PlanStep("c", "C", "credential", credential="CPC")])
    factors = salary.factors
    spread = reference.spread

    assert factors.base[0].value == Decimal(64712) and "AAPC" in factors.base[0].source
    assert factors.location_figure.value == Decimal(64360) and "BLS" in factors.location_figure.source
    location = Decimal(64360) / Decimal(48780)
    assert salary.typical == (Decimal(64712) * location).quantize(Decimal(1))
    assert salary.low == (Decimal(64712) * spread.low.value / spread.middle.value * location).quantize(Decimal(1))
    assert salary.high == (Decimal(64712) * spread.high.value / spread.middle.value * location).quantize(Decimal(1))


def test_every_number_of_a_salary_in_the_current_edition_traces_to_its_bls_series(reference):
    salary = salary_after(reference, Profile(region="ca"), [PlanStep("c", "C", "credential", credential="CPC")])
    factors = salary.factors
    low, middle, high = factors.range_from  # California's own spread, not the nation's

    assert factors.base[0].value == Decimal(64712) and "AAPC" in factors.base[0].source
    assert factors.location_figure.value == Decimal(68230)
    assert (
        "May 2025" in factors.location_figure.source and "OEUS0600000000000292072" in factors.location_figure.describes
    )
    assert (low.value, middle.value, high.value) == (Decimal(49000), Decimal(61810), Decimal(80630))
    assert all("OEUS0600000000000292072" in figure.describes for figure in factors.range_from)
    location = Decimal(68230) / Decimal(56790)
    assert salary.typical == (Decimal(64712) * location).quantize(Decimal(1))
    assert salary.low == (Decimal(64712) * Decimal(49000) / Decimal(61810) * location).quantize(Decimal(1))
    assert salary.high == (Decimal(64712) * Decimal(80630) / Decimal(61810) * location).quantize(Decimal(1))
    assert not factors.approximate


def test_the_same_end_state_gives_the_same_salary_whatever_the_order(reference, plans):
    for plan in plans:
        for order in itertools.islice(itertools.permutations(plan.steps), 24):
            assert salary_after(reference, NEUTRAL, order, years=Decimal(12)) == salary_after(
                reference, NEUTRAL, plan.steps, years=Decimal(12)
            )


def test_best_next_steps_for_a_beginner_rank_the_shortest_way_to_a_raise_first(reference, plans):
    best = best_next_steps(reference, NEUTRAL, plans)

    assert len(best) == 3
    assert best[0].step.key == "certificate" and best[0].plan_key == "inpatient-certificate"
    assert "Earn the CCS" in best[0].reason and "$16,301 a year" in best[0].reason
    assert [b.horizon_gain for b in best] == sorted((b.horizon_gain for b in best), reverse=True)
    # The certificate opens two roadmaps; it is offered once.
    assert len({(b.step.credential, b.step.role, b.step.education) for b in best}) == len(best)


def test_best_next_steps_rank_by_gain_per_month_where_the_duration_is_known(reference):
    quick = PlanStep("quick", "Quick course", "credential", credential="CPC", typical_months=6)
    slow = PlanStep("slow", "Slow course", "credential", credential="COC", typical_months=60)
    plan = Plan("p", "P", (quick, slow))

    best = best_next_steps(reference, Profile(credentials=frozenset({"CPC-A"})), [plan])

    # The COC pays more a year, but the CPC pays far more for each month of effort.
    assert [b.step.key for b in best] == ["quick", "slow"]
    assert best[0].gain_per_month == ((Decimal(64712) - Decimal(51699)) / 6).quantize(Decimal(1))
    assert "$2,169 a year for each month" in best[0].reason


def test_a_working_coder_is_pointed_at_a_specialty_credential(reference, plans):
    best = best_next_steps(reference, Profile(credentials=frozenset({"CPC"}), years=Decimal(3)), plans)

    assert best[0].step.key == "specialty"
    assert best[0].gain == Decimal(74896 - 64712)


def test_a_projection_with_a_cycle_is_refused_with_the_cycle_named(reference):
    plan = Plan(
        "c",
        "C",
        (
            PlanStep("a", "A", "role", requires=("c",)),
            PlanStep("b", "B", "role", requires=("a",)),
            PlanStep("c", "C", "role", requires=("b",)),
        ),
    )

    with pytest.raises(ProjectionError, match="cycle: a -> c -> b -> a"):
        project(reference, NEUTRAL, plan)


@pytest.mark.parametrize("horizon", [0, 41])
def test_a_horizon_out_of_range_is_refused(reference, plans, horizon):
    with pytest.raises(ProjectionError, match="horizon"):
        project(reference, NEUTRAL, plans[0], horizon_years=horizon)


def test_the_horizon_adds_up_year_by_year(reference, plans):
    result = project(reference, NEUTRAL, plans[0], horizon_years=10)

    assert result.horizon.following == sum(result.horizon.following_by_year)
    assert result.horizon.staying == sum(result.horizon.staying_by_year)
    # Nothing changes until the CPC (month 36); the CCC and CPMA have no known duration, so they come at once.
    assert result.horizon.following_by_year[:3] == result.horizon.staying_by_year[:3]
    assert result.horizon.following_by_year[3] == Decimal(83866)


def test_the_result_include_renders_on_its_own_for_the_dashboard(reference, plans):
    result = project(reference, Profile(credentials=frozenset({"CPC"})), plans[0])

    html = render_to_string("projection/_result.html", result_context(result))

    assert "Already behind you" in html and "<svg" in html
    assert "$74,896" in html  # the CCC step: the AAPC average for two certifications
    assert "Best next steps on this roadmap" in html
