"""The roadmap's parts of a person's account pages: the credentials they hold (shown on the profile,
added and removed here), their progress as CSV, and their roadmap data in the export. Plugged into
accounts.hooks in RoadmapConfig.ready()."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.export import iso
from accounts.selectors import local_today
from accounts.services import profile_of
from accounts.views import profile_page
from lib.hooks import Section
from lib.spreadsheet import csv_response

from . import services
from .forms import HeldCredentialForm
from .models import Enrollment, HeldCredential, ProgressEvent

PROGRESS_HEADER = ["roadmap", "step", "status", "started_on", "completed_on", "evidence", "note"]


def held_credentials_section(request, bound: dict) -> Section:
    held = HeldCredential.objects.filter(user=request.user, ended_on__isnull=True).select_related("credential")
    form = bound.get("credential") or HeldCredentialForm()
    return Section("roadmap/_held_credentials.html", {"held": held, "credential_form": form})


@login_required
@require_POST
def add_credential(request):
    form = HeldCredentialForm(request.POST)
    if form.is_valid():
        today = local_today(profile_of(request.user), timezone.now())
        credential, earned_on = form.cleaned_data["credential"], form.cleaned_data["earned_on"]
        if earned_on > today:
            form.add_error("earned_on", "The date you earned it cannot be in the future.")
        elif services.record_credential(request.user, credential, earned_on=earned_on) is None:
            form.add_error("credential", "You already hold this credential.")
        else:
            messages.success(request, f"Recorded: {credential.code}.")
            return redirect("accounts:profile")
    return profile_page(request, bound={"credential": form})


@login_required
@require_POST
def remove_credential(request, pk: int):
    held = get_object_or_404(HeldCredential.objects.select_related("credential"), pk=pk, user=request.user)
    services.forget_credential(held)
    messages.success(request, f"Removed: {held.credential.code}.")
    return redirect("accounts:profile")


@login_required
def export_progress_csv(request):
    return csv_response("coding-career-roadmap-progress.csv", PROGRESS_HEADER, progress_rows(request.user))


def downloads(user) -> list[tuple[str, str]]:
    return [("Download your progress (CSV)", reverse("roadmap:export-progress"))]


def progress_rows(user) -> list[list[object]]:
    rows = []
    for enrollment in Enrollment.objects.filter(user=user).select_related("roadmap").prefetch_related("progress__step"):
        for p in enrollment.progress.all():
            rows.append(
                [
                    enrollment.roadmap.name,
                    p.step.title,
                    p.get_status_display(),
                    iso(p.started_on),
                    iso(p.completed_on),
                    p.evidence,
                    p.note,
                ]
            )
    return rows


def personal_data(user) -> dict:
    enrollments = Enrollment.objects.filter(user=user).select_related("roadmap").prefetch_related("progress__step")
    events = ProgressEvent.objects.filter(progress__enrollment__user=user).select_related("progress__step")
    return {
        "roadmaps": [_enrollment(e) for e in enrollments],
        "credentials_held": [
            {
                "credential": h.credential.code,
                "earned_on": iso(h.earned_on),
                "cycle_ends_on": iso(h.cycle_ends_on),
                "ended_on": iso(h.ended_on),
                "end_reason": h.end_reason,
            }
            for h in HeldCredential.objects.filter(user=user).select_related("credential")
        ],
        "timeline": [
            {"at": e.at.isoformat(), "step": e.progress.step.title, "status": e.status, "undone": e.undone}
            for e in events
        ],
    }


def deletion_summary(user) -> list[str]:
    roadmaps = Enrollment.objects.filter(user=user).count()
    held = HeldCredential.objects.filter(user=user).count()
    return [
        f"the {_count(roadmaps, 'roadmap')} you follow and your progress on them",
        f"the {_count(held, 'credential')} you recorded",
    ]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _enrollment(enrollment: Enrollment) -> dict:
    return {
        "roadmap": enrollment.roadmap.name,
        "primary": enrollment.is_primary,
        "steps": [
            {
                "step": p.step.title,
                "status": p.status,
                "started_on": iso(p.started_on),
                "completed_on": iso(p.completed_on),
                "note": p.note,
                "evidence": p.evidence,
            }
            for p in enrollment.progress.all()
        ],
    }
