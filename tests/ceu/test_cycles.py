"""Cycles and requirements as the issuing bodies' rules say (ceu.cycles, plain data)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ceu.cycles import Entry, Holding, cycles, required_ceus, threshold_crossed

D = dt.date
AAPC = {"body": "AAPC", "method": "by_count", "cycle_months": 24, "ceus_by_count": (36, 40, 44, 48, 52)}
AHIMA = {
    "body": "AHIMA",
    "method": "highest_plus_additional",
    "cycle_months": 24,
    "additional_per_credential": 10,
    "maximum_ceus": 50,
}


def aapc(id, code, earned, **extra):
    return Holding(id=id, code=code, earned_on=earned, cycle_ends_on=None, **AAPC | extra)


def ahima(id, code, earned, single, **extra):
    return Holding(id=id, code=code, earned_on=earned, cycle_ends_on=None, ceus_single=single, **AHIMA | extra)


@pytest.mark.parametrize(("count", "expected"), [(1, 36), (2, 40), (3, 44), (4, 48), (5, 52), (7, 52)])
def test_aapc_requirement_grows_with_the_number_held(count, expected):
    holdings = [aapc(i, f"C{i}", D(2024, 1, 1)) for i in range(count)]

    assert required_ceus(holdings) == expected


@pytest.mark.parametrize(
    ("singles", "expected"),
    [((20,), 20), ((20, 20), 30), ((30, 30), 40), ((30, 20, 20), 50), ((30, 30, 30, 30), 50)],
)
def test_ahima_requirement_is_the_highest_plus_ten_each_capped_at_fifty(singles, expected):
    holdings = [ahima(i, f"C{i}", D(2024, 1, 1), single) for i, single in enumerate(singles)]

    assert required_ceus(holdings) == expected


def test_aapc_credentials_share_one_cycle_and_a_new_one_joins_it_mid_cycle():
    cpc, ccc = aapc(1, "CPC", D(2025, 3, 10)), aapc(2, "CCC", D(2026, 1, 5))

    first, second = cycles([cpc, ccc], [], today=D(2026, 6, 1))

    assert first.end == second.end == D(2027, 3, 10)
    assert second.start == D(2026, 1, 5)  # CEUs from before it was earned do not count toward it
    assert first.required == 40


def test_ahima_initial_cycle_is_two_years_from_the_exam():
    (cycle,) = cycles([ahima(1, "CCS", D(2025, 4, 2), 20)], [], today=D(2025, 5, 1))

    assert (cycle.start, cycle.end, cycle.required) == (D(2025, 4, 2), D(2027, 4, 2), 20)


def test_an_estimated_cycle_rolls_on_but_an_entered_end_always_wins():
    (estimated,) = cycles([aapc(1, "CPC", D(2020, 3, 10))], [], today=D(2026, 6, 1))
    (entered,) = cycles(
        [Holding(1, "CPC", "AAPC", D(2020, 3, 10), D(2026, 1, 31), "by_count", 24, (36,))], [], today=D(2026, 6, 1)
    )

    assert estimated.end == D(2028, 3, 10) and not estimated.end_entered
    assert entered.end == D(2026, 1, 31) and entered.days_left(D(2026, 6, 1)) < 0


def test_logged_counts_entries_in_the_cycle_toward_the_bodys_credentials_and_sub_goals():
    cpc, cpma = aapc(1, "CPC", D(2025, 1, 1)), aapc(2, "CPMA", D(2025, 1, 1), specific_ceus=16)
    entries = [
        Entry(D(2025, 6, 1), Decimal(10), frozenset({1})),
        Entry(D(2025, 7, 1), Decimal(6), frozenset({2})),
        Entry(D(2024, 12, 31), Decimal(99), frozenset({1})),  # before the cycle
        Entry(D(2027, 2, 1), Decimal(99), frozenset({1})),  # after it
    ]

    by_code = {c.holding.code: c for c in cycles([cpc, cpma], entries, today=D(2025, 8, 1))}

    assert by_code["CPC"].logged == 16 and by_code["CPC"].remaining == 24  # 2 AAPC credentials: 40
    assert by_code["CPMA"].specific_logged == 6 and by_code["CPMA"].specific_remaining == 10


def test_unconfirmed_rules_have_no_cycle_until_the_person_enters_one():
    (cycle,) = cycles([Holding(1, "CCDS", "ACDIS", D(2025, 1, 1), None, "unconfirmed", None)], [], today=D(2025, 6, 1))

    assert cycle.end is None and cycle.required is None and not cycle.is_short


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [(120, None), (91, None), (90, 90), (75, 90), (60, 60), (31, 60), (25, 30), (7, 7), (0, 7), (-1, 0), (-40, 0)],
)
def test_threshold_crossed_catches_up_missed_days(days_left, threshold):
    assert threshold_crossed(days_left) == threshold
