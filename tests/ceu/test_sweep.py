"""The sweep: the right people get the right reminder on the right day, each once, at a cost that
follows what is due; and one person's bad data stops no one else."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import Profile
from accounts.services import profile_of
from ceu import hooks, services
from ceu import sweep as reminder_sweep
from ceu.cycles import Holding
from ceu.models import CeuEntry, PlannedReminder, Reminder
from ceu.selectors import Person
from content.loader import DATA_DIR, load_ladder
from content.models import Credential, RenewalRule
from roadmap import services as roadmap_services
from roadmap.models import HeldCredential
from tests.conftest import make_user

from .conftest import NOW, hold, log

END = dt.date(2026, 12, 20)  # the coder's CPC cycle end (conftest)
NEW_YORK = ZoneInfo("America/New_York")
SECOND = dt.timedelta(seconds=1)


def sweep_at(now=NOW) -> reminder_sweep.SweepReport:
    return reminder_sweep.sweep(now)


def reminder_keys() -> set[tuple]:
    return set(Reminder.objects.values_list("held_id", "kind", "due_on", "threshold"))


def created_by_sweep(now) -> set[tuple]:
    """The (kind, due_on, threshold) of the reminders one sweep creates."""
    before = reminder_keys()
    sweep_at(now)
    return {key[1:] for key in reminder_keys() - before}


def local_midnight(day: dt.date, zone=NEW_YORK) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


def days_before_end(days: int) -> dt.date:
    return END - dt.timedelta(days=days)


def test_a_coder_short_of_ceus_gets_the_30_day_reminder(coder):
    report = sweep_at()

    reminder = Reminder.objects.get()
    assert report.created == 1
    assert (reminder.user, reminder.kind, reminder.threshold, reminder.due_on, reminder.status) == (
        coder,
        "renewal",
        30,
        END,
        "pending",
    )


def test_running_the_sweep_twice_creates_no_duplicate(coder):
    sweep_at()
    report = sweep_at()
    sweep_at(NOW + dt.timedelta(hours=1))

    assert report.created == 0
    assert Reminder.objects.count() == 1


def test_a_missed_day_is_caught_up_the_next_day(coder):
    # Nothing ran at 30 days (Nov 20); on Nov 25 (25 days left) the 30-day reminder is still due.
    assert END - dt.date(2026, 11, 25) == dt.timedelta(days=25)
    assert created_by_sweep(NOW) == {("renewal", END, 30)}


def test_missed_thresholds_are_not_sent_late_only_the_most_urgent_is(coder):
    # No sweep ran from 90 days before the end until 5 days before it: one reminder, the 7-day one.
    assert created_by_sweep(local_midnight(days_before_end(5))) == {("renewal", END, 7)}


@pytest.mark.parametrize(("threshold", "previous"), [(90, None), (60, 90), (30, 60), (7, 30)])
def test_each_threshold_is_due_from_local_midnight_exactly_that_many_days_before_the_end(coder, threshold, previous):
    midnight = local_midnight(days_before_end(threshold))

    just_before = created_by_sweep(midnight - SECOND)
    at_midnight = created_by_sweep(midnight)

    assert just_before == (set() if previous is None else {("renewal", END, previous)})
    assert at_midnight == {("renewal", END, threshold)}


def test_the_ended_reminder_is_due_from_the_day_after_the_end(coder):
    midnight = local_midnight(END + dt.timedelta(days=1))

    assert created_by_sweep(midnight - SECOND) == {("renewal", END, 7)}  # the end day itself: 0 days left
    assert created_by_sweep(midnight) == {("renewal", END, 0)}
    assert created_by_sweep(midnight + dt.timedelta(days=40)) == set()


def test_the_next_threshold_makes_a_new_reminder_and_an_ended_cycle_another(coder):
    sweep_at()
    sweep_at(dt.datetime(2026, 12, 14, 15, tzinfo=dt.UTC))  # 6 days left
    sweep_at(dt.datetime(2026, 12, 22, 15, tzinfo=dt.UTC))  # ended

    assert sorted(Reminder.objects.values_list("threshold", flat=True)) == [0, 7, 30]


def test_due_is_judged_on_the_persons_local_date(coder):
    profile = profile_of(coder)
    profile.time_zone = "Pacific/Honolulu"
    profile.save()
    thirty_days_before = local_midnight(days_before_end(30), ZoneInfo("Pacific/Honolulu"))

    # 08:00 UTC on Nov 20 is still Nov 19 in Honolulu (31 days left): the 60-day reminder...
    assert created_by_sweep(dt.datetime(2026, 11, 20, 8, tzinfo=dt.UTC)) == {("renewal", END, 60)}
    # ...and the 30-day one from Honolulu's midnight, ten hours after New York's.
    assert created_by_sweep(thirty_days_before - SECOND) == set()
    assert created_by_sweep(thirty_days_before) == {("renewal", END, 30)}


def test_a_new_time_zone_moves_the_moment_a_reminder_is_due(coder):
    sweep_at(local_midnight(days_before_end(10)))  # plans in New York time; the 30-day one is sent
    profile = profile_of(coder)
    profile.time_zone = "Pacific/Honolulu"
    profile.save()

    # New York's midnight 7 days before the end is still the day before in Honolulu.
    assert created_by_sweep(local_midnight(days_before_end(7))) == set()
    assert created_by_sweep(local_midnight(days_before_end(7), ZoneInfo("Pacific/Honolulu"))) == {("renewal", END, 7)}


def test_enough_ceus_means_no_reminder(coder):
    log(coder, list(coder.held_credentials.all()), "30", dt.date(2026, 6, 1))

    assert sweep_at().created == 0


def test_logging_ceus_after_the_plan_was_made_cancels_the_coming_reminders(coder):
    sweep_at(local_midnight(days_before_end(60)))  # the 60-day reminder; the 30-day one is planned
    entry = log(coder, list(coder.held_credentials.all()), "30", dt.date(2026, 10, 1))

    assert created_by_sweep(local_midnight(days_before_end(30))) == set()

    entry.delete()  # a mistake: the CEUs are short again
    assert created_by_sweep(local_midnight(days_before_end(29))) == {("renewal", END, 30)}


def test_editing_an_entry_or_its_credentials_moves_the_reminders(coder):
    held = coder.held_credentials.get()
    entry = CeuEntry.objects.get(user=coder)
    entry.hours = 36
    entry.save()
    assert sweep_at().created == 0

    entry.credentials.remove(held)  # the 36 CEUs no longer count toward the CPC
    assert created_by_sweep(NOW + dt.timedelta(hours=1)) == {("renewal", END, 30)}


def test_entering_a_cycle_end_replaces_the_estimate(coder, classmate, ladder):
    held = hold(classmate, "CPC", dt.date(2024, 12, 1))  # estimated cycle end: 2026-12-01, 6 days after NOW
    assert created_by_sweep(NOW) == {("renewal", dt.date(2026, 12, 1), 7), ("renewal", END, 30)}

    held.cycle_ends_on = dt.date(2027, 2, 1)  # as printed in the AAPC account
    held.save(update_fields=["cycle_ends_on"])

    assert created_by_sweep(NOW + dt.timedelta(hours=1)) == {("renewal", dt.date(2027, 2, 1), 90)}


def test_a_credential_sharing_an_entered_cycle_end_is_reminded_after_the_end_too(coder, ladder):
    coc = roadmap_services.record_credential(coder, Credential.objects.get(code="COC"), earned_on=dt.date(2024, 5, 1))
    sweep_at()

    assert created_by_sweep(local_midnight(END + dt.timedelta(days=1))) == {("renewal", END, 0)}
    assert Reminder.objects.filter(held=coc, threshold=0).exists()


def test_an_estimated_cycle_rolls_over_to_the_next_one(classmate, ladder):
    hold(classmate, "CPC", dt.date(2024, 12, 1))  # estimated ends: 2026-12-01, then 2028-12-01
    sweep_at(NOW)

    assert created_by_sweep(local_midnight(dt.date(2026, 12, 2))) == set()  # no "ended" for an estimate
    next_end = dt.date(2028, 12, 1)
    assert created_by_sweep(local_midnight(next_end - dt.timedelta(days=90))) == {("renewal", next_end, 90)}


def test_renewing_starts_the_next_cycle_and_lapsing_ends_the_reminders(coder, classmate, ladder):
    services.renew(coder.held_credentials.get(), current_end=END)
    classmate_cpc = hold(classmate, "CPC", dt.date(2023, 1, 1), cycle_ends_on=END)
    services.lapse(classmate_cpc, on=dt.date(2026, 11, 1))

    assert sweep_at().created == 0
    assert created_by_sweep(local_midnight(dt.date(2028, 12, 20) - dt.timedelta(days=90))) == {
        ("renewal", dt.date(2028, 12, 20), 90)
    }


def test_a_second_credential_raises_the_requirement(coder, ladder):
    log(coder, list(coder.held_credentials.all()), "30", dt.date(2026, 6, 1))  # 36 of 36
    assert sweep_at().created == 0

    roadmap_services.record_credential(coder, Credential.objects.get(code="CRC"), earned_on=dt.date(2026, 7, 1))

    assert {key[1:] for key in reminder_keys()} == set()
    assert created_by_sweep(NOW + dt.timedelta(hours=1)) == {("renewal", END, 30)}  # both: 36 of 40
    assert Reminder.objects.filter(held__credential__code="CRC").count() == 1


def test_forgetting_a_credential_forgets_its_reminders(coder):
    sweep_at(local_midnight(days_before_end(60)))
    roadmap_services.forget_credential(coder.held_credentials.get())

    assert sweep_at().created == 0
    assert not PlannedReminder.objects.filter(user=coder).exists()


def test_far_deadlines_and_people_who_turned_reminders_off_get_nothing(coder, classmate, ladder):
    hold(classmate, "CCS", dt.date(2026, 1, 1))  # AHIMA cycle ends 2028
    profile = profile_of(coder)
    profile.reminder_emails = False
    profile.save()

    assert sweep_at().created == 0

    profile.reminder_emails = True
    profile.save()
    assert created_by_sweep(NOW + dt.timedelta(hours=1)) == {("renewal", END, 30)}


def test_an_apprentice_who_became_eligible_is_told_once(classmate, ladder):
    profile = profile_of(classmate)
    profile.career_start, profile.apprentice_education_credits = dt.date(2025, 6, 1), 1
    profile.save()
    hold(classmate, "CPC-A", dt.date(2025, 9, 1), cycle_ends_on=dt.date(2027, 9, 1))

    sweep_at()
    sweep_at()

    reminder = Reminder.objects.get(kind="apprentice")
    assert reminder.due_on == dt.date(2026, 6, 1)


def test_the_apprentice_reminder_is_due_from_the_eligibility_day_itself(classmate, ladder):
    hold(classmate, "CPC-A", dt.date(2026, 9, 1), cycle_ends_on=dt.date(2028, 9, 1))
    assert sweep_at().created == 0  # no career start: eligibility cannot be known

    profile = profile_of(classmate)
    profile.career_start = dt.date(2025, 1, 10)  # two years of experience on 2027-01-10
    profile.save()
    eligible = dt.date(2027, 1, 10)

    assert created_by_sweep(local_midnight(eligible) - SECOND) == set()
    assert created_by_sweep(local_midnight(eligible)) == {("apprentice", eligible, 0)}


def test_a_renewal_rule_change_replans_everyone_holding_that_bodys_credentials(coder, classmate, ladder):
    hold(classmate, "CCS", dt.date(2024, 12, 10), cycle_ends_on=END)  # AHIMA: short, 25 days left
    sweep_at(local_midnight(days_before_end(60)))
    rule = RenewalRule.objects.get(key="aapc-current")

    rule.details += " Reworded."  # not a change of terms: nobody is replanned
    rule.save()
    assert not PlannedReminder.objects.filter(kind="stale").exists()

    rule.ceus_by_count = [6, 8, 10, 12, 14]  # the coder's 6 CEUs now suffice
    rule.save()
    assert set(PlannedReminder.objects.filter(kind="stale").values_list("user_id", flat=True)) == {coder.pk}
    assert created_by_sweep(local_midnight(days_before_end(30))) == {("renewal", END, 30)}  # the AHIMA one only
    assert Reminder.objects.filter(user=coder, threshold=30).count() == 0


def test_a_credential_moved_to_another_rule_replans_its_holders(coder, ladder):
    sweep_at(local_midnight(days_before_end(60)))
    cpc = Credential.objects.get(code="CPC")
    cpc.renewal_rule = RenewalRule.objects.get(key="acdis-unconfirmed")  # no confirmed requirement
    cpc.save()

    assert created_by_sweep(local_midnight(days_before_end(30))) == set()


def test_a_new_edition_of_the_ladder_data_replans_the_holders_of_the_changed_rules(coder, tmp_path):
    data_dir = shutil.copytree(DATA_DIR, tmp_path / "data")
    sweep_at(local_midnight(days_before_end(60)))
    rules = data_dir / "renewal_rules.yaml"
    rules.write_text(
        rules.read_text().replace("ceus_by_count: [36, 40, 44, 48, 52]", "ceus_by_count: [6, 8, 10, 12, 14]")
    )

    load_ladder(data_dir)

    assert created_by_sweep(local_midnight(days_before_end(30))) == set()  # the 6 CEUs logged now suffice


def test_data_changed_behind_the_signals_is_planned_again_after_replan_reminders(coder):
    sweep_at(local_midnight(days_before_end(60)))
    CeuEntry.objects.filter(user=coder).update(hours=36)  # a bulk fix: no signal

    call_command("replan_reminders", stdout=StringIO())

    assert created_by_sweep(local_midnight(days_before_end(30))) == set()


def test_deleting_an_account_leaves_nothing_behind(coder):
    sweep_at(local_midnight(days_before_end(60)))

    coder.delete()
    connection.check_constraints()

    assert not PlannedReminder.objects.exists()


def test_a_day_with_nothing_due_reads_only_the_due_ranges(coder, classmate, django_assert_num_queries):
    hold(classmate, "CPC", dt.date(2023, 1, 1), cycle_ends_on=dt.date(2026, 12, 1))
    sweep_at()

    # The due marks, the insert and delete of due steps, the two cohort queries, and two savepoints.
    with django_assert_num_queries(9):
        report = sweep_at(NOW + dt.timedelta(hours=1))
    assert report == reminder_sweep.SweepReport(replanned=0, skipped=0, created=0, other_created=0)


def queries_of_a_sweep(django_assert_max_num_queries, people: int) -> int:
    for n in range(people):
        user = make_user(f"coder{n}.of{people}@example.com")
        held = hold(user, "CPC", dt.date(2023, 1, 1), cycle_ends_on=END)
        log(user, [held], "6", dt.date(2026, 3, 1))
    with django_assert_max_num_queries(1000) as captured:
        sweep_at()
    assert Reminder.objects.count() == people
    return len(captured)


@pytest.mark.django_db
def test_the_sweep_runs_the_same_queries_for_2_people_or_40(ladder, django_assert_max_num_queries):
    few = queries_of_a_sweep(django_assert_max_num_queries, 2)
    Reminder.objects.all().delete()
    HeldCredential.objects.all().delete()

    assert queries_of_a_sweep(django_assert_max_num_queries, 40) == few


def break_the_acdis_rule() -> None:
    """A rule edition entered with CEU figures that are not numbers, written behind the admin's back."""
    RenewalRule.objects.filter(key="acdis-unconfirmed").update(
        method="by_count", cycle_months=24, ceus_by_count=["thirty-six"]
    )


