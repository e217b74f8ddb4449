"""Derived target dates stay inside the site's date range for any start date (schools.services)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.dates import LATEST_DATE
from schools.services import derived_targets

D = dt.date


def step(pk: int, months: int | None, kind: str, *requires) -> SimpleNamespace:
    return SimpleNamespace(
        pk=pk, order=pk, typical_months=months, kind=kind, prerequisites=SimpleNamespace(all=lambda: list(requires))
    )


FIRST = step(1, 6, "education")
SECOND = step(2, None, "credential", FIRST)  # no known duration: a credential is planned 3 months
THIRD = step(3, 120, "role", SECOND)
STEPS = [FIRST, SECOND, THIRD]


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (D(2026, 1, 31), {1: D(2026, 7, 31), 2: D(2026, 10, 31), 3: D(2036, 10, 31)}),
        (D(2025, 8, 31), {1: D(2026, 2, 28), 2: D(2026, 5, 31), 3: D(2036, 5, 31)}),
        (D(1900, 1, 1), {1: D(1900, 7, 1), 2: D(1900, 10, 1), 3: D(1910, 10, 1)}),
        (D(2095, 1, 1), {1: D(2095, 7, 1), 2: D(2095, 10, 1), 3: LATEST_DATE}),  # past 2100: the end of 2100
        (D(2100, 12, 31), {1: LATEST_DATE, 2: LATEST_DATE, 3: LATEST_DATE}),
        (D(9999, 12, 31), {1: LATEST_DATE, 2: LATEST_DATE, 3: LATEST_DATE}),  # stored before the range existed
    ],
)
def test_targets_follow_the_prerequisites_and_stop_at_the_end_of_2100(start, expected):
    assert derived_targets(STEPS, start) == expected


@given(start=st.dates())
def test_derived_targets_never_raise_and_never_leave_the_range(start):
    targets = derived_targets(STEPS, start)

    assert all(D(1900, 1, 1) <= day <= LATEST_DATE for day in targets.values())
    assert targets[1] <= targets[2] <= targets[3]
