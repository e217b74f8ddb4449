"""A person's dashboard: the roadmaps they follow, step by step, and changes to their progress."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.selectors import local_today
from accounts.services import profile_of
from accounts.versions import version_of
from content.edition import current_edition
from content.page_cache import personal_page

from . import charts, hooks, selectors, services
from .forms import StepChangeForm
from .models import Enrollment, Roadmap, ShareLink, StepProgress
from .projection_inputs import load_reference

DASHBOARD = "roadmap/dashboard.html"


def _get_enrollment_for_user(request, pk: int) -> Enrollment:
    """The signed-in person's enrolment, with everything the dashboard draws; 404 for anyone else's."""
    return get_object_or_404(selectors.enrollments_for(request.user), pk=pk)


def _get_step_of(enrollment: Enrollment, step_pk: int):
    for step in enrollment.roadmap.steps.all():
        if step.pk == step_pk:
            return step
    raise Http404("No such step in this roadmap.")


def _dashboard_context(
    request,
    *,
    invalid: tuple[int, int, StepChangeForm] | None = None,
    only: Enrollment | None = None,
    owner=None,
):
    """Everything the dashboard shows; ``invalid`` is (enrolment, step, bound form) to show errors.
    ``owner``: someone else's progress, read-only (a share link): no boxes, timeline or choices."""
    user = owner or request.user
    profile = profile_of(user)
    today = local_today(profile, timezone.now())
    held = selectors.held_credentials_for(user)
    undoable = set() if owner else selectors.undoable_progress_ids(user)
    targets = hooks.targets_for(user)
    badges = {} if owner else hooks.badges_for(user)
    enrollments = [only] if only else list(selectors.enrollments_for(user))
    reference = load_reference() if enrollments else None
    person = selectors.projection_profile(profile, held, today)
    views = []
    for enrollment in enrollments:
        view = selectors.build_enrollment_view(
            enrollment, profile=profile, held=held, today=today, targets=targets, undoable=undoable
        )
        view.projection = selectors.projection_for(view, reference=reference, person=person)
        view.projection_url = selectors.projection_url(view.enrollment.roadmap, person)
        view.map = _map_of(view)
        for row in view.rows:
            row.badge = badges.get(row.step.pk)
            # Forms are drawn on demand ("Update this step"), except one that came back with errors.
            if invalid and invalid[0] == enrollment.pk and invalid[1] == row.step.pk:
                row.form = invalid[2]
        views.append(view)
    read_only = only or owner
    return {
        "profile": profile,
        "today": today,
        "sections": [] if read_only else _sections(request, today),
        "views": views,
        "held": [h for h in held if h.is_active],
        "timeline": [] if read_only else selectors.timeline_for(user),
        "roadmaps": [] if read_only or views else list(Roadmap.objects.filter(is_default=True)),
        "share_link": None if read_only else ShareLink.objects.filter(user=user).first(),
    }


def _map_of(view) -> dict:
    """The roadmap as a map: each step's status and its projected salary, linking to the step below."""
    projected = {s.step.key: s for s in view.projection.steps} if view.projection else {}
    steps = []
    for number, row in enumerate(view.rows, start=1):
        step = projected.get(row.step.key)
        salary = f"${step.salary.typical:,.0f} projected" if step and not step.done else ""
        steps.append(
            charts.MapStep(
                key=row.step.key,
                number=number,
                title=row.step.title,
                requires=tuple(p.key for p in row.step.prerequisites.all()),
                url=f"#step-{view.enrollment.pk}-{row.step.pk}",
                status=row.status,
                status_label=row.status_label,
                salary=salary,
            )
        )
    return charts.roadmap_maps(steps)


def _sections(request, today) -> list[str]:
    """The boxes other apps draw above the roadmaps (renewals, from ceu)."""
    return [section.render(request) for plugin in hooks.dashboard_sections if (section := plugin(request, today))]


@login_required
def dashboard(request):
    """Cached under the person's version and the data's edition, for their local day."""
    user_id = request.user.pk
    key = f"dashboard:{user_id}:{version_of(request.user)}:{current_edition()}"

    def build():
        context = _dashboard_context(request)
        return context, {"today": context["today"], "time_zone": context["profile"].time_zone}

    return personal_page(request, key=key, template_name=DASHBOARD, build=build, still_valid=_same_local_day)


def _same_local_day(meta: dict) -> bool:
    return timezone.now().astimezone(ZoneInfo(meta["time_zone"])).date() == meta["today"]


