from __future__ import annotations

import pytest
from django.urls import reverse

from content.models import Credential, SalaryFigure, Source
from roadmap.models import Roadmap, Step


def add_roadmaps(count: int) -> None:
    """More roadmaps of three linked steps each, to show page queries do not grow with data."""
    cpc = Credential.objects.get(code="CPC")
    for number in range(count):
        roadmap = Roadmap.objects.create(key=f"extra-{number}", name=f"Extra {number}", summary="More steps.")
        previous = None
        for order in range(3):
            step = Step.objects.create(
                roadmap=roadmap, key=f"s{order}", title=f"Step {order}", kind="credential", credential=cpc, order=order
            )
            if previous:
                step.prerequisites.add(previous)
            previous = step


def add_figures(count: int) -> None:
    source = Source.objects.get(key="bls-oews-2023")
    SalaryFigure.objects.bulk_create(
        SalaryFigure(
            key=f"extra-{n}",
            source=source,
            kind="mean",
            value=1000 + n,
            describes=f"Extra {n}",
            as_of="May 2023",
            as_of_year=2023,
            credential=Credential.objects.get(code="CPC"),
        )
        for n in range(count)
    )


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/ladder/",
        "/credentials/CPC/",
        "/roles/coding-manager/",
        "/education/certificate-program/",
        "/roadmaps/outpatient-aapc/",
        "/salaries/",
    ],
)
def test_public_page_renders_without_login(client, ladder, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response.content.count(b"<h1") == 1
    assert b'<main id="main"' in response.content


@pytest.mark.parametrize(
    ("url", "grow"),
    [
        ("/", add_roadmaps),
        ("/ladder/", add_roadmaps),
        ("/roadmaps/outpatient-aapc/", add_roadmaps),
        ("/credentials/CPC/", add_figures),
        ("/roles/coding-manager/", add_roadmaps),
        ("/education/certificate-program/", add_roadmaps),
        ("/salaries/", add_figures),
    ],
)
def test_page_queries_do_not_grow_with_data(client, ladder, django_assert_max_num_queries, url, grow):
    with django_assert_max_num_queries(8) as small:
        client.get(url)
    grow(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_ladder_links_each_step_to_its_detail_page(client, ladder):
    html = client.get("/ladder/").content.decode()

    for path in ("/credentials/CPC-A/", "/credentials/CPMA/", "/roles/coding-manager/", "/education/bachelor-degree/"):
        assert f'href="{path}"' in html
    assert "$85,081" in html  # the coding manager step shows its AAPC figure
    assert "$80,000–$110,000+" in html  # where the source gives only a range, the card shows the range


def test_credential_page_shows_figures_sources_renewal_and_roadmaps(client, ladder):
    html = client.get(reverse("content:credential", args=["CPC"])).content.decode()

    assert "$64,712" in html and "AAPC Salary Survey" in html
    assert "about $59,000" in html and "Payscale" in html
    assert "36 / 40 / 44 / 48 / 52 CEUs per cycle" in html
    assert "Outpatient coder (AAPC path)" in html


def test_credential_code_is_case_insensitive_and_unknown_code_is_404(client, ladder):
    assert client.get("/credentials/cpma/").status_code == 200
    assert client.get("/credentials/XYZ/").status_code == 404
    assert client.get("/roles/nobody/").status_code == 404


def test_ahima_credential_explains_its_renewal(client, ladder):
    html = client.get("/credentials/CCS/").content.decode()

    assert "20 CEUs per cycle on its own; 10 more for each additional AHIMA credential, up to 50" in html
    assert "Unconfirmed:" in html


def test_salaries_filter_by_source_and_kind(client, ladder):
    html = client.get("/salaries/", {"source": "bls-oews-2023", "kind": "mean"}).content.decode()

    assert "Trenton, NJ" in html and "$82,490" in html
    assert "Medical Coder" not in html
    assert "15 figures." in html  # 7 states, 5 metros, 2 settings, and the national mean not yet entered


def test_salaries_filter_with_htmx_returns_only_the_table(client, ladder):
    response = client.get("/salaries/", {"kind": "median"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="figure-table"')
    assert "<html" not in html
    assert "3 figures." in html


def test_salaries_unknown_filter_explains_instead_of_failing(client, ladder):
    response = client.get("/salaries/", {"kind": "bogus", "source": "nowhere"})

    assert response.status_code == 200
    assert "That filter is not one we know" in response.content.decode()


def test_salaries_are_paginated(client, ladder):
    add_figures(60)

    first = client.get("/salaries/").content.decode()
    second = client.get("/salaries/", {"page": 2}).content.decode()

    assert "Page 1 of 3" in first and 'rel="next"' in first
    assert "Page 2 of 3" in second
