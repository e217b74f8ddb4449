from __future__ import annotations

import pytest
from django.db.models import F

from content.models import Credential
from roadmap.models import Roadmap, Step
from roadmap.rules import find_cycle


def edges_of(roadmap: Roadmap) -> dict[str, list[str]]:
    return {step.key: [required.key for required in step.prerequisites.all()] for step in roadmap.steps.all()}


def test_every_default_roadmap_is_acyclic(ladder):
    for roadmap in Roadmap.objects.prefetch_related("steps__prerequisites"):
        assert find_cycle(edges_of(roadmap)) is None, roadmap.key


def test_prerequisites_belong_to_the_same_roadmap(ladder):
    links = Step.prerequisites.through.objects

    assert links.exists()
    assert not links.exclude(from_step__roadmap=F("to_step__roadmap")).exists()


def test_outpatient_path_climbs_the_aapc_ladder_in_order(ladder):
    steps = Step.objects.filter(roadmap__key="outpatient-aapc").order_by("order")
    subjects = [step.credential.code if step.credential else (step.role or step.education).key for step in steps]

    assert subjects == ["certificate-program", "CPC-A", "coder-1", "CPC", "CCC", "CPMA", "auditor", "coding-manager"]


@pytest.mark.parametrize(
    ("roadmap", "first", "last"),
    [
        ("inpatient-ahima", "associate-degree", "cdi-specialist"),
        ("inpatient-certificate", "certificate", "cdi-specialist"),
        ("management-rhia", "bachelor-degree", "revenue-cycle-director"),
    ],
)
def test_other_paths_start_and_end_where_the_ladder_says(ladder, roadmap, first, last):
    keys = list(Step.objects.filter(roadmap__key=roadmap).order_by("order").values_list("key", flat=True))

    assert (keys[0], keys[-1]) == (first, last)


def test_every_credential_has_an_issuer_and_renewal_rule(ladder):
    assert not Credential.objects.filter(renewal_rule__isnull=True).exists()
    assert set(Credential.objects.values_list("body__code", flat=True)) == {"AAPC", "AHIMA", "ACDIS"}


@pytest.mark.parametrize(
    ("edges", "cycle"),
    [
        ({"a": [], "b": ["a"], "c": ["a", "b"]}, None),
        ({"a": ["c"], "b": ["a"], "c": ["b"]}, ["a", "c", "b", "a"]),
        ({"a": ["a"]}, ["a", "a"]),
        ({}, None),
    ],
)
def test_find_cycle(edges, cycle):
    assert find_cycle(edges) == cycle
