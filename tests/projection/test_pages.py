from __future__ import annotations

import pytest

from content.models import SalaryFigure, Source

HX = {"HX-Request": "true"}


def test_first_visit_shows_a_beginner_on_the_default_roadmap(client, ladder):
    html = client.get("/projection/").content.decode()

    assert html.count("<h1") == 1
    assert '<h2 id="result-outpatient-aapc">Outpatient coder (AAPC path)</h2>' in html
    assert "If you were working as a coder now: <strong>$51,699</strong>" in html  # a beginner is not a coder yet
    assert "You are not working in coding yet" in html
    assert "<svg" in html and "Projected annual salary at each step" in html  # chart and the same numbers in a table


def test_the_inputs_ride_in_the_url_so_a_projection_can_be_shared(client, ladder):
    html = client.get(
        "/projection/", {"roadmap": "inpatient-ahima", "region": "nj", "years": "3", "credentials": ["CCS"]}
    ).content.decode()

    assert '<option value="nj" selected>' in html
    assert "The location and work-setting factors are approximate" not in html  # mean over mean: exact
    assert "$65,246" in html  # CCS about 68,000 x NJ mean 54,490 / national mean 56,790 = 65,246.0


def test_htmx_gets_only_the_results(client, ladder):
    response = client.get("/projection/", {"roadmap": "management-rhia"}, headers=HX)

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html and "Health information management" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"years": "-2"}, "Years of experience cannot be negative."),
        ({"years": "many"}, "Enter a number."),
        ({"region": "atlantis"}, "We have no salary figures for that area; choose one from the list."),
        ({"work_setting": "moon-base"}, "We have no salary figures for that work setting"),
        ({"roadmap": "nope"}, "Choose one of the roadmaps in the list."),
        ({"credentials": "XYZ"}, "Select a valid choice"),
        ({"horizon": "400"}, "less than or equal to 40"),
    ],
)
def test_bad_inputs_are_explained_never_a_500(client, ladder, params, message):
    response = client.get("/projection/", params)

    assert response.status_code == 200
    assert message in response.content.decode()


def test_compare_two_roadmaps_side_by_side(client, ladder):
    html = client.get(
        "/projection/compare/", {"roadmap": "outpatient-aapc", "other": "inpatient-ahima"}
    ).content.decode()

    assert "Outpatient coder (AAPC path)" in html and "Inpatient coder (AHIMA path)" in html
    assert "More than staying where you are" in html


def test_compare_needs_two_different_roadmaps(client, ladder):
    html = client.get(
        "/projection/compare/", {"roadmap": "outpatient-aapc", "other": "outpatient-aapc"}
    ).content.decode()

    assert "Choose a different roadmap to compare with." in html


def test_method_page_documents_every_figure_and_the_median_caveat(client, ladder):
    html = client.get("/salaries/method/").content.decode()

    assert "$64,712" in html and "$83,866" in html and "$85,081" in html
    # The article's May 2023 figures: compared against the median, approximate; their national mean never entered.
    assert "so we compared against\n  the median and every factor was approximate" in html
    assert "National annual mean wage" in html and "not yet entered" in html


def test_method_page_says_which_edition_each_number_comes_from_and_what_changed(client, ladder):
    html = client.get("/salaries/method/").content.decode()

    assert "BLS OEWS May 2025, published May 15, 2026" in html
    assert "over the national mean of the same edition (exact)" in html
    assert "We compare against the national mean wage, $56,790" in html and "OEUN0000000000000292072" in html
    assert "Texas: $52,880 / $56,790" in html and "hospitals: $62,270 / $56,790" in html
    # The occupations, each with the roles that match it (29-9021 matches none).
    assert '29-2072 Medical Records Specialists</strong>: <a href="/roles/coder-1/">Coder I</a>' in html
    assert '11-9111 Medical and Health Services Managers</strong>: <a href="/roles/coding-manager/">' in html
    assert "29-9021 Health Information Technologists and Medical Registrars</strong>: no role on our ladder" in html
    # What changed: New Jersey was 70,860 / 48,780 = 1.453 (approximate); it is 54,490 / 56,790 = 0.959 (exact).
    assert '<th scope="row">New Jersey</th><td class="num">$70,860</td><td class="num">×1.453</td>' in html
    assert '<td class="num">$54,490</td><td class="num">×0.959</td>' in html
    # Hospitals: 54,260 / 48,780 = 1.112 then; 62,270 / 56,790 = 1.096 now.
    assert "×1.112</td>" in html and "×1.096</td>" in html


@pytest.mark.parametrize("url", ["/projection/", "/projection/compare/", "/salaries/method/"])
def test_projection_pages_run_a_bounded_number_of_queries(client, ladder, django_assert_max_num_queries, url):
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    source = Source.objects.get(key="article-estimate")
    SalaryFigure.objects.bulk_create(
        SalaryFigure(
            key=f"extra-{n}",
            source=source,
            kind="average",
            value=1000 + n,
            describes="x",
            as_of="2023",
            as_of_year=2023,
        )
        for n in range(50)
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_with_htmx_an_invalid_input_is_explained_inside_the_swapped_results(client, ladder):
    response = client.get("/projection/", {"years": "-2"}, headers=HX)

    html = response.content.decode()
    assert response.status_code == 200  # htmx 2 swaps only 2xx responses
    assert html.lstrip().startswith('<div id="results"')
    assert "Years of experience cannot be negative." in html


def test_the_reference_is_cached_and_a_change_to_a_figure_is_seen_at_once(client, ladder, django_assert_num_queries):
    from roadmap.projection_inputs import load_reference

    first = load_reference()
    with django_assert_num_queries(0):
        assert load_reference() is first
    figure = SalaryFigure.objects.get(key="aapc-2023-cpc-average")
    figure.value = 65000
    figure.save()

    assert load_reference() is not first
    assert load_reference().credential_figures["CPC"][0].value == 65000
