"""Public salary projection pages: one roadmap, two side by side, and the method.

Every page is a plain GET form: the URL carries the inputs, so a projection can be bookmarked and
shared; with htmx the results update as the inputs change. Invalid input re-renders the page (status
200, which htmx 2 swaps) with the message next to the field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.selectors import local_today
from accounts.services import profile_of
from content.models import Role, SalaryFigure
from content.page_cache import shared_page
from content.selectors import current_release, place_wages

from . import charts, editions, selectors
from .models import Enrollment, Roadmap
from .projection import DEFAULT_HORIZON_YEARS, Plan, Profile, Projection, ProjectionError, best_next_steps, project
from .projection_costs import costs_of
from .projection_forms import DEFAULT_OTHER_ROADMAP, DEFAULT_ROADMAP, CompareForm, ProjectionForm
from .projection_inputs import default_plans, load_reference

PAGE = "projection/projection.html"
COMPARE_PAGE = "projection/compare.html"
# A first visit: a beginner, national, on the default roadmap.
DEFAULTS = {"roadmap": DEFAULT_ROADMAP, "other": DEFAULT_OTHER_ROADMAP, "years": "0", "horizon": DEFAULT_HORIZON_YEARS}


def result_context(result: Projection) -> dict[str, object]:
    """What ``projection/_result.html`` needs besides the result: its two charts and what each step
    means for this person. The dashboard calls this too, to include the same result."""
    return {
        "result": result,
        "steps_chart": charts.steps_chart(result),
        "years_chart": charts.years_chart(result),
        "step_notes": step_notes(result),
        "starting_out": starting_out(result),
        "costs": costs_of(result),
    }


def starting_out(result: Projection) -> bool:
    """Someone not working in coding yet: no experience, credential or education to stand on, so
    "now" means "if you were working as a coder now"."""
    profile = result.profile
    return profile.years == 0 and not profile.credentials and not profile.education


def step_notes(result: Projection) -> dict[str, str]:
    """Step key -> why a step adds nothing by itself: where the raise comes instead, so a "+$0" is
    never left unexplained, and how sure its timing is."""
    notes: dict[str, str] = {}
    remaining = [s for s in result.steps if not s.done]
    for index, step in enumerate(remaining):
        if step.gain > 0:
            continue
        later = next((s for s in remaining[index + 1 :] if s.gain > 0), None)
        if later is None:
            notes[step.step.key] = (
                "No raise by itself: no source gives this step a figure above where the steps before leave you."
            )
        else:
            notes[step.step.key] = (
                f"No raise by itself: it opens the way, and the raise comes with “{later.step.title}” "
                f"(+${later.gain:,.0f})."
            )
    return notes


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


def projection(request):
    """Signed in, a first visit starts from the person's own profile (a redirect to the page with
    their inputs, which is cached like any other); everyone else starts from a beginner."""
    if request.method == "GET" and request.user.is_authenticated and not request.GET and not request.htmx:
        return redirect(_profile_projection_url(request.user))
    return _projection_page(request)


def _profile_projection_url(user) -> str:
    profile = profile_of(user)
    today = local_today(profile, timezone.now())
    person = selectors.projection_profile(profile, selectors.held_credentials_for(user), today)
    primary = Enrollment.objects.filter(user=user, is_primary=True, roadmap__is_default=True).select_related("roadmap")
    roadmap = next((e.roadmap for e in primary[:1]), None) or Roadmap(key=DEFAULT_ROADMAP)
    return selectors.projection_url(roadmap, person)


@shared_page(params=ProjectionForm.base_fields)
def _projection_page(request):
    form = _bound(ProjectionForm, request)
    context: dict[str, object] = {"form": form}
    if form.is_valid() and (found := _projections(form, "roadmap")):
        context |= result_context(found[0][0]) | {"best": found[1]}
        context["place_wages"] = place_wages(form.cleaned_data["region"], form.cleaned_data["work_setting"])
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
    """The method, with the edition each number comes from and what changed between editions."""
    figures = list(SalaryFigure.objects.with_subjects().filter(period=SalaryFigure.Period.ANNUAL))
    reference = load_reference()
    context = {
        "reference": reference,
        "figures": figures,
        "release": current_release(),
        "changes": editions.changes(figures, reference),
        "occupations": editions.occupations(Role.objects.order_by("order", "name")),
    }
    return render(request, "projection/method.html", context)


@login_required
@require_POST
def save_what_if(request):
    """Keep a what-if: where the person works, the setting and their years of experience (as a career
    start date) go into their profile, so the dashboard shows the same numbers. Credentials held are
    recorded on the profile page, with the date each was earned."""
    query = QueryDict(request.POST.get("query", "")[:2000])
    form = ProjectionForm(query)
    if not form.is_valid():
        messages.error(request, "These inputs could not be saved: check them in the form.")
        return redirect(f"{reverse('projection:projection')}?{query.urlencode()}")
    profile = profile_of(request.user)
    today = local_today(profile, timezone.now())
    years = form.cleaned_data["years"]
    profile.region = form.cleaned_data["region"]
    profile.work_setting = form.cleaned_data["work_setting"]
    if years != selectors.years_of_experience(profile, today):
        profile.career_start = today - dt.timedelta(days=round(years * Decimal("365.25"))) if years else None
    profile.save()
    profile.education.set(form.cleaned_data["education"])
    messages.success(
        request,
        "Saved to your profile: location, work setting, years of experience and education. Your dashboard "
        "now uses them; record credentials you hold on your profile page.",
    )
    return redirect(f"{reverse('projection:projection')}?{query.urlencode()}")
