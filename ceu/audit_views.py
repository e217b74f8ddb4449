"""Audit packs on the web: ask for one, watch it being made, download it (its owner alone)."""

from __future__ import annotations

import datetime as dt
import zipfile

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from lib.ids import IdChoiceField
from lib.uploads import serve
from roadmap.models import HeldCredential
from roadmap.rules import add_months

from . import audit
from .cycles import Cycle
from .models import AuditPack
from .selectors import cycles_for_user
from .views import _today

PAGE = "ceu/audit.html"
RECENT_PACKS = 10
PARTS = {"pdf": ("transcript.pdf", "application/pdf"), "csv": ("transcript.csv", "text/csv; charset=utf-8")}


class AuditPackForm(forms.Form):
    held = IdChoiceField(queryset=HeldCredential.objects.none())
    cycle = forms.ChoiceField(choices=[("current", "Current cycle"), ("previous", "Previous cycle")])

    def __init__(self, *args, user, cycles: list[Cycle], **kwargs):
        super().__init__(*args, **kwargs)
        self.cycles = {c.holding.id: c for c in cycles}
        self.fields["held"].queryset = HeldCredential.objects.filter(user=user, ended_on__isnull=True)

    def clean(self):
        cleaned = super().clean()
        held, which = cleaned.get("held"), cleaned.get("cycle")
        if held is None or which is None:
            return cleaned
        span = cycle_span(self.cycles.get(held.pk), which)
        if span is None and which == "previous" and cycle_span(self.cycles.get(held.pk), "current"):
            raise forms.ValidationError(
                "There is no previous cycle: you earned this credential during the current one."
            )
        if span is None:
            raise forms.ValidationError(
                "This cycle's dates are not known: enter the cycle end printed in your account on the CEU page first."
            )
        cleaned["starts_on"], cleaned["ends_on"] = span
        return cleaned


def cycle_span(cycle: Cycle | None, which: str) -> tuple[dt.date, dt.date] | None:
    """The dates of the current cycle, or of the one before it (one cycle length earlier, never before
    the credential was earned: CEUs from before it do not count)."""
    if cycle is None or cycle.start is None or cycle.end is None:
        return None
    if which == "current":
        return cycle.start, cycle.end
    months = cycle.holding.cycle_months
    earned = max(cycle.holding.earned_on, dt.date(1900, 1, 1))
    if not months or cycle.start <= earned:
        return None
    return max(add_months(cycle.start, -months), earned), cycle.start - dt.timedelta(days=1)


def _packs_of(user):
    """The person's packs that have not expired."""
    return AuditPack.objects.filter(user=user).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))


def _get_pack_for_user(request, pk: int) -> AuditPack:
    return get_object_or_404(_packs_of(request.user).select_related("held__credential"), pk=pk)


@login_required
def index(request):
    cycles = cycles_for_user(request.user, _today(request.user))
    form = AuditPackForm(request.POST or None, user=request.user, cycles=cycles)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pack, created = audit.request_pack(data["held"], starts_on=data["starts_on"], ends_on=data["ends_on"])
        messages.success(request, "Your audit pack is being made." if created else "This pack is already being made.")
        return redirect("ceu:audit-pack", pk=pack.pk)
    packs = _packs_of(request.user).select_related("held__credential")[:RECENT_PACKS]
    context = {"cycles": [c for c in cycles if c.end], "form": form, "packs": packs}
    return render(request, PAGE, context, status=200)


@login_required
@require_safe
def pack(request, pk: int):
    """The pack's progress; htmx polls the status part until it is ready, and without JavaScript
    the page refreshes itself (a <noscript> meta refresh)."""
    pack = _get_pack_for_user(request, pk)
    template = "ceu/audit_pack.html#pack-status" if request.htmx else "ceu/audit_pack.html"
    return render(request, template, {"pack": pack})


@login_required
@require_safe
def download(request, pk: int):
    pack = _ready_pack(request, pk)
    return serve(pack.file, filename=f"audit-pack-{pack.held.credential.code}-{pack.ends_on:%Y-%m-%d}.zip")


@login_required
@require_safe
def transcript_part(request, pk: int, part: str):
    """The transcript alone (PDF or CSV), read from the pack's ZIP."""
    if part not in PARTS:
        raise Http404("No such part.")
    pack = _ready_pack(request, pk)
    member, content_type = PARTS[part]
    with pack.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        body = archive.read(member)
    response = HttpResponse(body, content_type=content_type)
    name = f"ceu-transcript-{pack.held.credential.code}-{pack.ends_on:%Y-%m-%d}.{part}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _ready_pack(request, pk: int) -> AuditPack:
    pack = _get_pack_for_user(request, pk)
    if pack.status != AuditPack.Status.READY or not pack.file:
        raise Http404("This pack is not ready.")
    return pack
