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


# --- The roadmap as a map: the prerequisite graph, drawn on the server --------------------------------

NODE_WIDE = (168, 92)  # node width and height, side by side
NODE_NARROW = (272, 84)  # stacked on a phone: with its side lane, it fits a 320 px column
SIDE_LANE = 18  # room on the left of stacked steps for arrows that skip a row
GAP = 34
MARGIN = 8
LINE_CHARS = {"wide": 19, "narrow": 32}  # 13 px bold text inside the box


@dataclass(frozen=True)
class MapStep:
    """One step as the map shows it: what it is, where it links, and what it says."""

    key: str
    number: int
    title: str
    requires: tuple[str, ...]
    url: str
    status: str = ""  # "done", "in_progress", "skipped", "not_started"; empty on public pages
    status_label: str = ""
    salary: str = ""  # e.g. "$64,712 a year", with its source where the page gives one


@dataclass(frozen=True)
class MapNode:
    step: MapStep
    x: float
    y: float
    width: int
    height: int
    lines: tuple[str, ...]

    @property
    def text_x(self) -> float:
        return self.x + 14

    @property
    def number_y(self) -> float:
        return self.y + 18

    @property
    def title_lines(self) -> tuple[tuple[float, str], ...]:
        return tuple((self.y + 36 + 15 * index, line) for index, line in enumerate(self.lines))

    @property
    def salary_y(self) -> float:
        return self.y + self.height - 10

    @property
    def label(self) -> str:
        parts = [f"Step {self.step.number}: {self.step.title}", self.step.status_label, self.step.salary]
        return ". ".join(part for part in parts if part)


@dataclass(frozen=True)
class MapEdge:
    path: str


@dataclass(frozen=True)
class RoadmapMap:
    width: float
    height: float
    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    orientation: str


def _depths(steps: list[MapStep]) -> dict[str, int]:
    """Each step's column: one after its deepest prerequisite (prerequisites outside the list and
    cycles are ignored, so a broken graph still draws)."""
    by_key = {step.key: step for step in steps}
    depths: dict[str, int] = {}

    def depth(key: str, trail: frozenset[str]) -> int:
        if key not in depths:
            required = [r for r in by_key[key].requires if r in by_key and r not in trail]
            depths[key] = 1 + max((depth(r, trail | {key}) for r in required), default=-1)
        return depths[key]

    for step in steps:
        depth(step.key, frozenset())
    return depths


def _wrap(text: str, width: int, lines: int = 2) -> tuple[str, ...]:
    words, out, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + (1 if line else 0) > width and line:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return tuple(out)


def roadmap_map(steps: list[MapStep], *, orientation: str) -> RoadmapMap:
    """Side by side ("wide"): a column per prerequisite depth, branches one under the other. Stacked
    ("narrow", a phone): one step per row in depth order, so it is never wider than the screen; an
    arrow between steps that are not next to each other curves along the left side."""
    width, height = NODE_WIDE if orientation == "wide" else NODE_NARROW
    depths = _depths(steps)
    lanes: dict[int, int] = {}
    places: dict[str, tuple[float, float]] = {}
    rows: dict[str, int] = {}
    nodes = []
    ordered = steps if orientation == "wide" else sorted(steps, key=lambda s: (depths[s.key], s.number))
    for index, step in enumerate(ordered):
        if orientation == "wide":
            depth = depths[step.key]
            lane = lanes.get(depth, 0)
            lanes[depth] = lane + 1
            x, y = MARGIN + depth * (width + GAP), MARGIN + lane * (height + GAP)
        else:
            x, y = MARGIN + SIDE_LANE, MARGIN + index * (height + GAP)
            rows[step.key] = index
        places[step.key] = (x, y)
        nodes.append(MapNode(step, x, y, width, height, _wrap(step.title, LINE_CHARS[orientation])))
    edges = []
    for step in ordered:
        for required in step.requires:
            if required not in places:
                continue
            (x1, y1), (x2, y2) = places[required], places[step.key]
            if orientation == "wide":
                start, end = (x1 + width, y1 + height / 2), (x2, y2 + height / 2)
                middle = (start[0] + end[0]) / 2
                path = f"M{start[0]},{start[1]} C{middle},{start[1]} {middle},{end[1]} {end[0] - 6},{end[1]}"
            elif rows[step.key] - rows[required] == 1:
                path = f"M{x1 + width / 2},{y1 + height} L{x2 + width / 2},{y2 - 6}"
            else:
                side, top, bottom = x1 - SIDE_LANE + 2, y1 + height / 2, y2 + height / 2
                path = f"M{x1},{top} C{side},{top} {side},{bottom} {x2 - 6},{bottom}"
            edges.append(MapEdge(path))
    total_width = max((n.x + n.width for n in nodes), default=0) + MARGIN
    total_height = max((n.y + n.height for n in nodes), default=0) + MARGIN
    return RoadmapMap(total_width, total_height, tuple(nodes), tuple(edges), orientation)


def roadmap_maps(steps: list[MapStep]) -> dict[str, RoadmapMap]:
    """Both drawings: the page shows the wide one on a large screen and the narrow one on a phone."""
    return {"wide": roadmap_map(steps, orientation="wide"), "narrow": roadmap_map(steps, orientation="narrow")}
