"""School staff pages (through schools.access, so foreign ids are 404) and how students join."""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from content.edition import current_edition
from content.page_cache import normalised_query, personal_page
from lib.hooks import Section
from lib.spreadsheet import csv_response
from roadmap.models import Roadmap

from . import access, services
from .forms import (
    AddStepForm,
    AssignForm,
    CohortForm,
    CopyRoadmapForm,
    InstructorForm,
    InviteForm,
    JoinForm,
    RosterForm,
    SharingForm,
    StaffForm,
    TargetsForm,
)
from .models import STAFF_ROLES, CohortStudent, Invitation, Membership, Role, Submission
from .receivers import INVITATION_SESSION_KEY
from .selectors import SORTS, cohort_dashboard, pending_invitations
from .versions import cohort_access

ROSTER_SESSION_KEY = "roster-{}"
STUDENTS_PER_PAGE = 50
DEFAULT_ROADMAP_KEY = "outpatient-aapc"  # the most common route: what a new cohort most likely follows
COHORT_PARAMS = ("sort", "behind", "page")
SORT_CHOICES = [("name", "Name"), ("progress", "Progress"), ("activity", "Last activity"), ("behind", "Behind first")]


@login_required
def my_schools(request):
    memberships = Membership.objects.filter(user=request.user, role__in=STAFF_ROLES).select_related("school")
    return render(request, "schools/my_schools.html", {"memberships": memberships, "join_form": JoinForm()})


def _school_context(request, membership, **forms):
    school = membership.school
    return {
        "membership": membership,
        "school": school,
        "cohorts": access.visible_cohorts(membership).annotate(
            student_count=Count("students", distinct=True),
            invited_count=Count(
                "invitations",
                filter=Q(invitations__accepted_at__isnull=True, invitations__expires_at__gt=timezone.now()),
                distinct=True,
            ),
        ),
        "staff": access.school_staff(membership),
        "roadmaps": access.school_roadmaps(membership).order_by("name"),
        "cohort_form": forms.get("cohort_form") or CohortForm(),
        "staff_form": forms.get("staff_form") or StaffForm(),
        "copy_form": forms.get("copy_form") or CopyRoadmapForm(initial={"source": _default_roadmap()}),
    }


def _default_roadmap() -> Roadmap | None:
    return Roadmap.objects.filter(key=DEFAULT_ROADMAP_KEY, is_default=True).first()


def _suggested_roadmap(membership) -> Roadmap | None:
    """A new cohort most likely follows the school's own roadmap, else the most common route."""
    return access.school_roadmaps(membership).order_by("name").first() or _default_roadmap()


@login_required
def school(request, slug: str):
    membership = access.staff_membership(request, slug)
    return render(request, "schools/school.html", _school_context(request, membership))


@login_required
@require_POST
def create_cohort(request, slug: str):
    membership = access.staff_membership(request, slug)
    form = CohortForm(request.POST)
    if not form.is_valid():
        return render(request, "schools/school.html", _school_context(request, membership, cohort_form=form))
    cohort = form.save(commit=False)
    cohort.school = membership.school
    cohort.save()
    if membership.role == Role.INSTRUCTOR:
        cohort.instructors.add(request.user)
    messages.success(request, f"Cohort {cohort.name} created. Students join with the code {cohort.join_code}.")
    return redirect(cohort)


@login_required
@require_POST
def add_staff(request, slug: str):
    membership = access.admin_membership(request, slug)
    form = StaffForm(request.POST)
    if not form.is_valid():
        return render(request, "schools/school.html", _school_context(request, membership, staff_form=form))
    Membership.objects.update_or_create(
        school=membership.school, user=form.cleaned_data["email"], defaults={"role": form.cleaned_data["role"]}
    )
    messages.success(request, f"{form.cleaned_data['email'].email} is now staff of {membership.school}.")
    return redirect(membership.school)


@login_required
@require_POST
def toggle_digest(request, slug: str):
    membership = access.staff_membership(request, slug)
    membership.weekly_digest = request.POST.get("weekly_digest") == "on"
    membership.save(update_fields=["weekly_digest"])
    messages.success(request, "Weekly digest " + ("on." if membership.weekly_digest else "off."))
    return redirect(membership.school)


@login_required
@require_POST
def copy_roadmap(request, slug: str):
    membership = access.staff_membership(request, slug)
    form = CopyRoadmapForm(request.POST)
    if not form.is_valid():
        return render(request, "schools/school.html", _school_context(request, membership, copy_form=form))
    copy = services.copy_roadmap(membership.school, form.cleaned_data["source"], name=form.cleaned_data["name"])
    return redirect("schools:roadmap", slug, copy.key)


