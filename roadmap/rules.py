"""Plain rules of the ladder that need no database: dates in, dates out.

Sources: AAPC, "Complete your CPC or COC apprenticeship" (see content/data/sources.yaml,
key aapc-apprenticeship, and shared reference ceu-rules.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

APPRENTICE_EXPERIENCE_MONTHS = 24
MONTHS_PER_EDUCATION_CREDIT = 12
MAX_EDUCATION_CREDITS = 2


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


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
    known (no experience start and fewer than two credits).
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
