"""Public roadmap pages: the home page, the whole ladder and each default roadmap, step by step."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from content.page_cache import shared_page
from content.selectors import headline_figures

from . import charts
from .models import Roadmap, Step


def _roadmaps_with_steps():
    steps = Step.objects.select_related("credential", "role", "education").prefetch_related(
        Prefetch("prerequisites", queryset=Step.objects.only("id", "key", "title", "roadmap_id"))
    )
    return Roadmap.objects.filter(is_default=True).prefetch_related(Prefetch("steps", queryset=steps))


def _attach_headlines(roadmaps) -> None:
    headline = headline_figures()
    for roadmap in roadmaps:
        for step in roadmap.steps.all():
            step.headline = (
                headline.get(("credential_id", step.credential_id))
                or headline.get(("role_id", step.role_id))
                or headline.get(("education_id", step.education_id))
            )


@shared_page()
def home(request):
    roadmaps = list(Roadmap.objects.filter(is_default=True))
    return render(request, "roadmap/home.html", {"roadmaps": roadmaps})


@shared_page()
def ladder(request):
    roadmaps = list(_roadmaps_with_steps())
    _attach_headlines(roadmaps)
    return render(request, "roadmap/ladder.html", {"roadmaps": roadmaps})


@shared_page()
def roadmap_detail(request, key: str):
    roadmap = get_object_or_404(_roadmaps_with_steps(), key=key)
    _attach_headlines([roadmap])
    steps = [
        charts.MapStep(
            key=step.key,
            number=number,
            title=step.title,
            requires=tuple(p.key for p in step.prerequisites.all()),
            url=f"#{roadmap.key}-{step.key}",
            salary=step.headline.text if step.headline else "",
        )
        for number, step in enumerate(roadmap.steps.all(), start=1)
    ]
    return render(request, "roadmap/detail.html", {"roadmap": roadmap, "map": charts.roadmap_maps(steps)})


def roadmaps_including(subject) -> list[Roadmap]:
    """The roadmaps with a step on this credential, role or education path (content's pages ask)."""
    field = subject._meta.model_name  # credential, role or educationpath
    lookup = {"credential": "steps__credential", "role": "steps__role", "educationpath": "steps__education"}[field]
    return list(Roadmap.objects.filter(**{lookup: subject}).distinct())
