"""A cycle end or any other date outside 1900-2100 is refused at the door, and one stored before the
range was checked (or written around the forms) breaks none of the person's pages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from accounts.services import profile_of
from ceu import services
from roadmap.models import HeldCredential
from tests.unchecked import store_unchecked

from .conftest import hold

NOW = dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC)
D = dt.date
RANGE_MESSAGE = "Enter a date between Jan 1, 1900 and Dec 31, 2100."


@pytest.fixture
def held(client, coder):
    client.force_login(coder)
    return coder.held_credentials.get()


@time_machine.travel(NOW)
@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"])
def test_a_cycle_end_outside_the_range_is_refused_with_the_reason(client, held, day):
    response = client.post(reverse("ceu:cycle-end", args=[held.pk]), {"cycle_ends_on": day}, follow=True)

    assert RANGE_MESSAGE in response.content.decode()
    held.refresh_from_db()
    assert held.cycle_ends_on == D(2026, 12, 20)


@time_machine.travel(NOW)
@pytest.mark.parametrize("day", ["1900-01-01", "2100-12-31"])
def test_the_ends_of_the_range_are_accepted_as_a_cycle_end(client, held, day):
    client.post(reverse("ceu:cycle-end", args=[held.pk]), {"cycle_ends_on": day})

    held.refresh_from_db()
    assert held.cycle_ends_on == D.fromisoformat(day)


def feed_of(client, user) -> Calendar:
    response = client.get(reverse("ceu:feed", args=[services.rotate_calendar_token(user)]))
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


@time_machine.travel(NOW)
@pytest.mark.parametrize(
    "stored",
    [
        {"cycle_ends_on": D(1, 1, 1)},
        {"cycle_ends_on": D(9999, 12, 31)},
        {"cycle_ends_on": None, "earned_on": D(1, 1, 1)},
        {"cycle_ends_on": None, "earned_on": D(9999, 12, 31)},
    ],
    ids=["cycle-end-year-1", "cycle-end-9999", "earned-year-1", "earned-9999"],
)
def test_dates_stored_before_the_range_existed_break_no_page(client, coder, held, stored):
    store_unchecked(HeldCredential.objects.filter(pk=held.pk), **stored)

    for url in ("/ceu/", "/dashboard/", "/account/profile/", "/account/export/"):
        assert client.get(url).status_code == 200, url
    assert len(feed_of(client, coder).walk("VEVENT")) == 1
    assert services.sweep(NOW).skipped == 0  # the helpers the sweep calls do not raise


@time_machine.travel(NOW)
def test_a_career_start_stored_in_year_one_breaks_no_page(client, coder, held):
    hold(coder, "CPC-A", D(2025, 9, 1))
    profile_of(coder)
    store_unchecked(type(profile_of(coder)).objects.filter(user=coder), career_start=D(1, 1, 1))

    for url in ("/ceu/", "/dashboard/", "/account/profile/"):
        assert client.get(url).status_code == 200, url
    titles = [str(event["SUMMARY"]) for event in feed_of(client, coder).walk("VEVENT")]
    assert "CPC-A: apprentice designation can be removed" in titles


@time_machine.travel(NOW)
def test_the_last_day_python_knows_is_a_one_day_event_without_an_end(client, coder, held):
    store_unchecked(HeldCredential.objects.filter(pk=held.pk), cycle_ends_on=D(9999, 12, 31))

    (event,) = feed_of(client, coder).walk("VEVENT")

    assert event["DTSTART"].dt == D(9999, 12, 31) and "DTEND" not in event


@time_machine.travel(NOW)
def test_other_events_keep_their_one_day_end(client, coder, held):
    (event,) = feed_of(client, coder).walk("VEVENT")

    assert (event["DTSTART"].dt, event["DTEND"].dt) == (D(2026, 12, 20), D(2026, 12, 21))


@time_machine.travel(NOW)
@pytest.mark.parametrize("stored", [D(2099, 1, 1), D(9999, 12, 31)])
def test_renewing_past_2100_is_refused_with_the_reason(client, held, stored):
    store_unchecked(HeldCredential.objects.filter(pk=held.pk), cycle_ends_on=stored)

    response = client.post(reverse("ceu:renew", args=[held.pk]), follow=True)

    assert "Renewing would move the cycle end past 2100" in response.content.decode()
    held.refresh_from_db()
    assert held.cycle_ends_on == stored


@time_machine.travel(NOW)
def test_renewing_up_to_the_last_day_of_2100_works(client, held):
    held.cycle_ends_on = D(2098, 12, 31)
    held.save()

    client.post(reverse("ceu:renew", args=[held.pk]))

    held.refresh_from_db()
    assert held.cycle_ends_on == D(2100, 12, 31)
