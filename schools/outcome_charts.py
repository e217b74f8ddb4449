"""The outcomes report's SVG charts, drawn on the server as plain coordinates (the house way, see
roadmap/charts.py): they print, need no JavaScript, and each sits next to the table it draws."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .outcomes import ExamRate, MilestoneOutcome

WIDTH = 640
LABEL = 170  # room for the row labels on the left
RIGHT = 24
ROW = 34
TOP, BOTTOM = 8, 32


@dataclass(frozen=True)
class HBar:
    y: float
    x: float
    width: float
    css: str
    title: str


@dataclass(frozen=True)
class RowLabel:
    y: float
    text: str


@dataclass(frozen=True)
class Range:
    """A milestone's middle half as a band, its median as a tick."""

    y: float
    x: float
    width: float
    median_x: float
    title: str


@dataclass(frozen=True)
class AxisTick:
    x: float
    label: str


@dataclass(frozen=True)
class HChart:
    width: int
    height: int
    left: int
    labels: tuple[RowLabel, ...]
    ticks: tuple[AxisTick, ...]
    bars: tuple[HBar, ...] = ()
    ranges: tuple[Range, ...] = ()
    axis_y: float = 0


def _plot_width() -> int:
    return WIDTH - LABEL - RIGHT


def _x(value: float, top: float) -> float:
    return round(LABEL + _plot_width() * value / top, 1)


def pass_rates(exams: list[ExamRate]) -> HChart | None:
    """Per exam shown (five people or more): the first-attempt rate and the overall rate, 0-100%."""
    shown = [e for e in exams if e.shown]
    if not shown:
        return None
    bars, labels = [], []
    for i, exam in enumerate(shown):
        y = TOP + i * ROW
        labels.append(RowLabel(y + ROW / 2, exam.code))
        for j, (css, rate, words) in enumerate(
            (("bar-first", exam.first_rate, "first attempts"), ("bar-all", exam.rate, "all attempts"))
        ):
            bars.append(
                HBar(y + 4 + j * 13, LABEL, _x(rate, 100) - LABEL, css, f"{exam.code}: {rate}% of {words} passed")
            )
    height = TOP + len(shown) * ROW + BOTTOM
    ticks = tuple(AxisTick(_x(v, 100), f"{v}%") for v in range(0, 101, 25))
    return HChart(WIDTH, height, LABEL, tuple(labels), ticks, bars=tuple(bars), axis_y=height - BOTTOM)


def milestone_months(milestones: list[MilestoneOutcome]) -> HChart | None:
    """Per milestone shown (self-reported): the middle half of the months it took, and the median."""
    shown = [m for m in milestones if m.self_reported.shown]
    if not shown:
        return None
    top = max(m.self_reported.high for m in shown)
    top = max(6, math.ceil(top / 6) * 6)
    ranges, labels = [], []
    for i, outcome in enumerate(shown):
        spread, y = outcome.self_reported, TOP + i * ROW
        labels.append(RowLabel(y + ROW / 2, outcome.milestone.label))
        ranges.append(
            Range(
                y + 8,
                _x(spread.low, top),
                max(_x(spread.high, top) - _x(spread.low, top), 2),
                _x(spread.median, top),
                f"{outcome.milestone.label}: median {spread.median} months, middle half {spread.low}-{spread.high}",
            )
        )
    height = TOP + len(shown) * ROW + BOTTOM
    step = max(6, top // 6 // 6 * 6) if top > 36 else 6
    ticks = tuple(AxisTick(_x(v, top), f"{v} mo") for v in range(0, top + 1, step))
    return HChart(WIDTH, height, LABEL, tuple(labels), ticks, ranges=tuple(ranges), axis_y=height - BOTTOM)
