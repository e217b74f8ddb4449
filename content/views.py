"""Public pages: the ladder, credential, role and education pages, and every salary figure."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from roadmap.models import Roadmap, Step

from .forms import SalaryFilterForm
from .models import Credential, EducationPath, Role, SalaryFigure, Source

FIGURES_PER_PAGE = 50
TYPICAL_KINDS = (SalaryFigure.Kind.AVERAGE, SalaryFigure.Kind.MEDIAN, SalaryFigure.Kind.MEAN)


def _roadmaps_with_steps():
    steps = Step.objects.select_related("credential", "role", "education").prefetch_related(
        Prefetch("prerequisites", queryset=Step.objects.only("id", "key", "title", "roadmap_id"))
    )
    return Roadmap.objects.filter(is_default=True).prefetch_related(Prefetch("steps", queryset=steps))


@dataclass(frozen=True)
class Headline:
    """The salary a step card shows: one figure, or a range where the source gives only a range."""

    text: str
    source: Source
    as_of: str


def _headline_figures() -> dict[tuple[str, int], Headline]:
    """Per credential, role and education path: its first typical figure, else its range. One query."""
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


def _attach_headlines(roadmaps) -> None:
    headline = _headline_figures()
    for roadmap in roadmaps:
        for step in roadmap.steps.all():
            step.headline = (
                headline.get(("credential_id", step.credential_id))
                or headline.get(("role_id", step.role_id))
                or headline.get(("education_id", step.education_id))
            )


def health(request):
    """For load balancers, and the load benchmark's floor: the middleware, no database."""
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    roadmaps = list(Roadmap.objects.filter(is_default=True))
    return render(request, "content/home.html", {"roadmaps": roadmaps})


def ladder(request):
    roadmaps = list(_roadmaps_with_steps())
    _attach_headlines(roadmaps)
    return render(request, "content/ladder.html", {"roadmaps": roadmaps})


def roadmap_detail(request, key: str):
    roadmap = get_object_or_404(_roadmaps_with_steps(), key=key)
    _attach_headlines([roadmap])
    return render(request, "content/roadmap_detail.html", {"roadmap": roadmap})


def credential_detail(request, code: str):
    if "\x00" in code:  # PostgreSQL refuses NUL in a query: no credential has one anyway
        raise Http404("No such credential.")
    credential = get_object_or_404(
        Credential.objects.select_related("body", "education", "replaces", "renewal_rule__source").prefetch_related(
            "prerequisites", "leads_to"
        ),
        code__iexact=code,
    )
    figures = list(credential.figures.with_subjects())
    roadmaps = list(Roadmap.objects.filter(steps__credential=credential).distinct())
    return render(
        request,
        "content/credential_detail.html",
        {"credential": credential, "figures": figures, "roadmaps": roadmaps},
    )


def role_detail(request, key: str):
    role = get_object_or_404(Role.objects.select_related("band"), key=key)
    figures = list(role.figures.with_subjects())
    band_figures = list(role.band.figures.with_subjects())
    roadmaps = list(Roadmap.objects.filter(steps__role=role).distinct())
    return render(
        request,
        "content/role_detail.html",
        {"role": role, "figures": figures, "band_figures": band_figures, "roadmaps": roadmaps},
    )


def education_detail(request, key: str):
    education = get_object_or_404(EducationPath, key=key)
    credentials = list(education.credentials.select_related("body"))
    figures = list(education.figures.with_subjects())
    roadmaps = list(Roadmap.objects.filter(steps__education=education).distinct())
    return render(
        request,
        "content/education_detail.html",
        {"education": education, "credentials": credentials, "figures": figures, "roadmaps": roadmaps},
    )


def salaries(request):
    form = SalaryFilterForm(request.GET or None)
    figures = SalaryFigure.objects.with_subjects()
    if form.is_bound and form.is_valid():
        figures = form.filter(figures)
    elif form.is_bound:
        figures = figures.none()
    page = Paginator(figures, FIGURES_PER_PAGE).get_page(request.GET.get("page"))
    template = "content/salaries.html#figure-table" if request.htmx else "content/salaries.html"
    return render(request, template, {"form": form, "page": page, "query": _query_without_page(request)})


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
