"""Public pages from the page cache: shared bytes for visitors without a session, HTTP caching, the
normalised query, htmx fragments apart, a new edition on every change of the reference data, and
nothing personal shared between people."""

from __future__ import annotations

import gzip
import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client

from content.models import SalaryFigure
from roadmap.models import Roadmap
from tests.conftest import make_user

HX = {"HX-Request": "true"}
PUBLIC_PAGES = [
    "/",
    "/ladder/",
    "/credentials/CPC/",
    "/roles/coding-manager/",
    "/education/certificate-program/",
    "/roadmaps/outpatient-aapc/",
    "/salaries/?source=bls-oews-2023",
    "/salaries/method/",
    "/projection/?roadmap=outpatient-aapc",
    "/projection/compare/",
]


def csrf_tokens(html: str) -> set[str]:
    hidden = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    header = re.findall(r'"X-CSRFToken": "([^"]*)"', html)
    return set(hidden) | set(header)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_visitor_without_a_session_gets_a_shareable_page_from_the_cache(
    client, ladder, url, django_assert_num_queries
):
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)

    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert second["Cache-Control"] == "public, max-age=300"
    assert {"Cookie", "HX-Request"} <= {v.strip() for v in second["Vary"].split(",")}
    assert second["ETag"] == first["ETag"] and second["Last-Modified"]
    assert not second.cookies, "a shared page must not set a cookie"
    html = second.content.decode()
    assert "Sign in" in html and "Sign out" not in html
    assert csrf_tokens(html) <= {""}, "no CSRF token in a page everyone shares"
    assert "hole:" not in html and "csrf-token-hole" not in html


def test_a_conditional_get_is_answered_with_304(client, ladder):
    page = client.get("/ladder/")

    assert client.get("/ladder/", headers={"If-None-Match": page["ETag"]}).status_code == 304
    assert client.get("/ladder/", headers={"If-Modified-Since": page["Last-Modified"]}).status_code == 304
    assert client.get("/ladder/", headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_a_browser_that_takes_gzip_gets_the_same_page_compressed_once(client, ladder):
    plain = client.get("/ladder/")
    packed = client.get("/ladder/", headers={"Accept-Encoding": "gzip, deflate, br"})

    assert packed["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert gzip.decompress(packed.content) == plain.content
    assert "Accept-Encoding" in packed["Vary"] and packed["ETag"] != plain["ETag"]
    again = client.get("/ladder/", headers={"Accept-Encoding": "gzip", "If-None-Match": packed["ETag"]})
    assert again.status_code == 304
    signed_in = Client()
    signed_in.force_login(make_user("reader@example.com"))
    personal = signed_in.get("/ladder/", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in personal, "a page with a CSRF token is never compressed (BREACH)"


def test_the_query_is_normalised_sorted_and_stripped_of_unknown_parameters(client, ladder, django_assert_num_queries):
    first = client.get("/salaries/?source=bls-oews-2023&kind=median&page=1")

    with django_assert_num_queries(0):
        again = client.get("/salaries/?page=1&utm_source=mail&kind=median&source=bls-oews-2023")
    assert again.content == first.content
    assert "utm_source" not in again.content.decode()
    projection = client.get("/projection/?years=2&roadmap=outpatient-aapc&x=1").content
    with django_assert_num_queries(0):
        assert client.get("/projection/?roadmap=outpatient-aapc&years=2").content == projection
    # A different value is a different page.
    assert client.get("/salaries/?source=bls-oews-2023&kind=mean").content != first.content


def test_htmx_fragments_are_cached_apart_from_the_page(client, ladder):
    fragment = client.get("/salaries/?kind=median", headers=HX).content.decode()
    page = client.get("/salaries/?kind=median").content.decode()
    fragment_again = client.get("/salaries/?kind=median", headers=HX).content.decode()

    assert "<html" not in fragment and fragment == fragment_again
    assert page.startswith("<!doctype html>")


def test_a_changed_figure_shows_at_once_with_a_new_etag(client, ladder):
    before = client.get("/credentials/CPC/")
    figure = SalaryFigure.objects.get(source__key="aapc-salary-survey-2023", credential__code="CPC", kind="average")
    assert "$64,712" in before.content.decode()

    figure.value = 64999
    figure.save()
    after = client.get("/credentials/CPC/")

    assert "$64,999" in after.content.decode() and "$64,712" not in after.content.decode()
    assert after["ETag"] != before["ETag"]
    assert client.get("/credentials/CPC/", headers={"If-None-Match": before["ETag"]}).status_code == 200


def test_a_changed_roadmap_step_and_a_reload_of_the_ladder_make_a_new_edition(client, ladder):
    step = Roadmap.objects.get(key="outpatient-aapc").steps.get(key="certificate")
    client.get("/roadmaps/outpatient-aapc/")
    original = step.title

    step.title = "Finish a coding certificate, renamed"
    step.save()
    assert "renamed" in client.get("/roadmaps/outpatient-aapc/").content.decode()

    call_command("load_ladder", stdout=io.StringIO())  # puts the file's title back
    html = client.get("/roadmaps/outpatient-aapc/").content.decode()
    assert "renamed" not in html and original in html


def test_a_signed_in_person_gets_the_cached_page_with_their_own_menu_and_token(ladder, student, classmate):
    Client().get("/roadmaps/outpatient-aapc/")  # cached by an anonymous visit
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(student)
    second.force_login(classmate)

    page = first.get("/roadmaps/outpatient-aapc/")
    other = second.get("/roadmaps/outpatient-aapc/")

    html = page.content.decode()
    assert "Sign out" in html and "Follow this roadmap" in html and "Create an account" not in html
    assert page["Cache-Control"] == "private, no-cache"
    tokens, other_tokens = csrf_tokens(html), csrf_tokens(other.content.decode())
    assert len(tokens) >= 1 and "" not in tokens and not tokens & other_tokens
    # The token in the page is this session's own: it passes the CSRF check, the other's does not.
    token = tokens.pop()
    assert second.post("/roadmaps/outpatient-aapc/follow/", {"csrfmiddlewaretoken": token}).status_code == 403
    assert first.post("/roadmaps/outpatient-aapc/follow/", {"csrfmiddlewaretoken": token}).status_code == 302


def test_signing_in_shows_the_signed_in_menu_at_once(client, ladder, student):
    EmailAddress.objects.create(user=student, email=student.email, verified=True, primary=True)
    assert "Sign in" in client.get("/ladder/").content.decode()

    client.post("/accounts/login/", {"login": student.email, "password": "a-long-test-password"})
    html = client.get("/ladder/").content.decode()

    assert "Sign out" in html and "Dashboard" in html


def test_a_message_is_shown_to_its_own_session_only(ladder, student, classmate):
    mine, theirs = Client(), Client()
    mine.force_login(student)
    theirs.force_login(classmate)
    mine.post("/roadmaps/outpatient-aapc/follow/")  # "You now follow ..." waits for the next page

    assert "You now follow" not in theirs.get("/ladder/").content.decode()
    assert "You now follow" in mine.get("/ladder/").content.decode()
    assert "You now follow" not in mine.get("/ladder/").content.decode()


def test_the_anonymous_variant_never_carries_a_signed_in_menu(ladder):
    signed_in = Client()
    signed_in.force_login(make_user("first@example.com"))
    signed_in.get("/ladder/")  # the first visit, which builds the cached page, is a signed-in one

    html = Client().get("/ladder/").content.decode()

    assert "Sign out" not in html and "Sign in" in html
