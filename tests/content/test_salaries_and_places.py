"""/salaries/ by edition, place, setting and occupation; the place picker (any state, metro or nonmetro
area, grouped by state) on the projection and the profile; the pages that say which edition a number
comes from; every page in a bounded number of queries."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Profile
from content.models import Region, SalaryFigure, Source, WageEstimate, WorkSetting
from content.selectors import places

HX = {"HX-Request": "true"}
TEXAS_SERIES = "OEUS4800000000000292072"


def salaries(client, **params) -> str:
    response = client.get("/salaries/", params)
    assert response.status_code == 200
    return response.content.decode()


# --- /salaries/ -----------------------------------------------------------------------------------------


def test_the_newest_bls_edition_for_a_place_shows_every_occupation_with_its_series(client, ladder):
    html = salaries(client, edition="bls-oews-2025a01", place="texas")

    assert "3 estimates." in html  # 29-2072, 29-9021 and 11-9111 in Texas, every industry
    assert TEXAS_SERIES in html and "OEUS4800000000000119111" in html and "OEUS4800000000000299021" in html
    # Texas, coders: employment 17,210; mean 52,880; 10th 34,440; 25th 39,470; median 48,860; 75th 63,970; 90th 78,390.
    row = re.search(rf"<tr>.*?{TEXAS_SERIES}.*?</tr>", html, re.S).group(0)
    cells = re.findall(r'<td class="num">([^<]*)', row)
    assert cells == ["17,210", "$52,880", "$34,440", "$39,470", "$48,860", "$63,970", "$78,390"]
    assert "0 figures." in html  # a BLS release has estimates, not the article's cited figures


def test_a_work_setting_shows_its_industrys_national_estimates(client, ladder):
    html = salaries(client, work_setting="hospitals", occupation="29-2072")

    assert "1 estimate." in html and "OEUN0000000622100292072" in html
    assert "$62,270" in html and "Hospitals (general medical and surgical) (NAICS 622100)" in html
    assert "2 figures." not in html  # the article's hospital figure is one cited figure
    assert "1 figure." in html and "$54,260" in html  # the article's May 2023 hospital mean, as it states it


def test_a_place_and_a_setting_together_explain_that_bls_publishes_settings_nationally(client, ladder):
    html = salaries(client, place="texas", work_setting="hospitals")

    assert "0 estimates." in html
    assert "BLS publishes\n    work-setting estimates for the nation only" in html


def test_the_articles_edition_shows_only_the_cited_figures_exactly_as_before(client, ladder):
    html = salaries(client, edition="article", source="bls-oews-2023", kind="mean")

    assert "0 estimates." in html
    assert "15 figures." in html and "$82,490" in html  # Trenton, NJ, as the article states it


def test_a_value_bls_withholds_is_a_dash_and_its_footnote_never_a_number(client, ladder):
    html = salaries(client, place="elmira-ny", occupation="29-2072")  # BLS released no wage for coders there

    row = re.search(r"<tr>.*?OEUM0021300000000292072.*?</tr>", html, re.S).group(0)
    cells = re.findall(r'<td class="num">([^<]*)', row)
    assert cells == ["80", "—", "—", "—", "—", "—", "—"]
    assert 'href="#estimate-note-1"' in row
    assert '<li id="estimate-note-1">Estimate not released.</li>' in html


def test_the_estimates_are_paginated_apart_from_the_figures(client, ladder):
    first = salaries(client)
    second = salaries(client, estimates_page=2, page=1)

    count = WageEstimate.objects.count()
    assert f"{count:,} estimates." in first
    assert f"Estimates page 1 of {-(-count // 50)}" in first
    assert "Estimates page 2 of" in second and "estimates_page=3" in second
    # Coders first: the nation (every industry, then each work setting's industry), then the states.
    series = re.findall(r'class="basis series">(OEU\w+)<', first)
    assert series[:3] == ["OEUN0000000000000292072", "OEUN0000000524114292072", "OEUN0000000561100292072"]
    assert series[8].startswith("OEUS")
    assert 'href="?page=1&amp;estimates_page=3#estimates"' in second  # the other table's page is kept


@pytest.mark.parametrize(
    "params",
    [
        {"place": "atlantis"},
        {"place": "x" * 500},
        {"place": "tex\x00as"},
        {"edition": "bls-oews-1999a01"},
        {"occupation": "99-9999"},
        {"work_setting": "moon-base"},
    ],
)
def test_a_filter_we_do_not_know_is_explained_never_a_500(client, ladder, params):
    html = salaries(client, **params)

    assert "That filter is not one we know" in html
    assert "0 estimates." in html and "0 figures." in html


def test_with_htmx_the_filters_swap_both_tables_in_place(client, ladder):
    response = client.get("/salaries/", {"place": "texas"}, headers=HX)

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="figure-table"') and "<html" not in html
    assert TEXAS_SERIES in html


def test_the_filters_are_part_of_the_cached_pages_key(client, ladder):
    texas = salaries(client, place="texas")
    nation = salaries(client, place="us")

    assert TEXAS_SERIES in texas and TEXAS_SERIES not in nation
    assert "OEUN0000000000000292072" in nation


def test_the_salaries_page_runs_the_same_queries_whatever_the_filters_and_data(
    client, ladder, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10) as plain:
        salaries(client)
    source = Source.objects.get(key="bls-oews-2023")
    SalaryFigure.objects.bulk_create(
        SalaryFigure(
            key=f"extra-{n}", source=source, kind="mean", value=1000 + n, describes="x", as_of="2023", as_of_year=2023
        )
        for n in range(60)
    )
    for params in ({"place": "texas", "edition": "bls-oews-2025a01"}, {"estimates_page": 3}, {"place": "nowhere"}):
        with django_assert_max_num_queries(len(plain.captured_queries)):
            salaries(client, **params)


# --- The place picker ------------------------------------------------------------------------------------


def test_the_projection_offers_every_area_with_figures_grouped_by_state(client, ladder):
    html = client.get("/projection/").content.decode()

    select = re.search(r'<select name="region".*?</select>', html, re.S).group(0)
    assert "data-place-filter" in select and 'aria-describedby="id_region_helptext"' in select
    texas = re.search(r'<optgroup label="Texas">(.*?)</optgroup>', select, re.S).group(1)
    labels = re.findall(r">([^<]+)</option>", texas)
    assert labels[0] == "Texas (whole state)"  # the state first, then its metro and nonmetro areas
    assert "Abilene, TX" in labels and "Northwestern Region of Texas nonmetropolitan area" in labels
    assert labels.index("Wichita Falls, TX") < labels.index("Border Region of Texas nonmetropolitan area")
    assert select.count("<option") == places().count() + 1  # and "United States (national)"
    assert 'value="elmira-ny"' not in select  # BLS released no wage for coders there: nothing to project


def test_choosing_a_metro_area_from_the_list_projects_there(client, ladder):
    html = client.get("/projection/", {"region": "abilene-tx", "credentials": "CPC"}).content.decode()

    assert '<option value="abilene-tx" selected>Abilene, TX</option>' in html
    # 50,430 / 56,790 = 0.888; 64,712 x 0.888008 = 57,465 (OEUM0010180000000292072).
    assert "location ×0.888" in html and "OEUM0010180000000292072" in html
    assert "$57,465" in html
    assert "one in ten earns less than $35,220 and one in ten more than $69,900" in html  # BLS's 10th and 90th


@pytest.mark.parametrize("region", ["atlantis", "elmira-ny", "us", "x" * 200, "texas\x00"])
def test_a_place_we_cannot_project_is_a_form_error_not_a_500(client, ladder, region):
    response = client.get("/projection/", {"region": region})

    assert response.status_code == 200
    assert "We have no salary figures for that area; choose one from the list." in response.content.decode()


def test_the_profile_keeps_any_area_and_the_dashboard_projects_there(client, student, ladder):
    client.force_login(student)
    abilene = Region.objects.get(key="abilene-tx")
    page = client.get("/account/profile/").content.decode()
    assert '<optgroup label="Texas">' in page and f'<option value="{abilene.pk}">Abilene, TX</option>' in page

    client.post(
        "/account/profile/",
        {
            "region": abilene.pk,
            "work_setting": WorkSetting.objects.get(key="hospitals").pk,
            "apprentice_education_credits": 0,
            "time_zone": "America/Chicago",
        },
    )
    assert Profile.objects.get(user=student).region == abilene
    client.post("/roadmaps/outpatient-aapc/follow/")
    dashboard = client.get("/dashboard/").content.decode()
    assert "region=abilene-tx" in dashboard and "work_setting=hospitals" in dashboard


@pytest.mark.parametrize("value", ["999999999", "-1", "abc", "99999999999999999999999"])
def test_a_foreign_region_on_the_profile_is_a_form_error_not_a_500(client, student, ladder, value):
    client.force_login(student)

    response = client.post(
        "/account/profile/", {"region": value, "apprentice_education_credits": 0, "time_zone": "America/Chicago"}
    )

    assert response.status_code == 200
    assert "We have no salary figures for that area; choose one from the list." in response.content.decode()
    assert Profile.objects.get(user=student).region is None


def test_an_area_without_figures_cannot_be_saved_on_the_profile(client, student, ladder):
    client.force_login(student)
    elmira = Region.objects.get(key="elmira-ny")

    response = client.post(
        "/account/profile/", {"region": elmira.pk, "apprentice_education_credits": 0, "time_zone": "America/Chicago"}
    )

    assert "We have no salary figures for that area" in response.content.decode()


# --- Which edition a number comes from ---------------------------------------------------------------------


def test_a_credential_page_says_which_edition_its_numbers_come_from(client, ladder):
    html = client.get(reverse("content:credential", args=["CPC"])).content.decode()

    assert "AAPC: AAPC Salary Survey, 2023" in html  # each cited figure with its source's edition
    assert "Occupational Employment and Wage Statistics, May 2025" in html
    assert "(published May 15, 2026)" in html


def test_a_role_page_shows_its_bls_occupation_in_the_current_edition(client, ladder):
    manager = client.get(reverse("content:role", args=["coding-manager"])).content.decode()
    biller = client.get(reverse("content:role", args=["billing-assistant"])).content.decode()

    assert "11-9111 Medical and Health Services Managers" in manager
    assert "$140,970" in manager and "$123,860" in manager  # its national mean and median, BLS May 2025
    assert "OEUN0000000000000119111" in manager and "for comparison" in manager
    assert "None of the BLS occupations whose wages we import matches this role" in biller


@pytest.mark.parametrize("url", ["/credentials/CPC/", "/roles/coding-manager/", "/salaries/method/"])
def test_pages_naming_the_edition_stay_within_their_query_bounds(client, ladder, django_assert_max_num_queries, url):
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_the_national_mean_of_each_edition_is_where_the_pages_say(ladder):
    assert WageEstimate.objects.get(series="OEUN0000000000000292072").annual_mean == Decimal(56790)
    assert SalaryFigure.objects.get(key="bls-2023-national-median-annual").value == Decimal(48780)
