"""Public pages of the reference data: credential, role and education pages, and every salary figure."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

from . import hooks, selectors
from .forms import SalaryFilterForm
from .models import Credential, EducationPath, Role, SalaryFigure
from .page_cache import shared_page

FIGURES_PER_PAGE = 50
ESTIMATES_PER_PAGE = 50
ESTIMATES_PAGE = "estimates_page"  # the page of BLS estimates; "page" stays the cited figures'


def health(request):
    """For load balancers, and the load benchmark's floor: the middleware, no database."""
    return HttpResponse("ok", content_type="text/plain")


@shared_page()
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
    roadmaps = _roadmaps_including(credential)
    context = {"credential": credential, "figures": figures, "roadmaps": roadmaps}
    return render(request, "content/credential_detail.html", context | {"release": selectors.current_release()})


@shared_page()
def role_detail(request, key: str):
    role = get_object_or_404(Role.objects.select_related("band"), key=key)
    figures = list(role.figures.with_subjects())
    band_figures = list(role.band.figures.with_subjects())
    roadmaps = _roadmaps_including(role)
    context = {"role": role, "figures": figures, "band_figures": band_figures, "roadmaps": roadmaps}
    context["occupation_wages"] = selectors.national_wages(role.bls_occupation) if role.bls_occupation else None
    context["projection_occupation"] = selectors.PROJECTION_OCCUPATION
    return render(request, "content/role_detail.html", context)


@shared_page()
def education_detail(request, key: str):
    education = get_object_or_404(EducationPath, key=key)
    credentials = list(education.credentials.select_related("body"))
    figures = list(education.figures.with_subjects())
    roadmaps = _roadmaps_including(education)
    return render(
        request,
        "content/education_detail.html",
        {"education": education, "credentials": credentials, "figures": figures, "roadmaps": roadmaps},
    )


@shared_page(params=[*SalaryFilterForm.base_fields, "page", ESTIMATES_PAGE])
def salaries(request):
    """The cited figures and the BLS estimates, each table paginated on its own."""
    form = SalaryFilterForm(request.GET or None)
    figures, estimates = SalaryFigure.objects.with_subjects(), selectors.ordered_estimates()
    if form.is_bound and form.is_valid():
        figures, estimates = form.filter(figures), form.filter_estimates(estimates)
    elif form.is_bound:
        figures, estimates = figures.none(), estimates.none()
    page = Paginator(figures, FIGURES_PER_PAGE).get_page(request.GET.get("page"))
    estimates_page = Paginator(estimates, ESTIMATES_PER_PAGE).get_page(request.GET.get(ESTIMATES_PAGE))
    rows, notes = selectors.footnoted(estimates_page.object_list)
    context = {
        "form": form,
        "page": page,
        "query": _query_without(request, "page"),
        "estimates_page": estimates_page,
        "estimate_rows": rows,
        "estimate_notes": notes,
        "estimates_query": _query_without(request, ESTIMATES_PAGE),
    }
    template = "content/salaries.html#figure-table" if request.htmx else "content/salaries.html"
    return render(request, template, context)


def _roadmaps_including(subject) -> list:
    return [roadmap for plugin in hooks.roadmaps_including for roadmap in plugin(subject)]


def _query_without(request, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


THEMES = ("light", "dark")
THEME_COOKIE = "theme"
THEME_COOKIE_AGE = 365 * 24 * 60 * 60


def theme_css(request):
    """The colours the person chose, loaded last in every page's <head> so they win over the system
    setting without a flash and without JavaScript; no choice (or "auto") adds nothing."""
    choice = request.COOKIES.get(THEME_COOKIE)
    if choice not in THEMES:
        choice = "auto"
    body = f'@import url("{static(f"css/{choice}.css")}");\n' if choice != "auto" else "/* the system's colours */\n"
    # Without JavaScript the switch still shows the choice (theme.js also sets aria-pressed).
    body += f'.theme-switch button[value="{choice}"] {{ background: var(--accent); color: var(--accent-ink); }}\n'

    response = HttpResponse(body, content_type="text/css")
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Cookie",))
    return response


def set_theme(request):
    """The theme switch as a plain link or form (GET: it only sets a display preference): remember
    light, dark or auto (the system's) in a cookie and go back to the page."""
    choice = request.GET.get("theme", "auto")
    next_url = request.GET.get("next", "/")
    # Only a path on this site; anything else (another host, a bare word) goes home.
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if choice in THEMES:
        # Not HttpOnly: theme.js reads it to show which button is pressed. It holds no secret.
        response.set_cookie(
            THEME_COOKIE, choice, max_age=THEME_COOKIE_AGE, samesite="Lax", secure=request.is_secure(), httponly=False
        )
    else:
        response.delete_cookie(THEME_COOKIE, samesite="Lax")
    return response
