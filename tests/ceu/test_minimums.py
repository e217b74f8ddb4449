"""Minimums inside a cycle from the dated rules data: on the page, and named in the reminder."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from ceu import services
from ceu.emails import reminder_message
from ceu.models import CeuEntry, Reminder
from ceu.selectors import cycles_for_user, people_holding_credentials
from content.models import RenewalRule

from .conftest import NOW, hold

END = dt.date(2026, 12, 20)


def log(user, held_list, hours, on, category="general", sourced=False):
    entry = CeuEntry.objects.create(
        user=user, completed_on=on, hours=Decimal(hours), activity="Course", category=category, body_sourced=sourced
    )
    entry.credentials.set(held_list)
    return entry


@pytest.fixture
def auditor(student, ladder):
    """A CPC and CPMA holder with the total logged but only 10 of 16 auditing CEUs."""
    cpc = hold(student, "CPC", dt.date(2023, 1, 1), cycle_ends_on=END)
    cpma = hold(student, "CPMA", dt.date(2023, 1, 1), cycle_ends_on=END)
    log(student, [cpc, cpma], "30", dt.date(2026, 3, 1))
    log(student, [cpma], "10", dt.date(2026, 4, 1), category="auditing")
    return student


def test_the_rules_data_gives_each_credential_its_own_minimum(auditor):
    by_code = {c.holding.code: c for c in cycles_for_user(auditor, NOW.date())}

    assert by_code["CPC"].minimums == ()
    (auditing,) = by_code["CPMA"].minimums
    assert (auditing.required, auditing.logged, auditing.minimum.topic) == (16, 10, "related to auditing")
    assert by_code["CPC"].remaining == 0 and by_code["CPMA"].is_short


def test_the_sweep_reads_the_same_minimums(auditor):
    (person,) = people_holding_credentials([auditor.pk])
    cpma = next(h for h in person.holdings if h.code == "CPMA")

    assert [m.ceus for m in cpma.minimums] == [16]
    assert {e.category for e in person.entries} == {"general", "auditing"}


def test_ahimas_share_counts_ceus_from_ahima_or_affiliates(student, ladder):
    ccs = hold(student, "CCS", dt.date(2025, 6, 1), cycle_ends_on=dt.date(2027, 6, 1))
    log(student, [ccs], "5", dt.date(2026, 1, 1), category="hiim", sourced=True)
    log(student, [ccs], "15", dt.date(2026, 2, 1), category="hiim")

    (cycle,) = cycles_for_user(student, NOW.date())

    (share,) = cycle.minimums
    assert (share.required, share.logged, share.remaining) == (8, 5, 3)
    assert cycle.remaining == 0 and cycle.is_short


@time_machine.travel(NOW)
def test_the_page_shows_each_minimum_with_its_progress(client, auditor, django_assert_max_num_queries):
    client.force_login(auditor)

    with django_assert_max_num_queries(16):
        html = client.get("/ceu/").content.decode()

    assert "Of these, 16 related to auditing" in html
    assert "10 logged; <strong>6 still short</strong>" in html
    assert "Related to auditing (AAPC CPMA)" in html  # the category to log them with


def test_the_renewal_reminder_names_the_minimum_still_short_even_when_the_total_is_met(auditor):
    services.sweep(NOW)
    reminder = Reminder.objects.get(held__credential__code="CPMA")

    message = reminder_message(reminder, today=NOW.date())

    assert message.subject == "CPMA: 6 CEUs related to auditing still short, renewal due Dec 20, 2026"
    assert "Still short inside the total: 6 of the 16 CEUs related to auditing (10 logged)" in message.body
    assert "Still short: CEUs related to auditing" in message.alternatives[0][0]
    # The CPC's total is met and it has no minimum: no reminder for it.
    assert not Reminder.objects.filter(held__credential__code="CPC").exists()


@pytest.mark.parametrize(
    ("minimums", "problem"),
    [
        ([{"ceus": 16, "topic": "x"}], "ceus must be 1-100 with a list of credentials"),
        ([{"credentials": ["CPMA"], "ceus": 16, "share_percent": 40, "topic": "x"}], "either ceus"),
        ([{"share_percent": 140, "topic": "x"}], "share_percent must be 1-100"),
        ([{"share_percent": 40, "topic": "x", "effective_from": "2025-13-01"}], "effective_from must be a date"),
        ([{"share_percent": 40}], "a topic in words is required"),
        ([{"share_percent": 40, "topic": "x", "colour": "red"}], "unknown keys"),
        ("16", "A list of minimums"),
    ],
)
def test_a_malformed_minimum_is_refused_before_it_reaches_the_rules(ladder, minimums, problem):
    rule = RenewalRule.objects.get(key="aapc-current")
    rule.minimums = minimums

    with pytest.raises(ValidationError, match=problem):
        rule.full_clean()
