"""The three AAPC routes to removing the "A" (roadmap.rules.apprentice_routes): plain dates in and out."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing

import pytest

from roadmap.rules import ApprenticeEvidence, ChecklistItem, RouteEstimate, apprentice_routes, earliest_route

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


def test_each_route_in_full_on_the_day_the_course_is_completed():
    """Experience from 2025-03-15, the course done on the day asked (2026-07-01: done that day), no
    letter and no Practicode yet: every route as the page shows it."""
    today = D(2026, 7, 1)
    evidence = ApprenticeEvidence(
        certified_on=CERTIFIED, experience_started_on=D(2025, 3, 15), course_completed_on=today
    )

    experience, both, education = apprentice_routes(evidence, today)

    started = ChecklistItem("Coding experience started (externships count)", D(2025, 3, 15), True)
    letter = ChecklistItem(
        "Employer verification letter: on letterhead, signed and dated, with start and end dates", None, False
    )
    assert experience == RouteEstimate(
        "experience",
        "Two years of coding experience",
        (started, ChecklistItem("Two years of experience reached", D(2027, 3, 15), False), letter),
        D(2027, 3, 15),
        (),
    )
    assert both == RouteEstimate(
        "experience_and_education",
        "One year of experience plus the 80-hour course or Practicode",
        (
            started,
            ChecklistItem("One year of experience reached", D(2026, 3, 15), True),
            letter,
            ChecklistItem("The 80-hour course or Practicode completed", today, True),
        ),
        today,
        (),
    )
    assert education == RouteEstimate(
        "education",
        "The 80-hour course plus Practicode",
        (
            ChecklistItem("80-contact-hour coding preparation course completed", today, True),
            ChecklistItem("AAPC's CPC-A Practicode program completed", None, False),
        ),
        None,
        ("Practicode",),
    )
    assert earliest_route((experience, both, education)) is both
    assert not both.complete  # the letter is still missing


def test_what_each_route_waits_for_when_nothing_is_recorded():
    routes = apprentice_routes(ApprenticeEvidence(certified_on=CERTIFIED), D(2026, 7, 1))

    assert [r.waiting_for for r in routes] == [
        ("the start of your coding experience",),
        ("the start of your coding experience", "the course or Practicode"),
        ("the 80-hour course", "Practicode"),
    ]
    assert earliest_route(routes) is None


def test_the_earliest_of_two_known_routes_is_the_one_eligible_first():
    evidence = ApprenticeEvidence(
        certified_on=CERTIFIED,
        experience_started_on=D(2024, 1, 1),
        course_completed_on=D(2026, 2, 1),
        practicode_completed_on=D(2026, 5, 1),
    )

    routes = apprentice_routes(evidence, D(2026, 7, 1))

    assert [r.eligible_on for r in routes] == [D(2026, 1, 1), D(2026, 2, 1), D(2026, 5, 1)]
    assert earliest_route(routes[::-1]).key == "experience"
    assert earliest_route(routes[1:]).key == "experience_and_education"


def test_routes_are_frozen_values_with_real_annotations():
    evidence = ApprenticeEvidence(certified_on=CERTIFIED)
    route = apprentice_routes(evidence, D(2026, 7, 1))[0]

    for value in [evidence, route, route.items[0]]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, dataclasses.fields(value)[0].name, None)
        typing.get_type_hints(type(value))
