"""Personal pages come from the cache, and every kind of write shows at once: write, then GET, and
the page shows the new state. A cached page never carries one session's CSRF token to another."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.services import profile_of
from accounts.versions import user_version
from ceu.models import CeuEntry
from content.models import Credential
from roadmap import services
from roadmap.models import HeldCredential, Roadmap
from tests.ceu.test_views import entry_data

NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC)  # 10:00 in New York
HX = {"HX-Request": "true"}


@pytest.fixture
def outpatient(ladder):
    return Roadmap.objects.get(key="outpatient-aapc")


@pytest.fixture
def enrollment(student, outpatient):
    return services.follow_roadmap(student, outpatient)


@pytest.fixture
def signed_in(client, student):
    client.force_login(student)
    return client


def step_form(enrollment, key, **fields):
    step = enrollment.roadmap.steps.get(key=key)
    prefix = f"e{enrollment.pk}-s{step.pk}-"
    return reverse("roadmap:change-step", args=[enrollment.pk, step.pk]), {
        prefix + name: value for name, value in {"status": "not_started", **fields}.items()
    }


def cached_twice(client, url, django_assert_num_queries) -> str:
    """The page, and proof that a visit came from the cache (no query at all). The very first visit
    makes the person's profile, a write of its own."""
    client.get(url)
    client.get(url)
    with django_assert_num_queries(0):
        return client.get(url).content.decode()


@time_machine.travel(NOW)
def test_marking_a_step_shows_on_the_dashboard_at_once(signed_in, enrollment, django_assert_num_queries):
    assert "0 of 8 steps" in cached_twice(signed_in, "/dashboard/", django_assert_num_queries)

    url, data = step_form(enrollment, "certificate", status="done", completed_on="2026-06-01")
    assert signed_in.post(url, data).status_code == 302

    assert "1 of 8 steps" in signed_in.get("/dashboard/").content.decode()


@time_machine.travel(NOW)
def test_a_step_marked_with_htmx_and_undone_shows_at_once(signed_in, enrollment):
    signed_in.get("/dashboard/")
    url, data = step_form(enrollment, "certificate", status="in_progress")
    signed_in.post(url, data, headers=HX)
    assert "In progress" in signed_in.get("/dashboard/").content.decode()

    step = enrollment.roadmap.steps.get(key="certificate")
    signed_in.post(reverse("roadmap:undo-step", args=[enrollment.pk, step.pk]))
    assert "In progress" not in signed_in.get("/dashboard/").content.decode()


@time_machine.travel(NOW)
def test_following_and_unfollowing_a_roadmap_shows_at_once(signed_in, enrollment):
    assert "Medical billing" not in signed_in.get("/dashboard/").content.decode()
    other = Roadmap.objects.exclude(pk=enrollment.roadmap_id).filter(is_default=True).first()

    signed_in.post(f"/roadmaps/{other.key}/follow/")
    assert other.name in signed_in.get("/dashboard/").content.decode()

    signed_in.post(reverse("roadmap:unfollow", args=[enrollment.pk]), {"confirm": "yes"})
    assert enrollment.roadmap.name not in signed_in.get("/dashboard/").content.decode().split("<main", 1)[1]


@time_machine.travel(NOW)
def test_logging_editing_and_deleting_a_ceu_shows_at_once(signed_in, student, ladder, django_assert_num_queries):
    held = services.record_credential(student, Credential.objects.get(code="CPC"), earned_on=dt.date(2024, 1, 1))
    assert "No CEUs logged yet." in cached_twice(signed_in, "/ceu/", django_assert_num_queries)
    entry = entry_data(held)
    signed_in.post("/ceu/", entry)
    assert "Audit webinar" in signed_in.get("/ceu/").content.decode()

    logged = CeuEntry.objects.get(user=student)
    signed_in.post(f"/ceu/entries/{logged.pk}/", entry_data(held, activity="Coding clinic"))
    html = signed_in.get("/ceu/").content.decode()
    assert "Coding clinic" in html and "Audit webinar" not in html

    signed_in.post(f"/ceu/entries/{logged.pk}/delete/", headers=HX)
    assert "No CEUs logged yet." in signed_in.get("/ceu/").content.decode()


