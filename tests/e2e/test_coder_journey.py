"""A working coder in the browser: projection, CEU log, calendar feed."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.models import User
from ceu.models import CeuEntry
from content.models import Credential
from roadmap import services

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-browser-password"


def test_visitor_runs_a_projection_and_it_changes_with_the_inputs(page):
    page.goto("/projection/")
    expect(page.get_by_text("Now: $51,699")).to_be_visible()

    page.get_by_label("State, metro or nonmetro area").select_option("nj")  # htmx reloads the results

    expect(page.locator("#results")).to_contain_text("New Jersey")
    assert "region=nj" in page.url


@pytest.mark.parametrize("width", [1200, 360])
def test_a_visitor_finds_a_metro_area_by_typing_part_of_its_name(new_page, width):
    page = new_page(width=width)
    page.goto("/projection/")
    page.wait_for_load_state()  # the filter box comes with the script, htmx listens once loaded
    places = page.get_by_label("State, metro or nonmetro area")

    page.get_by_label("Find an area in the list below").fill("abilene")

    expect(page.get_by_text("1 of")).to_contain_text("areas match")
    assert places.locator("option").all_inner_texts() == ["United States (national)", "Abilene, TX"]
    assert "region" not in page.url  # typing in the box sends nothing
    places.select_option("abilene-tx")
    expect(page.locator("#results")).to_contain_text("Abilene, TX")
    assert "region=abilene-tx" in page.url
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


def test_without_javascript_the_grouped_list_still_chooses_any_area(new_page):
    page = new_page(javascript=False)
    page.goto("/projection/")
    places = page.get_by_label("State, metro or nonmetro area")

    assert places.locator("optgroup[label='Texas'] option").first.inner_text() == "Texas (whole state)"
    places.select_option("northwestern-region-of-texas-nonmetropolitan-area")
    page.get_by_role("button", name="Show the projection").click()

    expect(page.locator("#results")).to_contain_text("Northwestern Region of Texas nonmetropolitan area")
    expect(page.locator("#place-wages")).to_be_visible()


def test_coder_logs_ceus_and_downloads_the_calendar_feed(page):
    coder = User.objects.create_user("coder.browser@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=coder, email=coder.email, verified=True, primary=True)
    held = services.record_credential(coder, Credential.objects.get(code="CPC"), earned_on=dt.date(2024, 1, 15))
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(coder.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="CEUs", exact=True).click()
    expect(page.get_by_text("0 of 36 logged")).to_be_visible()
    page.get_by_label("CEUs earned").fill("0")
    page.get_by_label("Activity").fill("Coding Clinic webinar")
    page.get_by_label("CPC (Certified Professional Coder)").check()
    page.get_by_role("button", name="Log CEUs").click()
    expect(page.get_by_text("greater than or equal to 0.01")).to_be_visible()  # explained, nothing lost
    expect(page.get_by_label("Activity")).to_have_value("Coding Clinic webinar")

    page.get_by_label("CEUs earned").fill("4.5")
    page.get_by_role("button", name="Log CEUs").click()
    expect(page.get_by_text("4.5 of 36 logged")).to_be_visible()
    assert CeuEntry.objects.get(user=coder).credentials.get() == held

    page.get_by_role("link", name="Add your deadlines to your calendar").click()
    page.get_by_role("button", name="Make my calendar link").click()
    feed = page.get_by_role("link", name="Download the .ics file").get_attribute("href")
    body = page.request.get(feed).text()
    assert "BEGIN:VCALENDAR" in body and "CPC renewal due" in body
