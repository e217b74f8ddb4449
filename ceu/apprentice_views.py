"""The apprentice tracker page: the routes to removing the "A", their checklists and dates, and
what it is worth."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from accounts.models import Profile
from accounts.services import profile_of
from content.models import Credential
from roadmap.models import HeldCredential

from . import apprentice
from .forms import ApprenticeTrackerForm
from .models import ApprenticeTracker
from .views import _today

PAGE = "ceu/apprentice.html"


def _get_apprentice_held_for_user(request, pk: int) -> HeldCredential:
    return get_object_or_404(
        HeldCredential.objects.select_related("credential"),
        pk=pk,
        user=request.user,
        ended_on__isnull=True,
        credential__level=Credential.Level.APPRENTICE,
    )


@login_required
def tracker(request, pk: int):
    held = _get_apprentice_held_for_user(request, pk)
    tracker = ApprenticeTracker.objects.filter(held=held).first()
    today = _today(request.user)
    form = ApprenticeTrackerForm(request.POST or None, instance=tracker or ApprenticeTracker(held=held), today=today)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved. Your routes and dates are up to date.")
        return redirect("ceu:apprentice", pk=held.pk)
    profile = Profile.objects.select_related("region", "work_setting").filter(user=request.user).first()
    profile = profile or profile_of(request.user)
    routes, earliest = apprentice.routes_for(held, tracker, profile, today)
    context = {
        "held": held,
        "form": form,
        "routes": routes,
        "earliest": earliest,
        "chosen": tracker.route if tracker else "",
        "worth": apprentice.worth_of_removing(held, profile, today),
        "today": today,
    }
    return render(request, PAGE, context)
