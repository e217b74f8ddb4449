"""What the engine projects from: cited figures, a person's profile, a roadmap's steps, and the states a
person passes through on the way; their validation, and the order in which a roadmap's steps are taken.

``roadmap.projection_inputs`` builds these from database rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import NamedTuple

ZERO = Decimal(0)
ONE = Decimal(1)
TWO = Decimal(2)
TWELVE = Decimal(12)
DEFAULT_HORIZON_YEARS = 10
MAX_HORIZON_YEARS = 40
MAX_YEARS_OF_EXPERIENCE = Decimal(60)
BEST_NEXT_STEPS = 3
FACTOR_PLACES = Decimal("0.001")
# How many roadmaps keep their step order at once: the default roadmaps and a few schools' copies.
STEP_ORDERS_KEPT = 64
# How many sets of done steps each roadmap keeps the split of.
SPLITS_KEPT = 256


class ProjectionError(ValueError):
    """Inputs the engine cannot project from; the message says which and why."""


@dataclass(frozen=True)
class Figure:
    """A number exactly as a source states it."""

    value: Decimal
    source: str
    describes: str
    open_ended: bool = False


@dataclass(frozen=True)
class Band:
    """An experience band and its salary range, as the source article's table gives them."""

    key: str
    name: str
    years_min: int
    years_max: int | None
    low: Figure
    high: Figure

    def contains(self, years: Decimal) -> bool:
        return years >= self.years_min and (self.years_max is None or years < self.years_max + 1)

    def position(self, years: Decimal) -> Decimal:
        """0 at the band's first year, 1 at its last; an open band stays at 0."""
        if self.years_max is None or self.years_max == self.years_min:
            return ZERO
        return min(ONE, max(ZERO, (years - self.years_min) / (self.years_max - self.years_min)))

    def figure_at(self, years: Decimal) -> Decimal:
        return self.low.value + self.position(years) * (self.high.value - self.low.value)


@dataclass(frozen=True)
class Spread:
    """A typical range around a typical value; its ratios form every low and high."""

    low: Figure
    middle: Figure
    high: Figure


@dataclass(frozen=True)
class Reference:
    """The cited figures a projection may use.

    ``region_means`` and ``setting_means`` are one wage edition's annual means (an area's for the
    occupation in every industry, a setting's for its industry nationally), compared with the same
    edition's national figure. ``spread`` forms low and high anywhere; ``region_spreads`` in the areas
    whose own spread the edition publishes (BLS's 25th percentile, median and 75th percentile).

    The engine reads a reference's tables once and keeps what it derives from them for as long as the
    reference is in use, so a reference is never changed in place: build a new one (``replace``)."""

    national_median: Figure
    national_mean: Figure | None
    region_means: dict[str, Figure]
    setting_means: dict[str, Figure]
    credential_figures: dict[str, tuple[Figure, ...]]  # code -> (typical,) or (low, high)
    role_figures: dict[str, tuple[Figure, ...]]
    aapc_count_averages: dict[int, Figure]  # 0, 1, 2, 3 (= three or more)
    bands: tuple[Band, ...]
    aapc_credentials: frozenset[str]  # the AAPC certifications the survey counts (not the CPC-A)
    replaces: dict[str, str] = field(default_factory=dict)  # code -> the code it replaces
    spread: Spread | None = None
    role_years: dict[str, int] = field(default_factory=dict)  # role -> first year of its band
    region_names: dict[str, str] = field(default_factory=dict)
    setting_names: dict[str, str] = field(default_factory=dict)
    region_spreads: dict[str, Spread] = field(default_factory=dict)  # area -> its own spread
    edition: str = ""  # the wage edition the means come from, as pages name it

    @property
    def national(self) -> Figure:
        return self.national_mean or self.national_median

    @property
    def location_is_approximate(self) -> bool:
        return self.national_mean is None


@dataclass(frozen=True)
class Profile:
    """Where a person stands: area (None: national), work setting (None: any), years, what they hold."""

    region: str | None = None
    work_setting: str | None = None
    years: Decimal = ZERO
    credentials: frozenset[str] = frozenset()
    education: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PlanStep:
    key: str
    title: str
    kind: str
    credential: str | None = None
    role: str | None = None
    education: str | None = None
    typical_months: int | None = None
    cost: Decimal | None = None
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    key: str
    name: str
    steps: tuple[PlanStep, ...]


@dataclass(frozen=True)
class _State:
    credentials: frozenset[str]
    roles: frozenset[str]  # every role held so far: a promotion never lowers a projection
    years: Decimal


# --- Validation ---------------------------------------------------------------------------------


