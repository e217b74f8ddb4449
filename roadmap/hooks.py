"""What the apps above roadmap add to it (lib/hooks.py says how hooks work).

- ``step_targets``: target dates set for a person's steps (a school's cohort), each
  ``(user) -> {step id: date}``; where two plug-ins date the same step, the earlier date wins.
- ``dashboard_sections``: boxes on the dashboard above the roadmaps (renewals), each
  ``(request, today) -> Section | None``.
- ``step_badges``: a word on some of a person's steps, linking to more (a school's review of the
  evidence: "Awaiting review"), each ``(user) -> {step id: StepBadge}``; the first plug-in's wins.
- ``demo_loaders``: more demo data for ``load_demo``, each ``() -> [line of report]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lib.hooks import Hook, Section

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User


@dataclass(frozen=True)
class StepBadge:
    label: str
    url: str
    state: str  # a word for the stylesheet: awaiting, approved, returned, needed


step_targets: Hook[Callable[[User], dict[int, dt.date]]] = Hook("roadmap.step_targets")
dashboard_sections: Hook[Callable[[HttpRequest, dt.date], Section | None]] = Hook("roadmap.dashboard_sections")
step_badges: Hook[Callable[[User], dict[int, StepBadge]]] = Hook("roadmap.step_badges")
demo_loaders: Hook[Callable[[], list[str]]] = Hook("roadmap.demo_loaders")


def targets_for(user: User) -> dict[int, dt.date]:
    """Every plug-in's target dates for the person, the earliest per step."""
    targets: dict[int, dt.date] = {}
    for plugin in step_targets:
        for step_id, day in plugin(user).items():
            targets[step_id] = min(day, targets.get(step_id, day))
    return targets


def badges_for(user: User) -> dict[int, StepBadge]:
    """Every plug-in's badges for the person's steps; where two name the same step, the first wins."""
    badges: dict[int, StepBadge] = {}
    for plugin in step_badges:
        for step_id, badge in plugin(user).items():
            badges.setdefault(step_id, badge)
    return badges
