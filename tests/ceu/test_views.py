"""The CEU log, cycle actions, the calendar feed and unsubscribe, through the web."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from icalendar import Calendar

from ceu.emails import unsubscribe_token
from ceu.models import CalendarToken, CeuEntry
from content.models import Credential
from roadmap.models import HeldCredential
from tests.conftest import make_user

from .conftest import hold, log

HX = {"HX-Request": "true"}
TODAY = dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC)


@pytest.fixture
def signed_in(client, coder):
    client.force_login(coder)
    return client


def entry_data(held, **changes):
    return {
        "completed_on": "2026-10-01",
        "hours": "2.5",
        "activity": "Audit webinar",
        "provider": "AAPC",
        "category": "general",
        "credentials": [held.pk],
    } | changes


@time_machine.travel(TODAY)
def test_the_page_shows_each_cycle_with_ceus_required_logged_and_remaining(signed_in):
    html = signed_in.get("/ceu/").content.decode()

    assert "Dec 20, 2026" in html
    assert "6 of 36 logged" in html and "30 remaining" in html


@time_machine.travel(TODAY)
def test_logging_ceus_with_htmx_updates_the_page_in_place(signed_in, coder):
    held = coder.held_credentials.get()

    response = signed_in.post("/ceu/", entry_data(held), headers=HX)

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="ceu-body">') and "<html" not in html
    assert "8.5 of 36 logged" in html
    assert CeuEntry.objects.filter(user=coder).count() == 2


@time_machine.travel(TODAY)
def test_logging_ceus_without_javascript_redirects_back(signed_in, coder):
    response = signed_in.post("/ceu/", entry_data(coder.held_credentials.get()))

    assert response.status_code == 302 and response["Location"] == "/ceu/"


@time_machine.travel(TODAY)
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hours": "0"}, "Ensure this value is greater than or equal to 0.01"),
        ({"hours": "-3"}, "Ensure this value is greater than or equal to 0.01"),
        ({"hours": "400"}, "Ensure this value is less than or equal to 40"),
        ({"completed_on": "2030-01-01"}, "The date cannot be in the future."),
        ({"completed_on": "2019-05-01"}, "outside the current cycle of CPC"),
        ({"credentials": ["999999"]}, "Select a valid choice"),
        ({"credentials": []}, "This field is required."),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_changes_nothing(signed_in, coder, changes, message):
    held = coder.held_credentials.get()

    response = signed_in.post("/ceu/", entry_data(held, **changes), headers=HX)

    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'value="Audit webinar"' in html  # nothing the person typed is lost
    assert CeuEntry.objects.filter(user=coder).count() == 1


@time_machine.travel(TODAY)
def test_a_stranger_cannot_use_someone_elses_credential_or_entries(client, coder, stranger):
    held = coder.held_credentials.get()
    entry = coder.ceu_entries.get()
    hold(stranger, "CCS", dt.date(2026, 1, 1))
    client.force_login(stranger)

    response = client.post("/ceu/", entry_data(held), headers=HX)

    assert "Select a valid choice" in response.content.decode()
    assert client.get(f"/ceu/entries/{entry.pk}/").status_code == 404
    assert client.post(f"/ceu/entries/{entry.pk}/delete/").status_code == 404
    for action in ("cycle", "renew", "lapse"):
        assert (
            client.post(
                f"/ceu/credentials/{held.pk}/{action}/", {"cycle_ends_on": "2027-01-01", "confirm": "yes"}
            ).status_code
            == 404
        )
    assert CeuEntry.objects.filter(pk=entry.pk).exists()
    assert HeldCredential.objects.get(pk=held.pk).ended_on is None


@time_machine.travel(TODAY)
def test_edit_and_delete_an_entry(signed_in, coder):
    entry = coder.ceu_entries.get()

    signed_in.post(f"/ceu/entries/{entry.pk}/", entry_data(coder.held_credentials.get(), hours="7"))
    entry.refresh_from_db()
    assert entry.hours == 7

    response = signed_in.post(f"/ceu/entries/{entry.pk}/delete/", headers=HX)
    assert "No CEUs logged yet." in response.content.decode()


@time_machine.travel(TODAY)
def test_renewing_starts_the_next_cycle_and_lapsing_ends_the_credential(signed_in, coder):
    held = coder.held_credentials.get()

    signed_in.post(f"/ceu/credentials/{held.pk}/renew/")
    held.refresh_from_db()
    assert held.cycle_ends_on == dt.date(2028, 12, 20)

    signed_in.post(f"/ceu/credentials/{held.pk}/lapse/", {"confirm": "yes"})
    held.refresh_from_db()
    assert (held.end_reason, held.ended_on) == ("lapsed", dt.date(2026, 11, 25))


def feed_secret(client) -> str:
    client.post("/ceu/calendar/rotate/")
    html = client.get("/ceu/calendar/").content.decode()
    return html.split("/ceu/calendar/")[2].split(".ics")[0]


@time_machine.travel(TODAY)
def test_the_calendar_feed_lists_deadlines_with_stable_ids(signed_in, client, coder):
    secret = feed_secret(signed_in)
    signed_in.logout()

    first = client.get(f"/ceu/calendar/{secret}.ics")
    second = client.get(f"/ceu/calendar/{secret}.ics")

    assert first["Content-Type"].startswith("text/calendar")
    assert first.content == second.content  # stable UID and DTSTAMP: calendar apps do not duplicate events
    (event,) = Calendar.from_ical(first.content).walk("VEVENT")
    assert event["SUMMARY"] == "CPC renewal due (30 CEUs to go)"
    assert event.decoded("DTSTART") == dt.date(2026, 12, 20)
    assert CalendarToken.objects.get().token_hash != secret  # only the hash is stored


@time_machine.travel(TODAY)
def test_rotating_the_feed_kills_the_old_url(signed_in, client):
    old = feed_secret(signed_in)
    new = feed_secret(signed_in)

    assert client.get(f"/ceu/calendar/{old}.ics").status_code == 404
    assert client.get(f"/ceu/calendar/{new}.ics").status_code == 200
    assert client.get("/ceu/calendar/not-a-real-secret.ics").status_code == 404


def test_unsubscribe_link_asks_then_turns_reminders_off(client, coder):
    token = unsubscribe_token(coder.pk)

    assert "Stop renewal reminders?" in client.get(f"/ceu/unsubscribe/{token}/").content.decode()
    assert "Reminders are off" in client.post(f"/ceu/unsubscribe/{token}/").content.decode()
    coder.profile.refresh_from_db()
    assert not coder.profile.reminder_emails
    assert client.get("/ceu/unsubscribe/forged-token/").status_code == 404


@time_machine.travel(TODAY)
def test_ceu_page_queries_do_not_grow_with_the_log(signed_in, coder, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as small:
        signed_in.get("/ceu/")
    held = list(coder.held_credentials.all())
    for day in range(1, 29):
        log(coder, held, "1", dt.date(2026, 2, day))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert signed_in.get("/ceu/").status_code == 200


def test_with_one_credential_held_counts_toward_starts_ticked_and_with_two_it_does_not(client, ladder):
    from roadmap import services as roadmap_services

    coder = make_user("one.credential@example.com")
    held = roadmap_services.record_credential(coder, Credential.objects.get(code="CPC"), earned_on=dt.date(2025, 1, 1))
    client.force_login(coder)

    page = client.get("/ceu/").content.decode()
    assert re.search(rf'<input type="checkbox" name="credentials" value="{held.pk}"[^>]* checked', page)

    roadmap_services.record_credential(coder, Credential.objects.get(code="CCS"), earned_on=dt.date(2025, 1, 1))
    page = client.get("/ceu/").content.decode()
    assert not re.search(r'<input type="checkbox" name="credentials"[^>]* checked', page)
