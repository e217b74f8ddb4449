"""A person's own account: the profile page, data export and account deletion. Other apps add their
parts (credentials held, downloads, data) through accounts.hooks."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from . import hooks, services
from .export import personal_data
from .forms import DeleteAccountForm, ProfileForm
from .selectors import local_today


def profile_page(request, *, form=None, bound=None, status: int = 200) -> HttpResponse:
    """The profile page; ``form`` or ``bound`` (other apps' forms by name) carry input with errors."""
    profile = services.profile_of(request.user)
    context = {
        "form": form or ProfileForm(instance=profile, today=local_today(profile, timezone.now())),
        "sections": [section(request, bound or {}).render(request) for section in hooks.profile_sections],
        "downloads": [link for part in hooks.downloads for link in part(request.user)],
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
def profile(request):
    if request.method != "POST":
        return profile_page(request)
    profile = services.profile_of(request.user)
    form = ProfileForm(request.POST, instance=profile, today=local_today(profile, timezone.now()))
    if not form.is_valid():
        return profile_page(request, form=form)
    form.save()
    messages.success(request, "Your profile is saved.")
    return redirect("accounts:profile")


@login_required
def export_json(request):
    body = json.dumps(personal_data(request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="coding-career-roadmap-data.json"'
    return response


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.delete_account(request.user)
        logout(request)
        messages.success(request, "Your account and everything in it are deleted.")
        return redirect("roadmap:home")
    summary = [sentence for part in hooks.deletion_summary for sentence in part(request.user)]
    return render(request, "accounts/delete.html", {"form": form, "summary": summary})
