"""Load the default roadmaps from ``content/data/roadmaps.yaml``: each a small prerequisite graph of
steps up the ladder. ``load_ladder`` runs it inside its transaction (content.hooks.data_loaders),
after the credentials, roles and education paths the steps name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from content.loader import (
    LadderDataError,
    LoadReport,
    Reference,
    check_unique_keys,
    count_link_change,
    label,
    plain_values,
    read_entries,
    upsert,
)
from content.models import Credential, EducationPath, Role

from .models import Roadmap, Step
from .rules import find_cycle

ROADMAPS_FILE = "roadmaps.yaml"
STEP_REFERENCES = {
    "credential": Reference(Credential, "code"),
    "role": Reference(Role, "key"),
    "education": Reference(EducationPath, "key"),
}


def load_roadmaps(data_dir: Path, report: LoadReport) -> None:
    _load_roadmaps(read_entries(data_dir / ROADMAPS_FILE), report)


def _load_roadmaps(entries: list[dict[str, Any]], report: LoadReport) -> None:
    check_unique_keys(entries, ROADMAPS_FILE, "key")
    for number, entry in enumerate(entries, start=1):
        where = label(ROADMAPS_FILE, number, entry, "key")
        steps = entry.get("steps")
        if not isinstance(steps, list) or not steps:
            raise LadderDataError(f"{where}: steps must be a non-empty list.")
        values = plain_values(entry, model=Roadmap, references={}, skip={"steps"}, where=where)
        key = values.pop("key")
        roadmap = upsert(Roadmap, {"key": key}, values, where, report)
        _load_steps(roadmap, steps, where, report)


def _load_steps(roadmap: Roadmap, entries: list[Any], roadmap_where: str, report: LoadReport) -> None:
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise LadderDataError(f"{roadmap_where}, step {number}: must be a mapping of field: value.")
    check_unique_keys(entries, f"{roadmap_where}, steps", "key")
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
        values = plain_values(
            {"order": order, **entry}, model=Step, references=STEP_REFERENCES, skip={"requires", "roadmap"}, where=where
        )
        key = values.pop("key")
        saved[key] = upsert(Step, {"roadmap": roadmap, "key": key}, values, where, report)
    for key, requires in edges.items():
        targets = {saved[required].pk for required in requires}
        step = saved[key]
        if set(step.prerequisites.values_list("pk", flat=True)) != targets:
            step.prerequisites.set(targets)
            count_link_change(step, report, Step._meta.verbose_name_plural)
    stale = sorted(roadmap.steps.exclude(key__in=saved).values_list("key", flat=True))
    if stale:
        report.not_in_files[f"steps of {roadmap.key}"] = stale
