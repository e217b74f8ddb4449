"""The projection explains itself to a newcomer and knows a signed-in person."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from accounts.services import profile_of
from content.models import Credential, Region
from roadmap import services
from roadmap.models import Roadmap


def test_every_step_that_adds_nothing_says_where_the_raise_comes(client, ladder):
    html = client.get("/projection/?roadmap=management-rhia").content.decode()

    table = html[
        html.index('class="projection-steps"') : html.index("</table>", html.index('class="projection-steps"'))
    ]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    # The gain over the step before is the first signed cell of a row.
    zero_rows = [
        row
        for row in rows
        if re.search(r'<td class="num">[+-]\$[\d,]+</td>', row)
        and re.findall(r'<td class="num">([+-]\$[\d,]+)</td>', row)[0] == "+$0"
    ]
    assert zero_rows, "the bachelor's degree adds nothing by itself"
    for row in zero_rows:
        assert "No raise by itself" in row
    assert re.search(r"it opens the way, and the raise comes with “[^”]+” \(\+\$[\d,]+\)", zero_rows[0])


def test_durations_agree_between_the_table_and_the_next_steps(client, ladder):
    html = client.get("/projection/").content.decode()

    assert "How long it takes is not known" not in html  # the certificate takes 12 months, as the table says
    assert "It takes about 12 months itself" in html
    assert "at least 12 months" in html  # the exam after it: its own time is not known


def test_a_signed_in_person_starts_from_their_profile(client, student, ladder):
    profile = profile_of(student)
    profile.region = Region.objects.get(key="nj")
    profile.save()
    services.record_credential(student, Credential.objects.get(code="CPC"), earned_on=dt.date(2025, 1, 1))
    client.force_login(student)

    response = client.get("/projection/")

    assert response.status_code == 302
    assert "region=nj" in response.url and "credentials=CPC" in response.url
    assert "Save these answers to my profile" in client.get(response.url).content.decode()


def test_anyone_else_still_starts_from_a_beginner(client, ladder):
    response = client.get("/projection/")

    assert response.status_code == 200 and "Create an account</a> to keep these answers" in response.content.decode()


@time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_saving_a_what_if_puts_it_in_the_profile_and_the_dashboard_follows(client, student, ladder):
    services.follow_roadmap(student, Roadmap.objects.get(key="outpatient-aapc"))
    client.force_login(student)
    query = "roadmap=outpatient-aapc&region=nj&years=3&education=certificate-program"

    response = client.post(reverse("projection:save"), {"query": query})

    profile = profile_of(student)
    assert profile.region.key == "nj" and profile.career_start == dt.date(2023, 6, 1)
    assert [e.key for e in profile.education.all()] == ["certificate-program"]
    page = client.get(response.url).content.decode()
    assert "Saved to your profile" in page
    dashboard = client.get("/dashboard/").content.decode()
    assert "New Jersey" in dashboard


@pytest.mark.parametrize("query", ["years=-4", "region=atlantis"])
def test_a_what_if_the_form_refuses_is_not_saved(client, student, ladder, query):
    client.force_login(student)

    client.post(reverse("projection:save"), {"query": query})

    profile = profile_of(student)
    assert profile.region is None and profile.career_start is None
