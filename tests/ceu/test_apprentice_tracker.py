"""The apprentice tracker: a CPC-A records the proof toward removing the "A", sees the earliest day each
route can be complete and what it is worth, and is emailed once on the day they become eligible."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accounts.services import profile_of
from ceu import delivery, services
from ceu.models import ApprenticeTracker, Reminder

from .conftest import NOW, hold


@pytest.fixture
def apprentice(classmate, ladder):
    profile = profile_of(classmate)
    profile.career_start = dt.date(2025, 6, 1)
    profile.save()
    hold(classmate, "CPC-A", dt.date(2025, 9, 1), cycle_ends_on=dt.date(2027, 9, 1))
    return classmate


@pytest.fixture
def signed_in(client, apprentice):
    client.force_login(apprentice)
    return client


def held_of(user):
    return user.held_credentials.get(credential__code="CPC-A")


@time_machine.travel(NOW)
def test_the_page_shows_the_three_routes_the_earliest_day_and_what_removing_the_a_is_worth(
    signed_in, apprentice, django_assert_max_num_queries
):
    held = held_of(apprentice)

    with django_assert_max_num_queries(20):
        html = signed_in.get(f"/ceu/apprentice/{held.pk}/").content.decode()

    assert "Two years of coding experience" in html
    assert "One year of experience plus the 80-hour course or Practicode" in html
    assert "The 80-hour course plus Practicode" in html
    assert "By the route “Two years of coding experience”: <strong>Jun 1, 2027</strong>" in html  # the career start
    assert "holding the CPC instead of the CPC-A, your projected typical salary goes from" in html
    assert "$64,712" in html  # the article's CPC figure, cited by the projection


@time_machine.travel(NOW)
def test_the_ceu_page_links_to_the_tracker(signed_in, apprentice):
    assert f"/ceu/apprentice/{held_of(apprentice).pk}/" in signed_in.get("/ceu/").content.decode()


@time_machine.travel(NOW)
def test_ticking_a_route_and_its_dates_moves_the_earliest_day(signed_in, apprentice):
    held = held_of(apprentice)

    response = signed_in.post(
        f"/ceu/apprentice/{held.pk}/",
        {"route": "education", "course_completed_on": "2026-03-01", "practicode_completed_on": "2026-10-01"},
    )

    assert response.status_code == 302
    tracker = ApprenticeTracker.objects.get(held=held)
    assert (tracker.route, tracker.course_completed_on) == ("education", dt.date(2026, 3, 1))
    html = signed_in.get(f"/ceu/apprentice/{held.pk}/").content.decode()
    assert "(the route you follow)" in html
    # The course and a year from the Jun 1, 2025 career start beat the course plus Practicode (Oct 1).
    assert (
        "By the route “One year of experience plus the 80-hour course or Practicode”: <strong>Jun 1, 2026</strong>"
        in html
    )
    assert "you are eligible now" in html
    assert "Earliest day this route can be complete: <strong>Oct 1, 2026</strong>" in html


@time_machine.travel(NOW)
def test_a_date_in_the_future_is_refused_and_nothing_is_written(signed_in, apprentice):
    held = held_of(apprentice)

    response = signed_in.post(
        f"/ceu/apprentice/{held.pk}/", {"route": "education", "practicode_completed_on": "2027-01-01"}
    )

    assert response.status_code == 200 and "This date is in the future" in response.content.decode()
    assert not ApprenticeTracker.objects.exists()


@time_machine.travel(NOW)
def test_the_stranger_cannot_see_or_change_anyone_elses_tracker(client, apprentice, stranger):
    held = held_of(apprentice)
    client.force_login(stranger)

    assert client.get(f"/ceu/apprentice/{held.pk}/").status_code == 404
    assert client.post(f"/ceu/apprentice/{held.pk}/", {"route": "education"}).status_code == 404
    assert not ApprenticeTracker.objects.exists()


@time_machine.travel(NOW)
def test_a_credential_without_an_a_has_no_tracker(signed_in, apprentice):
    cpc = hold(apprentice, "CCS", dt.date(2025, 1, 1))

    assert signed_in.get(f"/ceu/apprentice/{cpc.pk}/").status_code == 404


def test_the_tracker_decides_the_day_of_the_eligibility_reminder_and_it_is_sent_once(apprentice, smtp):
    held = held_of(apprentice)
    ApprenticeTracker.objects.create(
        held=held,
        route="education",
        course_completed_on=dt.date(2026, 2, 1),
        practicode_completed_on=dt.date(2026, 4, 1),
    )

    services.sweep(NOW)
    services.sweep(NOW)

    reminder = Reminder.objects.get(kind="apprentice")
    assert (reminder.held_id, reminder.due_on) == (held.pk, dt.date(2026, 4, 1))  # not the profile's Jun 1, 2027
    assert delivery.deliver_due(today=NOW.date()) == {delivery.SENT: 1}
    assert delivery.deliver_due(today=NOW.date()) == {}
    assert len(smtp.sink.messages) == 1


def test_saving_the_tracker_replans_the_reminder(apprentice):
    held = held_of(apprentice)
    services.sweep(NOW)
    assert not Reminder.objects.filter(kind="apprentice").exists()  # Jun 1, 2027 from the career start

    ApprenticeTracker.objects.create(held=held, course_completed_on=dt.date(2026, 1, 5))
    services.sweep(NOW)

    # One year from the Jun 1, 2025 career start plus the course: Jun 1, 2026.
    assert Reminder.objects.get(kind="apprentice").due_on == dt.date(2026, 6, 1)
