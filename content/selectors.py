"""Reads of the reference data that pages above content share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When

from . import oews
from .models import Occupation, Region, SalaryFigure, Source, WageEstimate

TYPICAL_KINDS = (SalaryFigure.Kind.AVERAGE, SalaryFigure.Kind.MEDIAN, SalaryFigure.Kind.MEAN)
# The occupation of coders: every projection's location and work-setting factors and ranges come from its
# wages (a role of another occupation shows that occupation's wages on its own page).
PROJECTION_OCCUPATION = Occupation.MEDICAL_RECORDS
# The source article's BLS figures (May 2023): kept as the article states them, cited to it.
ARTICLE_WAGES = "bls-oews-2023"
KIND_ORDER = {Region.Kind.NATION: 0, Region.Kind.STATE: 1, Region.Kind.METRO: 2, Region.Kind.NONMETRO: 3}


def releases() -> QuerySet[Source]:
    """The BLS OEWS releases loaded (the sources that have wage estimates), the newest first."""
    return Source.objects.filter(Exists(WageEstimate.objects.filter(source=OuterRef("pk")))).order_by(
        F("published_on").desc(nulls_last=True), "-key"
    )


def current_release() -> Source | None:
    """The edition projections use: the newest BLS OEWS release loaded (one query)."""
    return releases().first()


def projection_wages(release: Source | None = None) -> QuerySet[WageEstimate]:
    """The estimates a projection compares, of ``release`` (default: the current one, found in the same
    query): coders' wages in every area (every industry together) and nationally in each industry that
    is a work setting."""
    source = release if release is not None else Subquery(releases().values("pk")[:1])
    return WageEstimate.objects.filter(source=source, occupation_code=PROJECTION_OCCUPATION).filter(
        Q(industry_code=oews.ALL_INDUSTRIES) | Q(work_setting__isnull=False, region__kind=Region.Kind.NATION)
    )


def national_wages(occupation: str) -> WageEstimate | None:
    """The occupation's national estimate (every industry) in the current release: one query."""
    newest = releases().values("pk")[:1]
    estimates = WageEstimate.objects.filter(
        source=Subquery(newest),
        occupation_code=occupation,
        industry_code=oews.ALL_INDUSTRIES,
        region__kind=Region.Kind.NATION,
    )
    return estimates.select_related("source").first()


def place_wages(region: Region | None, work_setting=None) -> list[WageEstimate]:
    """What the current release says about coders in an area (every industry) and in a work setting's
    industry (nationally): the spread from the 10th to the 90th percentile beside a projection. One
    query, none without a choice."""
    wanted = Q()
    if region is not None and region.kind != Region.Kind.NATION:
        wanted |= Q(region=region, industry_code=oews.ALL_INDUSTRIES)
    if work_setting is not None:
        wanted |= Q(work_setting=work_setting, region__kind=Region.Kind.NATION)
    if not wanted:
        return []
    estimates = projection_wages().filter(wanted).select_related("source", "region", "work_setting")
    return list(estimates.order_by("industry_code"))


def places() -> QuerySet[Region]:
    """Every area a person may choose (not the nation, which is choosing none): those with an annual mean
    wage for coders in the current release; before any release is loaded, those the source article gives
    one for. Lazy: one query when read."""
    newest = releases().values("pk")[:1]
    in_release = WageEstimate.objects.filter(
        region=OuterRef("pk"),
        source=Subquery(newest),
        occupation_code=PROJECTION_OCCUPATION,
        industry_code=oews.ALL_INDUSTRIES,
        annual_mean__isnull=False,
    )
    in_article = SalaryFigure.objects.filter(
        region=OuterRef("pk"), source__key=ARTICLE_WAGES, kind=SalaryFigure.Kind.MEAN, value__isnull=False
    )
    no_release = ~Exists(WageEstimate.objects.all())
    return Region.objects.exclude(kind=Region.Kind.NATION).filter(
        Exists(in_release) | (no_release & Exists(in_article))
    )


@dataclass(frozen=True)
class Headline:
    """The salary a step card shows: one figure, or a range where the source gives only a range."""

    text: str
    source: Source
    as_of: str


def ordered_estimates():
    """BLS estimates as /salaries/ lists them: the newest release first, coders first, then the nation,
    the states, metro and nonmetro areas by name, every industry before each work setting."""
    return (
        WageEstimate.objects.select_related("source", "region", "work_setting")
        .annotate(
            occupation_rank=Case(
                *(When(occupation_code=code, then=Value(rank)) for rank, code in enumerate(Occupation.values)),
                output_field=IntegerField(),
            ),
            kind_rank=Case(
                *(When(region__kind=kind, then=Value(rank)) for kind, rank in KIND_ORDER.items()),
                output_field=IntegerField(),
            ),
        )
        .order_by(
            "-source__published_on", "source__key", "occupation_rank", "kind_rank", "region__name", "industry_code"
        )
    )


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


# The columns /salaries/ shows of a BLS estimate, in order.
ESTIMATE_COLUMNS = (
    "employment",
    "annual_mean",
    "annual_p10",
    "annual_p25",
    "annual_median",
    "annual_p75",
    "annual_p90",
)


@dataclass(frozen=True)
class Cell:
    text: str  # the number as BLS publishes it, or a dash where BLS gives none
    note: int | None  # the number of its footnote on this page


@dataclass(frozen=True)
class EstimateRow:
    estimate: WageEstimate
    cells: tuple[Cell, ...]


def footnoted(estimates) -> tuple[list[EstimateRow], list[str]]:
    """A page of estimates as table rows, each value with the number of its BLS footnote, and the
    footnotes of the page in order (each once): a value BLS withholds is a dash and its note, never a
    number."""
    notes: dict[str, int] = {}
    rows = []
    for estimate in estimates:
        cells = []
        for column in ESTIMATE_COLUMNS:
            value, note = getattr(estimate, column), estimate.footnotes.get(column)
            number = notes.setdefault(note, len(notes) + 1) if note else None
            if value is None:
                text = "—"
            elif column == "employment":
                text = f"{value:,}"
            else:
                text = f"${value:,.0f}"
            cells.append(Cell(text, number))
        rows.append(EstimateRow(estimate, tuple(cells)))
    return rows, list(notes)
