"""Public salary projection pages: one roadmap, two side by side, and the method.

Every page is a plain GET form: the URL carries the inputs, so a projection can be bookmarked and
shared; with htmx the results update as the inputs change. Invalid input re-renders the page (status
200, which htmx 2 swaps) with the message next to the field.
"""

from __future__ import annotations

from django.shortcuts import render

from content.models import SalaryFigure
from content.page_cache import shared_page

from . import charts
from .projection import DEFAULT_HORIZON_YEARS, Plan, Profile, Projection, ProjectionError, best_next_steps, project
from .projection_forms import DEFAULT_OTHER_ROADMAP, DEFAULT_ROADMAP, CompareForm, ProjectionForm
from .projection_inputs import default_plans, load_reference

PAGE = "projection/projection.html"
COMPARE_PAGE = "projection/compare.html"
# A first visit: a beginner, national, on the default roadmap.
DEFAULTS = {"roadmap": DEFAULT_ROADMAP, "other": DEFAULT_OTHER_ROADMAP, "years": "0", "horizon": DEFAULT_HORIZON_YEARS}


def result_context(result: Projection) -> dict[str, object]:
    """What ``projection/_result.html`` needs besides the result: its two charts. The dashboard calls
    this too, to include the same result."""
    return {"result": result, "steps_chart": charts.steps_chart(result), "years_chart": charts.years_chart(result)}


def _profile(data: dict) -> Profile:
    return Profile(
        region=data["region"].key if data["region"] else None,
        work_setting=data["work_setting"].key if data["work_setting"] else None,
        years=data["years"],
        credentials=frozenset(credential.code for credential in data["credentials"]),
        education=frozenset(path.key for path in data["education"]),
    )


def _bound(form_class, request):
    """The form bound to the query string, with defaults for what the query leaves out."""
    data = request.GET.copy()
    for name, value in DEFAULTS.items():
        data.setdefault(name, str(value))
    return form_class(data)


def _projections(form, *fields: str) -> tuple[list[Projection], tuple, list[Plan]] | None:
    """Project the roadmaps named by ``fields`` for the form's person; None (and a form error) when
    the engine refuses the inputs."""
    data = form.cleaned_data
    reference, plans = load_reference(), {plan.key: plan for plan in default_plans()}
    person = _profile(data)
    try:
        results = [project(reference, person, plans[data[f].key], horizon_years=data["horizon"]) for f in fields]
        best = best_next_steps(reference, person, list(plans.values()), horizon_years=data["horizon"])
    except ProjectionError as error:
        form.add_error(None, str(error))
        return None
    return results, best, list(plans.values())


@shared_page(params=ProjectionForm.base_fields)
def projection(request):
    form = _bound(ProjectionForm, request)
    context: dict[str, object] = {"form": form}
    if form.is_valid() and (found := _projections(form, "roadmap")):
        context |= result_context(found[0][0]) | {"best": found[1]}
    return render(request, f"{PAGE}#results" if request.htmx else PAGE, context)


@shared_page(params=CompareForm.base_fields)
def compare(request):
    form = _bound(CompareForm, request)
    context: dict[str, object] = {"form": form}
    if form.is_valid() and (found := _projections(form, "roadmap", "other")):
        context |= {"results": [result_context(result) for result in found[0]], "best": found[1]}
    return render(request, f"{COMPARE_PAGE}#results" if request.htmx else COMPARE_PAGE, context)


@shared_page()
def method(request):
    figures = SalaryFigure.objects.with_subjects().filter(period=SalaryFigure.Period.ANNUAL)
    return render(request, "projection/method.html", {"reference": load_reference(), "figures": list(figures)})
