"""The reminder sweep: create the reminders due now, at a cost that follows what is due.

Each person's reminders are planned ahead (ceu.cycles.plan_reminders, from the same rule as the
full per-person computation, ceu.cycles.reminders_due) and stored as PlannedReminder rows, each
with the UTC instant its first day starts in the person's time zone. A sweep then:

1. makes again the plans marked stale by a write (ceu.receivers) or expiring now (an estimated cycle
   rolling over, a step coming within the plan's horizon): Python, but only for those people;
2. copies every step now due into Reminder with one INSERT … SELECT … ON CONFLICT DO NOTHING, and
   deletes the steps it consumed: an indexed range on ``due_at``, no time-zone arithmetic;
3. asks the other apps' sources (cohort notes and digests) for theirs.

The unique constraints on Reminder remain the guard: a rerun, an overlapping sweep or a step planned
twice inserts nothing new. A step superseded by a later threshold before any sweep saw it (a missed
day) is dropped, so a missed day is caught up with the most urgent reminder, once.

One person's bad data (dates at the edge of the calendar, a rule with missing values, an unknown time
zone) is logged with their user id and held credential id and left out; everyone else goes on.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import DatabaseError, connection, models, transaction
from django.db.models import F, Q, Value
from django.utils import timezone

from roadmap.models import HeldCredential
from roadmap.rules import apprentice_eligible_on, apprentice_routes, earliest_route

from . import hooks
from .cycles import Cycle, Holding, HoldingPlan, PlannedStep, cycles, plan_reminders
from .models import PlannedReminder, Reminder
from .selectors import Person, people_holding_credentials

logger = logging.getLogger(__name__)

PLAN_CHUNK = 1000  # people planned per transaction (and per query batch)
# A person whose data broke the rule is tried again a day later (a fix to their data marks them stale
# at once), so the log names them once a day rather than at every sweep.
RETRY_BROKEN_AFTER = dt.timedelta(days=1)
# "At the next sweep, whatever its clock": stale marks are due at the epoch.
AS_SOON_AS_POSSIBLE = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
Kind = PlannedReminder.Kind


@dataclass(frozen=True)
class SweepReport:
    replanned: int  # people whose plan was made again
    skipped: int  # held credentials (or people) left out because their data broke the rule; logged
    created: int  # renewal and apprentice reminders created
    other_created: int  # reminders from the other apps' sources (cohort notes and digests)


def sweep(now: dt.datetime) -> SweepReport:
    """Create the reminders due at ``now``, judged on each person's local date. A rerun creates nothing."""
    replanned, skipped = replan_due(now)
    created = create_due_reminders(now)
    return SweepReport(replanned, skipped, created, _other_sources(now))


def create_due_reminders(now: dt.datetime) -> int:
    """Copy every planned step due at ``now`` into Reminder and drop the steps consumed: two statements."""
    due = PlannedReminder.objects.filter(kind__in=PlannedReminder.STEP_KINDS, due_at__lte=now)
    current = due.filter(Q(until__isnull=True) | Q(until__gt=now))
    columns = {name: F(name) for name in ("user", "held", "kind", "due_on", "threshold")}
    with transaction.atomic():
        created = insert_from_select(Reminder, current, columns)
        due.delete()
    return created


def insert_from_select(model: type[models.Model], queryset: models.QuerySet, columns: dict[str, F | Value]) -> int:
    """INSERT INTO ``model`` (…) SELECT … FROM ``queryset`` ON CONFLICT DO NOTHING; the rows inserted.

    Raw SQL because the ORM cannot insert from a select, and copying the rows through Python would
    cost a round trip per row; the SELECT itself is still built by the ORM. ``columns`` maps field
    names to expressions over ``queryset``; every other column gets its model default (a column
    with a database default, or none, is left to the database). The statement is the same on PostgreSQL and
    SQLite, whose parser needs the WHERE clause every queryset here brings before ON CONFLICT.
    """
    now = timezone.now()
    targets, expressions = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.db_default is not models.NOT_PROVIDED:
            continue
        if field.name in columns:
            expression = columns[field.name]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            expression = Value(now, output_field=field)
        elif (default := field.get_default()) is not None:
            expression = Value(default, output_field=field)
        else:
            continue  # left out: NULL (an untyped NULL in a SELECT DISTINCT would read as text)
        targets.append(connection.ops.quote_name(field.column))
        expressions.append(expression)
    aliases = {f"insert_column_{i}": expression for i, expression in enumerate(expressions)}
    select, params = queryset.order_by().annotate(**aliases).values(*aliases).query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(targets)}) {select} ON CONFLICT DO NOTHING", params)
        return cursor.rowcount


