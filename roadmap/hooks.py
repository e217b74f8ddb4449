"""What the apps above roadmap add to it (lib/hooks.py says how hooks work).

- ``step_targets``: target dates set for a person's steps (a school's cohort), each
  ``(user) -> {step id: date}``; where two plug-ins date the same step, the earlier date wins.
- ``dashboard_sections``: boxes on the dashboard above the roadmaps (renewals), each
  ``(request, today) -> Section | None``.
- ``demo_loaders``: more demo data for ``load_demo``, each ``() -> [line of report]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from lib.hooks import Hook, Section

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

step_targets: Hook[Callable[[User], dict[int, dt.date]]] = Hook("roadmap.step_targets")
dashboard_sections: Hook[Callable[[HttpRequest, dt.date], Section | None]] = Hook("roadmap.dashboard_sections")
demo_loaders: Hook[Callable[[], list[str]]] = Hook("roadmap.demo_loaders")


def targets_for(user: User) -> dict[int, dt.date]:
    """Every plug-in's target dates for the person, the earliest per step."""
    targets: dict[int, dt.date] = {}
    for plugin in step_targets:
        for step_id, day in plugin(user).items():
            targets[step_id] = min(day, targets.get(step_id, day))
    return targets
