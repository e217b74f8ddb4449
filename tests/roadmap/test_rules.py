import datetime as dt

import pytest

from roadmap.rules import add_months, apprentice_eligible_on

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
