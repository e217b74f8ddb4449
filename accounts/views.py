"""A person's own account: profile, credentials held, data export and deletion."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lib.spreadsheet import csv_response
from roadmap import services
from roadmap.forms import DeleteAccountForm, HeldCredentialForm
from roadmap.models import HeldCredential
from roadmap.selectors import local_today

from .export import PROGRESS_HEADER, personal_data, progress_rows
from .forms import ProfileForm


def _profile_page(request, *, form=None, credential_form=None, status=200):
    profile = services.profile_of(request.user)
    today = local_today(profile, timezone.now())
    context = {
        "form": form or ProfileForm(instance=profile, today=today),
        "credential_form": credential_form or HeldCredentialForm(),
        "held": HeldCredential.objects.filter(user=request.user, ended_on__isnull=True).select_related("credential"),
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
def profile(request):
    if request.method != "POST":
        return _profile_page(request)
    profile = services.profile_of(request.user)
    form = ProfileForm(request.POST, instance=profile, today=local_today(profile, timezone.now()))
    if not form.is_valid():
        return _profile_page(request, form=form)
    form.save()
    messages.success(request, "Your profile is saved.")
    return redirect("accounts:profile")


@login_required
@require_POST
def add_credential(request):
    form = HeldCredentialForm(request.POST)
    if form.is_valid():
        today = local_today(services.profile_of(request.user), timezone.now())
        if form.cleaned_data["earned_on"] > today:
            form.add_error("earned_on", "The date you earned it cannot be in the future.")
        elif (
            services.record_credential(
                request.user, form.cleaned_data["credential"], earned_on=form.cleaned_data["earned_on"]
            )
            is None
        ):
            form.add_error("credential", "You already hold this credential.")
        else:
            messages.success(request, f"Recorded: {form.cleaned_data['credential'].code}.")
            return redirect("accounts:profile")
    return _profile_page(request, credential_form=form)


@login_required
@require_POST
def remove_credential(request, pk: int):
    held = get_object_or_404(HeldCredential.objects.select_related("credential"), pk=pk, user=request.user)
    services.forget_credential(held)
    messages.success(request, f"Removed: {held.credential.code}.")
    return redirect("accounts:profile")


@login_required
def export_json(request):
    body = json.dumps(personal_data(request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="coding-career-roadmap-data.json"'
    return response


@login_required
def export_progress_csv(request):
    return csv_response("coding-career-roadmap-progress.csv", PROGRESS_HEADER, progress_rows(request.user))


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            request.user.delete()
        logout(request)
        messages.success(request, "Your account and everything in it are deleted.")
        return redirect("content:home")
    return render(request, "accounts/delete.html", {"form": form})
