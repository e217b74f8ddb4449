"""The engine as a package: every public name reachable from ``roadmap.projection``, and results that are
ordinary frozen dataclasses however the engine builds them."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
import typing
from decimal import Decimal

import pytest

import roadmap.projection
from roadmap import projection
from roadmap.projection import Profile, best_next_steps, project
from roadmap.projection_inputs import default_plans, load_reference

MODULES = [
    importlib.import_module(f"roadmap.projection.{module.name}")
    for module in pkgutil.iter_modules(roadmap.projection.__path__)
]


def defined_names(module) -> list[str]:
    """The names a module defines at its top level: functions, classes, constants."""
    names = []
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [target.id for target in targets if isinstance(target, ast.Name)]
    return names


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.__name__)
def test_every_public_name_of_a_module_is_the_packages_own(module):
    public = [name for name in defined_names(module) if not name.startswith("_")]

    assert public  # each module offers something
    for name in public:
        assert getattr(projection, name) is getattr(module, name), name
        assert name in projection.__all__, name


def test_the_first_versions_names_are_all_there():
    names = """ZERO ONE TWO TWELVE DEFAULT_HORIZON_YEARS MAX_HORIZON_YEARS MAX_YEARS_OF_EXPERIENCE BEST_NEXT_STEPS
    FACTOR_PLACES ProjectionError Figure Band Spread Reference Profile PlanStep Plan Factors Salary StepProjection
    Horizon NextStep Projection validate ordered_steps salary_for salary_after project best_next_steps _State"""

    assert [name for name in names.split() if not hasattr(projection, name)] == []


def results(value):
    """Every dataclass instance inside a result, the result included."""
    if dataclasses.is_dataclass(value):
        yield value
        for field in dataclasses.fields(value):
            yield from results(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from results(item)


def test_results_are_frozen_dataclasses_equal_to_what_their_constructors_make(ladder):
    reference, plans = load_reference(), default_plans()
    profile = Profile(region="nj", years=Decimal("1.5"), credentials=frozenset({"CPC-A"}))
    found = [*results(project(reference, profile, plans[0])), *results(best_next_steps(reference, profile, plans))]

    assert {type(value).__name__ for value in found} >= {"Projection", "StepProjection", "Salary", "Factors"}
    assert {type(value).__name__ for value in found} >= {"Horizon", "NextStep"}
    for value in found:
        fields = {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
        assert set(vars(value)) == set(fields), type(value)  # every field, and nothing else
        rebuilt = type(value)(**fields)
        assert value == rebuilt and hash(value) == hash(rebuilt) and repr(value) == repr(rebuilt)
        with pytest.raises(dataclasses.FrozenInstanceError):
            value.__setattr__(dataclasses.fields(value)[0].name, None)


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.__name__)
def test_every_annotation_names_real_types(module):
    """Annotations are kept as strings (PEP 563), so a wrong one would only fail when something reads
    them (dataclasses.fields' types, documentation, a type checker at run time): each is read here."""
    for name in defined_names(module):
        value = getattr(module, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            typing.get_type_hints(value)
        for member in vars(value).values() if inspect.isclass(value) else ():
            if inspect.isfunction(member):
                typing.get_type_hints(member)
            elif isinstance(member, property):
                typing.get_type_hints(member.fget)