# Marking plans stale: the write paths call these (through ceu.receivers); the next sweep replans.


def mark_stale(user_ids) -> None:
    """The reminders of these people may have moved: make their plans again at the next sweep."""
    PlannedReminder.objects.bulk_create(
        [PlannedReminder(user_id=user_id, kind=Kind.STALE, due_at=AS_SOON_AS_POSSIBLE) for user_id in set(user_ids)],
        ignore_conflicts=True,
    )


def mark_holders_stale(*, body_ids) -> int:
    """A renewal rule or credential of these issuing bodies changed: one statement marks every person
    holding one of their credentials, whatever their number; the next sweep replans them."""
    return _mark_holders(HeldCredential.objects.filter(ended_on__isnull=True, credential__body__in=body_ids))


def mark_everyone_stale() -> int:
    """Replan everyone holding a credential at the next sweep (after data was changed behind the signals)."""
    return _mark_holders(HeldCredential.objects.filter(ended_on__isnull=True))


def _mark_holders(held: models.QuerySet) -> int:
    columns = {"user": F("user_id"), "kind": Value(Kind.STALE), "due_at": Value(AS_SOON_AS_POSSIBLE)}
    return insert_from_select(PlannedReminder, held.distinct(), columns)


# Making plans.


def replan_due(now: dt.datetime) -> tuple[int, int]:
    """Make again every plan marked stale or expiring at ``now``; (people replanned, holdings skipped)."""
    marked = PlannedReminder.objects.filter(kind__in=PlannedReminder.MARK_KINDS, due_at__lte=now)
    user_ids = sorted(set(marked.values_list("user_id", flat=True)))
    if len(user_ids) > 10 * PLAN_CHUNK:
        _refresh_statistics()
    skipped = 0
    for start in range(0, len(user_ids), PLAN_CHUNK):
        chunk = user_ids[start : start + PLAN_CHUNK]
        try:
            with transaction.atomic():
                skipped += _replan(chunk, now)
        except DatabaseError:
            # The database refused a row of this batch: plan its people one by one to find whose.
            for user_id in chunk:
                skipped += _replan_alone(user_id, now)
    return len(user_ids), skipped


def _refresh_statistics() -> None:
    """After a mass mark (a rule change) PostgreSQL's statistics still describe the table before it,
    and each batch's delete would scan the whole table; autovacuum catches up within a minute, a
    large replan should not wait for it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(PlannedReminder._meta.db_table)}")


def _replan_alone(user_id: int, now: dt.datetime) -> int:
    try:
        with transaction.atomic():
            return _replan([user_id], now)
    except DatabaseError as error:
        logger.warning("reminders of user %s not planned: %r", user_id, error, extra={"user_id": user_id})
        PlannedReminder.objects.filter(user=user_id, kind__in=PlannedReminder.MARK_KINDS).update(
            due_at=now + RETRY_BROKEN_AFTER
        )
        return 1


def _replan(user_ids, now: dt.datetime) -> int:
    """Replace the plans of ``user_ids``; returns the number of holdings left out for bad data."""
    # Deleting the marks first claims them: a write that commits after this statement leaves a new
    # mark, so what it changed is planned at the next sweep even if this one read the data before it.
    PlannedReminder.objects.filter(user__in=user_ids).delete()
    rows, skipped = [], 0
    for person in people_holding_credentials(user_ids):
        person_rows, failures = plan_rows(person, now)
        rows += person_rows
        for held_id, error in failures:
            logger.warning(
                "reminders of user %s, held credential %s, skipped: %r",
                person.user_id,
                held_id,
                error,
                extra={"user_id": person.user_id, "held_id": held_id},
            )
        skipped += len(failures)
    PlannedReminder.objects.bulk_create(rows)
    return skipped


def plan_rows(person: Person, now: dt.datetime) -> tuple[list[PlannedReminder], list[tuple[int, Exception]]]:
    """The rows of one person's plan as of ``now``, and the (held credential id, error) of each holding
    whose data broke the rule: those are left out, the person's other holdings are still planned."""
    if not person.reminders_on or not person.holdings:
        return [], []
    try:
        zone = ZoneInfo(person.time_zone)
        today = now.astimezone(zone).date()
    except Exception as error:  # a time zone written behind the form's back
        return [_retry_mark(person.user_id, now)], [(holding.id, error) for holding in person.holdings]
    rows: list[PlannedReminder] = []
    failures: list[tuple[int, Exception]] = []
    replan_at: list[dt.datetime] = []
    for group in _by_body(person.holdings):
        try:
            group_cycles = cycles(group, person.entries, today)
        except Exception as error:
            failures += [(holding.id, error) for holding in _culprits(group, person, today)]
            continue
        for cycle in group_cycles:
            try:
                plan = _plan_cycle(cycle, group, person, today)
                holding_rows = [_step_row(person.user_id, step, zone) for step in plan.steps]
                holding_replan = None if plan.replan_on is None else _start_of(plan.replan_on, zone)
            except Exception as error:
                failures.append((cycle.holding.id, error))
                continue
            rows += holding_rows
            if holding_replan is not None:
                replan_at.append(holding_replan)
    if failures:
        replan_at.append(now + RETRY_BROKEN_AFTER)
    if replan_at:
        rows.append(PlannedReminder(user_id=person.user_id, kind=Kind.REPLAN, due_at=min(replan_at)))
    return rows, failures


