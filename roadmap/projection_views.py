"""Public salary projection pages: one roadmap, two side by side, and the method."""

from __future__ import annotations

from django.shortcuts import render

from content.models import SalaryFigure

from . import charts
from .projection import DEFAULT_HORIZON_YEARS, Profile, ProjectionError, project
from .projection_forms import DEFAULT_ROADMAP, CompareForm, ProjectionForm
from .projection_inputs import load_reference, plan_for

PAGE = "projection/projection.html"
DEFAULTS = {"roadmap": DEFAULT_ROADMAP, "other": "inpatient-ahima", "years": "0", "horizon": str(DEFAULT_HORIZON_YEARS)}
COMPARE_PAGE = "projection/compare.html"


def _profile(data: dict) -> Profile:
    return Profile(
        region=data["region"].key if data["region"] else None,
        work_setting=data["work_setting"].key if data["work_setting"] else None,
        years=data["years"],
        credentials=frozenset(c.code for c in data["credentials"]),
        education=frozenset(e.key for e in data["education"]),
    )


def _bound(form_class, request):
    """The form bound to the query string, with defaults for what it leaves out (a first visit: a
    beginner on the default roadmap)."""
    data = request.GET.copy()
    for name, value in DEFAULTS.items():
        data.setdefault(name, value)
    return form_class(data)


def _project(form, reference, roadmap_field: str):
    data = form.cleaned_data
    try:
        return project(reference, _profile(data), plan_for(data[roadmap_field]), horizon_years=data["horizon"])
    except ProjectionError as error:
        form.add_error(None, str(error))
        return None


def projection(request):
    form = _bound(ProjectionForm, request)
    result = _project(form, load_reference(), "roadmap") if form.is_valid() else None
    context = {"form": form, "result": result}
    if result:
        context |= {"steps_chart": charts.steps_chart(result), "years_chart": charts.years_chart(result)}
    return render(request, f"{PAGE}#results" if request.htmx else PAGE, context)


def compare(request):
    form = _bound(CompareForm, request)
    results = None
    if form.is_valid():
        reference = load_reference()
        results = [_project(form, reference, "roadmap"), _project(form, reference, "other")]
        results = results if all(results) else None
    context = {"form": form, "results": results}
    return render(request, f"{COMPARE_PAGE}#results" if request.htmx else COMPARE_PAGE, context)


def method(request):
    reference = load_reference()
    figures = SalaryFigure.objects.with_subjects().filter(period=SalaryFigure.Period.ANNUAL)
    return render(request, "projection/method.html", {"reference": reference, "figures": list(figures)})
