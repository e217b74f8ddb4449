"""Plain rules of the ladder that need no database: dates in, dates out.

Sources: AAPC, "Complete your CPC or COC apprenticeship" (see content/data/sources.yaml,
key aapc-apprenticeship, and shared reference ceu-rules.md).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

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
