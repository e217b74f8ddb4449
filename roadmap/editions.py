"""What the method page says about editions: which occupation each role is counted in, and how the
factors of the places and settings the source article names changed from its BLS May 2023 figures
(approximate) to the current edition's (exact). Plain functions over rows already fetched."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from content.models import Occupation, Region, SalaryFigure
from content.selectors import ARTICLE_WAGES, PROJECTION_OCCUPATION

from .projection import FACTOR_PLACES, Reference


@dataclass(frozen=True)
class Change:
    """One place or setting: its factor from the article's May 2023 mean over the national median, and
    from the current edition's mean over the national mean."""

    name: str
    article_mean: Decimal
    article_factor: Decimal
    current_mean: Decimal | None
    current_factor: Decimal | None


@dataclass(frozen=True)
class OccupationUse:
    code: str
    name: str
    roles: list
    in_projections: bool


def changes(figures: list[SalaryFigure], reference: Reference) -> list[Change]:
    """The article's BLS means (areas, then settings) with the factor each gave and the factor now."""
    article = [f for f in figures if f.source.key == ARTICLE_WAGES and f.value is not None]
    median = next(
        (
            f.value
            for f in article
            if f.kind == SalaryFigure.Kind.MEDIAN and f.region_id and f.region.kind == Region.Kind.NATION
        ),
        None,
    )
    national = reference.national.value
    found = []
    for figure in article:
        if figure.kind != SalaryFigure.Kind.MEAN or median is None:
            continue
        if figure.region_id and figure.region.kind != Region.Kind.NATION:
            name, now = figure.region.name, reference.region_means.get(figure.region.key)
        elif figure.work_setting_id:
            name, now = figure.work_setting.name, reference.setting_means.get(figure.work_setting.key)
        else:
            continue
        found.append(
            Change(
                name=name,
                article_mean=figure.value,
                article_factor=(figure.value / median).quantize(FACTOR_PLACES),
                current_mean=now.value if now else None,
                current_factor=(now.value / national).quantize(FACTOR_PLACES) if now else None,
            )
        )
    return found


def occupations(roles) -> list[OccupationUse]:
    """Each BLS occupation we import, the ladder's roles whose definition it matches, and whether its
    wages drive projections (only coders' do)."""
    by_code: dict[str, list] = {code: [] for code in Occupation.values}
    for role in roles:
        if role.bls_occupation:
            by_code[role.bls_occupation].append(role)
    return [
        OccupationUse(code, label.split(" ", 1)[1], by_code[code], code == PROJECTION_OCCUPATION)
        for code, label in Occupation.choices
    ]