def _render_enrollment(request, enrollment_pk: int, *, invalid=None, notices: list[str] | None = None):
    """After a change: for htmx, the enrolment's section and, out of band, every other part of the
    page the change touches and what happened (roadmap/_step_saved.html); otherwise the whole
    dashboard, with the notices as messages."""
    if request.htmx:
        enrollment = _get_enrollment_for_user(request, enrollment_pk)
        context = _dashboard_context(request, invalid=invalid, only=enrollment)
        context["view"] = context["views"][0]
        if invalid:
            return render(request, f"{DASHBOARD}#enrollment", context)
        context |= {"sections": _sections(request, context["today"]), "notices": notices or []}
        return render(request, "roadmap/_step_saved.html", context)
    for notice in notices or []:
        messages.success(request, notice)
    if invalid:
        enrollment_pk, step_pk, form = invalid
        enrollment = _get_enrollment_for_user(request, enrollment_pk)
        context = {"enrollment": enrollment, "step": _get_step_of(enrollment, step_pk), "form": form}
        return render(request, "roadmap/step_edit.html", context)
    return redirect(f"{reverse('roadmap:dashboard')}#enrollment-{enrollment_pk}")


def _step_form(enrollment: Enrollment, step, data=None) -> StepChangeForm:
    """Unbound, it shows the step as it stands; bound, it validates a change (applied by the service)."""
    progress = None if data is not None else next((p for p in enrollment.progress.all() if p.step_id == step.pk), None)
    return StepChangeForm(data, instance=progress, prefix=f"e{enrollment.pk}-s{step.pk}")


@login_required
def change_step(request, enrollment_pk: int, step_pk: int):
    """GET: the step's form (a fragment for htmx, a page without). POST: save it."""
    enrollment = _get_enrollment_for_user(request, enrollment_pk)
    step = _get_step_of(enrollment, step_pk)
    if request.method != "POST":
        template = "roadmap/step_edit.html#step-form" if request.htmx else "roadmap/step_edit.html"
        return render(request, template, {"enrollment": enrollment, "step": step, "form": _step_form(enrollment, step)})
    form = _step_form(enrollment, step, request.POST)
    if form.is_valid():
        today = local_today(profile_of(request.user), timezone.now())
        try:
            progress = services.change_step(enrollment, step, today=today, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            return _render_enrollment(request, enrollment.pk, notices=_saved_notices(progress, step))
    return _render_enrollment(request, enrollment.pk, invalid=(enrollment.pk, step.pk, form))


def _saved_notices(progress: StepProgress, step) -> list[str]:
    """What a saved step changed, in words: its new status, and a credential it recorded."""
    notices = [f"Saved: {step.title} is now {progress.get_status_display().lower()}."]
    event = progress.events.select_related("recorded_credential__credential").order_by("-at", "-id").first()
    if event and event.recorded_credential:
        code = event.recorded_credential.credential.code
        notices.append(f"{code} is now among your credentials: track its CEUs and renewal on the CEUs page.")
    return notices


@login_required
@require_POST
def undo_step(request, enrollment_pk: int, step_pk: int):
    enrollment = _get_enrollment_for_user(request, enrollment_pk)
    step = _get_step_of(enrollment, step_pk)
    progress = get_object_or_404(StepProgress, enrollment=enrollment, step=step)
    undone = services.undo_last_change(progress)
    notices = [f"Undone: the last change to {step.title}."] if undone else []
    return _render_enrollment(request, enrollment.pk, notices=notices)


@login_required
@require_POST
def follow(request, key: str):
    roadmap = get_object_or_404(Roadmap, key=key, is_default=True)
    services.follow_roadmap(request.user, roadmap)
    messages.success(request, f"You now follow {roadmap.name}.")
    return redirect("roadmap:dashboard")


@login_required
@require_POST
def make_primary(request, enrollment_pk: int):
    enrollment = get_object_or_404(Enrollment, pk=enrollment_pk, user=request.user)
    services.make_primary(enrollment)
    return redirect("roadmap:dashboard")


@login_required
@require_POST
def unfollow(request, enrollment_pk: int):
    enrollment = get_object_or_404(Enrollment.objects.select_related("roadmap"), pk=enrollment_pk, user=request.user)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm: your progress on that roadmap would be deleted.")
        return redirect("roadmap:dashboard")
    services.unfollow(enrollment)
    messages.success(request, f"You no longer follow {enrollment.roadmap.name}.")
    return redirect("roadmap:dashboard")


@login_required
@require_POST
def share(request):
    """Make (or replace) the read-only link to one's progress; the address is shown once, here."""
    token = services.make_share_link(request.user)
    url = request.build_absolute_uri(reverse("roadmap:shared", args=[token]))
    messages.success(request, f"Your read-only link (shown only now; copy it): {url}")
    return redirect(f"{reverse('roadmap:dashboard')}#share")


@login_required
@require_POST
def unshare(request):
    if services.revoke_share_link(request.user):
        messages.success(request, "Your share link is revoked: it no longer opens anything.")
    return redirect(f"{reverse('roadmap:dashboard')}#share")


def shared(request, token: str):
    """Someone's progress and projection, read-only, for whoever has the link: no email address, no
    notes or evidence, not indexed by search engines; 404 once revoked."""
    owner = services.user_for_share_token(token)
    if owner is None:
        raise Http404("This link was revoked or never existed.")
    context = _dashboard_context(request, owner=owner) | {"owner_name": owner.first_name or "Someone"}
    response = render(request, "roadmap/shared.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"  # the token is in the address: never pass it on
    return response
