"""What a roadmap costs, and how soon each step pays for itself: plain data, no ORM, no clock.

Fees come from the reference data with their sources (content.Fee, read by roadmap.projection_costs).
A step's one-time cost is its credential's exam fee, where a source good enough gives one; a body's
recurring costs (AAPC's yearly membership, AHIMA's recertification fee each cycle) run from the month the
person first holds one of its credentials to the end of the horizon. "Not known" stays where no source
exists: such a step adds nothing to the known total, and the summary names it.

Payback is a step's cost divided by its monthly gain, as the engine states it (``plans._payback``).
Kept apart from the engine so that the fee data can grow without touching the salary method.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .inputs import TWELVE, ZERO
from .plans import Projection, StepProjection


@dataclass(frozen=True)
class FeeFact:
    """One fee exactly as its source states it."""

    describes: str
    amount: Decimal | None  # the non-member price, or the only one; None: not known
    source: str
    as_of: str
    approximate: bool
    member_amount: Decimal | None = None
    yearly: Decimal | None = None  # what it costs a year when paid repeatedly
    note: str = ""


@dataclass(frozen=True)
class Fees:
    exams: dict[str, FeeFact] = field(default_factory=dict)  # by credential code
    recurring: dict[str, tuple[FeeFact, ...]] = field(default_factory=dict)  # by issuing body code
    body_of: dict[str, str] = field(default_factory=dict)  # credential code -> issuing body code


@dataclass(frozen=True)
class StepCost:
    step: StepProjection
    exam: FeeFact | None  # None: the step has no fee on record (not known)
    starts_recurring: tuple[FeeFact, ...]  # recurring costs that begin with this step
    payback_months: Decimal | None  # None: no cost known, or no gain to pay it back

    @property
    def one_time(self) -> Decimal | None:
        return self.exam.amount if self.exam else None


@dataclass(frozen=True)
class Recurring:
    fee: FeeFact
    months: int  # months of the horizon it is paid for
    total: Decimal


@dataclass(frozen=True)
class CostSummary:
    steps: tuple[StepCost, ...]
    recurring: tuple[Recurring, ...]
    years: int

    @property
    def one_time_known(self) -> Decimal:
        return sum((s.one_time for s in self.steps if s.one_time is not None), ZERO)

    @property
    def recurring_total(self) -> Decimal:
        return sum((r.total for r in self.recurring), ZERO)

    @property
    def total_known(self) -> Decimal:
        return self.one_time_known + self.recurring_total

    @property
    def not_known(self) -> tuple[str, ...]:
        """The steps with a credential whose cost no source good enough gives."""
        return tuple(s.step.step.title for s in self.steps if s.step.step.credential and s.one_time is None)

    @property
    def any_known(self) -> bool:
        return bool(self.total_known) or any(s.exam for s in self.steps)


def payback_months(cost: Decimal | None, gain: Decimal) -> Decimal | None:
    """The months a cost takes to be earned back by a yearly ``gain`` (None: no cost, or no gain)."""
    if cost is None or gain <= 0:
        return None
    return (cost / (gain / TWELVE)).quantize(Decimal("0.1"))


def cost_summary(projection: Projection, fees: Fees) -> CostSummary:
    """Each remaining step's cost and payback, and the recurring costs over the projection's horizon."""
    horizon_months = projection.horizon.years * 12
    started: dict[str, int] = {}  # body -> the month its recurring costs start
    for code in projection.profile.credentials:
        if body := fees.body_of.get(code):
            started[body] = 0
    steps = []
    for step in projection.steps:
        if step.done:
            continue
        code = step.step.credential
        exam = fees.exams.get(code) if code else None
        body = fees.body_of.get(code) if code else None
        begins: tuple[FeeFact, ...] = ()
        if body and body not in started and step.months_from_now < horizon_months:
            started[body] = step.months_from_now
            begins = fees.recurring.get(body, ())
        cost = exam.amount if exam else None
        steps.append(StepCost(step, exam, begins, payback_months(cost, step.gain)))
    recurring = []
    for body, month in sorted(started.items()):
        months = horizon_months - month  # at least one: a body's costs start only within the horizon
        for fee in fees.recurring.get(body, ()):
            if fee.yearly is not None:
                recurring.append(Recurring(fee, months, (fee.yearly * months / TWELVE).quantize(Decimal("1"))))
    return CostSummary(tuple(steps), tuple(recurring), projection.horizon.years)
