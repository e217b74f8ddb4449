"""ORM to plain data for the cycle calculations, in a fixed number of queries per batch of people."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from accounts.models import Profile
from content.models import Credential
from roadmap.models import HeldCredential
from roadmap.rules import ApprenticeEvidence

from .cycles import Cycle, Entry, Holding, Minimum, cycles
from .models import ApprenticeTracker, CeuEntry


def credential_terms(credential: Credential) -> dict[str, Any]:
    """The renewal terms of a credential, as the Holding fields the cycle rules read."""
    rule = credential.renewal_rule
    return {
        "code": credential.code,
        "body": credential.body.code,
        "method": rule.method if rule else "unconfirmed",
        "cycle_months": rule.cycle_months if rule else None,
        "ceus_by_count": tuple(rule.ceus_by_count) if rule else (),
        "additional_per_credential": rule.additional_per_credential if rule else None,
        "maximum_ceus": rule.maximum_ceus if rule else None,
        "ceus_single": credential.ceus_single,
        "minimums": minimums_of(rule.minimums if rule else [], credential.code),
    }


def minimums_of(rows: list[dict[str, Any]], code: str) -> tuple[Minimum, ...]:
    """The rule edition's minimums that bind a holder of ``code``: those naming the credential, and
    the shares of the body's requirement (which bind every credential of the body)."""
    result = []
    for row in rows:
        share = row.get("share_percent")
        if share is None and code not in row.get("credentials", ()):
            continue
        effective = row.get("effective_from")
        result.append(
            Minimum(
                topic=row.get("topic", ""),
                ceus=row.get("ceus"),
                share_percent=share,
                category=row.get("category", ""),
                sourced=bool(row.get("sourced")),
                per_body=share is not None,
                effective_from=dt.date.fromisoformat(effective) if effective else None,
            )
        )
    return tuple(result)


def holding_of(held: HeldCredential) -> Holding:
    return Holding(
        id=held.pk, earned_on=held.earned_on, cycle_ends_on=held.cycle_ends_on, **credential_terms(held.credential)
    )


def active_holdings(user_ids) -> dict[int, list[HeldCredential]]:
    held = (
        HeldCredential.objects.filter(user__in=user_ids, ended_on__isnull=True)
        .select_related("credential__body", "credential__renewal_rule")
        .order_by("user_id", "earned_on", "id")
    )
    by_user: dict[int, list[HeldCredential]] = defaultdict(list)
    for row in held:
        by_user[row.user_id].append(row)
    return by_user


def entries_by_user(user_ids) -> dict[int, list[Entry]]:
    links = CeuEntry.credentials.through.objects.filter(ceuentry__user__in=user_ids).values_list(
        "ceuentry_id", "heldcredential_id"
    )
    holdings_of: dict[int, set[int]] = defaultdict(set)
    for entry_id, held_id in links:
        holdings_of[entry_id].add(held_id)
    by_user: dict[int, list[Entry]] = defaultdict(list)
    rows = CeuEntry.objects.filter(user__in=user_ids).values_list(
        "id", "user_id", "completed_on", "hours", "category", "body_sourced"
    )
    for entry_id, user_id, completed_on, hours, category, sourced in rows:
        by_user[user_id].append(Entry(completed_on, hours, frozenset(holdings_of[entry_id]), category, sourced))
    return by_user


def cycles_for_user(user, today: dt.date) -> list[Cycle]:
    """The person's cycles: three queries."""
    held = active_holdings([user.pk]).get(user.pk, [])
    return cycles([holding_of(h) for h in held], entries_by_user([user.pk]).get(user.pk, []), today)


@dataclass
class Person:
    """What the reminder rule reads about one person holding credentials."""

    user_id: int
    time_zone: str
    reminders_on: bool
    career_start: dt.date | None
    education_credits: int
    holdings: list[Holding] = field(default_factory=list)
    apprentice_ids: set[int] = field(default_factory=set)  # holdings of an apprentice-level credential
    # The apprentice tracker's evidence, by holding, where the person keeps one (ceu.apprentice).
    apprentice_evidence: dict[int, ApprenticeEvidence] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)


def people_holding_credentials(user_ids) -> list[Person]:
    """The people among ``user_ids`` who hold an active credential, in three queries whatever their number.

    People without a saved profile have the default preferences: reminders on, the default time zone.
    Only the CEUs linked to a credential are read: the others count toward no cycle."""
    terms, levels = {}, {}
    for credential in Credential.objects.select_related("body", "renewal_rule"):
        terms[credential.pk], levels[credential.pk] = credential_terms(credential), credential.level
    default_zone = Profile._meta.get_field("time_zone").default
    held = (
        HeldCredential.objects.filter(user__in=user_ids, ended_on__isnull=True)
        .order_by("user_id", "earned_on", "id")
        .values_list(
            "id",
            "user_id",
            "credential_id",
            "earned_on",
            "cycle_ends_on",
            "user__profile__time_zone",
            "user__profile__reminder_emails",
            "user__profile__career_start",
            "user__profile__apprentice_education_credits",
        )
    )
    people: dict[int, Person] = {}
    for held_id, user_id, credential_id, earned_on, cycle_ends_on, zone, reminders_on, start, credits in held:
        person = people.get(user_id)
        if person is None:
            reminders_on = reminders_on is not False  # no profile: the default, on
            person = people[user_id] = Person(user_id, zone or default_zone, reminders_on, start, credits or 0)
        person.holdings.append(
            Holding(id=held_id, earned_on=earned_on, cycle_ends_on=cycle_ends_on, **terms[credential_id])
        )
        if levels[credential_id] == Credential.Level.APPRENTICE:
            person.apprentice_ids.add(held_id)
    reminded = [user_id for user_id, person in people.items() if person.reminders_on]
    _read_trackers(people, reminded)
    links = CeuEntry.credentials.through.objects.filter(ceuentry__user__in=reminded).values_list(
        "ceuentry_id",
        "heldcredential_id",
        "ceuentry__user_id",
        "ceuentry__completed_on",
        "ceuentry__hours",
        "ceuentry__category",
        "ceuentry__body_sourced",
    )
    entries: dict[int, tuple[int, dt.date, Decimal, str, bool, set[int]]] = {}
    for entry_id, held_id, user_id, completed_on, hours, category, sourced in links:
        entries.setdefault(entry_id, (user_id, completed_on, hours, category, sourced, set()))[5].add(held_id)
    for user_id, completed_on, hours, category, sourced, held_ids in entries.values():
        people[user_id].entries.append(Entry(completed_on, hours, frozenset(held_ids), category, sourced))
    return list(people.values())


def _read_trackers(people: dict[int, Person], user_ids: list[int]) -> None:
    """The apprentice trackers of these people, in one query."""
    earned = {h.id: h.earned_on for person in people.values() for h in person.holdings}
    rows = ApprenticeTracker.objects.filter(held__user__in=user_ids, held__ended_on__isnull=True).values_list(
        "held_id",
        "held__user_id",
        "experience_started_on",
        "letter_received_on",
        "course_completed_on",
        "practicode_completed_on",
    )
    for held_id, user_id, started, letter, course, practicode in rows:
        person = people[user_id]
        if held_id in person.apprentice_ids:
            person.apprentice_evidence[held_id] = ApprenticeEvidence(
                earned[held_id], started or person.career_start, letter, course, practicode
            )
