import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap.rules import add_months, apprentice_eligible_on, find_cycle

D = dt.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [(D(2024, 1, 31), 1, D(2024, 2, 29)), (D(2023, 1, 31), 1, D(2023, 2, 28)), (D(2024, 11, 15), 14, D(2026, 1, 15))],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_two_years_of_experience_without_education_credits():
    assert apprentice_eligible_on(D(2024, 3, 1), 0) == D(2026, 3, 1)


def test_each_education_credit_takes_off_one_year():
    assert apprentice_eligible_on(D(2024, 3, 1), 1) == D(2025, 3, 1)


def test_two_credits_need_no_experience_but_the_credential_itself():
    assert apprentice_eligible_on(None, 2, certified_on=D(2025, 6, 1)) == D(2025, 6, 1)


def test_never_before_the_person_is_certified():
    assert apprentice_eligible_on(D(2020, 1, 1), 0, certified_on=D(2025, 6, 1)) == D(2025, 6, 1)


def test_unknown_without_an_experience_start():
    assert apprentice_eligible_on(None, 1) is None


def test_more_than_two_credits_is_an_error():
    with pytest.raises(ValueError, match="0 to 2"):
        apprentice_eligible_on(D(2024, 1, 1), 3)


# add_months over the whole calendar -------------------------------------------------------------

MIN, MAX = dt.date.min, dt.date.max


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # 31 Jan + 1 month, leap year
        (D(2100, 1, 31), 1, D(2100, 2, 28)),  # 2100 is not a leap year
        (D(2000, 1, 31), 1, D(2000, 2, 29)),  # 2000 is
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # 29 Feb + 1 year
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2024, 2, 29), -1, D(2024, 1, 29)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2024, 12, 15), 1, D(2025, 1, 15)),  # over a year end
        (D(2025, 1, 15), -1, D(2024, 12, 15)),
        (D(2024, 1, 15), 11, D(2024, 12, 15)),
        (D(2024, 1, 15), 12, D(2025, 1, 15)),
        (D(2024, 1, 15), -12, D(2023, 1, 15)),
        (D(2024, 5, 31), 0, D(2024, 5, 31)),
        (D(1900, 1, 1), -1, D(1899, 12, 1)),
        (D(1900, 1, 1), 24, D(1902, 1, 1)),
        (D(2100, 12, 31), 1, D(2101, 1, 31)),
        (D(2100, 12, 31), 24, D(2102, 12, 31)),
        (D(1, 1, 1), 0, MIN),
        (D(1, 2, 28), -1, D(1, 1, 28)),
        (D(1, 1, 31), -1, MIN),  # before year 1: the first date there is
        (D(1, 6, 15), -24, MIN),
        (D(9999, 11, 30), 1, D(9999, 12, 30)),
        (D(9999, 12, 31), 1, MAX),  # after year 9999: the last date there is
        (D(9999, 12, 31), 24, MAX),
        (D(9998, 12, 31), 12, D(9999, 12, 31)),
        (MIN, -(10**9), MIN),
        (MAX, 10**9, MAX),
    ],
)
def test_add_months_at_the_edges_of_the_calendar(day, months, expected):
    assert add_months(day, months) == expected


@given(day=st.dates(), months=st.integers(min_value=-130_000, max_value=130_000))
def test_add_months_never_raises_and_keeps_the_day_or_the_months_end(day, months):
    result = add_months(day, months)

    target = day.year * 12 + day.month - 1 + months
    if target < dt.MINYEAR * 12:
        assert result == MIN
    elif target > dt.MAXYEAR * 12 + 11:
        assert result == MAX
    else:
        assert result.year * 12 + result.month - 1 == target
        assert result.day == min(day.day, calendar.monthrange(result.year, result.month)[1])


@given(day=st.dates(), months=st.integers(min_value=-130_000, max_value=130_000), more=st.integers(0, 130_000))
def test_add_months_never_goes_back_when_more_months_are_added(day, months, more):
    assert add_months(day, months) <= add_months(day, months + more)


