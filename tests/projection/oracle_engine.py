# The engine as it was before the speed-up, kept to prove the new engine gives equal results. It changes
# only where the method changes, and then exactly as the method says: since issue 15 (BLS OEWS May 2025),
# low and high use the spread of the person's area where the reference has one (``region_spreads``).
"""The salary projection engine: what each step of a roadmap is likely to be worth to a person.

Plain data in, frozen dataclasses out: no ORM, no clock. ``roadmap.projection_inputs`` turns
database rows into these inputs. Every number a projection shows is either a cited figure
(``Figure``, which names its source) or arithmetic on cited figures that the ``Factors`` of each
result spell out.

The method (also published at /salaries/method/):

1. **Where a person stands after each step.** The credentials they hold (a credential that
   replaces another, like the CPC replacing the CPC-A, takes its place), every role they have held,
   and their years of experience. Experience grows with time: the years they have now plus the
   months until the step is reached. A step lasts its typical months; a step without a known
   duration counts as taking no time (so the timeline is optimistic, and the page says so). A role
   step cannot come before the role's experience band begins (the article's table puts the coding
   manager in the 20+ years band, so that step waits until 20 years of experience).

2. **The base figure** of a state is the highest of:
   - each held credential's and each held role's own figure, where the source article gives one
     (CPC 64,712; COC 70,186; CCS about 68,000; RHIT about 54,000; CPMA 81,048; coding manager
     85,081; CDI specialist 80,000-110,000+, a range whose typical value is its midpoint);
   - the AAPC average for the number of AAPC certifications held (1: 64,712; 2: 74,896;
     3 or more: 83,866). The survey counts AAPC certifications, so AHIMA credentials are not
     counted, and neither is the apprentice CPC-A (the article puts it in the entry band and says
     the biggest jump comes when the "-A" is removed);
   - the average without certification (51,699): the floor for everyone;
   - the experience figure: the person's position within their experience band (0-2 years:
     40,000-52,000; 3-9: 53,000-68,000; 10-19: 69,000-85,000+; 20+: 85,000-120,000+), moving
     linearly from the band's low end in its first year to its high end in its last. The open
     20+ band has no last year, so it stays at its low end.
   Taking the highest keeps two promises: a credential never lowers a projection, and neither does
   another year of experience. A neutral profile (national, any setting, at the start of a career)
   holding one credential gets exactly the article's figure for that credential.

3. **Low and high.** Where the base figure is itself a range (the CDI specialist), that range.
   Otherwise the base stretched by the relative spread of Salary.com's typical range for a medical
   coder (53,822-70,227 around its median 61,168: about -12% / +15%), the one source that states a
   typical range around a typical value. Where the reference gives the person's area a spread of its
   own (BLS's 25th percentile, median and 75th percentile there), that spread instead.

4. **Location and work setting** each multiply low, typical and high by the area's or the setting's
   annual mean wage divided by the national figure of the same wage edition. National and "any
   setting" have factor 1. Without the national mean (the source article's May 2023 figures give only
   the national *median*, 48,780) the median stands in and the factors are approximate.

5. **Over a horizon** (10 years unless chosen otherwise) the person takes the remaining steps in
   turn and earns, month by month, the typical salary of where they stand; experience counts in
   whole years. "Staying where you are" keeps today's credentials and roles with growing experience.
   A step's payback is its cost divided by its monthly gain where a cost is recorded, else "not
   known".

6. **Best next step.** The steps whose prerequisites are met, ranked by gain per month of effort
   (the months until the step is done, waiting included); steps whose duration is not known come
   after those whose gain per month is known. Ties, and steps without a known duration, are ranked
   by what the step alone adds over the horizon.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
ONE = Decimal(1)
TWO = Decimal(2)
TWELVE = Decimal(12)
DEFAULT_HORIZON_YEARS = 10
MAX_HORIZON_YEARS = 40
MAX_YEARS_OF_EXPERIENCE = Decimal(60)
BEST_NEXT_STEPS = 3
FACTOR_PLACES = Decimal("0.001")


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
    """The cited figures a projection may use."""

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
    edition: str = ""

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
class Factors:
    """Why a projection is what it is."""

    base: tuple[Figure, ...]
    base_rule: str
    band: str
    band_figure: Decimal
    years: Decimal
    credentials_held: int
    location: Decimal
    location_figure: Figure | None
    setting: Decimal
    setting_figure: Figure | None
    approximate: bool
    counted_certifications: int = 0
    range_from: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Salary:
    low: Decimal
    typical: Decimal
    high: Decimal
    open_ended: bool
    factors: Factors

    @property
    def is_range(self) -> bool:
        """The base figure is a range the source gives (the typical value is its midpoint)."""
        return len(self.factors.base) == 2 and not self.factors.range_from


@dataclass(frozen=True)
class StepProjection:
    step: PlanStep
    salary: Salary
    gain: Decimal  # over the previous step (the first step: over where the person stands now)
    cumulative_gain: Decimal
    months_from_now: int
    done: bool
    payback_months: Decimal | None  # None: no cost recorded, or no gain to pay it back
    waits_months: int = 0  # months spent waiting for the experience a role step needs


@dataclass(frozen=True)
class Horizon:
    years: int
    following: Decimal
    staying: Decimal
    following_by_year: tuple[Decimal, ...]  # the salary earned in each year
    staying_by_year: tuple[Decimal, ...]

    @property
    def difference(self) -> Decimal:
        return self.following - self.staying

    @property
    def by_year(self) -> tuple[tuple[Decimal, Decimal], ...]:
        return tuple(zip(self.following_by_year, self.staying_by_year, strict=True))


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


@dataclass(frozen=True)
class Projection:
    plan: Plan
    profile: Profile
    now: Salary
    steps: tuple[StepProjection, ...]
    horizon: Horizon
    next_steps: tuple[NextStep, ...]
    approximate_location: bool
    national: Figure | None = None  # the national figure location and setting are compared with

    @property
    def final(self) -> Salary:
        remaining = [s for s in self.steps if not s.done]
        return remaining[-1].salary if remaining else self.now

    @property
    def total_gain(self) -> Decimal:
        """What the remaining steps add to the typical salary, all told."""
        return self.final.typical - self.now.typical

    @property
    def next_step(self) -> StepProjection | None:
        """The first step not yet taken, in roadmap order."""
        return next((s for s in self.steps if not s.done), None)

    @property
    def has_unknown_durations(self) -> bool:
        return any(s.step.typical_months is None for s in self.steps if not s.done)


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
        ordered_steps(plan)


def ordered_steps(plan: Plan) -> tuple[PlanStep, ...]:
    """The steps in an order that respects prerequisites, keeping the plan's order otherwise.

    Raises ProjectionError for a duplicate step, a prerequisite outside the plan, or a cycle."""
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
    return tuple(placed)


def _cycle(stuck: list[PlanStep]) -> list[str]:
    """One cycle among steps none of which can be placed: follow unmet prerequisites until one repeats."""
    by_key = {step.key: step for step in stuck}
    path = [stuck[0].key]
    while True:
        following = next(key for key in by_key[path[-1]].requires if key in by_key)
        if following in path:
            return [*path[path.index(following) :], following]
        path.append(following)


# --- One state's salary ---------------------------------------------------------------------------


def _money(value: Decimal) -> Decimal:
    return value.quantize(ONE, rounding=ROUND_HALF_UP)


def _band_for(reference: Reference, years: Decimal) -> Band:
    for band in reference.bands:
        if band.contains(years):
            return band
    return reference.bands[-1] if years >= reference.bands[-1].years_min else reference.bands[0]


def _held_after(reference: Reference, held: frozenset[str], code: str | None) -> frozenset[str]:
    if code is None:
        return held
    replaced = reference.replaces.get(code)
    return (held - {replaced}) | {code} if replaced else held | {code}


def _typical(figures: tuple[Figure, ...]) -> Decimal:
    return figures[0].value if len(figures) == 1 else (figures[0].value + figures[-1].value) / TWO


def _salary(reference: Reference, profile: Profile, state: _State) -> Salary:
    """The projected salary of one state; see the module docstring for the method."""
    band = _band_for(reference, state.years)
    band_typical = band.figure_at(state.years)
    # (typical value, the figures it comes from, the rule in words, whether the figures are a range)
    candidates: list[tuple[Decimal, tuple[Figure, ...], str, bool]] = []
    for code in sorted(state.credentials):
        if figures := reference.credential_figures.get(code):
            candidates.append((_typical(figures), figures, f"the {code}'s own figure", len(figures) == 2))
    for role in sorted(state.roles):
        if figures := reference.role_figures.get(role):
            candidates.append((_typical(figures), figures, "the role's own figure", len(figures) == 2))
    counted = len(state.credentials & reference.aapc_credentials)
    if counted and reference.aapc_count_averages:
        top = max(reference.aapc_count_averages)
        count = min(counted, top)
        figure = reference.aapc_count_averages[count]
        more = " or more" if count == top and top > 1 else ""
        plural = "s" if count > 1 else ""
        rule = f"the AAPC average for {count}{more} AAPC certification{plural}"
        candidates.append((figure.value, (figure,), rule, False))
    if uncertified := reference.aapc_count_averages.get(0):
        candidates.append((uncertified.value, (uncertified,), "the average without certification", False))
    rule = f"the {band.name.lower()} experience range, by years"
    candidates.append((band_typical, (band.low, band.high), rule, False))
    # The first of equal candidates wins, so a credential's own figure names itself over an equal average.
    typical, base, rule, is_range = max(candidates, key=lambda candidate: candidate[0])

    range_from: tuple[Figure, ...] = ()
    spread = (reference.region_spreads.get(profile.region) if profile.region else None) or reference.spread
    if is_range:
        low, high = base[0].value, base[-1].value
    elif spread:
        low = typical * spread.low.value / spread.middle.value
        high = typical * spread.high.value / spread.middle.value
        range_from = (spread.low, spread.middle, spread.high)
    else:
        low = high = typical

    national = reference.national.value
    location_figure = reference.region_means.get(profile.region) if profile.region else None
    setting_figure = reference.setting_means.get(profile.work_setting) if profile.work_setting else None
    location = location_figure.value / national if location_figure else ONE
    setting = setting_figure.value / national if setting_figure else ONE
    factor = location * setting
    factors = Factors(
        base=base,
        base_rule=rule,
        band=band.name,
        band_figure=_money(band_typical),
        years=state.years,
        credentials_held=len(state.credentials),
        location=location.quantize(FACTOR_PLACES),
        location_figure=location_figure,
        setting=setting.quantize(FACTOR_PLACES),
        setting_figure=setting_figure,
        approximate=reference.location_is_approximate and (location_figure or setting_figure) is not None,
        counted_certifications=counted,
        range_from=range_from,
    )
    return Salary(
        low=_money(low * factor),
        typical=_money(typical * factor),
        high=_money(high * factor),
        open_ended=base[-1].open_ended if is_range or not spread else False,
        factors=factors,
    )


def salary_for(reference: Reference, profile: Profile, state: _State) -> Salary:
    """The projected salary of one state (kept for callers of the first version)."""
    return _salary(reference, profile, state)


def salary_after(
    reference: Reference, profile: Profile, taken: Iterable[PlanStep], *, years: Decimal | None = None
) -> Salary:
    """The salary of the person once ``taken`` steps are behind them, at ``years`` of experience
    (default: the years they have now). The order of ``taken`` does not matter."""
    validate(reference, profile)
    start = _State(frozenset(profile.credentials), frozenset(), profile.years)
    return _salary(reference, profile, _state_after(reference, start, list(taken), years))


# --- A whole roadmap --------------------------------------------------------------------------------


def project(
    reference: Reference,
    profile: Profile,
    plan: Plan,
    *,
    done: frozenset[str] = frozenset(),
    horizon_years: int = DEFAULT_HORIZON_YEARS,
) -> Projection:
    """Project ``plan`` for ``profile``; ``done`` names steps already taken (or skipped).

    Steps whose credential or education the profile already holds count as done, and so does
    every step before a done step."""
    validate(reference, profile, plan)
    if not 1 <= horizon_years <= MAX_HORIZON_YEARS:
        raise ProjectionError(f"The horizon must be 1 to {MAX_HORIZON_YEARS} years.")
    steps = ordered_steps(plan)
    cache: dict[_State, Salary] = {}

    def salary(state: _State) -> Salary:
        if state not in cache:
            cache[state] = _salary(reference, profile, state)
        return cache[state]

    done = _with_prerequisites(steps, frozenset(done) | _done_by_profile(reference, steps, profile))
    start = _State(frozenset(profile.credentials), frozenset(), profile.years)
    now_state = _state_after(reference, start, [s for s in steps if s.key in done])
    now = salary(now_state)

    results: list[StepProjection] = []
    state, previous, months = now_state, now, 0
    for step in steps:
        if step.key in done:
            results.append(StepProjection(step, now, ZERO, ZERO, 0, True, None))
            continue
        ready_at = max(months + (step.typical_months or 0), _months_until_role(reference, profile, step))
        waits = ready_at - months - (step.typical_months or 0)
        months = ready_at
        state = _state_after(reference, state, [step], profile.years + Decimal(months) / TWELVE)
        after = salary(state)
        gain = after.typical - previous.typical
        results.append(
            StepProjection(
                step=step,
                salary=after,
                gain=gain,
                cumulative_gain=after.typical - now.typical,
                months_from_now=months,
                done=False,
                payback_months=_payback(step.cost, gain),
                waits_months=waits,
            )
        )
        previous = after
    return Projection(
        plan=plan,
        profile=profile,
        now=now,
        steps=tuple(results),
        horizon=_horizon(reference, profile, now_state, results, horizon_years, salary),
        next_steps=_rank(
            [(plan, s) for s in steps if s.key not in done and set(s.requires) <= done],
            reference,
            profile,
            now_state,
            horizon_years,
            salary,
        ),
        approximate_location=reference.location_is_approximate and bool(profile.region or profile.work_setting),
        national=reference.national,
    )


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
    validate(reference, profile)
    if not 1 <= horizon_years <= MAX_HORIZON_YEARS:
        raise ProjectionError(f"The horizon must be 1 to {MAX_HORIZON_YEARS} years.")
    start = _State(frozenset(profile.credentials), frozenset(), profile.years)
    candidates: list[tuple[Plan, PlanStep]] = []
    for plan in plans:
        steps = ordered_steps(plan)
        taken = _with_prerequisites(steps, (done or {}).get(plan.key, frozenset()))
        taken = _with_prerequisites(steps, taken | _done_by_profile(reference, steps, profile))
        candidates += [(plan, step) for step in steps if step.key not in taken and set(step.requires) <= taken]
    cache: dict[_State, Salary] = {}

    def salary(state: _State) -> Salary:
        if state not in cache:
            cache[state] = _salary(reference, profile, state)
        return cache[state]

    best: list[NextStep] = []
    seen: set[tuple[str | None, str | None, str | None]] = set()
    for next_step in _rank(candidates, reference, profile, start, horizon_years, salary, limit=None):
        subject = (next_step.step.credential, next_step.step.role, next_step.step.education)
        if subject not in seen:
            seen.add(subject)
            best.append(next_step)
    return tuple(best[:limit])


def _rank(
    candidates: list[tuple[Plan, PlanStep]],
    reference: Reference,
    profile: Profile,
    now_state: _State,
    horizon_years: int,
    salary,
    limit: int | None = BEST_NEXT_STEPS,
) -> tuple[NextStep, ...]:
    """Rank reachable steps by gain per month of effort, then by what they add over the horizon.

    A step's gain is what it adds once done, compared at the same years of experience, so experience
    that would come anyway is not credited to it. A step that raises nothing by itself (a course, say)
    is worth what the first later step of its roadmap that does raise the salary is worth, over the
    months until then."""
    ranked = []
    for plan, step in candidates:
        gain, effort, known, waits, pays_off = _payoff(reference, profile, now_state, plan, step, salary)
        months = effort if known else None
        per_month = _money(gain / months) if months and gain > 0 else None
        horizon_gain = _money(gain * max(0, horizon_years * 12 - effort) / TWELVE)
        opens_others = _opens(ordered_steps(plan), step)
        reason = _reason(step, gain, months, per_month, waits, pays_off, horizon_gain, horizon_years, opens_others)
        ranked.append(NextStep(step, gain, months, per_month, horizon_gain, reason, plan.key, plan.name))

    def order(next_step: NextStep) -> tuple:
        per_month = next_step.gain_per_month if next_step.gain_per_month is not None else ZERO
        return (next_step.gain <= 0, next_step.gain_per_month is None, -per_month, -next_step.horizon_gain)

    return tuple(sorted(ranked, key=order)[:limit])


def _payoff(
    reference: Reference, profile: Profile, now_state: _State, plan: Plan, step: PlanStep, salary
) -> tuple[Decimal, int, bool, bool, PlanStep | None]:
    """(gain, months of effort, whether the months are known, whether they include waiting for
    experience, the later step that brings the gain when the step brings none itself)."""
    steps = ordered_steps(plan)
    after = steps[steps.index(step) :]
    state, effort, known, waits = now_state, 0, True, False
    for later in after:
        if later is not step and not set(later.requires) & ({step.key} | {s.key for s in after[: after.index(later)]}):
            continue  # not on the way from this step
        wait = _months_until_role(reference, profile, later)
        known = known and (later.typical_months is not None or wait > effort + (later.typical_months or 0))
        waits = waits or wait > effort + (later.typical_months or 0)
        effort = max(effort + (later.typical_months or 0), wait)
        years = now_state.years + Decimal(effort) / TWELVE
        state = _state_after(reference, state, [later], years)
        gain = salary(state).typical - salary(replace(now_state, years=years)).typical
        if gain > 0 or later is step and not _opens(steps, step):
            return gain, effort, known, waits, None if later is step else later
    return ZERO, effort, known, waits, None


def _opens(steps: tuple[PlanStep, ...], step: PlanStep) -> bool:
    return any(step.key in later.requires for later in steps)


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


def _months_until_role(reference: Reference, profile: Profile, step: PlanStep) -> int:
    """Months until the person's experience reaches the band of the step's role (0 when it has)."""
    first_year = reference.role_years.get(step.role) if step.role else None
    if first_year is None or profile.years >= first_year:
        return 0
    return int(((first_year - profile.years) * TWELVE).to_integral_value(rounding=ROUND_CEILING))


def _done_by_profile(reference: Reference, steps: tuple[PlanStep, ...], profile: Profile) -> frozenset[str]:
    """Steps the profile shows as taken: a credential held (or replaced by one held), an education."""
    superseded = {reference.replaces[code] for code in profile.credentials if code in reference.replaces}
    held = profile.credentials | superseded
    return frozenset(
        step.key
        for step in steps
        if (step.credential and step.credential in held) or (step.education and step.education in profile.education)
    )


def _with_prerequisites(steps: tuple[PlanStep, ...], done: frozenset[str]) -> frozenset[str]:
    """A step taken means every step before it was taken (or skipped) too."""
    by_key = {step.key: step for step in steps}
    closed, stack = set(done), [key for key in done if key in by_key]
    while stack:
        for required in by_key[stack.pop()].requires:
            if required not in closed:
                closed.add(required)
                stack.append(required)
    return frozenset(closed & set(by_key))


def _state_after(reference: Reference, start: _State, steps: list[PlanStep], years: Decimal | None = None) -> _State:
    credentials, roles = start.credentials, start.roles
    for step in steps:
        credentials = _held_after(reference, credentials, step.credential)
        if step.role:
            roles = roles | {step.role}
    return _State(credentials, roles, start.years if years is None else years)


def _payback(cost: Decimal | None, gain: Decimal) -> Decimal | None:
    if cost is None or gain <= 0:
        return None
    return (cost / (gain / TWELVE)).quantize(Decimal("0.1"))


def _horizon(
    reference: Reference, profile: Profile, now_state: _State, results: list[StepProjection], years: int, salary
) -> Horizon:
    """Earnings year by year: taking the remaining steps in turn, against staying where you are.

    Salaries change only when a step completes or a year of experience is added, so each year is
    split at the months where a step completes."""
    pending = [(result.months_from_now, result.step) for result in results if not result.done]
    following, staying = [], []
    for year in range(years):
        experience = profile.years + year
        staying.append(_money(salary(replace(now_state, years=experience)).typical))
        month, end, earned = year * 12, year * 12 + 12, ZERO
        while month < end:
            taken = [step for completed_at, step in pending if completed_at <= month]
            change = min((at for at, _ in pending if month < at < end), default=end)
            state = _state_after(reference, now_state, taken, experience)
            earned += salary(state).typical * (change - month) / TWELVE
            month = change
        following.append(_money(earned))
    return Horizon(years, sum(following, ZERO), sum(staying, ZERO), tuple(following), tuple(staying))
