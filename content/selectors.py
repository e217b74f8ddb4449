"""Reads of the reference data that pages above content share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .models import SalaryFigure, Source

TYPICAL_KINDS = (SalaryFigure.Kind.AVERAGE, SalaryFigure.Kind.MEDIAN, SalaryFigure.Kind.MEAN)


@dataclass(frozen=True)
class Headline:
    """The salary a step card shows: one figure, or a range where the source gives only a range."""

    text: str
    source: Source
    as_of: str


def headline_figures() -> dict[tuple[str, int], Headline]:
    """Per credential, role and education path (``("credential_id", pk)`` …): its first typical
    national figure, else its range. One query."""
    figures: dict[tuple[str, int], list[SalaryFigure]] = defaultdict(list)
    confirmed = SalaryFigure.objects.confirmed().filter(period=SalaryFigure.Period.ANNUAL, region__isnull=True)
    for figure in confirmed.select_related("source"):
        for field in ("credential_id", "role_id", "education_id"):
            if getattr(figure, field) is not None:
                figures[(field, getattr(figure, field))].append(figure)
    return {subject: headline for subject, group in figures.items() if (headline := _headline(group))}


def _headline(group: list[SalaryFigure]) -> Headline | None:
    typical = [f for f in group if f.kind in TYPICAL_KINDS]
    if typical:
        return Headline(typical[0].display_value, typical[0].source, typical[0].as_of)
    low = next((f for f in group if f.kind == SalaryFigure.Kind.RANGE_LOW), None)
    high = next(
        (f for f in group if f.kind == SalaryFigure.Kind.RANGE_HIGH and (not low or f.source_id == low.source_id)), None
    )
    if low and high:
        return Headline(f"{low.display_value}–{high.display_value}", low.source, low.as_of)
    return None
