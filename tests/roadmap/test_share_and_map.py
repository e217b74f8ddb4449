"""The read-only share link and the roadmap drawn as a map."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from roadmap import charts, services
from roadmap.models import Roadmap, ShareLink


@pytest.fixture
def enrollment(student, ladder):
    return services.follow_roadmap(student, Roadmap.objects.get(key="outpatient-aapc"))


def make_link(client, student) -> str:
    client.force_login(student)
    response = client.post(reverse("roadmap:share"), follow=True)
    return re.search(r"https?://[^/\s]+(/shared/[^/\s]+/)", response.content.decode()).group(1)


def test_a_share_link_shows_progress_and_projection_without_the_email(
    client, student, enrollment, django_assert_max_num_queries
):
    link = make_link(client, student)
    client.logout()

    with django_assert_max_num_queries(20):
        response = client.get(link)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Sam's roadmap" in html and "Outpatient coder (AAPC path)" in html and "Projected salary now" in html
    assert student.email not in html
    assert (
        response["X-Robots-Tag"] == "noindex, nofollow" and '<meta name="robots" content="noindex, nofollow">' in html
    )
    assert "Update this step" not in html and "Stop following" not in html  # read-only


def test_only_the_hash_of_the_token_is_stored(client, student, enrollment):
    link = make_link(client, student)
    token = link.rstrip("/").rsplit("/", 1)[1]

    assert ShareLink.objects.get(user=student).token_hash == ShareLink.digest(token) != token


def test_revoking_kills_the_link_and_a_new_link_kills_the_old(client, student, enrollment):
    first = make_link(client, student)
    second = make_link(client, student)
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200

    client.post(reverse("roadmap:unshare"))

    assert client.get(second).status_code == 404
    assert not ShareLink.objects.exists()


def test_sharing_needs_a_post_by_the_signed_in_person(client, student):
    assert client.post(reverse("roadmap:share")).status_code == 302  # to the login page
    assert not ShareLink.objects.exists()
    client.force_login(student)
    assert client.get(reverse("roadmap:share")).status_code == 405


def test_the_map_places_steps_after_their_prerequisites_and_branches_side_by_side():
    steps = [
        charts.MapStep("a", 1, "Certificate", (), "#a"),
        charts.MapStep("b", 2, "Exam", ("a",), "#b"),
        charts.MapStep("c", 3, "Course", ("a",), "#c"),
        charts.MapStep("d", 4, "Job", ("b", "c"), "#d"),
    ]

    wide, narrow = charts.roadmap_map(steps, orientation="wide"), charts.roadmap_map(steps, orientation="narrow")

    x = {node.step.key: node.x for node in wide.nodes}
    assert x["a"] < x["b"] == x["c"] < x["d"]  # columns by depth; the two branches share one
    y = {node.step.key: node.y for node in narrow.nodes}
    assert y["a"] < y["b"] < y["c"] < y["d"]  # one step a row on a phone
    assert len(wide.edges) == len(narrow.edges) == 4
    assert narrow.width <= 320 < wide.width  # fits a 360 px phone inside the page's margins


def test_a_cycle_or_a_missing_prerequisite_still_draws():
    steps = [charts.MapStep("a", 1, "A", ("b",), "#a"), charts.MapStep("b", 2, "B", ("a", "zz"), "#b")]

    drawing = charts.roadmap_map(steps, orientation="wide")

    assert len(drawing.nodes) == 2


def test_the_dashboard_and_the_public_roadmap_page_draw_the_map(client, student, enrollment):
    client.force_login(student)

    dashboard = client.get("/dashboard/").content.decode()
    public = client.get("/roadmaps/outpatient-aapc/").content.decode()

    for html in (dashboard, public):
        assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 2  # wide and narrow
        assert 'class="map-node' in html and "<title>Step 1: Complete a certificate or diploma program" in html
        assert "style=" not in html  # the CSP allows no inline style, SVG included
    assert "Not started" in dashboard[dashboard.index('class="roadmap-map"') :]