@login_required
def school_roadmap(request, slug: str, key: str):
    membership, roadmap = access.school_roadmap_for(request, slug, key)
    form = AddStepForm(request.POST or None, roadmap=roadmap)
    if request.method == "POST" and form.is_valid():
        services.add_step(roadmap, **form.cleaned_data)
        messages.success(request, f"Added: {form.cleaned_data['title']}.")
        return redirect("schools:roadmap", slug, key)
    steps = roadmap.steps.order_by("order").prefetch_related("prerequisites")
    return render(
        request, "schools/roadmap.html", {"school": membership.school, "roadmap": roadmap, "steps": steps, "form": form}
    )


@login_required
@require_POST
def move_step(request, slug: str, key: str, step_pk: int):
    _, step = access.school_step_for(request, slug, key, step_pk)
    if not services.move_step(step, up=request.POST.get("direction") == "up"):
        messages.error(request, f"“{step.title}” cannot move there: a step cannot come before what it requires.")
    return redirect("schools:roadmap", slug, key)


def _cohort_context(request, membership, cohort, **forms) -> dict:
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "name"
    behind_only = request.GET.get("behind") == "1"
    data = cohort_dashboard(cohort, today=timezone.localdate(), sort=sort, behind_only=behind_only)
    steps = [stat.step for stat in data["steps"]]
    targets = {stat.step.pk: stat.target_on for stat in data["steps"]}
    # The whole cohort is computed anyway (for the per-step rates), so paging the rows costs no query.
    page = Paginator(data["rows"], STUDENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({"sort": sort} | ({"behind": "1"} if behind_only else {}))
    assignment = data["assignment"]
    reviewed = set(assignment.reviewed_steps.values_list("pk", flat=True)) if assignment else set()
    return data | {
        "awaiting_review": Submission.objects.filter(cohort=cohort, state=Submission.State.AWAITING).count(),
        "page": page,
        "query": query,
        "membership": membership,
        "cohort": cohort,
        "school": membership.school,
        "sort": sort,
        "behind_only": behind_only,
        "assign_form": forms.get("assign_form")
        or AssignForm(
            roadmaps=access.assignable_roadmaps(membership),
            initial={"roadmap": data["assignment"].roadmap, "start_on": data["assignment"].start_on}
            if data["assignment"]
            else {"roadmap": _suggested_roadmap(membership), "start_on": cohort.starts_on},
        ),
        "invitations": pending_invitations(cohort),
        "now": timezone.now(),
        "targets_form": forms.get("targets_form") or TargetsForm(steps=steps, targets=targets, reviewed=reviewed),
        "roster_form": forms.get("roster_form") or RosterForm(),
        "invite_form": forms.get("invite_form") or InviteForm(),
        "instructor_form": forms.get("instructor_form") or InstructorForm(staff=access.school_staff(membership)),
        "sort_choices": SORT_CHOICES,
    }


@login_required
def cohort(request, slug: str, pk: int):
    """Cached under the cohort's version (any change to it or its students' data moves it on), the
    data's edition, the viewer's role, the day and the query. The access check is remembered under
    the same version (see cohort_access)."""
    membership, cohort, version = cohort_access(request, slug, pk)
    request.GET = normalised_query(request.GET, COHORT_PARAMS)
    template = "schools/cohort.html#student-table" if request.htmx else "schools/cohort.html"
    key = ":".join(
        [
            f"cohort:{cohort.pk}:{version}:{current_edition()}",
            f"{membership.pk}:{membership.role}:{timezone.localdate():%Y%m%d}:{bool(request.htmx):d}",
            request.GET.urlencode()[:200],
        ]
    )
    return personal_page(
        request, key=key, template_name=template, build=lambda: (_cohort_context(request, membership, cohort), {})
    )


@login_required
def export_cohort(request, slug: str, pk: int):
    membership, cohort = access.cohort_for(request, slug, pk)
    data = cohort_dashboard(cohort, today=timezone.localdate())
    rows = [
        [
            r.user.email,
            r.user.get_full_name(),
            r.percent,
            r.current,
            "yes" if r.behind else "no",
            r.last_activity.date().isoformat() if r.last_activity else "",
        ]
        for r in data["rows"]
    ]
    header = ["email", "name", "progress_percent", "current_step", "behind_schedule", "last_activity"]
    return csv_response(f"{cohort.school.slug}-cohort-{cohort.pk}.csv", header, rows)


@login_required
@require_POST
def assign(request, slug: str, pk: int):
    membership, cohort = access.cohort_for(request, slug, pk)
    form = AssignForm(request.POST, roadmaps=access.assignable_roadmaps(membership))
    if not form.is_valid():
        return render(request, "schools/cohort.html", _cohort_context(request, membership, cohort, assign_form=form))
    roadmap = form.cleaned_data["roadmap"]
    services.assign_roadmap(cohort, roadmap, start_on=form.cleaned_data["start_on"])
    count = cohort.students.count()
    if count:
        who = "The student" if count == 1 else f"All {count} students"
        messages.success(request, f"{who} of {cohort.name} now follow{'s' if count == 1 else ''} {roadmap.name}.")
    else:
        messages.success(
            request,
            f"{cohort.name} will follow {roadmap.name}. It has no students yet: each one gets the roadmap on joining.",
        )
    return redirect(cohort)


@login_required
@require_POST
def set_targets(request, slug: str, pk: int):
    membership, assignment = access.assignment_for(request, slug, pk)
    cohort = assignment.cohort
    steps = list(assignment.roadmap.steps.order_by("order"))
    form = TargetsForm(request.POST, steps=steps, targets={})
    if not form.is_valid():
        return render(request, "schools/cohort.html", _cohort_context(request, membership, cohort, targets_form=form))
    services.assign_roadmap(
        cohort, assignment.roadmap, start_on=assignment.start_on, targets=form.targets(), reviewed=form.reviewed()
    )
    messages.success(request, "Target dates and reviewed steps saved.")
    return redirect(cohort)


@login_required
@require_POST
def add_instructor(request, slug: str, pk: int):
    membership, cohort = access.cohort_for(request, slug, pk)
    form = InstructorForm(request.POST, staff=access.school_staff(membership))
    if not form.is_valid():
        context = _cohort_context(request, membership, cohort, instructor_form=form)
        return render(request, "schools/cohort.html", context)
    cohort.instructors.add(form.cleaned_data["instructor"])
    messages.success(request, f"{form.cleaned_data['instructor'].email} now teaches {cohort.name}.")
    return redirect(cohort)


@login_required
def roster(request, slug: str, pk: int):
    """Two steps, each ending on a page that can be reloaded: an upload is checked whole and the
    report shown on this page (Post/Redirect/Get, the report kept in the session); nothing is
    imported until the file is clean and the person confirms. The confirmation names the checked
    file by its SHA-256 and imports only that file; a failed check replaces any earlier one."""
    membership, cohort = access.cohort_for(request, slug, pk)
    key = ROSTER_SESSION_KEY.format(cohort.pk)
    stored = request.session.get(key)
    if not isinstance(stored, dict) or "sha256" not in stored:
        stored = None  # nothing checked, or a session from before files were named by their hash
    if request.method != "POST":
        check = (
            services.RosterCheck(
                rows=[services.RosterRow(**row) for row in stored["rows"]],
                errors=[tuple(e) for e in stored["errors"]],
                sha256=stored["sha256"],
            )
            if stored
            else None
        )
        context = {"school": membership.school, "cohort": cohort, "check": check, "form": RosterForm()}
        return render(request, "schools/roster.html", context | {"roster_name": stored["name"] if stored else ""})
    if request.POST.get("confirm") == "yes":
        request.session.pop(key, None)
        if not stored or stored["errors"] or not stored["rows"] or request.POST.get("sha256") != stored["sha256"]:
            messages.error(request, "Nothing was imported: upload the roster again and confirm the file it shows.")
            return redirect("schools:roster", slug, pk)
        rows = [services.RosterRow(**row) for row in stored["rows"]]
        joined, invited = services.import_roster(cohort, rows, invited_by=request.user, request=request)
        messages.success(request, f"Roster imported: {joined} joined, {invited} invited by email.")
        return redirect(cohort)
    request.session.pop(key, None)
    form = RosterForm(request.POST, request.FILES)
    if not form.is_valid():
        context = {"school": membership.school, "cohort": cohort, "check": None, "form": form}
        return render(request, "schools/roster.html", context)
    check = services.check_roster(form.cleaned_data["file"].read())
    request.session[key] = {
        "sha256": check.sha256,
        "name": form.cleaned_data["file"].name,
        "rows": [row.__dict__ for row in check.rows],
        "errors": check.errors,
    }
    if check.ok:
        count = len(check.rows)
        messages.success(request, f"The file is clean: {count} student{'s' if count != 1 else ''} ready to import.")
    else:
        messages.error(request, "Nothing was imported: the file has problems, listed below.")
    return redirect("schools:roster", slug, pk)


@login_required
@require_POST
def invite(request, slug: str, pk: int):
    membership, cohort = access.cohort_for(request, slug, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return render(request, "schools/cohort.html", _cohort_context(request, membership, cohort, invite_form=form))
    services.invite(cohort, invited_by=request.user, request=request, **form.cleaned_data)
    messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
    return redirect(cohort)


def _invitation_for(request, slug: str, pk: int, invitation_pk: int) -> tuple[Membership, Invitation]:
    membership, cohort = access.cohort_for(request, slug, pk)
    invitation = get_object_or_404(
        Invitation.objects.select_related("cohort__school"), pk=invitation_pk, cohort=cohort, accepted_at__isnull=True
    )
    return membership, invitation


@login_required
@require_POST
def resend_invitation(request, slug: str, pk: int, invitation_pk: int):
    _, invitation = _invitation_for(request, slug, pk, invitation_pk)
    services.resend_invitation(invitation, invited_by=request.user, request=request)
    messages.success(request, f"Invitation sent again to {invitation.email}; the earlier link no longer works.")
    return redirect(invitation.cohort)


@login_required
@require_POST
def revoke_invitation(request, slug: str, pk: int, invitation_pk: int):
    _, invitation = _invitation_for(request, slug, pk, invitation_pk)
    services.revoke_invitation(invitation)
    messages.success(request, f"Invitation of {invitation.email} revoked: its link no longer works.")
    return redirect(invitation.cohort)


@login_required
def join(request, code: str | None = None):
    form = JoinForm(request.POST or None, initial={"code": code})
    if request.method == "POST" and form.is_valid():
        cohort = services.join_by_code(
            form.cleaned_data["code"], request.user, shares_after=form.cleaned_data["shares_after"]
        )
        if cohort:
            messages.success(request, f"You joined {cohort.name} at {cohort.school.name}.")
            return redirect("roadmap:dashboard")
        form.add_error("code", "No cohort has this code; check it with your instructor.")
    return render(request, "schools/join.html", {"form": form})


def accept(request, token: str):
    """An invitation link. Anyone may open it: a visitor without an account is told who invites
    them, then signs up with the invited address already filled in (and verified: the link reached
    it) and lands in the cohort; a signed-in person accepts it with one click."""
    if request.method == "POST" and request.user.is_authenticated:
        cohort = services.accept_invitation(token, request.user, shares_after=request.POST.get("shares_after") == "on")
        if cohort:
            request.session.pop(INVITATION_SESSION_KEY, None)
            messages.success(request, f"You joined {cohort.name} at {cohort.school.name}.")
            return redirect("roadmap:dashboard")
        messages.error(request, "This invitation is used, expired, or was sent to another address.")
        return redirect("roadmap:dashboard")
    invitation = services.open_invitation(token)
    context = {"invitation": invitation}
    if invitation and not request.user.is_authenticated:
        request.session[INVITATION_SESSION_KEY] = token
        request.session["invitation_label"] = f"{invitation.cohort.name} at {invitation.cohort.school.name}"
        get_adapter(request).stash_verified_email(request, invitation.email)
        context |= {
            "has_account": services.has_account(invitation.email),
            "login_url": f"{reverse('account_login')}?next={request.path}",
        }
    elif invitation:
        context["for_someone_else"] = invitation.email != request.user.email
    return render(request, "schools/accept.html", context)


def sharing_section(request, bound: dict) -> Section:
    """On the profile: whether the school keeps seeing the person's progress after each cohort ends."""
    places = _places(request.user)
    if not places:
        return Section("schools/_sharing.html", {"sharing_form": None})
    return Section("schools/_sharing.html", {"sharing_form": bound.get("sharing") or SharingForm(places=places)})


def _places(user) -> list[CohortStudent]:
    return list(CohortStudent.objects.filter(user=user).select_related("cohort__school").order_by("-cohort__starts_on"))


@login_required
@require_POST
def sharing(request):
    form = SharingForm(request.POST, places=_places(request.user))
    if form.is_valid():
        for place in services.set_sharing(request.user, form.choices()):
            messages.warning(
                request,
                f"{place.cohort.school.name} no longer sees your progress once {place.cohort.name} has ended, and "
                "you are not counted in its future outcomes reports. Reports it already made stay as they were.",
            )
        messages.success(request, "Your sharing choices are saved.")
    return redirect("accounts:profile")
