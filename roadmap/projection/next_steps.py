"""The best next steps: the steps whose prerequisites are met, ranked by what they bring for the effort."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .inputs import (
    BEST_NEXT_STEPS,
    DEFAULT_HORIZON_YEARS,
    TWELVE,
    ZERO,
    Plan,
    PlanStep,
    Profile,
    Reference,
    _step_order,
    _validate_horizon,
)
from .person import _Holding, _Person, _person, _pick, _Stop
from .tables import _money, _new


@dataclass(frozen=True)
class NextStep:
    step: PlanStep
    gain: Decimal
    months: int | None  # None: the step's duration is not known
    gain_per_month: Decimal | None
    horizon_gain: Decimal
    reason: str
    plan_key: str = ""
    plan_name: str = ""


def best_next_steps(
    reference: Reference,
    profile: Profile,
    plans: Sequence[Plan],
    *,
    done: dict[str, frozenset[str]] | None = None,
    horizon_years: int = DEFAULT_HORIZON_YEARS,
    limit: int = BEST_NEXT_STEPS,
) -> tuple[NextStep, ...]:
    """From where the person stands, the best steps to take next across several roadmaps.

    A step is reachable when its prerequisites are met; ``done`` maps a plan key to the steps taken
    in it. The same step offered by two roadmaps (the CCS, say) appears once."""
    person = _person(reference, profile)
    _validate_horizon(horizon_years)
    candidates: list[tuple[Plan, PlanStep]] = []
    for plan in plans:
        # The steps taken are the same as in a projection: every step before one taken, and those the
        # profile shows.
        course = person.course(_step_order(plan), (done or {}).get(plan.key, frozenset()))
        candidates += [(plan, step) for step in course.split.reachable]
    best: list[NextStep] = []
    seen: set[tuple[str | None, str | None, str | None]] = set()
    start = (person.credentials, frozenset())
    now = person.holding(*start)
    for next_step in _rank(candidates, start, now, horizon_years, person, {}, limit=None):
        subject = (next_step.step.credential, next_step.step.role, next_step.step.education)
        if subject not in seen:
            seen.add(subject)
            best.append(next_step)
    return tuple(best[:limit])


def _rank(
    candidates: list[tuple[Plan, PlanStep]],
    start: tuple[frozenset[str], frozenset[str]],
    now: _Holding,
    horizon_years: int,
    person: _Person,
    walks: dict[str, Iterable[_Stop]],
    limit: int | None = BEST_NEXT_STEPS,
) -> tuple[NextStep, ...]:
    """Rank reachable steps by gain per month of effort, then by what they add over the horizon.

    A step's gain is what it adds once done, compared at the same years of experience, so experience
    that would come anyway is not credited to it. A step that raises nothing by itself (a course, say)
    is worth what the first later step of its roadmap that does raise the salary is worth, over the
    months until then. ``start`` is what the person holds now, ``now`` what it gives their salary;
    ``walks`` the ways on from some of the steps, already taken."""
    ranked = []
    for plan, step in candidates:
        order = _step_order(plan)
        walk = walks.get(step.key) or person.walk(person.tables.steps_taken(*start, order.on_the_way[step.key]))
        gain, effort, known, waits, pays_off = _payoff(now, walk, step, order.opens)
        months = effort if known else None
        per_month = _money(gain / months) if months and gain > 0 else None
        horizon_gain = _money(gain * max(0, horizon_years * 12 - effort) / TWELVE)
        opens_others = step.key in order.opens
        reason = _reason(step, gain, months, per_month, waits, pays_off, horizon_gain, horizon_years, opens_others)
        ranked.append(
            _new(
                NextStep,
                {
                    "step": step,
                    "gain": gain,
                    "months": months,
                    "gain_per_month": per_month,
                    "horizon_gain": horizon_gain,
                    "reason": reason,
                    "plan_key": plan.key,
                    "plan_name": plan.name,
                },
            )
        )

    def order(next_step: NextStep) -> tuple:
        per_month = next_step.gain_per_month if next_step.gain_per_month is not None else ZERO
        return (next_step.gain <= 0, next_step.gain_per_month is None, -per_month, -next_step.horizon_gain)

    return tuple(sorted(ranked, key=order)[:limit])


def _payoff(
    now: _Holding, walk: Iterable[_Stop], step: PlanStep, opens: frozenset[str]
) -> tuple[Decimal, int, bool, bool, PlanStep | None]:
    """(gain, months of effort, whether the months are known, whether they include waiting for
    experience, the later step that brings the gain when the step brings none itself), along ``walk``:
    the step and the later steps on the way from it, taken in turn."""
    effort, known, waits = 0, True, False
    for later, months, waited, holding, when in walk:
        effort = months
        known = known and (later.typical_months is not None or waited > 0)
        waits = waits or waited > 0
        # The same best figure as now brings no gain, whatever the years.
        gain = ZERO if holding.figure == now.figure else _pick(holding, when) - _pick(now, when)
        if gain > 0 or later is step and step.key not in opens:
            return gain, effort, known, waits, None if later is step else later
    return ZERO, effort, known, waits, None


def _reason(
    step: PlanStep,
    gain: Decimal,
    months: int | None,
    per_month: Decimal | None,
    waits: bool,
    pays_off: PlanStep | None,
    horizon_gain: Decimal,
    horizon: int,
    opens_others: bool,
) -> str:
    if gain <= 0:
        opens = " by itself, but it opens the steps after it" if opens_others else ""
        return f"It does not raise the projected salary{opens}."
    if pays_off is None:
        what = f"It raises the projected typical salary by ${gain:,.0f} a year"
    else:
        what = (
            f"It opens the way to \u201c{pays_off.title}\u201d, "
            f"which raises the projected typical salary by ${gain:,.0f} a year"
        )
    if months is None:
        effort = "How long it takes is not known"
    else:
        when = f"about {months} month{'' if months == 1 else 's'}"
        effort = f"The role needs experience you reach in {when}" if waits else f"It takes {when}"
    per = f" (${per_month:,.0f} a year for each month)" if per_month is not None else ""
    return f"{what}. {effort}{per}. Over {horizon} years it adds about ${horizon_gain:,.0f}."