def validate(reference: Reference, profile: Profile, plan: Plan | None = None) -> None:
    """Raise ProjectionError for inputs the engine cannot use."""
    if profile.region is not None and profile.region not in reference.region_means:
        raise ProjectionError(f"We have no salary figures for the area {profile.region!r}.")
    if profile.work_setting is not None and profile.work_setting not in reference.setting_means:
        raise ProjectionError(f"We have no salary figures for the work setting {profile.work_setting!r}.")
    if profile.years < 0:
        raise ProjectionError("Years of experience cannot be negative.")
    if profile.years > MAX_YEARS_OF_EXPERIENCE:
        raise ProjectionError(f"Years of experience must be at most {MAX_YEARS_OF_EXPERIENCE}.")
    if plan is not None:
        _step_order(plan)


def _validate_horizon(horizon_years: int) -> None:
    if not 1 <= horizon_years <= MAX_HORIZON_YEARS:
        raise ProjectionError(f"The horizon must be 1 to {MAX_HORIZON_YEARS} years.")


# --- The order of a plan's steps ----------------------------------------------------------------------


def ordered_steps(plan: Plan) -> tuple[PlanStep, ...]:
    """The steps in an order that respects prerequisites, keeping the plan's order otherwise.

    Raises ProjectionError for a duplicate step, a prerequisite outside the plan, or a cycle."""
    return _step_order(plan).steps


class _Split(NamedTuple):
    taken: tuple[PlanStep, ...]
    remaining: tuple[PlanStep, ...]
    reachable: tuple[PlanStep, ...]  # remaining, with every prerequisite taken
    single_path: bool  # the way on from the first remaining step is every remaining step


@dataclass(frozen=True)
class _StepOrder:
    """A plan's steps in the order they are taken, and what the engine asks of that order again and again."""

    steps: tuple[PlanStep, ...]
    requires: dict[str, frozenset[str]]  # key -> the keys it requires directly
    closure: dict[str, frozenset[str]]  # key -> the key and every step it requires, however indirectly
    opens: frozenset[str]  # the keys some step requires
    # key -> the step and each later step on the way from it: one that requires a step between them
    on_the_way: dict[str, tuple[PlanStep, ...]]
    by_credential: dict[str, frozenset[str]]  # credential -> the steps that earn it
    by_education: dict[str, frozenset[str]]  # education path -> the steps that complete it
    # done steps -> the split of the steps they make; a plan has few, each asked for again and again
    splits: dict[frozenset[str], _Split] = field(default_factory=dict, compare=False, repr=False)
    # the courses of this order for the people asked for (see person._course), gone with the order
    courses: dict[tuple, object] = field(default_factory=dict, compare=False, repr=False)

    def split(self, done: frozenset[str]) -> _Split:
        """The steps taken, the steps remaining and those of them within reach, ``done`` being taken."""
        found = self.splits.get(done)
        if found is None:
            if len(self.splits) >= SPLITS_KEPT:
                self.splits.clear()
            taken = tuple([step for step in self.steps if step.key in done])
            remaining = tuple([step for step in self.steps if step.key not in done])
            reachable = tuple([step for step in remaining if self.requires[step.key] <= done])
            # In a roadmap that is a single path, the way on from the first remaining step is all of them.
            single_path = bool(remaining) and self.on_the_way[remaining[0].key] == remaining
            found = self.splits[done] = _Split(taken, remaining, reachable, single_path)
        return found

    def with_prerequisites(self, done: Iterable[str]) -> frozenset[str]:
        """A step taken means every step before it was taken (or skipped) too; keys outside the plan drop."""
        taken: set[str] = set()
        for key in done:
            if key in self.closure:
                taken |= self.closure[key]
        return frozenset(taken)

    def shown_by(self, held: Iterable[str], education: Iterable[str]) -> frozenset[str]:
        """The steps a profile shows as taken: the credentials held (with those they replaced), an education."""
        shown: set[str] = set()
        for code in held:
            shown.update(self.by_credential.get(code, ()))
        for path in education:
            shown.update(self.by_education.get(path, ()))
        return frozenset(shown)


# A plan is frozen, so its order is kept by identity: hashing a whole plan would cost more than ordering
# it. Each entry holds its plan, so no other object can take the plan's id while the entry lasts.
_step_orders: dict[int, tuple[Plan, _StepOrder]] = {}


def _step_order(plan: Plan) -> _StepOrder:
    cached = _step_orders.get(id(plan))
    if cached is not None:
        return cached[1]
    order = _order(plan)
    if len(_step_orders) >= STEP_ORDERS_KEPT:
        _step_orders.clear()
    _step_orders[id(plan)] = (plan, order)
    return order


