"""ORM to plain data for the cycle calculations, in a fixed number of queries per batch of people."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from roadmap.models import HeldCredential

from .cycles import Cycle, Entry, Holding, cycles
from .models import CeuEntry


def holding_of(held: HeldCredential) -> Holding:
    credential, rule = held.credential, held.credential.renewal_rule
    return Holding(
        id=held.pk,
        code=credential.code,
        body=credential.body.code,
        earned_on=held.earned_on,
        cycle_ends_on=held.cycle_ends_on,
        method=rule.method if rule else "unconfirmed",
        cycle_months=rule.cycle_months if rule else None,
        ceus_by_count=tuple(rule.ceus_by_count) if rule else (),
        additional_per_credential=rule.additional_per_credential if rule else None,
        maximum_ceus=rule.maximum_ceus if rule else None,
        ceus_single=credential.ceus_single,
        specific_ceus=credential.specific_ceus,
        specific_topic=credential.specific_ceus_topic,
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
    for entry_id, user_id, completed_on, hours in CeuEntry.objects.filter(user__in=user_ids).values_list(
        "id", "user_id", "completed_on", "hours"
    ):
        by_user[user_id].append(Entry(completed_on, hours, frozenset(holdings_of[entry_id])))
    return by_user


def cycles_for_user(user, today: dt.date) -> list[Cycle]:
    """The person's cycles: three queries."""
    held = active_holdings([user.pk]).get(user.pk, [])
    return cycles([holding_of(h) for h in held], entries_by_user([user.pk]).get(user.pk, []), today)
