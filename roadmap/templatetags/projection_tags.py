"""How the projection pages put durations and reasons into words, the same way everywhere."""

from __future__ import annotations

import re

from django import template

register = template.Library()

UNKNOWN_EFFORT = re.compile(r"How long it takes is not known\.")
NOTHING_IN_HORIZON = re.compile(r"Over (\d+) years it adds about \$0\.")


@register.filter
def reached_in(step) -> str:
    """When a step (a StepProjection) is reached. A step whose own time no source gives is reached
    *at least* as late as the steps before it."""
    if step.step.typical_months is None:
        return f"at least {step.months_from_now} months" if step.months_from_now else "time not known"
    return f"about {step.months_from_now} months"


@register.filter
def next_step_reason(next_step) -> str:
    """The engine's reason for a best next step, with a duration that agrees with the table: a step
    whose own months are known (a 12-month certificate) is never said to take an unknown time
    because a later step's time is unknown."""
    reason = NOTHING_IN_HORIZON.sub(
        r"It pays off only after the \1 years shown: choose a longer horizon to see what it adds.", next_step.reason
    )
    months = next_step.step.typical_months
    if next_step.months is not None or not months:
        return reason
    known = f"It takes about {months} months itself; no source says how long the steps after it take."
    return UNKNOWN_EFFORT.sub(known, reason)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def has_payback(result) -> bool:
    """Whether any step has a payback time; a column of "not known" only would tell nothing."""
    return any(step.payback_months is not None for step in result.steps)
