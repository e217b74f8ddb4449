"""The three AAPC routes to removing the "A" (roadmap.rules.apprentice_routes): plain dates in and out."""

from __future__ import annotations

import datetime as dt

from roadmap.rules import ApprenticeEvidence, apprentice_routes, earliest_route

D = dt.date
CERTIFIED = D(2025, 9, 1)


def routes(**evidence):
    return {r.key: r for r in apprentice_routes(ApprenticeEvidence(certified_on=CERTIFIED, **evidence), D(2026, 7, 1))}


def test_two_years_of_experience_from_its_start():
    by_key = routes(experience_started_on=D(2025, 3, 15))

    assert by_key["experience"].eligible_on == D(2027, 3, 15)
    assert by_key["experience_and_education"].eligible_on is None
    assert by_key["experience_and_education"].waiting_for == ("the course or Practicode",)
    assert by_key["education"].waiting_for == ("the 80-hour course", "Practicode")


def test_one_year_plus_the_course_or_practicode_whichever_comes_first():
    by_key = routes(experience_started_on=D(2025, 3, 15), course_completed_on=D(2026, 5, 1))

    assert by_key["experience_and_education"].eligible_on == D(2026, 5, 1)  # one year reached on 2026-03-15
    assert earliest_route(tuple(by_key.values())).key == "experience_and_education"
    assert routes(experience_started_on=D(2025, 3, 15), practicode_completed_on=D(2025, 12, 1))[
        "experience_and_education"
    ].eligible_on == D(2026, 3, 15)


def test_the_course_plus_practicode_needs_no_experience_but_never_comes_before_certification():
    by_key = routes(course_completed_on=D(2025, 1, 10), practicode_completed_on=D(2025, 6, 1))

    assert by_key["education"].eligible_on == CERTIFIED
    assert by_key["education"].complete and not by_key["experience"].complete
    assert by_key["experience"].waiting_for == ("the start of your coding experience",)


def test_the_checklist_says_what_is_done_by_the_day_asked_and_what_lies_ahead():
    experience = routes(experience_started_on=D(2025, 3, 15), letter_received_on=D(2026, 6, 1))["experience"]

    assert [(item.done_on, item.done) for item in experience.items] == [
        (D(2025, 3, 15), True),
        (D(2027, 3, 15), False),  # ahead
        (D(2026, 6, 1), True),
    ]
    assert not experience.complete


def test_nothing_recorded_means_no_route_is_known():
    assert earliest_route(apprentice_routes(ApprenticeEvidence(certified_on=CERTIFIED), D(2026, 1, 1))) is None