def _order(plan: Plan) -> _StepOrder:
    keys = [step.key for step in plan.steps]
    if len(set(keys)) != len(keys):
        duplicate = next(key for key in keys if keys.count(key) > 1)
        raise ProjectionError(f"The roadmap has two steps called {duplicate!r}.")
    for step in plan.steps:
        unknown = [key for key in step.requires if key not in keys]
        if unknown:
            raise ProjectionError(f"Step {step.key!r} requires {', '.join(unknown)}, which is not in the roadmap.")
    placed: list[PlanStep] = []
    done: set[str] = set()
    remaining = list(plan.steps)
    while remaining:
        ready = next((step for step in remaining if set(step.requires) <= done), None)
        if ready is None:
            raise ProjectionError(f"The roadmap's steps form a cycle: {' -> '.join(_cycle(remaining))}.")
        placed.append(ready)
        done.add(ready.key)
        remaining.remove(ready)
    steps = tuple(placed)
    closure: dict[str, frozenset[str]] = {}
    for step in steps:  # in order, so every prerequisite's closure is already known
        closure[step.key] = frozenset({step.key}).union(*(closure[key] for key in step.requires))
    return _StepOrder(
        steps=steps,
        requires={step.key: frozenset(step.requires) for step in steps},
        closure=closure,
        opens=frozenset(key for step in steps for key in step.requires),
        on_the_way={step.key: _on_the_way(steps, index) for index, step in enumerate(steps)},
        by_credential=_keys_by(steps, "credential"),
        by_education=_keys_by(steps, "education"),
    )


def _keys_by(steps: tuple[PlanStep, ...], subject: str) -> dict[str, frozenset[str]]:
    keys: dict[str, set[str]] = {}
    for step in steps:
        if value := getattr(step, subject):
            keys.setdefault(value, set()).add(step.key)
    return {value: frozenset(found) for value, found in keys.items()}


def _on_the_way(steps: tuple[PlanStep, ...], index: int) -> tuple[PlanStep, ...]:
    """The step at ``index`` and every later step that requires a step from it up to that later step."""
    after = steps[index:]
    return tuple(
        later
        for position, later in enumerate(after)
        if position == 0 or set(later.requires) & {step.key for step in after[:position]}
    )


def _cycle(stuck: list[PlanStep]) -> list[str]:
    """One cycle among steps none of which can be placed: follow unmet prerequisites until one repeats."""
    by_key = {step.key: step for step in stuck}
    path = [stuck[0].key]
    while True:
        following = next(key for key in by_key[path[-1]].requires if key in by_key)
        if following in path:
            return [*path[path.index(following) :], following]
        path.append(following)


# --- States ---------------------------------------------------------------------------------------------


def _start(profile: Profile) -> _State:
    return _State(frozenset(profile.credentials), frozenset(), profile.years)


def _held_after(reference: Reference, held: frozenset[str], code: str | None) -> frozenset[str]:
    if code is None:
        return held
    replaced = reference.replaces.get(code)
    return (held - {replaced}) | {code} if replaced else held | {code}


def _state_after(
    reference: Reference, start: _State, steps: Iterable[PlanStep], years: Decimal | None = None
) -> _State:
    credentials, roles = _holding_after(reference, start.credentials, start.roles, steps)
    return _State(credentials, roles, start.years if years is None else years)


def _holding_after(
    reference: Reference, credentials: frozenset[str], roles: frozenset[str], steps: Iterable[PlanStep]
) -> tuple[frozenset[str], frozenset[str]]:
    """What a person holds once ``steps`` are behind them, in turn: the credentials (one that replaces
    another takes its place) and every role."""
    for step in steps:
        if step.credential is not None:
            credentials = _held_after(reference, credentials, step.credential)
        if step.role:
            roles = roles | {step.role}
    return credentials, roles


def _held_or_replaced(reference: Reference, credentials: frozenset[str]) -> frozenset[str]:
    """The credentials held, and those they replaced (holding the CPC, the CPC-A is behind you)."""
    return credentials | {reference.replaces[code] for code in credentials if code in reference.replaces}


def _months_until_role(reference: Reference, profile: Profile, role: str | None) -> int:
    """Months until the person's experience reaches the band of the role (0 when it has)."""
    first_year = reference.role_years.get(role) if role else None
    if first_year is None or profile.years >= first_year:
        return 0
    return int(((first_year - profile.years) * TWELVE).to_integral_value(rounding=ROUND_CEILING))
