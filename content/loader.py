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
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction

from roadmap.models import Roadmap, Step
from roadmap.rules import find_cycle

from .models import (
    Credential,
    EducationPath,
    ExperienceBand,
    IssuingBody,
    Region,
    RenewalRule,
    Role,
    SalaryFigure,
    Source,
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
ROADMAPS_FILE = "roadmaps.yaml"
STEP_REFERENCES = {
    "credential": Reference(Credential, "code"),
    "role": Reference(Role, "key"),
    "education": Reference(EducationPath, "key"),
}


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
    roadmaps = read_entries(data_dir / ROADMAPS_FILE)
    report = LoadReport()
    with transaction.atomic():
        for spec in SPECS:
            _load_file(spec, documents[spec.filename], report)
        _load_roadmaps(roadmaps, report)
    return report


def _label(filename: str, number: int, entry: dict[str, Any], key_field: str) -> str:
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


def _upsert(
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


def _plain_values(
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


def _check_unique_keys(entries: list[dict[str, Any]], filename: str, key_field: str) -> None:
    seen: set[Any] = set()
    for number, entry in enumerate(entries, start=1):
        key = entry.get(key_field)
        if key is None:
            raise LadderDataError(f"{filename}, entry {number}: {key_field} is required.")
        if key in seen:
            raise LadderDataError(f"{filename}, entry {number}: {key_field} {key!r} appears twice.")
        seen.add(key)


def _load_file(spec: Spec, entries: list[dict[str, Any]], report: LoadReport) -> None:
    _check_unique_keys(entries, spec.filename, spec.key_field)
    saved: dict[Any, models.Model] = {}
    for number, entry in enumerate(entries, start=1):
        where = _label(spec.filename, number, entry, spec.key_field)
        values = _plain_values(
            entry, model=spec.model, references=spec.references, skip=set(spec.self_links), where=where
        )
        key = values.pop(spec.key_field)
        saved[key] = _upsert(spec.model, {spec.key_field: key}, values, where, report)
    for number, entry in enumerate(entries, start=1):
        where = _label(spec.filename, number, entry, spec.key_field)
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
                _count_link_change(instance, report, name)
        else:
            if wanted is not None and wanted not in saved:
                raise LadderDataError(f"{where}: {link} {wanted!r} not in {spec.filename}.")
            target_id = saved[wanted].pk if wanted is not None else None
            if getattr(instance, f"{link}_id") != target_id:
                setattr(instance, f"{link}_id", target_id)
                instance.save(update_fields=[link])
                _count_link_change(instance, report, name)


def _count_link_change(instance, report: LoadReport, name: str) -> None:
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


def _load_roadmaps(entries: list[dict[str, Any]], report: LoadReport) -> None:
    _check_unique_keys(entries, ROADMAPS_FILE, "key")
    for number, entry in enumerate(entries, start=1):
        where = _label(ROADMAPS_FILE, number, entry, "key")
        steps = entry.get("steps")
        if not isinstance(steps, list) or not steps:
            raise LadderDataError(f"{where}: steps must be a non-empty list.")
        values = _plain_values(entry, model=Roadmap, references={}, skip={"steps"}, where=where)
        key = values.pop("key")
        roadmap = _upsert(Roadmap, {"key": key}, values, where, report)
        _load_steps(roadmap, steps, where, report)


def _load_steps(roadmap: Roadmap, entries: list[Any], roadmap_where: str, report: LoadReport) -> None:
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise LadderDataError(f"{roadmap_where}, step {number}: must be a mapping of field: value.")
    _check_unique_keys(entries, f"{roadmap_where}, steps", "key")
    edges = {entry["key"]: entry.get("requires") or [] for entry in entries}
    for key, requires in edges.items():
        if not isinstance(requires, list):
            raise LadderDataError(f"{roadmap_where}, step {key}: requires must be a list.")
        foreign = [required for required in requires if required not in edges]
        if foreign:
            raise LadderDataError(
                f"{roadmap_where}, step {key}: requires {', '.join(map(repr, foreign))}, not a step of this roadmap."
            )
    cycle = find_cycle(edges)
    if cycle:
        raise LadderDataError(f"{roadmap_where}: prerequisites form a cycle: {' -> '.join(cycle)}.")
    saved: dict[str, Step] = {}
    for order, entry in enumerate(entries, start=1):
        where = f"{roadmap_where}, step {order} ({entry['key']})"
        values = _plain_values(
            {"order": order, **entry}, model=Step, references=STEP_REFERENCES, skip={"requires", "roadmap"}, where=where
        )
        key = values.pop("key")
        saved[key] = _upsert(Step, {"roadmap": roadmap, "key": key}, values, where, report)
    for key, requires in edges.items():
        targets = {saved[required].pk for required in requires}
        step = saved[key]
        if set(step.prerequisites.values_list("pk", flat=True)) != targets:
            step.prerequisites.set(targets)
            _count_link_change(step, report, Step._meta.verbose_name_plural)
    stale = sorted(roadmap.steps.exclude(key__in=saved).values_list("key", flat=True))
    if stale:
        report.not_in_files[f"steps of {roadmap.key}"] = stale
