"""Load the career ladder from ``content/data/*.yaml`` into the database.

Every file is read and every entry validated with the model's own validation; all writes happen
in one transaction, so a malformed file leaves the database exactly as it was. Rows are matched
on their natural key (``key`` or ``code``): a second run with the same files changes nothing, and
a changed value updates the row in place. Rows missing from the files are left alone (people's
progress may point at them); the report lists them so an editor can retire them in the admin.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify

from . import hooks, oews
from .edition import bump_edition
from .models import (
    Credential,
    EducationPath,
    ExperienceBand,
    Fee,
    IssuingBody,
    Region,
    RenewalRule,
    Role,
    SalaryFigure,
    Source,
    WageEstimate,
    WorkSetting,
)

DATA_DIR = Path(__file__).resolve().parent / "data"


class LadderDataError(Exception):
    """A data file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Reference:
    """A YAML field that names another row by its natural key."""

    model: type[models.Model]
    lookup: str


@dataclass(frozen=True)
class Spec:
    filename: str
    model: type[models.Model]
    key_field: str = "key"
    references: dict[str, Reference] = field(default_factory=dict)
    # Many-to-many fields whose targets are rows of the same file, set once the file is saved.
    self_links: tuple[str, ...] = ()


SPECS = (
    Spec("sources.yaml", Source),
    Spec("bodies.yaml", IssuingBody, key_field="code"),
    Spec(
        "renewal_rules.yaml",
        RenewalRule,
        references={"body": Reference(IssuingBody, "code"), "source": Reference(Source, "key")},
    ),
    Spec("education.yaml", EducationPath),
    Spec(
        "credentials.yaml",
        Credential,
        key_field="code",
        references={
            "body": Reference(IssuingBody, "code"),
            "education": Reference(EducationPath, "key"),
            "renewal_rule": Reference(RenewalRule, "key"),
        },
        self_links=("prerequisites", "replaces"),
    ),
    Spec(
        "fees.yaml",
        Fee,
        references={
            "body": Reference(IssuingBody, "code"),
            "credential": Reference(Credential, "code"),
            "source": Reference(Source, "key"),
        },
    ),
    Spec("experience.yaml", ExperienceBand),
    Spec("roles.yaml", Role, references={"band": Reference(ExperienceBand, "key")}),
    Spec("work_settings.yaml", WorkSetting),
    Spec("regions.yaml", Region),
    Spec(
        "salary_figures.yaml",
        SalaryFigure,
        references={
            "source": Reference(Source, "key"),
            "credential": Reference(Credential, "code"),
            "role": Reference(Role, "key"),
            "region": Reference(Region, "key"),
            "work_setting": Reference(WorkSetting, "key"),
            "experience_band": Reference(ExperienceBand, "key"),
            "education": Reference(EducationPath, "key"),
        },
    ),
)
OEWS_DIR = "oews"  # BLS OEWS releases, written by `manage.py import_oews`


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    not_in_files: dict[str, list[str]] = field(default_factory=dict)
    _linked: set = field(default_factory=set, repr=False)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def lines(self) -> list[str]:
        names = list(dict.fromkeys([*self.created, *self.updated, *self.unchanged]))
        lines = [
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, {self.unchanged[name]} unchanged"
            for name in names
        ]
        for name, keys in self.not_in_files.items():
            lines.append(f"{name}: in the database but not in the files (left as is): {', '.join(keys)}")
        return lines


