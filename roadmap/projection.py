"""The salary projection engine: what each step of a roadmap is likely to be worth to a person.

Plain data in, frozen dataclasses out: no ORM, no clock. ``roadmap.projection_inputs`` turns
database rows into these inputs. Every number a projection shows comes from a cited figure
(``Figure``) or from arithmetic on cited figures that the ``Factors`` of each result spell out.

The method (also published at /salaries/method/):

1. **A person's state** after each step: the credentials they hold (a credential that replaces
   another, like the CPC replacing the CPC-A, takes its place), the roles they have held, and their years
   of experience (the years they have now plus the typical months of the steps taken so far).

2. **The base figure** of a state is the highest of
   - the state's own figures: each held credential's and each role's average where the
     source article gives one (CPC 64,712; COC 70,186; CCS about 68,000; RHIT about 54,000;
     CPMA 81,048; coding manager 85,081; CDI specialist 80,000–110,000+, a range);
   - the AAPC credential-count average for the number of AAPC credentials held (1: 64,712;
     2: 74,896; 3 or more: 83,866), the survey counting AAPC certifications;
   - the average without certification (51,699), the floor for everyone;
   - the experience figure: the person's position within their experience band's range (0–2 years:
     40,000–52,000; 3–9: 53,000–68,000; 10–19: 69,000–85,000+; 20+: 85,000–120,000+), moving
     linearly from the band's low end at its first year to its high end at its last year. The open
     20+ band has no last year, so it stays at its low end.
   Taking the highest keeps two promises: a credential never lowers a projection, and experience
   never does either. For a person at the start of their career (0 years, national, any setting)
   the base is exactly the article's figure for the credential they hold.

3. **The range**: where the base figure is itself a range (the CDI specialist), that range; its
   typical value is the midpoint. Otherwise the range is the base figure stretched by the relative
   spread of the person's experience band (e.g. 40,000–52,000 around its midpoint 46,000 is
   -13% / +13%).

4. **Location and work setting** each multiply the result by the region's or the setting's BLS
   annual mean wage divided by the national figure of the same BLS edition (May 2023). The national
   *mean* is not in the source article; until it is entered, the national *median* (48,780) stands
   in, and the location and setting factors are marked approximate. National and "any setting"
   have factor 1.

5. **Over a horizon** (10 years unless chosen otherwise) the person takes the steps one after
   another, each lasting its typical months (a step without a known duration is counted as taking
   no time, so the "following" figure is an upper bound), and earns the salary of the state they are
   in, month by month; experience counts in whole years. Staying where you are earns the current
   state's salary with growing experience. Payback of a step = its cost ÷ its monthly gain, where a
   cost is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from .rules import find_cycle

ZERO = Decimal(0)
ONE = Decimal(1)
TWELVE = Decimal(12)
DEFAULT_HORIZON_YEARS = 10
MAX_HORIZON_YEARS = 40
MAX_YEARS_OF_EXPERIENCE = Decimal(60)


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


@dataclass(frozen=True)
class Reference:
    """The cited figures a projection may use."""

    national_median: Figure
    national_mean: Figure | None
    region_means: dict[str, Figure]
    setting_means: dict[str, Figure]
    credential_figures: dict[str, tuple[Figure, ...]]  # code -> typical figure, or (low, high)
    role_figures: dict[str, tuple[Figure, ...]]
    aapc_count_averages: dict[int, Figure]  # 0, 1, 2, 3 (= three or more)
    bands: tuple[Band, ...]
    aapc_credentials: frozenset[str]
    replaces: dict[str, str] = field(default_factory=dict)  # code -> the code it replaces

    @property
    def national(self) -> Figure:
        return self.national_mean or self.national_median

    @property
    def location_is_approximate(self) -> bool:
        return self.national_mean is None


@dataclass(frozen=True)
class Profile:
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


@dataclass(frozen=True)
class Salary:
    low: Decimal
    typical: Decimal
    high: Decimal
    open_ended: bool
    factors: Factors


@dataclass(frozen=True)
class StepProjection:
    step: PlanStep
    salary: Salary
    gain: Decimal  # over the previous step (the first step: over where the person stands now)
    cumulative_gain: Decimal
    months_from_now: int
    done: bool
    payback_months: Decimal | None  # None: no cost recorded, or no gain to pay it back


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
    months: int | None
    gain_per_month: Decimal | None
    horizon_gain: Decimal
    reason: str


@dataclass(frozen=True)
class Projection:
    plan: Plan
    profile: Profile
    now: Salary
    steps: tuple[StepProjection, ...]
    horizon: Horizon
    next_steps: tuple[NextStep, ...]
    approximate_location: bool

    @property
    def final(self) -> Salary:
        return self.steps[-1].salary if self.steps else self.now

    @property
    def next_step(self) -> StepProjection | None:
        """The first step not yet taken, in roadmap order."""
        return next((s for s in self.steps if not s.done), None)


@dataclass(frozen=True)
class _State:
    credentials: frozenset[str]
    roles: frozenset[str]  # every role held so far: a promotion never lowers a projection
    years: Decimal


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
        keys = {step.key for step in plan.steps}
        for step in plan.steps:
            unknown = [key for key in step.requires if key not in keys]
            if unknown:
                raise ProjectionError(f"Step {step.key!r} requires {', '.join(unknown)}, not in the roadmap.")
        cycle = find_cycle({step.key: step.requires for step in plan.steps})
        if cycle:
            raise ProjectionError(f"The roadmap's steps form a cycle: {' -> '.join(cycle)}.")


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


def salary_for(reference: Reference, profile: Profile, state: _State) -> Salary:
    """The projected salary of one state; see the module docstring for the method."""
    band = _band_for(reference, state.years)
    band_typical = band.low.value + band.position(state.years) * (band.high.value - band.low.value)
    # (typical value, the figures it comes from, the rule's words, whether the figures are a range)
    candidates: list[tuple[Decimal, tuple[Figure, ...], str, bool]] = []
    for code in sorted(state.credentials):
        if figures := reference.credential_figures.get(code):
            candidates.append((_typical(figures), figures, f"the {code}'s own figure", len(figures) == 2))
    for role in sorted(state.roles):
        if figures := reference.role_figures.get(role):
            candidates.append((_typical(figures), figures, "the role's own figure", len(figures) == 2))
    aapc_held = len(state.credentials & reference.aapc_credentials)
    if aapc_held:
        count = min(aapc_held, max(reference.aapc_count_averages))
        figure = reference.aapc_count_averages[count]
        more = " or more" if count == max(reference.aapc_count_averages) else ""
        candidates.append((figure.value, (figure,), f"the AAPC average for {count}{more} credential(s)", False))
    uncertified = reference.aapc_count_averages[0]
    candidates.append((uncertified.value, (uncertified,), "the average without certification", False))
    candidates.append(
        (band_typical, (band.low, band.high), f"the {band.name.lower()} experience range, by years", False)
    )
    typical, base, rule, is_range = max(candidates, key=lambda candidate: candidate[0])

    if is_range:
        low, high = base[0].value, base[1].value
    else:
        middle = (band.low.value + band.high.value) / 2
        low, high = typical * band.low.value / middle, typical * band.high.value / middle

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
        location=location.quantize(Decimal("0.001")),
        location_figure=location_figure,
        setting=setting.quantize(Decimal("0.001")),
        setting_figure=setting_figure,
        approximate=reference.location_is_approximate and (location_figure or setting_figure) is not None,
    )
    return Salary(
        low=_money(low * factor),
        typical=_money(typical * factor),
        high=_money(high * factor),
        open_ended=base[-1].open_ended,
        factors=factors,
    )


def _typical(figures: tuple[Figure, ...]) -> Decimal:
    return figures[0].value if len(figures) == 1 else (figures[0].value + figures[-1].value) / 2


def ordered_steps(plan: Plan) -> tuple[PlanStep, ...]:
    """The steps in an order that respects prerequisites, keeping the plan's order otherwise."""
    placed: list[PlanStep] = []
    done: set[str] = set()
    remaining = list(plan.steps)
    while remaining:
        ready = next(step for step in remaining if set(step.requires) <= done)
        placed.append(ready)
        done.add(ready.key)
        remaining.remove(ready)
    return tuple(placed)


