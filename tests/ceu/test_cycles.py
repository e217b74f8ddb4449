"""Cycles and requirements as the issuing bodies' rules say (ceu.cycles, plain data)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceu import cycles as cycles_module
from ceu.cycles import (
    Cycle,
    Entry,
    Holding,
    Minimum,
    MinimumProgress,
    cycles,
    renewed_end,
    required_ceus,
    threshold_crossed,
)

D = dt.date
AAPC = {"body": "AAPC", "method": "by_count", "cycle_months": 24, "ceus_by_count": (36, 40, 44, 48, 52)}
AHIMA = {
    "body": "AHIMA",
    "method": "highest_plus_additional",
    "cycle_months": 24,
    "additional_per_credential": 10,
    "maximum_ceus": 50,
}


AUDITING = Minimum("related to auditing", ceus=16, category="auditing")
AHIMA_SHARE = Minimum("from AHIMA", share_percent=40, sourced=True, per_body=True, effective_from=dt.date(2025, 1, 1))


def aapc(id, code, earned, cycle_ends_on=None, **extra):
    return Holding(id=id, code=code, earned_on=earned, cycle_ends_on=cycle_ends_on, **AAPC | extra)


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
    cpc, cpma = aapc(1, "CPC", D(2025, 1, 1)), aapc(2, "CPMA", D(2025, 1, 1), minimums=(AUDITING,))
    entries = [
        Entry(D(2025, 6, 1), Decimal(10), frozenset({1}), "auditing"),  # auditing, but not logged for the CPMA
        Entry(D(2025, 7, 1), Decimal(6), frozenset({2}), "auditing"),
        Entry(D(2025, 7, 2), Decimal(3), frozenset({2}), "general"),  # the CPMA's, but not on auditing
        Entry(D(2024, 12, 31), Decimal(99), frozenset({1})),  # before the cycle
        Entry(D(2027, 2, 1), Decimal(99), frozenset({1})),  # after it
    ]

    by_code = {c.holding.code: c for c in cycles([cpc, cpma], entries, today=D(2025, 8, 1))}

    assert by_code["CPC"].logged == 19 and by_code["CPC"].remaining == 21  # 2 AAPC credentials: 40
    (auditing,) = by_code["CPMA"].minimums
    assert (auditing.required, auditing.logged, auditing.remaining) == (16, 6, 10)
    assert by_code["CPC"].minimums == ()


def test_unconfirmed_rules_have_no_cycle_until_the_person_enters_one():
    (cycle,) = cycles([Holding(1, "CCDS", "ACDIS", D(2025, 1, 1), None, "unconfirmed", None)], [], today=D(2025, 6, 1))

    assert cycle.end is None and cycle.required is None and not cycle.is_short


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [(120, None), (91, None), (90, 90), (75, 90), (60, 60), (31, 60), (25, 30), (7, 7), (0, 7), (-1, 0), (-40, 0)],
)
def test_threshold_crossed_catches_up_missed_days(days_left, threshold):
    assert threshold_crossed(days_left) == threshold


# Any stored date, even outside the site's range (rows from before it was checked) -----------------

ANY_MONTHS = st.sampled_from([None, 0, 12, 24, 36])


@pytest.mark.parametrize(
    ("earned", "entered", "expected_end"),
    [
        (D(2023, 1, 1), D(1, 1, 1), D(1, 1, 1)),  # an entered end always wins, even year 1
        (D(2023, 1, 1), D.max, D.max),
        (D(1, 1, 1), None, D(2027, 1, 1)),  # estimated: counted in whole cycles from year 1
        (D(1, 1, 31), None, D(2027, 1, 31)),
        (D.max, None, D.max),  # a first cycle ending after 9999 ends on the last day there is
        (D(9998, 6, 1), None, D.max),
        (D(1900, 1, 1), None, D(2028, 1, 1)),
        (D(2024, 2, 29), None, D(2028, 2, 29)),  # counted from the anchor: back to a 29 Feb
        (D(2024, 11, 25), None, D(2026, 11, 25)),  # a cycle ending today is still current
        (D(2024, 11, 24), None, D(2028, 11, 24)),  # one that ended yesterday is not
    ],
)
def test_the_cycle_end_for_stored_dates_at_the_edges(earned, entered, expected_end):
    (cycle,) = cycles([aapc(1, "CPC", earned, cycle_ends_on=entered)], [], today=D(2026, 11, 25))

    assert cycle.end == expected_end
    assert cycle.end_entered is (entered is not None)


@pytest.mark.parametrize(
    ("end", "expected_start"),
    [(D(1, 1, 1), D(1, 1, 1)), (D(1, 6, 30), D(1, 1, 1)), (D(2027, 1, 31), D(2025, 1, 31)), (D.max, D(9997, 12, 31))],
)
def test_the_cycle_start_is_one_cycle_before_the_end_and_never_before_year_one(end, expected_start):
    (cycle,) = cycles([aapc(1, "CPC", D(1, 1, 1), cycle_ends_on=end)], [], today=D(2026, 11, 25))

    assert cycle.start == expected_start


@given(
    earned=st.dates(),
    entered=st.one_of(st.none(), st.dates()),
    months=ANY_MONTHS,
    today=st.dates(),
    entry_day=st.dates(),
)
def test_cycles_never_raise_for_any_dates(earned, entered, months, today, entry_day):
    holding = aapc(1, "CPC", earned, cycle_ends_on=entered, cycle_months=months)

    (cycle,) = cycles([holding], [Entry(entry_day, Decimal(1), frozenset({1}))], today)

    if entered is not None:
        assert cycle.end == entered
    elif months:
        assert cycle.end >= today and cycle.start <= cycle.end  # the estimate is the cycle around today
    else:
        assert cycle.end is None and cycle.start is None
    assert cycle.logged == (1 if cycle.contains(entry_day) else 0)


@pytest.mark.parametrize(
    ("end", "months", "expected"),
    [
        (D(2026, 12, 20), 24, D(2028, 12, 20)),
        (D(2026, 12, 20), None, D(2028, 12, 20)),  # no length in the rule: two years
        (D(2026, 12, 20), 12, D(2027, 12, 20)),
        (D(2024, 2, 29), 24, D(2026, 2, 28)),
        (D(2098, 12, 31), 24, D(2100, 12, 31)),
        (D(9999, 12, 31), 24, D.max),
    ],
)
def test_renewing_moves_the_end_one_cycle_on(end, months, expected):
    assert renewed_end(end, months) == expected


# Fixed values for what the rules above leave open ------------------------------------------------


def test_a_holding_without_rule_figures_has_none():
    holding = Holding(1, "CCDS", "ACDIS", D(2025, 1, 1), None, "unconfirmed", None)

    assert holding.ceus_by_count == () and holding.minimums == ()
    assert (holding.additional_per_credential, holding.maximum_ceus) == (None, None)
    assert holding.ceus_single is None


@pytest.mark.parametrize(
    "value",
    [
        aapc(1, "CPC", D(2025, 1, 1)),
        Entry(D(2025, 1, 1), Decimal(1), frozenset({1})),
        cycles([aapc(1, "CPC", D(2025, 1, 1))], [], today=D(2025, 6, 1))[0],
        AUDITING,
        MinimumProgress(AUDITING, Decimal(16), Decimal(4)),
    ],
    ids=["holding", "entry", "cycle", "minimum", "minimum progress"],
)
def test_holdings_entries_and_cycles_are_values_that_cannot_change(value):
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, dataclasses.fields(value)[0].name, 2)  # any field: the instances are frozen


def test_an_unconfirmed_rule_has_no_requirement_even_with_counts_filled_in():
    holding = Holding(1, "CCDS", "ACDIS", D(2025, 1, 1), None, "unconfirmed", None, ceus_by_count=(36,))

    assert required_ceus([holding]) is None


def test_without_an_additional_figure_the_highest_single_requirement_counts():
    holdings = [ahima(1, "CCS", D(2024, 1, 1), 20, additional_per_credential=None), ahima(2, "RHIT", D(2024, 1, 1), 30)]

    assert required_ceus(holdings) == 30


def test_an_entered_end_of_an_unconfirmed_rule_counts_ceus_from_the_day_earned():
    holding = Holding(1, "CCDS", "ACDIS", D(2025, 3, 1), D(2027, 3, 1), "unconfirmed", None)
    entries = [Entry(D(2025, 2, 28), Decimal(5), frozenset({1})), Entry(D(2025, 3, 1), Decimal(2), frozenset({1}))]

    (cycle,) = cycles([holding], entries, today=D(2026, 1, 1))

    assert (cycle.start, cycle.end, cycle.logged) == (D(2025, 3, 1), D(2027, 3, 1), 2)


def test_ceus_logged_toward_another_bodys_credential_do_not_count():
    cpc, ccs = aapc(1, "CPC", D(2025, 1, 1)), ahima(2, "CCS", D(2025, 1, 1), 20)
    entries = [Entry(D(2025, 6, 1), Decimal(4), frozenset({2})), Entry(D(2025, 6, 2), Decimal(1), frozenset())]

    by_code = {c.holding.code: c for c in cycles([cpc, ccs], entries, today=D(2025, 8, 1))}

    assert by_code["CPC"].logged == 0 and by_code["CCS"].logged == 4


@pytest.mark.parametrize(
    ("logged", "specific", "short"),
    [(36, 16, False), (35, 16, True), (36, 15, True), (0, 0, True)],
)
def test_a_cycle_is_short_of_ceus_overall_or_of_its_specific_goal(logged, specific, short):
    cpma = aapc(1, "CPMA", D(2025, 1, 1), minimums=(AUDITING,), ceus_by_count=(36, 36))
    entries = [
        Entry(D(2025, 6, 1), Decimal(logged - specific), frozenset({2})),  # another AAPC credential of the person
        Entry(D(2025, 6, 2), Decimal(specific), frozenset({1}), "auditing"),
    ]
    other = aapc(2, "CPC", D(2025, 1, 1))

    by_code = {c.holding.code: c for c in cycles([cpma, other], entries, today=D(2025, 8, 1))}

    assert by_code["CPMA"].is_short is short


@pytest.mark.parametrize(
    ("logged", "required", "percent"),
    [("9", 36, 25), ("35", 36, 97), ("0.5", 36, 1), ("36", 36, 100), ("37", 36, 100), ("0", 36, 0), ("5", None, 0)],
)
def test_percent_is_the_share_logged_in_whole_percent_capped_at_100(logged, required, percent):
    holding = aapc(1, "CPC", D(2025, 1, 1), ceus_by_count=(required,) if required else ())
    entries = [Entry(D(2025, 6, 1), Decimal(logged), frozenset({1}))]

    (cycle,) = cycles([holding], entries, today=D(2025, 8, 1))

    assert cycle.percent == percent


# Minimums inside the total -------------------------------------------------------------------------


def test_each_specialty_credential_needs_its_own_specialty_ceus():
    specialty = Minimum("specialty-specific", ceus=8, category="specialty")
    ccc, cosc = (
        aapc(1, "CCC", D(2025, 1, 1), minimums=(specialty,)),
        aapc(2, "COSC", D(2025, 1, 1), minimums=(specialty,)),
    )
    entries = [
        # A pre-approved specialty CEU counts toward one specialty and one core credential at once.
        Entry(D(2025, 3, 1), Decimal(8), frozenset({1}), "specialty"),
        Entry(D(2025, 3, 2), Decimal(5), frozenset({2}), "specialty"),
    ]

    by_code = {c.holding.code: c for c in cycles([ccc, cosc], entries, today=D(2025, 8, 1))}

    assert by_code["CCC"].short_minimums == [] and by_code["CCC"].minimums[0].percent == 100
    assert [(m.remaining, m.minimum.topic) for m in by_code["COSC"].short_minimums] == [(3, "specialty-specific")]


@pytest.mark.parametrize(
    ("held", "required"),
    [(["CCS"], 8), (["CCS", "CCA"], 12), (["RHIA", "CCS", "CCA"], 20)],
)
def test_ahimas_share_from_ahima_or_affiliates_is_forty_percent_of_the_bodys_requirement(held, required):
    singles = {"CCS": 20, "CCA": 20, "RHIA": 30}
    holdings = [ahima(i, code, D(2025, 2, 1), singles[code], minimums=(AHIMA_SHARE,)) for i, code in enumerate(held)]
    entries = [
        Entry(D(2025, 3, 1), Decimal(5), frozenset({0}), "hiim", True),
        Entry(D(2025, 3, 2), Decimal(30), frozenset({len(held) - 1}), "hiim", False),  # not from AHIMA
    ]

    for cycle in cycles(holdings, entries, today=D(2025, 8, 1)):
        (share,) = cycle.minimums
        assert (share.required, share.logged, share.remaining) == (required, 5, required - 5)


def test_ahimas_share_binds_only_cycles_ending_from_2025():
    holding = dataclasses.replace(
        ahima(1, "CCS", D(2022, 6, 1), 20, minimums=(AHIMA_SHARE,)), cycle_ends_on=D(2024, 6, 1)
    )

    (cycle,) = cycles([holding], [Entry(D(2023, 1, 1), Decimal(20), frozenset({1}))], today=D(2024, 5, 1))

    assert cycle.minimums == () and not cycle.is_short


def test_a_share_of_an_unknown_requirement_is_left_out():
    holding = Holding(1, "CCDS", "ACDIS", D(2025, 1, 1), None, "unconfirmed", None, minimums=(AHIMA_SHARE,))

    (cycle,) = cycles([holding], [], today=D(2025, 6, 1))

    assert cycle.minimums == ()


def test_a_share_rounds_up_to_the_hundredth():
    share = Minimum("x", share_percent=40)

    assert share.required(33) == Decimal("13.20") and Minimum("x", share_percent=33).required(10) == Decimal("3.30")
    assert Minimum("x", share_percent=33).required(1) == Decimal("0.33")


def test_ahimas_share_binds_a_cycle_ending_on_its_first_day():
    """The share applies to cycles ending on or after 2025-01-01: the last day of 2024 is free of it."""
    holding = ahima(1, "CCS", D(2022, 6, 1), 20, minimums=(AHIMA_SHARE,))

    for end, applies in [(D(2025, 1, 1), True), (D(2024, 12, 31), False)]:
        (cycle,) = cycles([dataclasses.replace(holding, cycle_ends_on=end)], [], today=D(2024, 6, 1))
        assert [m.required for m in cycle.minimums] == ([Decimal(8)] if applies else [])


@pytest.mark.parametrize(
    ("logged", "required", "percent"),
    [("8", 16, 50), ("50", 99, 50), ("20", 16, 100), ("16", 16, 100), ("0", 16, 0), ("3", 0, 100)],
)
def test_a_minimums_percent_is_the_share_logged_in_whole_percent_capped_at_100(logged, required, percent):
    """50 of 99 is 50.5 % -> 50; more than required stays at 100; a minimum of nothing is met."""
    assert MinimumProgress(AUDITING, Decimal(required), Decimal(logged)).percent == percent


def test_what_a_minimum_and_a_holding_fill_in_when_left_out():
    """A minimum with only its topic counts any CEU of the credential itself, at any time; an entry with
    no category is general and not from the body."""
    minimum = Minimum("any CEU")
    holding = Holding(1, "CPC", "AAPC", D(2025, 1, 1), None, "by_count", 24)

    assert (minimum.ceus, minimum.share_percent, minimum.category, minimum.sourced, minimum.per_body) == (
        None,
        None,
        "",
        False,
        False,
    )
    assert minimum.effective_from is None and minimum.required(36) is None
    assert minimum.counts(Entry(D(2025, 1, 1), Decimal(1), frozenset({1}), "auditing", True))
    assert (holding.ceus_by_count, holding.additional_per_credential, holding.maximum_ceus) == ((), None, None)
    assert (holding.ceus_single, holding.minimums) == (None, ())
    cycle = Cycle(holding, D(2025, 1, 1), D(2026, 12, 31), False, 36, Decimal(36))
    assert (cycle.minimums, cycle.short_minimums, cycle.is_short) == ((), [], False)
    assert (
        Entry(D(2025, 1, 1), Decimal(1), frozenset()).category,
        Entry(D(2025, 1, 1), Decimal(1), frozenset()).sourced,
    ) == ("", False)


def test_every_annotation_of_the_cycle_rules_names_real_types():
    """Annotations are strings until read (PEP 563): each is read here, as dataclasses.fields' types are."""
    for value in vars(cycles_module).values():
        if getattr(value, "__module__", None) == "ceu.cycles" and callable(value):
            typing.get_type_hints(value)


def test_a_minimum_that_does_not_apply_leaves_the_next_one_counted():
    """A cycle ending in 2024: AHIMA's share (from 2025) is left out, the credential's own 4 CEUs are not."""
    own = Minimum("on coding", ceus=4, category="coding")
    holding = dataclasses.replace(
        ahima(1, "CCS", D(2022, 6, 1), 20, minimums=(AHIMA_SHARE, own)), cycle_ends_on=D(2024, 6, 1)
    )

    (cycle,) = cycles([holding], [Entry(D(2023, 1, 1), Decimal(3), frozenset({1}), "coding")], today=D(2024, 5, 1))

    assert [(m.minimum.topic, m.required, m.logged) for m in cycle.minimums] == [("on coding", 4, 3)]
