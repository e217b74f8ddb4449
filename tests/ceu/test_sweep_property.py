"""Property: over random histories, the sweep creates exactly the reminders the full per-person
computation gives, on every day it runs.

A history: three people (one never saves a profile) earn credentials on random days, log, edit,
relink and delete CEUs, enter cycle ends, renew, lapse, forget credentials, change time zone,
reminder preference, career start and education credits; time passes by random days and hours, and
the sweep runs on some of those days only. Before each sweep the full computation (each person's
cycles as of their local date, ceu.cycles.reminders_due) says which reminders are due; the sweep
must create exactly those not created before, no more and no fewer.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from contextlib import contextmanager
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Profile, User
from accounts.services import profile_of
from ceu import services
from ceu import sweep as reminder_sweep
from ceu.cycles import reminders_due
from ceu.models import CeuEntry, Reminder
from ceu.selectors import cycles_for_user
from content.models import Credential
from roadmap import services as roadmap_services
from roadmap.models import HeldCredential
from roadmap.rules import apprentice_eligible_on
from tests.conftest import make_user

START = dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)
PEOPLE = 3
CODES = ["CPC-A", "CPC", "COC", "CRC", "CPMA", "CCS", "RHIT", "CDIP", "CCDS"]
# Zones far apart, with half-hour offsets, and with clock changes at midnight.
ZONES = [
    "America/New_York",
    "Pacific/Honolulu",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Beirut",
    "UTC",
]

person = st.integers(0, PEOPLE - 1)
pick = st.integers(0, 20)  # which holding or entry, modulo how many there are
ACTIONS = {
    "earn": st.tuples(person, st.sampled_from(["CPC-A", *CODES]), st.integers(0, 1500)),
    "log": st.tuples(person, st.integers(1, 40), st.integers(0, 900), st.integers(1, 7)),
    "edit": st.tuples(person, pick, st.integers(1, 40)),
    "relink": st.tuples(person, pick, st.integers(0, 7)),
    "unlog": st.tuples(person, pick),
    "cycle_end": st.tuples(person, pick, st.integers(-200, 800)),
    "renew": st.tuples(person, pick),
    "lapse": st.tuples(person, pick),
    "forget": st.tuples(person, pick),
    "zone": st.tuples(person, st.sampled_from(ZONES)),
    "reminders": st.tuples(person, st.booleans()),
    "career": st.tuples(person, st.one_of(st.none(), st.integers(0, 1200)), st.integers(0, 2)),
}
# How often each kind of change happens, relative to the others.
WEIGHTS = {"earn": 3, "log": 4, "relink": 2, "cycle_end": 3, "career": 2}
action = st.sampled_from([kind for kind in ACTIONS for _ in range(WEIGHTS.get(kind, 1))]).flatmap(
    lambda kind: ACTIONS[kind].map(lambda args: (kind, *args))
)
# A day: some changes, then time passes (a few days or many), then the sweep runs, or does not, at
# an hour of the day (UTC) or a second either side of someone's local midnight, where days turn.
when = st.one_of(
    st.tuples(st.just("utc"), st.integers(0, 23)),
    st.tuples(st.just("midnight"), person, st.sampled_from([-1, 0])),
)
day = st.tuples(
    st.lists(action, max_size=3),
    st.one_of(st.integers(1, 3), st.integers(1, 75)),
    when,
    st.sampled_from([True, True, True, False]),
)
histories = st.tuples(
    st.lists(ACTIONS["earn"].map(lambda args: ("earn", *args)), min_size=1, max_size=5),
    st.lists(day, min_size=3, max_size=25),
)


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    """Each example starts from the same empty database."""
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def local_zone(user: User) -> str:
    profile = Profile.objects.filter(user=user).first()
    return profile.time_zone if profile else Profile._meta.get_field("time_zone").default


def local_today(user: User, now: dt.datetime) -> dt.date:
    return services.local_date(now, local_zone(user))


def due_by_full_computation(people: list[User], now: dt.datetime) -> set[tuple]:
    """The reminders due at ``now``, each person computed from scratch as of their local date."""
    due = set()
    for user in people:
        profile = Profile.objects.filter(user=user).first()
        if profile and not profile.reminder_emails:
            continue
        today = local_today(user, now)
        eligible_on = {
            held.pk: apprentice_eligible_on(
                profile.career_start if profile else None,
                profile.apprentice_education_credits if profile else 0,
                certified_on=held.earned_on,
            )
            for held in user.held_credentials.filter(ended_on__isnull=True, credential__level="apprentice")
        }
        for reminder in reminders_due(cycles_for_user(user, today), eligible_on, today):
            due.add((reminder.held_id, reminder.kind, reminder.due_on, reminder.threshold))
    return due


def reminder_keys() -> set[tuple]:
    return set(Reminder.objects.filter(held__isnull=False).values_list("held_id", "kind", "due_on", "threshold"))


def check_sweep(people: list[User], now: dt.datetime) -> None:
    before = reminder_keys()
    expected = due_by_full_computation(people, now) - before

    reminder_sweep.sweep(now)

    assert reminder_keys() - before == expected, f"sweep at {now:%Y-%m-%d %H:%M} UTC"


def nth(items: list, index: int):
    return items[index % len(items)] if items else None


def apply(event: tuple, people: list[User], now: dt.datetime) -> None:
    kind, who, *args = event
    user = people[who]
    today = now.date()
    active = list(HeldCredential.objects.filter(user=user, ended_on__isnull=True).order_by("id"))
    entries = list(CeuEntry.objects.filter(user=user).order_by("id"))
    if kind == "earn":
        code, days_ago = args
        roadmap_services.record_credential(
            user, Credential.objects.get(code=code), earned_on=today - dt.timedelta(days=days_ago)
        )
    elif kind == "log" and active:
        hours, days_ago, mask = args
        entry = CeuEntry.objects.create(
            user=user, completed_on=today - dt.timedelta(days=days_ago), hours=Decimal(hours), activity="Webinar"
        )
        entry.credentials.set([h for i, h in enumerate(active) if mask & (1 << (i % 3))] or active[:1])
    elif kind == "edit" and entries:
        entry = nth(entries, args[0])
        entry.hours = Decimal(args[1])
        entry.save()
    elif kind == "relink" and entries:
        mask = args[1]
        nth(entries, args[0]).credentials.set([h for i, h in enumerate(active) if mask & (1 << (i % 3))])
    elif kind == "unlog" and entries:
        nth(entries, args[0]).delete()
    elif kind == "cycle_end" and active:
        held = nth(active, args[0])
        held.cycle_ends_on = today + dt.timedelta(days=args[1])
        held.save(update_fields=["cycle_ends_on"])
    elif kind == "renew" and active:
        held = nth(active, args[0])
        cycle = next(c for c in cycles_for_user(user, local_today(user, now)) if c.holding.id == held.pk)
        if cycle.end is not None:
            services.renew(held, current_end=cycle.end)
    elif kind == "lapse" and active:
        services.lapse(nth(active, args[0]), on=today)
    elif kind == "forget" and active:
        # Forgetting a CPC holds its CPC-A again, which the database refuses when another CPC-A is
        # held by then; the service's transaction leaves everything as it was.
        with contextlib.suppress(IntegrityError):
            roadmap_services.forget_credential(nth(active, args[0]))
    elif kind == "zone":
        profile = profile_of(user)
        profile.time_zone = args[0]
        profile.save()
    elif kind == "reminders":
        profile = profile_of(user)
        profile.reminder_emails = args[0]
        profile.save()
    elif kind == "career":
        profile = profile_of(user)
        days_ago, credits = args
        profile.career_start = None if days_ago is None else today - dt.timedelta(days=days_ago)
        profile.apprentice_education_credits = credits
        profile.save()


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(history=histories)
def test_the_sweep_creates_exactly_what_the_full_computation_gives_on_every_day(ladder, history):
    first_credentials, days = history
    with rolled_back():
        people = [make_user(f"person{n}@example.com") for n in range(PEOPLE)]
        now = START
        for event in first_credentials:
            apply(event, people, now)
        for changes, days_later, at, sweeps in days:
            for event in changes:
                apply(event, people, now)
            now = max(moment(people, now.date() + dt.timedelta(days=days_later), at), now + dt.timedelta(hours=1))
            if sweeps:
                check_sweep(people, now)
        check_sweep(people, now + dt.timedelta(days=1))


def moment(people: list[User], day: dt.date, at: tuple) -> dt.datetime:
    if at[0] == "utc":
        return dt.datetime.combine(day, dt.time(at[1]), tzinfo=dt.UTC)
    _, who, seconds = at
    zone = ZoneInfo(local_zone(people[who]))
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC) + dt.timedelta(seconds=seconds)
