"""Server-side SVG charts: plain coordinates for templates, so charts print and need no JavaScript."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .projection import Projection

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 70, 16, 16, 56


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    center: float
    y: float
    height: float
    low_y: float
    high_y: float
    label: str
    value: Decimal


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...] = ()
    lines: tuple[tuple[str, str], ...] = ()  # (css class, "x,y x,y ...")
    ticks: tuple[Tick, ...] = ()
    x_labels: tuple[tuple[float, str], ...] = ()
    baseline: float = HEIGHT - BOTTOM


def _scale(top_value: Decimal):
    top_value = max(top_value, Decimal(1))
    plot = HEIGHT - TOP - BOTTOM

    def y(value: Decimal) -> float:
        return round(HEIGHT - BOTTOM - float(value / top_value) * plot, 1)

    step = _nice_step(top_value)
    ticks = tuple(Tick(y(Decimal(v)), f"${v / 1000:,.0f}k") for v in range(0, int(top_value) + 1, step))
    return y, ticks


def _nice_step(top_value: Decimal) -> int:
    for step in (10_000, 20_000, 25_000, 50_000, 100_000):
        if top_value / step <= 6:
            return step
    return 200_000


def steps_chart(projection: Projection) -> Chart:
    """Typical salary per step as bars, with the low-high range as a whisker."""
    values = [projection.now, *(s.salary for s in projection.steps)]
    labels = ["Now", *(str(i) for i in range(1, len(projection.steps) + 1))]
    y, ticks = _scale(max(v.high for v in values) * Decimal("1.05"))
    slot = (WIDTH - LEFT - RIGHT) / len(values)
    bars = tuple(
        Bar(
            x=round(LEFT + i * slot + slot * 0.2, 1),
            width=round(slot * 0.6, 1),
            center=round(LEFT + i * slot + slot * 0.5, 1),
            y=y(v.typical),
            height=round(y(Decimal(0)) - y(v.typical), 1),
            low_y=y(v.low),
            high_y=y(v.high),
            label=labels[i],
            value=v.typical,
        )
        for i, v in enumerate(values)
    )
    return Chart(WIDTH, HEIGHT, bars=bars, ticks=ticks)


def years_chart(projection: Projection) -> Chart:
    """Earnings per year, following the roadmap against staying where you are."""
    horizon = projection.horizon
    top = max(*horizon.following_by_year, *horizon.staying_by_year) * Decimal("1.1")
    y, ticks = _scale(top)
    slot = (WIDTH - LEFT - RIGHT) / max(1, horizon.years - 1)

    def points(series) -> str:
        return " ".join(f"{round(LEFT + i * slot, 1)},{y(v)}" for i, v in enumerate(series))

    every = 1 if horizon.years <= 12 else 5
    x_labels = tuple(
        (round(LEFT + i * slot, 1), str(i + 1)) for i in range(horizon.years) if (i + 1) % every == 0 or i == 0
    )
    return Chart(
        WIDTH,
        HEIGHT,
        lines=(("line-follow", points(horizon.following_by_year)), ("line-stay", points(horizon.staying_by_year))),
        ticks=ticks,
        x_labels=x_labels,
    )
