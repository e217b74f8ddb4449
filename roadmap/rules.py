"""Plain rules of the ladder that need no database: dates in, dates out.

Sources: AAPC, "Complete your CPC or COC apprenticeship" (see content/data/sources.yaml,
key aapc-apprenticeship, and shared reference ceu-rules.md).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

APPRENTICE_EXPERIENCE_MONTHS = 24
MONTHS_PER_EDUCATION_CREDIT = 12
MAX_EDUCATION_CREDITS = 2


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (earlier when negative), clamped to the month's end
    (31 Jan + 1 month = 28/29 Feb).

    Never raises: a result before year 1 is ``date.min`` and one after year 9999 is ``date.max``, so
    a nonsense date stored before the site checked its range cannot break a page or the sweep.
    """
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    if year < dt.MINYEAR:
        return dt.date.min
    if year > dt.MAXYEAR:
        return dt.date.max
    month = month_index + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def apprentice_eligible_on(
    experience_started_on: dt.date | None,
    education_credits: int = 0,
    *,
    certified_on: dt.date | None = None,
) -> dt.date | None:
    """The day a CPC-A / COC-A can ask AAPC to remove the apprentice designation.

    Two years of verified coding experience are required; each education credit (at most two)
    stands for one year. Experience before and after certification counts. With two credits no
    experience is needed, so the person is eligible once certified. Returns None when it cannot be
    known (no experience start and fewer than two credits). The person is eligible on the day itself:
    a start on 1 Mar 2024 with no credit gives 1 Mar 2026. For an experience start so late that the
    day would fall after 9999-12-31 (data stored before dates were checked), it is ``date.max``.
    """
    if not 0 <= education_credits <= MAX_EDUCATION_CREDITS:
        raise ValueError(f"education_credits must be 0 to {MAX_EDUCATION_CREDITS}, not {education_credits}.")
    months_needed = APPRENTICE_EXPERIENCE_MONTHS - MONTHS_PER_EDUCATION_CREDIT * education_credits
    if months_needed == 0:
        return certified_on
    if experience_started_on is None:
        return None
    eligible = add_months(experience_started_on, months_needed)
    return max(eligible, certified_on) if certified_on else eligible


def find_cycle(edges: dict[str, Iterable[str]]) -> list[str] | None:
    """Return one cycle of a prerequisite graph as a list of keys, or None when it is acyclic.

    ``edges`` maps each step key to the keys of its prerequisites.
    """
    visiting, done = set(), set()
    path: list[str] = []

    def visit(key: str) -> list[str] | None:
        if key in done:
            return None
        if key in visiting:
            return [*path[path.index(key) :], key]
        visiting.add(key)
        path.append(key)
        for required in edges.get(key, ()):
            cycle = visit(required)
            if cycle:
                return cycle
        path.pop()
        visiting.discard(key)
        done.add(key)
        return None

    for key in edges:
        cycle = visit(key)
        if cycle:
            return cycle
    return None


# The three routes AAPC accepts to remove the apprentice designation (same source as above). Each
# education credit (AAPC's CPC-A Practicode program, or an 80-contact-hour coding preparation course)
# stands for one of the two years.

EXPERIENCE, EXPERIENCE_AND_EDUCATION, EDUCATION = "experience", "experience_and_education", "education"


@dataclass(frozen=True)
class ApprenticeEvidence:
    """What a person recorded toward removing the "A": the dates each piece of proof exists from."""

    certified_on: dt.date
    experience_started_on: dt.date | None = None
    letter_received_on: dt.date | None = None  # the employer's verification letter
    course_completed_on: dt.date | None = None  # the 80-contact-hour course
    practicode_completed_on: dt.date | None = None


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done_on: dt.date | None  # the day it was (or will be) done; None: not known yet
    done: bool  # done on or before the day asked about


@dataclass(frozen=True)
class RouteEstimate:
    key: str
    name: str
    items: tuple[ChecklistItem, ...]
    eligible_on: dt.date | None  # the earliest day the route's requirements are met; None: not known
    waiting_for: tuple[str, ...]  # what has no date yet, so the eligible day cannot be known

    @property
    def complete(self) -> bool:
        return all(item.done for item in self.items)


def apprentice_routes(evidence: ApprenticeEvidence, today: dt.date) -> tuple[RouteEstimate, ...]:
    """Each route with its checklist and the earliest day it can be complete.

    The time a route needs (two years, or one year plus an education credit, or two credits) is met
    on the day the last of its dates comes, and never before certification. The employer's letter is
    the proof of the experience, asked for once the experience is there, so it is on the checklist
    but does not move the eligible day."""
    e = evidence
    start = e.experience_started_on
    two_years = add_months(start, APPRENTICE_EXPERIENCE_MONTHS) if start else None
    one_year = add_months(start, APPRENTICE_EXPERIENCE_MONTHS - MONTHS_PER_EDUCATION_CREDIT) if start else None
    credits = [d for d in (e.course_completed_on, e.practicode_completed_on) if d]
    first_credit = min(credits) if credits else None

    def item(label: str, day: dt.date | None) -> ChecklistItem:
        return ChecklistItem(label, day, day is not None and day <= today)

    def route(key, name, items, needed: dict[str, dt.date | None]) -> RouteEstimate:
        waiting = tuple(label for label, day in needed.items() if day is None)
        eligible = None if waiting else max([*needed.values(), e.certified_on])
        return RouteEstimate(key, name, tuple(items), eligible, waiting)

    start_item = item("Coding experience started (externships count)", start)
    letter = item("Employer verification letter: on letterhead, signed and dated, with start and end dates",
                  e.letter_received_on)  # fmt: skip
    course = item("80-contact-hour coding preparation course completed", e.course_completed_on)
    practicode = item("AAPC's CPC-A Practicode program completed", e.practicode_completed_on)
    return (
        route(
            EXPERIENCE,
            "Two years of coding experience",
            [start_item, item("Two years of experience reached", two_years), letter],
            {"the start of your coding experience": two_years},
        ),
        route(
            EXPERIENCE_AND_EDUCATION,
            "One year of experience plus the 80-hour course or Practicode",
            [
                start_item,
                item("One year of experience reached", one_year),
                letter,
                item("The 80-hour course or Practicode completed", first_credit),
            ],
            {"the start of your coding experience": one_year, "the course or Practicode": first_credit},
        ),
        route(
            EDUCATION,
            "The 80-hour course plus Practicode",
            [course, practicode],
            {"the 80-hour course": e.course_completed_on, "Practicode": e.practicode_completed_on},
        ),
    )


def earliest_route(routes: tuple[RouteEstimate, ...]) -> RouteEstimate | None:
    """The route that can be complete first (None when no route's day is known)."""
    known = [r for r in routes if r.eligible_on is not None]
    return min(known, key=lambda r: r.eligible_on) if known else None