def test_one_persons_bad_data_is_logged_and_skipped_and_everyone_else_is_reminded(coder, classmate, ladder, caplog):
    # The classmate holds a credential whose rule is broken, and a fine one; the lost person's time
    # zone does not exist. Both are written the way a bad import or a manual fix might.
    broken = hold(classmate, "CCDS", dt.date(2023, 1, 1), cycle_ends_on=END)
    fine = hold(classmate, "CCS", dt.date(2024, 12, 10), cycle_ends_on=END)
    lost = make_user("lost@example.com")
    lost_cpc = hold(lost, "CPC", dt.date(2023, 1, 1), cycle_ends_on=END)
    others = [make_user(f"fine{n}@example.com") for n in range(3)]
    for user in others:
        hold(user, "CPC", dt.date(2023, 1, 1), cycle_ends_on=END)
    break_the_acdis_rule()
    profile_of(lost)
    Profile.objects.filter(user=lost).update(time_zone="Nowhere/Atlantis")

    with caplog.at_level(logging.WARNING, logger="ceu.sweep"):
        report = sweep_at()

    reminded = set(Reminder.objects.values_list("user_id", "held_id"))
    assert reminded == {(coder.pk, coder.held_credentials.get().pk), (classmate.pk, fine.pk)} | {
        (user.pk, user.held_credentials.get().pk) for user in others
    }
    assert report.skipped == 2
    messages = [record.getMessage() for record in caplog.records]
    assert any(f"user {classmate.pk}, held credential {broken.pk}," in m for m in messages)
    assert any(f"user {lost.pk}, held credential {lost_cpc.pk}," in m for m in messages)
    assert len(messages) == 2