@time_machine.travel(NOW)
def test_adding_renewing_and_lapsing_a_credential_shows_at_once(signed_in, student, ladder):
    assert "CPC" not in signed_in.get("/ceu/").content.decode().split("<main", 1)[1]
    cpc = Credential.objects.get(code="CPC")

    signed_in.post("/account/credentials/add/", {"credential": cpc.code, "earned_on": "2024-03-01"})
    html = signed_in.get("/ceu/").content.decode()
    assert "CPC" in html.split("<main", 1)[1]
    held = HeldCredential.objects.get(user=student)
    held.cycle_ends_on = dt.date(2026, 12, 31)
    held.save()
    assert "Dec 31, 2026" in signed_in.get("/ceu/").content.decode()

    signed_in.post(f"/ceu/credentials/{held.pk}/renew/")
    assert "Dec 31, 2028" in signed_in.get("/ceu/").content.decode()

    signed_in.post(f"/ceu/credentials/{held.pk}/lapse/", {"confirm": "yes"})
    assert "Dec 31, 2028" not in signed_in.get("/ceu/").content.decode()


@time_machine.travel(NOW)
def test_saving_the_profile_moves_the_persons_version_and_shows_at_once(signed_in, student, enrollment):
    signed_in.get("/dashboard/")
    before = user_version(student.pk)
    profile = profile_of(student)
    profile.career_start = dt.date(2020, 1, 1)
    profile.save()

    assert user_version(student.pk) != before
    assert "years=6.9" in signed_in.get("/dashboard/").content.decode()


def test_the_dashboard_is_built_again_on_a_new_local_day(signed_in, enrollment, django_assert_max_num_queries):
    with time_machine.travel(dt.datetime(2026, 11, 25, 23, 0, tzinfo=dt.UTC)):  # 18:00 in New York
        signed_in.get("/dashboard/")
        signed_in.get("/dashboard/")
    same_day = dt.datetime(2026, 11, 26, 3, 0, tzinfo=dt.UTC)  # 22:00 in New York
    with time_machine.travel(same_day), django_assert_max_num_queries(1):  # the person's row, hours later
        signed_in.get("/dashboard/")
    next_day = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC)  # 01:00 there: the next day
    with time_machine.travel(next_day), django_assert_max_num_queries(30) as built:
        signed_in.get("/dashboard/")
    assert len(built.captured_queries) > 5


@time_machine.travel(NOW)
def test_each_session_of_one_person_gets_its_own_working_csrf_token(student, enrollment):
    phone, laptop = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    phone.force_login(student)
    laptop.force_login(student)

    def token(client):
        html = client.get("/dashboard/").content.decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]

    phone_token, laptop_token = token(phone), token(laptop)  # the laptop's page comes from the cache
    url, data = step_form(enrollment, "certificate", status="in_progress")

    assert phone.post(url, data | {"csrfmiddlewaretoken": laptop_token}).status_code == 403
    assert laptop.post(url, data | {"csrfmiddlewaretoken": laptop_token}).status_code == 302
    assert phone.post(url, data | {"csrfmiddlewaretoken": phone_token}).status_code == 302


@time_machine.travel(NOW)
def test_two_people_never_see_each_others_cached_dashboard(student, classmate, outpatient):
    services.follow_roadmap(student, outpatient)
    mine, theirs = Client(), Client()
    mine.force_login(student)
    theirs.force_login(classmate)
    assert "0 of 8 steps" in mine.get("/dashboard/").content.decode()

    assert "0 of 8 steps" not in theirs.get("/dashboard/").content.decode()
