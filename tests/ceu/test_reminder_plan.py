"""The reminder rule and the plan made from it, at fixed values on every boundary (no database)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ceu.cycles import (
    DueReminder,
    Entry,
    Holding,
    PlannedStep,
    cycles,
    plan_reminders,
    reminders_due,
)
from ceu.sweep import _start_of

END = dt.date(2026, 12, 20)
DAY = dt.timedelta(days=1)


def cpc(*, cycle_ends_on=END, earned_on=dt.date(2023, 1, 1)) -> Holding:
    return Holding(
        id=1,
        code="CPC",
        body="AAPC",
        earned_on=earned_on,
        cycle_ends_on=cycle_ends_on,
        method="by_count",
        cycle_months=24,
        ceus_by_count=(36, 40, 44, 48, 52),
    )


def cycle_of(holding: Holding, today: dt.date, hours: str = "6"):
    entries = [Entry(dt.date(2026, 3, 1), Decimal(hours), frozenset({holding.id}))]
    (cycle,) = cycles([holding], entries, today)
    return cycle


def due_on(holding: Holding, today: dt.date, hours: str = "6") -> list[tuple[int, dt.date]]:
    return [(r.threshold, r.due_on) for r in reminders_due([cycle_of(holding, today, hours)], {}, today)]


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [
        (91, None),
        (90, 90),
        (61, 90),
        (60, 60),
        (31, 60),
        (30, 30),
        (8, 30),
        (7, 7),
        (1, 7),
        (0, 7),  # the end day itself is still "7 days or fewer"
        (-1, 0),  # the day after the end
        (-400, 0),
    ],
)
def test_the_renewal_reminder_is_the_most_urgent_threshold_crossed(days_left, threshold):
    today = END - dt.timedelta(days=days_left)

    expected = [] if threshold is None else [(threshold, END)]
    assert due_on(cpc(), today) == expected


def test_no_renewal_reminder_once_the_ceus_are_logged():
    assert due_on(cpc(), END - 5 * DAY, hours="36") == []


def test_the_apprentice_reminder_starts_on_the_eligibility_day_itself():
    eligible = dt.date(2026, 6, 1)
    cycle = cycle_of(cpc(cycle_ends_on=dt.date(2028, 1, 1)), eligible)

    assert reminders_due([cycle], {1: eligible}, eligible - DAY) == []
    assert reminders_due([cycle], {1: eligible}, eligible) == [DueReminder(1, "apprentice", eligible, 0)]
    assert reminders_due([cycle], {1: None}, eligible) == []


def step(threshold: int, first: dt.date, last: dt.date | None) -> PlannedStep:
    return PlannedStep(DueReminder(1, "renewal", END, threshold), first, last)


def test_a_plan_lists_each_threshold_with_the_days_it_is_due():
    today = END - 95 * DAY

    plan = plan_reminders(cycle_of(cpc(), today), [cpc()], None, today, horizon_days=200)

    assert plan.steps == (
        step(90, END - 90 * DAY, END - 61 * DAY),
        step(60, END - 60 * DAY, END - 31 * DAY),
        step(30, END - 30 * DAY, END - 8 * DAY),
        step(7, END - 7 * DAY, END),
        step(0, END + DAY, None),  # an entered cycle end stays ended: due from then on
    )
    assert plan.replan_on is None


def test_a_plan_made_mid_threshold_starts_with_the_one_due_today():
    today = END - 20 * DAY

    plan = plan_reminders(cycle_of(cpc(), today), [cpc()], None, today)

    assert plan.steps[0] == step(30, today, END - 8 * DAY)
    assert [s.reminder.threshold for s in plan.steps] == [30, 7, 0]


def test_steps_beyond_the_horizon_wait_for_the_plan_to_be_made_again():
    today = END - 400 * DAY

    plan = plan_reminders(cycle_of(cpc(), today), [cpc()], None, today, horizon_days=100)

    assert plan.steps == ()
    assert plan.replan_on == END - 90 * DAY


def test_an_estimated_cycle_end_is_planned_up_to_its_end_only():
    # No cycle end entered: the CPC earned on 2024-12-20 has an estimated cycle ending 2026-12-20,
    # and from the next day the estimate is the following cycle, so the plan must be made again then.
    holding = cpc(cycle_ends_on=None, earned_on=dt.date(2024, 12, 20))
    today = END - 10 * DAY

    plan = plan_reminders(cycle_of(holding, today), [holding], None, today)

    assert plan.steps == (step(30, today, END - 8 * DAY), step(7, END - 7 * DAY, END))
    assert plan.replan_on == END + DAY


def test_a_credential_sharing_its_bodys_entered_cycle_end_is_planned_past_the_end():
    # The COC has no cycle end of its own: it shares the CPC's, entered by the person, which does
    # not move after the end. So the plan goes on to "ended" and never needs making again.
    anchor = cpc()
    coc = Holding(
        id=2,
        code="COC",
        body="AAPC",
        earned_on=dt.date(2024, 5, 1),
        cycle_ends_on=None,
        method="by_count",
        cycle_months=24,
        ceus_by_count=(36, 40, 44, 48, 52),
    )
    today = END - 20 * DAY
    (_, cycle) = cycles([anchor, coc], [], today)

    plan = plan_reminders(cycle, [anchor, coc], None, today)

    assert [(s.reminder.threshold, s.first_day, s.last_day) for s in plan.steps] == [
        (30, today, END - 8 * DAY),
        (7, END - 7 * DAY, END),
        (0, END + DAY, None),
    ]
    assert plan.replan_on is None


def test_a_cycle_with_enough_ceus_plans_nothing():
    today = END - 20 * DAY

    plan = plan_reminders(cycle_of(cpc(), today, hours="36"), [cpc()], None, today)

    assert plan.steps == () and plan.replan_on is None


def test_the_apprentice_step_is_due_from_the_eligibility_day_on():
    eligible, today = dt.date(2026, 6, 1), dt.date(2026, 5, 1)

    holding = cpc(cycle_ends_on=dt.date(2028, 1, 1))

    plan = plan_reminders(cycle_of(holding, today), [holding], eligible, today)

    # Due from then on; the plan says so up to the 90-day renewal reminder, beyond the horizon.
    ninety_days_before = dt.date(2028, 1, 1) - 90 * DAY
    assert plan.steps == (PlannedStep(DueReminder(1, "apprentice", eligible, 0), eligible, ninety_days_before - DAY),)
    assert plan.replan_on == ninety_days_before


ZONES_WITH_MIDNIGHT_CHANGES = [
    "America/Santiago",
    "America/Havana",
    "Asia/Beirut",
    "Pacific/Apia",
    "Australia/Lord_Howe",
]


@pytest.mark.parametrize("name", ["America/New_York", "Pacific/Kiritimati", *ZONES_WITH_MIDNIGHT_CHANGES])
def test_a_day_starts_at_the_instant_the_local_date_becomes_that_day(name):
    zone = ZoneInfo(name)
    day = dt.date(2024, 1, 1)
    while day < dt.date(2028, 1, 1):
        start = _start_of(day, zone)
        assert (start - dt.timedelta(microseconds=1)).astimezone(zone).date() == day - DAY, day
        assert start.astimezone(zone).date() == day, day
        day += DAY


@pytest.mark.parametrize(("days_before", "planned"), [(190, True), (191, False)])
def test_a_plan_reaches_100_days_ahead(days_before, planned):
    """The 90-day reminder 100 days from today is in the plan (and the 60-day one, 30 days later, makes the
    plan again); 101 days away, the plan is made again on the day the 90-day one is due."""
    today = END - days_before * DAY

    plan = plan_reminders(cycle_of(cpc(), today), [cpc()], None, today)

    if planned:
        assert (plan.steps, plan.replan_on) == ((step(90, END - 90 * DAY, END - 61 * DAY),), END - 60 * DAY)
    else:
        assert (plan.steps, plan.replan_on) == ((), END - 90 * DAY)


def test_reminders_and_plans_are_values_that_cannot_change():
    plan = plan_reminders(cycle_of(cpc(), END - 20 * DAY), [cpc()], None, END - 20 * DAY)

    for value in [plan, plan.steps[0], plan.steps[0].reminder]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, dataclasses.fields(value)[0].name, None)
    assert hash(plan.steps[0]) == hash(step(30, END - 20 * DAY, END - 8 * DAY))


def test_days_beyond_the_horizon_that_bring_nothing_new_leave_the_plan_open_ended():
    """The apprentice reminder is due from today on; the renewal thresholds beyond the 100 days bring no
    reminder (the CEUs are logged): the plan needs no remaking."""
    today = END - 200 * DAY
    eligible = today - 10 * DAY

    plan = plan_reminders(cycle_of(cpc(), today, hours="36"), [cpc()], eligible, today)

    assert plan.steps == (PlannedStep(DueReminder(1, "apprentice", eligible, 0), today, None),)
    assert plan.replan_on is None