def _plan_cycle(cycle: Cycle, group: list[Holding], person: Person, today: dt.date) -> HoldingPlan:
    eligible_on = None
    evidence = person.apprentice_evidence.get(cycle.holding.id)
    if evidence is not None:  # the tracker's routes: the earliest day any can be complete
        best = earliest_route(apprentice_routes(evidence, today))
        eligible_on = best.eligible_on if best else None
    elif cycle.holding.id in person.apprentice_ids:
        eligible_on = apprentice_eligible_on(
            person.career_start, person.education_credits, certified_on=cycle.holding.earned_on
        )
    return plan_reminders(cycle, group, eligible_on, today)


def _by_body(holdings: list[Holding]) -> list[list[Holding]]:
    """A body's credentials share one cycle and requirement, so a body's group is planned, or fails, together."""
    groups: dict[str, list[Holding]] = defaultdict(list)
    for holding in holdings:
        groups[holding.body].append(holding)
    return list(groups.values())


def _culprits(group: list[Holding], person: Person, today: dt.date) -> list[Holding]:
    """The holdings whose own data breaks the rule, to name them; the whole group when none does alone."""
    broken = []
    for holding in group:
        try:
            cycles([holding], person.entries, today)
        except Exception:
            broken.append(holding)
    return broken or group


def _step_row(user_id: int, step: PlannedStep, zone: ZoneInfo) -> PlannedReminder:
    reminder = step.reminder
    return PlannedReminder(
        user_id=user_id,
        held_id=reminder.held_id,
        kind=reminder.kind,
        due_on=reminder.due_on,
        threshold=reminder.threshold,
        due_at=_start_of(step.first_day, zone),
        until=_start_of(step.last_day + dt.timedelta(days=1), zone)
        if step.last_day and step.last_day < dt.date.max
        else None,
    )


def _retry_mark(user_id: int, now: dt.datetime) -> PlannedReminder:
    return PlannedReminder(user_id=user_id, kind=Kind.REPLAN, due_at=now + RETRY_BROKEN_AFTER)


def _start_of(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The first instant of ``day`` in ``zone``, in UTC: from then on the person's local date is ``day``.

    Where midnight falls in a spring-forward gap, fold=0 reads it with the offset before the change,
    which is the instant the clocks jump: again the first instant of the day."""
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)


def _other_sources(now: dt.datetime) -> int:
    """Each source in its own transaction, so one failing leaves the others and the renewals alone."""
    created = 0
    for source in hooks.reminder_sources:  # cohort notes and digests, from the schools app
        try:
            with transaction.atomic():
                rows = source(now.date())
                Reminder.objects.bulk_create(rows, ignore_conflicts=True)
        except Exception:
            logger.exception("reminder source %s failed", source.__module__)
            continue
        created += len(rows)
    return created