def project(
    reference: Reference,
    profile: Profile,
    plan: Plan,
    *,
    done: frozenset[str] = frozenset(),
    horizon_years: int = DEFAULT_HORIZON_YEARS,
) -> Projection:
    """Project ``plan`` for ``profile``; ``done`` names steps already taken (or skipped)."""
    validate(reference, profile, plan)
    if not 1 <= horizon_years <= MAX_HORIZON_YEARS:
        raise ProjectionError(f"The horizon must be 1 to {MAX_HORIZON_YEARS} years.")
    steps = ordered_steps(plan)
    done = _with_prerequisites(steps, done | _done_by_profile(reference, steps, profile))
    now_state = _state_after(
        reference,
        _State(frozenset(profile.credentials), frozenset(), profile.years),
        [s for s in steps if s.key in done],
    )
    now = salary_for(reference, profile, now_state)

    results: list[StepProjection] = []
    state, previous, months = now_state, now, 0
    for step in steps:
        if step.key in done:
            results.append(StepProjection(step, now, ZERO, ZERO, 0, True, None))
            continue
        months += step.typical_months or 0
        state = _state_after(reference, state, [step], profile.years + Decimal(months) / TWELVE)
        salary = salary_for(reference, profile, state)
        gain = salary.typical - previous.typical
        results.append(
            StepProjection(
                step=step,
                salary=salary,
                gain=gain,
                cumulative_gain=salary.typical - now.typical,
                months_from_now=months,
                done=False,
                payback_months=_payback(step.cost, gain),
            )
        )
        previous = salary
    return Projection(
        plan=plan,
        profile=profile,
        now=now,
        steps=tuple(results),
        horizon=_horizon(reference, profile, now_state, results, horizon_years),
        next_steps=_best_next_steps(reference, profile, steps, now_state, done, horizon_years),
        approximate_location=reference.location_is_approximate and bool(profile.region or profile.work_setting),
    )


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
    reference: Reference,
    profile: Profile,
    now_state: _State,
    results: list[StepProjection],
    years: int,
) -> Horizon:
    """Earnings year by year: taking the remaining steps in turn, against staying where you are.

    Salaries change only when a step completes or a year of experience is added, so each year is
    split at the months where a step completes."""
    pending = [(result.months_from_now, result.step) for result in results if not result.done]
    following, staying = [], []
    for year in range(years):
        experience = profile.years + year
        staying.append(_money(salary_for(reference, profile, replace(now_state, years=experience)).typical))
        month, end, earned = year * 12, year * 12 + 12, ZERO
        while month < end:
            taken = [step for completed_at, step in pending if completed_at <= month]
            change = min((at for at, _ in pending if month < at < end), default=end)
            state = _state_after(reference, now_state, taken, experience)
            earned += salary_for(reference, profile, state).typical * (change - month) / TWELVE
            month = change
        following.append(_money(earned))
    return Horizon(years, sum(following, ZERO), sum(staying, ZERO), tuple(following), tuple(staying))


