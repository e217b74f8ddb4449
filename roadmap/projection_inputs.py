"""Turn database rows into the projection engine's plain inputs, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from content.models import Credential, ExperienceBand, SalaryFigure

from .models import Roadmap, Step
from .projection import Band, Figure, Plan, PlanStep, Profile, Reference

TYPICAL_KINDS = (SalaryFigure.Kind.AVERAGE, SalaryFigure.Kind.MEDIAN, SalaryFigure.Kind.MEAN)
# The issuing body's own survey speaks first for its credentials; then the others, in data order.
PREFERRED_SOURCE = "aapc-salary-survey-2023"
BLS = "bls-oews-2023"


def _figure(row: SalaryFigure) -> Figure:
    return Figure(
        value=row.value,
        source=f"{row.source.publisher}, {row.source.name} ({row.as_of})",
        describes=row.describes,
        open_ended=row.open_ended,
    )


def _subject_figures(rows: list[SalaryFigure]) -> tuple[Figure, ...] | None:
    """A subject's typical figure, or its (low, high) range where the source gives only a range."""
    typical = sorted(
        (row for row in rows if row.kind in TYPICAL_KINDS),
        key=lambda row: (row.source.key != PREFERRED_SOURCE, row.order),
    )
    if typical:
        return (_figure(typical[0]),)
    low = next((row for row in rows if row.kind == SalaryFigure.Kind.RANGE_LOW), None)
    high = next(
        (row for row in rows if row.kind == SalaryFigure.Kind.RANGE_HIGH and low and row.source_id == low.source_id),
        None,
    )
    return (_figure(low), _figure(high)) if low and high else None


def load_reference() -> Reference:
    """Every figure the engine may use: three queries."""
    rows = list(
        SalaryFigure.objects.filter(period=SalaryFigure.Period.ANNUAL)
        .select_related("source", "region", "work_setting", "credential", "role", "experience_band")
        .order_by("order", "key")
    )
    national_median = national_mean = None
    regions, settings, counts = {}, {}, {}
    by_credential, by_role, by_band = defaultdict(list), defaultdict(list), defaultdict(list)
    for row in rows:
        if row.source.key == BLS and row.region and row.region.kind == "nation":
            if row.kind == SalaryFigure.Kind.MEDIAN and row.value is not None:
                national_median = _figure(row)
            elif row.kind == SalaryFigure.Kind.MEAN and row.value is not None:
                national_mean = _figure(row)
            continue
        if row.value is None:
            continue
        if row.source.key == BLS and row.kind == SalaryFigure.Kind.MEAN:
            if row.region:
                regions[row.region.key] = _figure(row)
            elif row.work_setting:
                settings[row.work_setting.key] = _figure(row)
        elif row.source.key == PREFERRED_SOURCE and row.credential_count is not None:
            counts[row.credential_count] = _figure(row)
        elif row.experience_band:
            by_band[row.experience_band.key].append(row)
        elif row.credential:
            by_credential[row.credential.code].append(row)
        elif row.role:
            by_role[row.role.key].append(row)
    bands = []
    for band in ExperienceBand.objects.order_by("years_min"):
        kinds = {row.kind: row for row in by_band[band.key]}
        bands.append(
            Band(
                band.key,
                band.name,
                band.years_min,
                band.years_max,
                _figure(kinds[SalaryFigure.Kind.RANGE_LOW]),
                _figure(kinds[SalaryFigure.Kind.RANGE_HIGH]),
            )
        )
    credentials = list(Credential.objects.select_related("body", "replaces"))
    return Reference(
        national_median=national_median,
        national_mean=national_mean,
        region_means=regions,
        setting_means=settings,
        credential_figures={code: f for code, rows in by_credential.items() if (f := _subject_figures(rows))},
        role_figures={key: f for key, rows in by_role.items() if (f := _subject_figures(rows))},
        aapc_count_averages=counts,
        bands=tuple(bands),
        aapc_credentials=frozenset(c.code for c in credentials if c.body.code == "AAPC"),
        replaces={c.code: c.replaces.code for c in credentials if c.replaces},
    )


def plan_for(roadmap: Roadmap, steps: list[Step] | None = None) -> Plan:
    """The roadmap's steps as plain data; pass ``steps`` already fetched with their prerequisites."""
    if steps is None:
        steps = list(roadmap.steps.select_related("credential", "role", "education").prefetch_related("prerequisites"))
    return Plan(
        key=roadmap.key,
        name=roadmap.name,
        steps=tuple(
            PlanStep(
                key=step.key,
                title=step.title,
                kind=step.kind,
                credential=step.credential.code if step.credential else None,
                role=step.role.key if step.role else None,
                education=step.education.key if step.education else None,
                typical_months=step.typical_months,
                cost=step.cost,
                requires=tuple(required.key for required in step.prerequisites.all()),
            )
            for step in steps
        ),
    )


def profile_for(profile, held_codes: set[str], years: Decimal, education: set[str]) -> Profile:
    """A signed-in person's projection profile from their accounts.Profile and what they hold."""
    return Profile(
        region=profile.region.key if profile.region_id else None,
        work_setting=profile.work_setting.key if profile.work_setting_id else None,
        years=years,
        credentials=frozenset(held_codes),
        education=frozenset(education),
    )