def read_entries(path: Path) -> list[dict[str, Any]]:
    """Parse one data file into a list of mappings, or raise LadderDataError naming the file."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LadderDataError(f"{path.name}: file is missing.") from None
    except yaml.YAMLError as error:
        raise LadderDataError(f"{path.name}: not valid YAML: {error}") from None
    if not isinstance(document, list):
        raise LadderDataError(f"{path.name}: the file must be a list of entries.")
    for number, entry in enumerate(document, start=1):
        if not isinstance(entry, dict):
            raise LadderDataError(f"{path.name}, entry {number}: must be a mapping of field: value.")
    return document


def load_ladder(data_dir: Path = DATA_DIR) -> LoadReport:
    """Load every data file in one transaction; raise LadderDataError and write nothing on bad data."""
    documents = {spec.filename: read_entries(data_dir / spec.filename) for spec in SPECS}
    try:
        releases = [oews.read_extract(path) for path in oews.extract_files(data_dir / OEWS_DIR)]
    except oews.NotAnOewsRelease as error:
        raise LadderDataError(f"{OEWS_DIR}/{error}") from None
    report = LoadReport()
    with transaction.atomic():
        for spec in SPECS:
            _load_file(spec, documents[spec.filename], report)
        listed_regions = {entry.get("key") for entry in documents["regions.yaml"]}
        for release in sorted(releases, key=lambda r: r.code):
            load_release(release, report, keep_regions=listed_regions)
        for load_more in hooks.data_loaders:  # roadmaps, from the roadmap app
            load_more(data_dir, report)
    _forget_rows_of_releases(report, releases)
    return report


def _forget_rows_of_releases(report: LoadReport, releases: list[oews.Release]) -> None:
    """Sources and areas that come with a release are in the files, just not in the YAML ones."""
    sources = {release.source_key for release in releases}
    areas = set(
        Region.objects.filter(bls_area_code__in={e.area_code for r in releases for e in r.estimates}).values_list(
            "key", flat=True
        )
    )
    for name, known in ((Source._meta.verbose_name_plural, sources), (Region._meta.verbose_name_plural, areas)):
        left = [key for key in report.not_in_files.get(name, []) if key not in known]
        report.not_in_files.pop(name, None)
        if left:
            report.not_in_files[name] = left


def load_release(release: oews.Release, report: LoadReport, *, keep_regions: set[str] = frozenset()) -> Source:
    """Write one OEWS release: its source, the areas it covers and every estimate, in bulk.

    Areas are matched on their BLS code; a region listed in regions.yaml keeps its name and kind
    from there. Run inside the caller's transaction; a second run with the same release changes
    nothing."""
    source = upsert(
        Source,
        {"key": release.source_key},
        {
            "name": "Occupational Employment and Wage Statistics",
            "publisher": "U.S. Bureau of Labor Statistics (BLS)",
            "edition": release.name,
            "url": "https://www.bls.gov/oes/",
            "published_on": release.published_on,
            "note": f"Employer-reported wages, imported from BLS's own files (content/data/oews/{release.code}.csv).",
        },
        f"{OEWS_DIR}/{release.code}.yaml",
        report,
    )
    regions = _load_areas(release, report, keep_regions)
    settings = dict(WorkSetting.objects.exclude(naics_code="").values_list("naics_code", "pk"))
    existing = {e.series: e for e in WageEstimate.objects.filter(source=source)}
    new, changed = [], []
    for estimate in release.estimates:
        values = _estimate_values(estimate, release)
        values.update(region_id=regions[estimate.area_code], work_setting_id=settings.get(estimate.industry_code))
        row = existing.get(estimate.series)
        if row is None:
            new.append(WageEstimate(source=source, series=estimate.series, **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    name = WageEstimate._meta.verbose_name_plural
    WageEstimate.objects.bulk_create(new, batch_size=500)
    WageEstimate.objects.bulk_update(changed, [*values], batch_size=500)
    if new or changed:
        bump_edition()  # bulk writes send no signals: say so for the cached pages
    report.created[name] += len(new)
    report.updated[name] += len(changed)
    report.unchanged[name] += len(release.estimates) - len(new) - len(changed)
    return source


def _load_areas(release: oews.Release, report: LoadReport, keep: set[str]) -> dict[str, int]:
    """The region id of every area in the release, creating the areas not seen before."""
    name = Region._meta.verbose_name_plural
    known = {r.bls_area_code: r for r in Region.objects.filter(bls_area_code__isnull=False)}
    taken = set(Region.objects.values_list("key", flat=True))
    areas = {e.area_code: e for e in release.estimates}
    new, changed = [], []
    for code, estimate in sorted(areas.items()):
        kind = _area_kind(estimate)
        values = {"name": estimate.area_name, "kind": kind, "state_codes": oews.states_of(estimate)}
        region = known.get(code)
        if region is None:
            key = slugify(estimate.area_name)[:100] or code
            key = key if key not in taken else f"{key}-{code}"
            taken.add(key)
            new.append(Region(key=key, bls_area_code=code, **values))
        elif region.key in keep:
            report.unchanged[name] += 1
        elif any(getattr(region, attr) != value for attr, value in values.items()):
            for attr, value in values.items():
                setattr(region, attr, value)
            changed.append(region)
        else:
            report.unchanged[name] += 1
    Region.objects.bulk_create(new, batch_size=500)
    Region.objects.bulk_update(changed, ["name", "kind", "state_codes"], batch_size=500)
    if new or changed:
        bump_edition()
    report.created[name] += len(new)
    report.updated[name] += len(changed)
    return dict(Region.objects.filter(bls_area_code__in=areas).values_list("bls_area_code", "pk"))


def _area_kind(estimate: oews.Estimate) -> str:
    if estimate.area_type == "N":
        return Region.Kind.NATION
    if estimate.area_type == "S":
        return Region.Kind.STATE
    return Region.Kind.NONMETRO if "nonmetropolitan" in estimate.area_name.lower() else Region.Kind.METRO


def _estimate_values(estimate: oews.Estimate, release: oews.Release) -> dict[str, Any]:
    """Numbers where BLS gives a number; for a sign instead of a number, None and its footnote."""
    values: dict[str, Any] = {
        "occupation_code": estimate.occupation_code,
        "occupation_name": release.occupations.get(estimate.occupation_code, ""),
        "industry_code": estimate.industry_code,
    }
    footnotes = {}
    for field_name in oews.FIELDS:
        raw = estimate.values.get(field_name, "")
        notes = [
            release.footnotes.get(code, f"BLS footnote {code}")
            for code in estimate.footnote_codes.get(field_name, "").split(",")
            if code
        ]
        number = _number(raw)
        if number is None and raw and not notes:  # a sign without a footnote: BLS's legend says what it means
            notes.append(oews.MARKERS.get(raw, f"BLS prints {raw!r} here instead of a number."))
        values[field_name] = int(number) if number is not None and field_name == "employment" else number
        if notes:
            footnotes[field_name] = " ".join(dict.fromkeys(notes))
    values["footnotes"] = footnotes
    return values


def _number(raw: str) -> Decimal | None:
    try:
        number = Decimal(raw.replace(",", ""))
    except (InvalidOperation, AttributeError):
        return None
    return number if number.is_finite() else None


def label(filename: str, number: int, entry: dict[str, Any], key_field: str) -> str:
    return f"{filename}, entry {number} ({entry.get(key_field, 'no ' + key_field)})"


def _editable_fields(model: type[models.Model]) -> dict[str, models.Field]:
    return {f.name: f for f in model._meta.get_fields() if f.concrete and not f.auto_created and not f.many_to_many}


def _resolve(reference: Reference, value: Any, where: str, name: str) -> models.Model | None:
    if value is None:
        return None
    try:
        return reference.model._default_manager.get(**{reference.lookup: value})
    except reference.model.DoesNotExist:
        raise LadderDataError(f"{where}: {name} {value!r} does not exist.") from None


def upsert(
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    where: str,
    report: LoadReport,
) -> models.Model:
    """Create or update one row from plain ``values``, validated by the model itself."""
    name = model._meta.verbose_name_plural
    instance = model._default_manager.filter(**lookup).first()
    is_new = instance is None
    if is_new:
        instance = model(**lookup)
    before = {attr: getattr(instance, attr) for attr in values} if not is_new else {}
    for attr, value in values.items():
        setattr(instance, attr, value)
    try:
        instance.full_clean(validate_unique=is_new)
    except ValidationError as error:
        problems = "; ".join(f"{attr}: {' '.join(messages)}" for attr, messages in error.message_dict.items())
        raise LadderDataError(f"{where}: {problems}") from None
    after = {attr: getattr(instance, attr) for attr in values}
    if is_new:
        instance.save()
        report.created[name] += 1
    elif after != before:
        instance.save(update_fields=[attr.removesuffix("_id") for attr in values])
        report.updated[name] += 1
    else:
        report.unchanged[name] += 1
    return instance


def plain_values(
    entry: dict[str, Any],
    *,
    model: type[models.Model],
    references: dict[str, Reference],
    skip: set[str],
    where: str,
) -> dict[str, Any]:
    fields = {name: f for name, f in _editable_fields(model).items() if name not in skip}
    unknown = set(entry) - set(fields) - skip
    if unknown:
        raise LadderDataError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}.")
    values: dict[str, Any] = {}
    # The file is the truth: a field left out of an entry goes back to its default.
    for name, model_field in fields.items():
        if name in references:
            value = entry.get(name)
        elif name in entry:
            value = entry[name]
        elif model_field.has_default() or model_field.null or model_field.blank:
            value = model_field.get_default() if model_field.has_default() else None
        else:
            value = None  # full_clean reports the missing required field by name
        if name in references:
            target = _resolve(references[name], value, where, name)
            values[f"{name}_id"] = target.pk if target else None
            continue
        if isinstance(value, float):
            value = repr(value)  # YAML reads 23.45 as a float; keep the digits as written
        if value is None and not model_field.null:
            value = "" if isinstance(model_field, models.CharField | models.TextField) else value
        try:
            values[name] = model_field.to_python(value)
        except ValidationError as error:
            raise LadderDataError(f"{where}: {name}: {' '.join(error.messages)}") from None
    return values


def check_unique_keys(entries: list[dict[str, Any]], filename: str, key_field: str) -> None:
    seen: set[Any] = set()
    for number, entry in enumerate(entries, start=1):
        key = entry.get(key_field)
        if key is None:
            raise LadderDataError(f"{filename}, entry {number}: {key_field} is required.")
        if key in seen:
            raise LadderDataError(f"{filename}, entry {number}: {key_field} {key!r} appears twice.")
        seen.add(key)


def _load_file(spec: Spec, entries: list[dict[str, Any]], report: LoadReport) -> None:
    check_unique_keys(entries, spec.filename, spec.key_field)
    saved: dict[Any, models.Model] = {}
    for number, entry in enumerate(entries, start=1):
        where = label(spec.filename, number, entry, spec.key_field)
        values = plain_values(
            entry, model=spec.model, references=spec.references, skip=set(spec.self_links), where=where
        )
        key = values.pop(spec.key_field)
        saved[key] = upsert(spec.model, {spec.key_field: key}, values, where, report)
    for number, entry in enumerate(entries, start=1):
        where = label(spec.filename, number, entry, spec.key_field)
        _link_within_file(spec, saved[entry[spec.key_field]], entry, saved, where, report)
    _note_rows_not_in_files(spec.model, spec.key_field, set(saved), report)


def _link_within_file(spec, instance, entry, saved, where, report) -> None:
    name = spec.model._meta.verbose_name_plural
    for link in spec.self_links:
        model_field = spec.model._meta.get_field(link)
        wanted = entry.get(link)
        if model_field.many_to_many:
            keys = wanted or []
            if not isinstance(keys, list):
                raise LadderDataError(f"{where}: {link} must be a list.")
            missing = [key for key in keys if key not in saved]
            if missing:
                raise LadderDataError(f"{where}: {link} {', '.join(map(repr, missing))} not in {spec.filename}.")
            targets = {saved[key].pk for key in keys}
            manager = getattr(instance, link)
            if set(manager.values_list("pk", flat=True)) != targets:
                manager.set(targets)
                count_link_change(instance, report, name)
        else:
            if wanted is not None and wanted not in saved:
                raise LadderDataError(f"{where}: {link} {wanted!r} not in {spec.filename}.")
            target_id = saved[wanted].pk if wanted is not None else None
            if getattr(instance, f"{link}_id") != target_id:
                setattr(instance, f"{link}_id", target_id)
                instance.save(update_fields=[link])
                count_link_change(instance, report, name)


def count_link_change(instance, report: LoadReport, name: str) -> None:
    """A row whose only change is a link counts as updated, once."""
    marker = (name, instance.pk)
    if marker in report._linked:
        return
    report._linked.add(marker)
    if report.unchanged[name]:
        report.unchanged[name] -= 1
        report.updated[name] += 1


def _note_rows_not_in_files(model, key_field: str, keys: set[Any], report: LoadReport) -> None:
    extra = sorted(
        map(str, model._default_manager.exclude(**{f"{key_field}__in": keys}).values_list(key_field, flat=True))
    )
    if extra:
        report.not_in_files[model._meta.verbose_name_plural] = extra