# The apprentice designation: the day itself ------------------------------------------------------


@pytest.mark.parametrize(
    ("started", "credits", "certified", "eligible"),
    [
        (D(2024, 3, 1), 0, None, D(2026, 3, 1)),
        (D(2024, 3, 1), 1, None, D(2025, 3, 1)),
        (D(2024, 2, 29), 0, None, D(2026, 2, 28)),  # two years from a 29 Feb: the end of February
        (D(2024, 1, 31), 1, None, D(2025, 1, 31)),
        (D(2024, 3, 1), 0, D(2026, 3, 1), D(2026, 3, 1)),  # certified on the very day
        (D(2024, 3, 1), 0, D(2026, 3, 2), D(2026, 3, 2)),  # certified a day later: that day
        (D(2024, 3, 1), 0, D(2026, 2, 28), D(2026, 3, 1)),  # certified earlier: experience decides
        (None, 2, D(2025, 6, 1), D(2025, 6, 1)),
        (D(2020, 1, 1), 2, D(2025, 6, 1), D(2025, 6, 1)),  # two credits: experience does not matter
        (None, 2, None, None),
        (D(1900, 1, 1), 0, None, D(1902, 1, 1)),
        (D(2100, 12, 31), 0, None, D(2102, 12, 31)),
        (D(9999, 12, 31), 0, None, MAX),  # stored before dates were checked: no error
        (D(9998, 6, 1), 0, None, MAX),
        (D(1, 1, 1), 0, None, D(3, 1, 1)),
    ],
)
def test_the_apprentice_designation_can_be_removed_on_the_day_itself(started, credits, certified, eligible):
    assert apprentice_eligible_on(started, credits, certified_on=certified) == eligible


@pytest.mark.parametrize("credits", [-1, 3])
def test_education_credits_outside_zero_to_two_are_an_error(credits):
    with pytest.raises(ValueError, match=f"0 to 2, not {credits}"):
        apprentice_eligible_on(D(2024, 1, 1), credits)


@given(started=st.dates(), credits=st.integers(0, 2), certified=st.one_of(st.none(), st.dates()))
def test_apprentice_eligibility_never_raises_and_is_never_before_certification(started, credits, certified):
    day = apprentice_eligible_on(started, credits, certified_on=certified)

    if certified is not None:
        assert day >= certified
    if credits < 2:
        assert day >= started


def test_without_credits_given_two_years_of_experience_are_needed():
    assert apprentice_eligible_on(D(2024, 3, 1)) == D(2026, 3, 1)


def test_the_error_names_the_allowed_credits_and_the_given_number():
    with pytest.raises(ValueError) as error:
        apprentice_eligible_on(D(2024, 1, 1), 3)

    assert str(error.value) == "education_credits must be 0 to 2, not 3."


# Prerequisite graphs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "edges",
    [
        {},
        {"a": []},
        {"b": ["a"], "a": []},
        {"d": ["b", "c"], "b": ["a"], "c": ["a"], "a": []},  # a diamond: "a" is reached twice, no cycle
        {"c": ["b"], "b": ["a"]},  # a prerequisite without an entry of its own
    ],
)
def test_an_acyclic_graph_has_no_cycle(edges):
    assert find_cycle(edges) is None


@pytest.mark.parametrize(
    ("edges", "cycle"),
    [
        ({"a": ["a"]}, ["a", "a"]),
        ({"a": ["b"], "b": ["a"]}, ["a", "b", "a"]),
        ({"x": ["a"], "a": ["b"], "b": ["c"], "c": ["a"]}, ["a", "b", "c", "a"]),  # the path into it is left out
        ({"ok": [], "x": ["ok", "y"], "y": ["x"]}, ["x", "y", "x"]),  # found after a finished branch
        ({"d": ["b", "c"], "b": ["a"], "c": ["a"], "a": ["d"]}, ["d", "b", "a", "d"]),
    ],
)
def test_a_cycle_is_returned_from_its_first_step_back_to_it(edges, cycle):
    assert find_cycle(edges) == cycle
