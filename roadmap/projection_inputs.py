"""Turn database rows into the projection engine's plain inputs, in a fixed number of queries.

The dashboard and the public pages call the same three functions:

- ``load_reference()`` every cited figure the engine may use (four queries, whatever the data size,
  and none while the data's edition stands): the current BLS OEWS release's wages for location, work
  setting and ranges (``read_reference(wages=ARTICLE_WAGES)`` gives the source article's instead);
- ``plan_for(roadmap)`` / ``default_plans()`` roadmaps as plain steps (two or three queries);
- ``profile_for(profile, held_codes, years, education)`` a signed-in person's projection profile.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Prefetch

from content.edition import current_edition
from content.models import Credential, Region, Role, SalaryFigure, Source, WageEstimate
from content.selectors import ARTICLE_WAGES, projection_wages

from .models import Roadmap, Step
from .projection import Band, Figure, Plan, PlanStep, Profile, Reference, Spread

TYPICAL_KINDS = (SalaryFigure.Kind.AVERAGE, SalaryFigure.Kind.MEDIAN, SalaryFigure.Kind.MEAN)
# The issuing body's own survey speaks first for its credentials; then the others, in data order.
PREFERRED_SOURCE = "aapc-salary-survey-2023"
BLS = ARTICLE_WAGES  # the BLS May 2023 figures, as the source article cites them
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


def read_reference(*, wages: str | None = None) -> Reference:
    """Every confirmed annual figure the engine may use, with what it describes: four queries.

    Location and work-setting factors and the spread of wages come from ``wages``: None for the current
    BLS OEWS release (the newest loaded; exact factors, each area's own spread), or ``ARTICLE_WAGES``
    for the BLS May 2023 figures our source article cites (the national mean is not among them, so
    those factors compare with the national median and are approximate; Salary.com's spread)."""
    rows = list(
        SalaryFigure.objects.filter(period=SalaryFigure.Period.ANNUAL)
        .select_related("source", "region", "work_setting", "experience_band")
        .order_by("order", "key")
    )
    national_median = national_mean = None
    article_edition = ""
    regions, settings, counts, spread = {}, {}, {}, {}
    region_names, setting_names = {}, {}
    by_credential, by_role, by_band = defaultdict(list), defaultdict(list), defaultdict(list)
    for row in rows:
        if row.value is None:
            continue  # unconfirmed: the national mean until someone enters it
        if row.source.key == BLS and row.region and row.region.kind == Region.Kind.NATION:
            if row.kind == SalaryFigure.Kind.MEDIAN:
                national_median, article_edition = _figure(row), f"BLS OEWS {row.as_of}"
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
    for group in sorted(by_band.values(), key=lambda group: group[0].experience_band.years_min):
        band, kinds = group[0].experience_band, {row.kind: row for row in group}
        if SalaryFigure.Kind.RANGE_LOW in kinds and SalaryFigure.Kind.RANGE_HIGH in kinds:
            low, high = kinds[SalaryFigure.Kind.RANGE_LOW], kinds[SalaryFigure.Kind.RANGE_HIGH]
            bands.append(Band(band.key, band.name, band.years_min, band.years_max, _figure(low), _figure(high)))
    credentials = list(Credential.objects.select_related("body", "replaces"))
    credential_codes = {credential.pk: credential.code for credential in credentials}
    roles = list(Role.objects.select_related("band"))
    role_keys = {role.pk: role.key for role in roles}
    kinds = SalaryFigure.Kind
    has_spread = {kinds.RANGE_LOW, kinds.MEDIAN, kinds.RANGE_HIGH} <= spread.keys()
    wage_figures = {
        "national_median": national_median,
        "national_mean": national_mean,
        "region_means": regions,
        "setting_means": settings,
        "region_names": region_names,
        "setting_names": setting_names,
        "spread": Spread(spread[kinds.RANGE_LOW], spread[kinds.MEDIAN], spread[kinds.RANGE_HIGH])
        if has_spread
        else None,
        "edition": article_edition,
    }
    if wages != ARTICLE_WAGES and (found := release_wages()):
        wage_figures |= {key: value for key, value in found.items() if value is not None}
    return Reference(
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
        role_years={role.key: role.band.years_min for role in roles},
        **wage_figures,
    )


def release_wages(release: Source | None = None) -> dict[str, object] | None:
    """A BLS OEWS release's wages of coders (the current release's by default) as the reference's
    figures, in one query: the national mean and median, each area's and each work setting's annual
    mean, and the spread (25th percentile, median, 75th percentile) of the nation and of each area that
    has one. None without a release or a national mean."""
    estimates = list(projection_wages(release).select_related("source", "region", "work_setting").order_by("series"))
    if not estimates:
        return None
    release = estimates[0].source
    cited = f"{release.publisher}, {release.name} ({release.edition})"
    national = national_spread = None
    means, settings, spreads, region_names, setting_names = {}, {}, {}, {}, {}
    for estimate in estimates:
        region, setting = estimate.region, estimate.work_setting
        where = setting.name if setting else region.name
        if setting is not None:
            if estimate.annual_mean is not None:
                settings[setting.key] = _wage(estimate, "annual_mean", cited, f"Annual mean wage, {where}")
                setting_names[setting.key] = setting.name
            continue
        area_spread = _spread(estimate, cited, where)
        if region.kind == Region.Kind.NATION:
            national, national_spread = estimate, area_spread
        elif estimate.annual_mean is not None:
            means[region.key] = _wage(estimate, "annual_mean", cited, f"Annual mean wage, {where}")
            region_names[region.key] = region.name
            if area_spread:
                spreads[region.key] = area_spread
    if national is None or national.annual_mean is None:
        return None
    return {
        "national_mean": _wage(national, "annual_mean", cited, "Annual mean wage, United States"),
        "national_median": _wage(national, "annual_median", cited, "Annual median wage, United States")
        if national.annual_median is not None
        else None,
        "region_means": means,
        "setting_means": settings,
        "region_names": region_names,
        "setting_names": setting_names,
        "spread": national_spread,
        "region_spreads": spreads,
        "edition": f"BLS OEWS {release.edition}",
    }


def _wage(estimate: WageEstimate, field: str, cited: str, describes: str) -> Figure:
    """One BLS value as a cited figure: its series id says exactly where it comes from."""
    return Figure(value=getattr(estimate, field), source=cited, describes=f"{describes} (series {estimate.series})")


def _spread(estimate: WageEstimate, cited: str, where: str) -> Spread | None:
    """The middle half of the wages in an area, where BLS publishes all three figures."""
    low, middle, high = estimate.annual_p25, estimate.annual_median, estimate.annual_p75
    if low is None or middle is None or high is None:
        return None
    return Spread(
        _wage(estimate, "annual_p25", cited, f"25th percentile wage, {where}"),
        _wage(estimate, "annual_median", cited, f"Median wage, {where}"),
        _wage(estimate, "annual_p75", cited, f"75th percentile wage, {where}"),
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