def _best_next_steps(
    reference: Reference,
    profile: Profile,
    steps: tuple[PlanStep, ...],
    now_state: _State,
    done: frozenset[str],
    horizon_years: int,
    limit: int = 3,
) -> tuple[NextStep, ...]:
    """Rank the steps that can be taken now (prerequisites met) by gain per month of effort, then
    by what taking that one step adds over the horizon."""
    now = salary_for(reference, profile, now_state).typical
    ranked = []
    for step in steps:
        if step.key in done or not set(step.requires) <= done:
            continue
        gain = salary_for(reference, profile, _state_after(reference, now_state, [step])).typical - now
        months = step.typical_months
        per_month = (gain / months).quantize(ONE) if months else None
        horizon_gain = _money(gain * max(0, horizon_years * 12 - (months or 0)) / TWELVE)
        ranked.append(NextStep(step, gain, months, per_month, horizon_gain, _reason(gain, months, per_month)))
    ranked.sort(key=lambda s: (-(s.gain_per_month if s.gain_per_month is not None else s.gain), -s.horizon_gain))
    return tuple(ranked[:limit])


def _reason(gain: Decimal, months: int | None, per_month: Decimal | None) -> str:
    duration = f"It takes about {months} months" if months else "How long it takes is not known"
    if gain <= 0:
        return f"It does not change the projected salary by itself, but it opens the steps after it. {duration}."
    per = f": ${per_month:,.0f} a year for each month of effort" if per_month is not None else ""
    return f"It raises the projected typical salary by ${gain:,.0f} a year. {duration}{per}."
