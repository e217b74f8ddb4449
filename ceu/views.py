"""CEU log and cycle progress, renewals, the calendar feed and one-click unsubscribe."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from icalendar import Calendar, Event

from accounts.models import Profile
from accounts.services import profile_of
from accounts.versions import version_of
from content.edition import current_edition
from content.models import Credential
from content.page_cache import personal_page
from lib.dates import day_after, is_in_range
from lib.hooks import Section
from lib.uploads import download_name, serve
from roadmap.models import HeldCredential

from . import apprentice, hooks, services
from .cycles import renewed_end
from .emails import user_id_from_unsubscribe_token
from .forms import CeuEntryForm, CycleEndForm
from .models import ApprenticeTracker, CeuEntry
from .selectors import cycles_for_user
from .templatetags.ceu_tags import ceus_text

PAGE = "ceu/index.html"
ENTRIES_PER_PAGE = 25


def _today(user) -> dt.date:
    return services.local_date(timezone.now(), profile_of(user).time_zone)


def _get_entry_for_user(request, pk: int) -> CeuEntry:
    return get_object_or_404(CeuEntry, pk=pk, user=request.user)


def _get_held_for_user(request, pk: int) -> HeldCredential:
    return get_object_or_404(
        HeldCredential.objects.select_related("credential__renewal_rule"), pk=pk, user=request.user, ended_on=None
    )


def _context(request, *, form=None, today: dt.date | None = None) -> dict:
    today = today or _today(request.user)
    cycles = cycles_for_user(request.user, today)
    entries = CeuEntry.objects.filter(user=request.user).prefetch_related("credentials__credential")
    return {
        "cycles": cycles,
        "today": today,
        "form": form or CeuEntryForm(user=request.user, cycles=cycles, today=today, initial={"completed_on": today}),
        "page": Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page")),
        "apprentice_held": list(
            HeldCredential.objects.filter(
                user=request.user, ended_on__isnull=True, credential__level=Credential.Level.APPRENTICE
            ).select_related("credential")
        ),
    }


def _cached_index(request):
    """Cached under the person's version and the data's edition, for their local day and page."""
    user_id, page = request.user.pk, request.GET.get("page", "1")
    key = f"ceu:{user_id}:{version_of(request.user)}:{current_edition()}:{page[:12]}"

    def build():
        time_zone = profile_of(request.user).time_zone
        context = _context(request, today=services.local_date(timezone.now(), time_zone))
        return context, {"today": context["today"], "time_zone": time_zone}

    def same_local_day(meta: dict) -> bool:
        return services.local_date(timezone.now(), meta["time_zone"]) == meta["today"]

    return personal_page(request, key=key, template_name=PAGE, build=build, still_valid=same_local_day)


def _after_change(request, message: str):
    if request.htmx:
        return render(request, f"{PAGE}#ceu-body", _context(request))
    messages.success(request, message)
    return redirect("ceu:index")


@login_required
def index(request):
    if request.method != "POST":
        return _cached_index(request)
    today = _today(request.user)
    cycles = cycles_for_user(request.user, today)
    form = CeuEntryForm(request.POST, request.FILES, user=request.user, cycles=cycles, today=today)
    if not form.is_valid():
        return render(request, f"{PAGE}#ceu-body" if request.htmx else PAGE, _context(request, form=form))
    entry = form.save(commit=False)
    entry.user = request.user
    entry.save()
    form.save_m2m()
    return _after_change(request, f"Logged {entry.hours} CEUs.")


@login_required
def edit_entry(request, pk: int):
    entry = _get_entry_for_user(request, pk)
    today = _today(request.user)
    cycles = cycles_for_user(request.user, today)
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = CeuEntryForm(*data, instance=entry, user=request.user, cycles=cycles, today=today)
    if request.method == "POST" and form.is_valid():
        form.save()
        return _after_change(request, "The CEU entry is saved.")
    template = "ceu/entry_edit.html#entry-form" if request.htmx else "ceu/entry_edit.html"
    return render(request, template, {"form": form, "entry": entry})


@login_required
@require_POST
def delete_entry(request, pk: int):
    _get_entry_for_user(request, pk).delete()
    return _after_change(request, "The CEU entry is deleted.")


@login_required
@require_safe
def certificate(request, pk: int):
    """The certificate on file, to its owner only (anyone else's entry is a 404)."""
    entry = _get_entry_for_user(request, pk)
    if not entry.certificate:
        raise Http404("No certificate is on file for this entry.")
    extension = entry.certificate.name.rsplit(".", 1)[-1]
    name = download_name(entry.certificate_name, extension, f"certificate-{entry.completed_on:%Y-%m-%d}")
    return serve(entry.certificate, filename=name, inline=request.GET.get("view") == "1")


@login_required
@require_POST
def set_cycle_end(request, pk: int):
    held = _get_held_for_user(request, pk)
    form = CycleEndForm(request.POST)
    if form.is_valid():
        held.cycle_ends_on = form.cleaned_data["cycle_ends_on"]
        held.save(update_fields=["cycle_ends_on"])
        messages.success(request, f"The {held.credential.code} cycle now ends on {held.cycle_ends_on:%b %-d, %Y}.")
    else:
        messages.error(request, " ".join(form.errors["cycle_ends_on"]))
    return redirect("ceu:index")


@login_required
@require_POST
def renew(request, pk: int):
    held = _get_held_for_user(request, pk)
    cycle = next((c for c in cycles_for_user(request.user, _today(request.user)) if c.holding.id == held.pk), None)
    if cycle is None or cycle.end is None:
        messages.error(request, "Enter the current cycle end first.")
    elif not is_in_range(renewed_end(cycle.end, cycle.holding.cycle_months)):
        messages.error(
            request, "Renewing would move the cycle end past 2100: enter the cycle end printed in your account."
        )
    else:
        new_end = services.renew(held, current_end=cycle.end)
        messages.success(request, f"Renewed: your next {held.credential.code} cycle ends on {new_end:%b %-d, %Y}.")
    return redirect("ceu:index")


@login_required
@require_POST
def lapse(request, pk: int):
    held = _get_held_for_user(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm the credential has lapsed.")
    else:
        services.lapse(held, on=_today(request.user))
        messages.success(request, f"Recorded: your {held.credential.code} has lapsed.")
    return redirect("ceu:index")


@login_required
def calendar(request):
    secret = request.session.pop("new_calendar_secret", None)
    feed_url = request.build_absolute_uri(reverse("ceu:feed", args=[secret])) if secret else None
    has_feed = request.user.calendar_tokens.filter(revoked_at__isnull=True).exists()
    context = {
        "feed_url": feed_url,
        "webcal_url": feed_url and "webcal://" + feed_url.split("://", 1)[1],
        "has_feed": has_feed,
    }
    return render(request, "ceu/calendar.html", context)


@login_required
@require_POST
def rotate_calendar(request):
    request.session["new_calendar_secret"] = services.rotate_calendar_token(request.user)
    messages.success(request, "Here is your new calendar link; any older link no longer works.")
    return redirect("ceu:calendar")


def calendar_feed(request, secret: str):
    """Unauthenticated by design (calendar apps have no session): everything comes from the token's
    owner alone, and the events carry no notes or other personal details."""
    user = services.feed_owner(secret)
    if user is None:
        raise Http404("No such calendar.")
    host = urlparse(settings.SITE_URL).hostname
    cal = Calendar()
    cal.add("prodid", "-//Coding Career Roadmap//Deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Coding career deadlines")
    for deadline in _deadlines(user):
        event = Event()
        event.add("uid", f"{deadline.uid}@{host}")
        event.add("dtstamp", deadline.stamp)
        event.add("dtstart", deadline.day)
        # A one-day event; the last day Python knows (stored before dates were checked) has no
        # next day, and a DATE start without an end is a one-day event anyway (RFC 5545).
        if (end := day_after(deadline.day)) is not None:
            event.add("dtend", end)
        event.add("summary", deadline.title)
        event.add("description", "From Coding Career Roadmap. This feed refreshes a few times a day, not instantly.")
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    return response


def renewals_section(request, today: dt.date) -> Section | None:
    """The dashboard's box of renewal cycles, soonest first (three queries); none without a cycle end."""
    renewals = sorted((c for c in cycles_for_user(request.user, today) if c.end), key=lambda c: c.end)
    return Section("ceu/_dashboard_renewals.html", {"renewals": renewals}) if renewals else None


def _deadlines(user) -> list[hooks.Deadline]:
    """Each deadline: cycle ends, apprentice eligibility, and what other apps add (cohort targets)."""
    events = []
    held = {
        h.pk: h for h in HeldCredential.objects.filter(user=user, ended_on__isnull=True).select_related("credential")
    }
    profile = Profile.objects.filter(user=user).first()
    today = services.local_date(timezone.now(), profile.time_zone if profile else "UTC")
    for cycle in cycles_for_user(user, today):
        if cycle.end:
            h = held[cycle.holding.id]
            remaining = f" ({ceus_text(cycle.remaining)} CEUs to go)" if cycle.remaining else ""
            title = f"{cycle.holding.code} renewal due{remaining}"
            events.append(hooks.Deadline(title, cycle.end, f"cycle-{h.pk}-{cycle.end:%Y%m%d}", h.created_at))
    trackers = {t.held_id: t for t in ApprenticeTracker.objects.filter(held__in=list(held))}
    for h in held.values():
        if profile and h.credential.level == "apprentice":
            eligible = apprentice.eligible_on(
                h, trackers.get(h.pk), profile.career_start, profile.apprentice_education_credits
            )
            if eligible:
                title = f"{h.credential.code}: apprentice designation can be removed"
                events.append(hooks.Deadline(title, eligible, f"apprentice-{h.pk}", h.created_at))
    for plugin in hooks.calendar_events:
        events.extend(plugin(user))
    return events


@csrf_exempt  # the signed token is the authority; mail clients post one-click unsubscribes without a session
def unsubscribe(request, token: str):
    user_id = user_id_from_unsubscribe_token(token)
    if user_id is None:
        raise Http404("This unsubscribe link is not valid.")
    done = request.method == "POST"
    if done:
        Profile.objects.update_or_create(user_id=user_id, defaults={"reminder_emails": False})
    return render(request, "ceu/unsubscribe.html", {"done": done, "token": token})