def test_broken_data_is_tried_again_a_day_later_and_planned_once_fixed(classmate, ladder, caplog):
    hold(classmate, "CCDS", dt.date(2023, 1, 1), cycle_ends_on=END)
    break_the_acdis_rule()
    sweep_at()
    caplog.clear()

    assert sweep_at(NOW + dt.timedelta(hours=1)).replanned == 0  # not logged again every hour
    assert sweep_at(NOW + dt.timedelta(days=1)).skipped == 1

    rule = RenewalRule.objects.get(key="acdis-unconfirmed")
    rule.ceus_by_count = [36]  # fixed in the admin: its holders are planned at once
    rule.save()
    assert created_by_sweep(NOW + dt.timedelta(days=1, hours=1)) == {("renewal", END, 30)}


@pytest.mark.parametrize(
    ("earned_on", "cycle_ends_on"),
    [
        (dt.date(2023, 1, 1), dt.date(1, 1, 1)),  # 90 days before it is before the calendar starts
        (dt.date(2023, 1, 1), dt.date(9999, 12, 31)),  # the day after it is after the calendar ends
        (dt.date(9999, 12, 1), None),  # its estimated cycle would end after the calendar ends
    ],
)
def test_dates_at_the_edge_of_the_calendar_are_planned_without_a_failure(earned_on, cycle_ends_on):
    # In memory: the database may refuse such dates, a plan must not depend on it.
    aapc = {"method": "by_count", "cycle_months": 24, "ceus_by_count": (36, 40, 44, 48, 52)}
    person = Person(user_id=7, time_zone="America/New_York", reminders_on=True, career_start=None, education_credits=0)
    person.holdings = [
        Holding(id=1, code="CPC", body="AAPC", earned_on=earned_on, cycle_ends_on=cycle_ends_on, **aapc),
        Holding(
            id=2,
            code="CCS",
            body="AHIMA",
            earned_on=dt.date(2024, 12, 10),
            cycle_ends_on=END,
            method="highest_plus_additional",
            cycle_months=24,
            ceus_single=20,
            additional_per_credential=10,
        ),
    ]

    rows, failures = reminder_sweep.plan_rows(person, NOW)

    assert failures == []  # a day past the ends of the calendar is simply not in the plan
    assert {(row.held_id, row.threshold) for row in rows if row.kind == "renewal" and row.held_id == 2} == {
        (2, 30),
        (2, 7),
        (2, 0),
    }
    assert [row for row in rows if row.kind == "replan" and row.due_at == NOW + reminder_sweep.RETRY_BROKEN_AFTER] == []


def test_a_failing_reminder_source_leaves_the_renewals_alone(coder, caplog):
    def broken_source(today):
        raise RuntimeError("this source is broken")

    with hooks.reminder_sources.plugged(broken_source), caplog.at_level(logging.ERROR, logger="ceu.sweep"):
        report = sweep_at()

    assert report.created == 1
    assert "this source is broken" in caplog.text
