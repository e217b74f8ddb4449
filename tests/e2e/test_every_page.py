"""Every page each demo person can reach, in a real browser: nothing wider than a 360 px phone, no
console error, no Content-Security-Policy violation, and axe-clean in the light and the dark theme."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.urls import Resolver404, resolve

from roadmap.demo import DEMO_PASSWORD, load_demo

from .conftest import run_axe, sign_in, violations, watch

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = 360
DEMO_PEOPLE = [None, "student@example.com", "coder@example.com", "director@example.com", "instructor@example.com"]
# Not pages: downloads, the admin, signing out, the theme switch (a redirect), one-click actions.
NOT_PAGES = re.compile(
    r"^/(admin|static)/|\.csv$|\.ics$|\.pdf$|^/theme/|^/accounts/logout/|/export/|/unsubscribe/|/certificate/|/download/"
)
MAX_PAGES = 80


def crawl(page, start: str) -> list[str]:
    """Same-site links reachable from ``start``, breadth first, each visited once."""
    queue, seen = [start], []
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        page.goto(path)
        yield path
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            href = href.split("#")[0]
            if href.startswith("/") and not href.startswith("//") and not NOT_PAGES.search(urlparse(href).path):
                queue.append(href)


def kind_of(path: str) -> str:
    try:
        match = resolve(urlparse(path).path)
    except Resolver404:
        return path
    return f"{match.namespace}:{match.url_name}"


@pytest.mark.parametrize("email", DEMO_PEOPLE, ids=lambda e: (e or "visitor").split("@")[0])
def test_every_page_fits_a_phone_and_the_browser_reports_nothing(new_page, email):
    load_demo()
    page = new_page(width=PHONE)
    problems = watch(page)
    if email:
        sign_in(page, email, DEMO_PASSWORD)
    too_wide, reported, visited = {}, {}, []
    for path in crawl(page, urlparse(page.url).path if email else "/"):
        visited.append(path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > PHONE:
            too_wide[path] = width
        if found := violations(page) + problems:
            reported[path] = list(found)
            problems.clear()

    assert len(visited) >= 15, visited  # the crawl really went through the site
    assert too_wide == {}
    assert reported == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("email", DEMO_PEOPLE, ids=lambda e: (e or "visitor").split("@")[0])
def test_every_kind_of_page_is_axe_clean_in_both_themes(new_page, axe_source, email, scheme):
    load_demo()
    page = new_page(scheme=scheme)
    if email:
        sign_in(page, email, DEMO_PASSWORD)
    assert page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
    found, kinds = {}, set()
    for path in crawl(page, urlparse(page.url).path if email else "/"):
        kind = kind_of(path)
        if kind in kinds:
            continue
        kinds.add(kind)
        if violations_found := run_axe(page, axe_source):
            found[path] = violations_found

    assert len(kinds) >= 8, kinds
    assert found == {}
