"""Turn database rows into the projection engine's plain inputs, in a fixed number of queries.

The dashboard and the public pages call the same three functions:

- ``load_reference()`` every cited figure the engine may use (four queries, whatever the data size,
  and none while the data's edition stands);
- ``plan_for(roadmap)`` / ``default_plans()`` roadmaps as plain steps (two or three queries);
- ``profile_for(profile, held_codes, years, education)`` a signed-in person's projection profile.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Prefetch

from content.edition import current_edition
from content.models import Credential, ExperienceBand, Region, Role, SalaryFigure

from .models import Roadmap, Step
from .projection import Band, Figure, Plan, PlanStep, Profile, Reference, Spread

TYPICAL_KINDS = (SalaryFigure.Kind.AVERAGE, SalaryFigure.Kind.MEDIAN, SalaryFigure.Kind.MEAN)
# The issuing body's own survey speaks first for its credentials; then the others, in data order.
PREFERRED_SOURCE = "aapc-salary-survey-2023"
BLS = "bls-oews-2023"
# The one source that states a typical range around a typical value for the occupation as a whole.
SPREAD_SOURCE = "salary-com-2023"
COUNTED_BODY = "AAPC"


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


def _is_general(row: SalaryFigure) -> bool:
    """A figure about the occupation as a whole: no credential, role, place, setting or band."""
    subjects = (row.credential_id, row.role_id, row.region_id, row.work_setting_id, row.experience_band_id)
    return all(subject is None for subject in subjects) and row.education_id is None and row.credential_count is None


# The reference data changes only through `load_ladder` or the admin, and every such change makes a
# new edition (content.edition), so each process keeps its copy for as long as the edition stands.
_reference_cache: dict[str, Reference] = {}


def load_reference() -> Reference:
    """The reference figures of the current edition: from this process's copy, else the database."""
    edition = current_edition()
    cached = _reference_cache.get(edition)
    if cached is not None:
        return cached
    reference = read_reference()
    _reference_cache.clear()
    _reference_cache[edition] = reference
    return reference


def forget_reference(**kwargs) -> None:
    _reference_cache.clear()


def read_reference() -> Reference:
    """Every confirmed annual figure the engine may use, with what it describes: four queries."""
    rows = list(
        SalaryFigure.objects.filter(period=SalaryFigure.Period.ANNUAL)
        .select_related("source", "region", "work_setting")
        .order_by("order", "key")
    )
    national_median = national_mean = None
    regions, settings, counts, spread = {}, {}, {}, {}
    region_names, setting_names = {}, {}
    by_credential, by_role, by_band = defaultdict(list), defaultdict(list), defaultdict(list)
    for row in rows:
        if row.value is None:
            continue  # unconfirmed: the national mean until someone enters it
        if row.source.key == BLS and row.region and row.region.kind == Region.Kind.NATION:
            if row.kind == SalaryFigure.Kind.MEDIAN:
                national_median = _figure(row)
            elif row.kind == SalaryFigure.Kind.MEAN:
                national_mean = _figure(row)
        elif row.source.key == BLS and row.kind == SalaryFigure.Kind.MEAN:
            if row.region:
                regions[row.region.key] = _figure(row)
                region_names[row.region.key] = row.region.name
            elif row.work_setting:
                settings[row.work_setting.key] = _figure(row)
                setting_names[row.work_setting.key] = row.work_setting.name
        elif row.source.key == PREFERRED_SOURCE and row.credential_count is not None:
            counts[row.credential_count] = _figure(row)
        elif row.source.key == SPREAD_SOURCE and _is_general(row):
            spread[row.kind] = _figure(row)
        elif row.experience_band_id:
            by_band[row.experience_band_id].append(row)
        elif row.credential_id:
            by_credential[row.credential_id].append(row)
        elif row.role_id:
            by_role[row.role_id].append(row)
    bands = []
    for band in ExperienceBand.objects.order_by("years_min"):
        kinds = {row.kind: row for row in by_band[band.pk]}
        if SalaryFigure.Kind.RANGE_LOW in kinds and SalaryFigure.Kind.RANGE_HIGH in kinds:
            low, high = kinds[SalaryFigure.Kind.RANGE_LOW], kinds[SalaryFigure.Kind.RANGE_HIGH]
            bands.append(Band(band.key, band.name, band.years_min, band.years_max, _figure(low), _figure(high)))
    credentials = list(Credential.objects.select_related("body", "replaces"))
    credential_codes = {credential.pk: credential.code for credential in credentials}
    roles = list(Role.objects.select_related("band"))
    role_keys = {role.pk: role.key for role in roles}
    kinds = SalaryFigure.Kind
    has_spread = {kinds.RANGE_LOW, kinds.MEDIAN, kinds.RANGE_HIGH} <= spread.keys()
    return Reference(
        national_median=national_median,
        national_mean=national_mean,
        region_means=regions,
        setting_means=settings,
        credential_figures={
            credential_codes[pk]: figures for pk, group in by_credential.items() if (figures := _subject_figures(group))
        },
        role_figures={role_keys[pk]: figures for pk, group in by_role.items() if (figures := _subject_figures(group))},
        aapc_count_averages=counts,
        bands=tuple(bands),
        aapc_credentials=frozenset(
            c.code for c in credentials if c.body.code == COUNTED_BODY and c.level != Credential.Level.APPRENTICE
        ),
        replaces={c.code: c.replaces.code for c in credentials if c.replaces},
        spread=Spread(spread[kinds.RANGE_LOW], spread[kinds.MEDIAN], spread[kinds.RANGE_HIGH]) if has_spread else None,
        role_years={role.key: role.band.years_min for role in roles},
        region_names=region_names,
        setting_names=setting_names,
    )


def _steps_queryset():
    return Step.objects.select_related("credential", "role", "education").prefetch_related(
        Prefetch("prerequisites", queryset=Step.objects.only("id", "key"))
    )


def _plan(roadmap: Roadmap, steps: Iterable[Step]) -> Plan:
    return Plan(
        key=roadmap.key,
        name=roadmap.name,
        steps=tuple(
            PlanStep(
                key=step.key,
                title=step.title,
                kind=step.kind,
                credential=step.credential.code if step.credential_id else None,
                role=step.role.key if step.role_id else None,
                education=step.education.key if step.education_id else None,
                typical_months=step.typical_months,
                cost=step.cost,
                requires=tuple(required.key for required in step.prerequisites.all()),
            )
            for step in steps
        ),
    )


def plan_for(roadmap: Roadmap, steps: list[Step] | None = None) -> Plan:
    """The roadmap's steps as plain data (two queries); or pass ``steps`` already fetched with their
    credential, role, education and prerequisites (no query)."""
    return _plan(roadmap, _steps_queryset().filter(roadmap=roadmap) if steps is None else steps)


def default_plans() -> list[Plan]:
    """Every default roadmap as plain data, in roadmap order: three queries."""
    roadmaps = Roadmap.objects.filter(is_default=True).prefetch_related(Prefetch("steps", queryset=_steps_queryset()))
    return [_plan(roadmap, roadmap.steps.all()) for roadmap in roadmaps]


def profile_for(profile, held_codes: set[str], years: Decimal, education: set[str]) -> Profile:
    """A signed-in person's projection profile from their accounts.Profile and what they hold.

    ``profile`` needs ``region`` and ``work_setting`` (select them with it to save two queries)."""
    return Profile(
        region=profile.region.key if profile.region_id and profile.region.kind != Region.Kind.NATION else None,
        work_setting=profile.work_setting.key if profile.work_setting_id else None,
        years=years,
        credentials=frozenset(held_codes),
        education=frozenset(education),
    )
