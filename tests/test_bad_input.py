"""No input from one person breaks the site: every URL of the URLconf, GET and POST, filled with the
signed-in person's own ids and their school's cohort, gets boundary dates, huge and negative numbers,
huge strings, NUL and control characters and invalid UTF-8 in every form field, query parameter and
URL part. No answer is a 500, a refused request writes no row, and no NUL reaches the database.

The fields of each endpoint are the valid payload below plus every field the site's own pages show in
a form that posts to it, read from the HTML, so a new form field is crawled without editing this file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, reverse

from lib.uploads import MAX_UPLOAD_BYTES
from tests.world import CERTIFICATE_PDF, PASSWORD, World, build_world, kwarg_names, url_kwargs, url_patterns

NOW = dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC)
BAD_VALUES = [
    "0001-01-01",
    "1899-12-31",
    "2101-01-01",
    "9999-12-31",
    "2026-02-30",
    "99999999999999999999",
    "-1",
    "1e309",
    "NaN",
    "x" * 100_000,
    "a\x00b",
    "\x00",
    "\x01\x08\x1b\x7f\r\n\t",
    "\ud7ff\ufffe\u2028",
]
BAD_FILES = [
    b"\xff\xfe\x00\x01",
    b"email,first_name,last_name\nnul@example.com,A\x00B,C\n",
    b"email,first_name,last_name\n" + b"x" * 100_000 + b"@example.com,A,B\n",
    b"email,first_name,last_name\n" + b"a@example.com,A,B\n" * 20_000,
    b"",
    CERTIFICATE_PDF + b"0" * MAX_UPLOAD_BYTES,  # a real PDF, one file's worth over the limit
    b"MZ\x90\x00%PDF-1.7 a program that says it is a PDF",
]
BAD_URL_INTS = ["99999999999999999999", "9223372036854775808", "0"]
BAD_URL_TEXT = ["%00", "a%00b", "%01%1b", "%ff%fe", "x" * 10_000]
# Tables the crawl may not change when a request is refused. Sessions change on every sign-in.
UNCOUNTED = {"django_session"}


@dataclass
class Endpoint:
    name: str
    pattern: URLPattern
    path: str
    kwargs: dict[str, object]
    post_fields: set[str] = field(default_factory=set)
    get_params: set[str] = field(default_factory=lambda: {"page"})


class FormFields(HTMLParser):
    """(method, action path) -> field names, for every form of a page."""

    def __init__(self, page_path: str):
        super().__init__()
        self.page_path, self.forms, self.current = page_path, {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urlsplit(urljoin(self.page_path, attrs.get("action") or self.page_path)).path
            self.current = self.forms.setdefault(((attrs.get("method") or "get").lower(), action), set())
        elif tag in ("input", "select", "textarea", "button") and self.current is not None and attrs.get("name"):
            self.current.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def valid_payloads(w: World) -> dict[str, dict[str, object]]:
    """A payload each POST endpoint accepts, so that one bad field is what a request gets wrong."""
    prefix = f"e{w.enrollment.pk}-s{w.step.pk}"
    entry = {
        "completed_on": "2026-10-01",
        "hours": "2",
        "activity": "Webinar",
        "provider": "AAPC",
        "category": "general",
        "credentials": str(w.held.pk),
        "certificate": CERTIFICATE_PDF,
    }
    new_password = {"password1": "another-long-password-42", "password2": "another-long-password-42"}
    return {
        "accounts:profile": {
            "region": "",
            "work_setting": "",
            "career_start": "2020-01-01",
            "apprentice_education_credits": "0",
            "time_zone": "America/New_York",
            "reminder_emails": "on",
        },
        "roadmap:add-credential": {"credential": "CCS", "earned_on": "2025-01-01"},
        "accounts:delete": {"email": w.person.email},
        "roadmap:unfollow": {"confirm": "yes"},
        "roadmap:change-step": {
            f"{prefix}-status": "in_progress",
            f"{prefix}-started_on": "2026-01-05",
            f"{prefix}-completed_on": "",
            f"{prefix}-evidence": "Exam booked",
            f"{prefix}-note": "On track",
        },
        "ceu:index": entry,
        "ceu:edit-entry": entry,
        "ceu:cycle-end": {"cycle_ends_on": "2027-03-01"},
        "ceu:audit": {"held": str(w.held.pk), "cycle": "current"},
        "ceu:apprentice": {
            "route": "education",
            "experience_started_on": "2025-02-01",
            "experience_evidence": "Riverside Clinic",
            "letter_received_on": "",
            "course_completed_on": "2026-05-01",
            "course_evidence": "AAPC CPC course",
            "practicode_completed_on": "2026-06-01",
            "practicode_evidence": "Certificate 1234",
        },
        "ceu:lapse": {"confirm": "yes"},
        "schools:join": {"code": w.cohort.join_code},
        "schools:join-code": {"code": w.cohort.join_code},
        "schools:create-cohort": {"name": "Spring", "starts_on": "2027-01-04", "ends_on": "2027-12-17"},
        "schools:add-staff": {"email": w.colleague.email, "role": "instructor"},
        "schools:digest": {"weekly_digest": "on"},
        "schools:copy-roadmap": {"source": str(w.default_roadmap.pk), "name": "Evening path"},
        "schools:roadmap": {
            "title": "Externship",
            "kind": "experience",
            "typical_months": "3",
            "after": str(w.school_step.pk),
        },
        "schools:move-step": {"direction": "up"},
        "schools:assign": {"roadmap": str(w.default_roadmap.pk), "start_on": "2026-01-05"},
        "schools:targets": {f"step_{step.pk}": "2026-06-01" for step in w.default_roadmap.steps.all()},
        "schools:add-instructor": {"instructor": str(w.colleague.pk)},
        "schools:roster": {"file": b"email,first_name,last_name\nnew@example.com,New,One\n"},
        "schools:invite": {"email": "new@example.com", "first_name": "New", "last_name": "One"},
        "schools:record-attempt": {"taken_on": "2026-07-01", "passed": "yes", "score": "80"},
        "schools:submit-evidence": {"file": b"%PDF-1.4 score report", "number": "12345", "note": "Again"},
        "schools:review": {"decision": "return", "comment": "Please send the score report too."},
        "schools:my-comment": {"body": "When is the next exam date?"},
        "schools:comments": {"body": "Next Saturday, at the test center."},
        "account_login": {"login": w.person.email, "password": PASSWORD},
        "account_signup": {"email": "signup@example.com"} | new_password,
        "account_reset_password": {"email": w.person.email},
        "account_change_password": {"oldpassword": PASSWORD} | new_password,
        "account_set_password": new_password,
        "account_reset_password_from_key": new_password,
        "account_email": {"email": "second@example.com", "action_add": ""},
        "account_reauthenticate": {"password": PASSWORD},
        "account_confirm_login_code": {"code": "ABC123"},
    }


def endpoints(w: World) -> list[Endpoint]:
    result = []
    for name, pattern in url_patterns():
        known = url_kwargs(w, name)
        kwargs = {key: known[key] for key in kwarg_names(pattern)}  # KeyError: a new URL kwarg to fill in
        result.append(Endpoint(name, pattern, reverse(name, kwargs=kwargs), kwargs))
    return result


def table_counts() -> tuple[int, ...]:
    """Rows in every table of the site's models, in one query."""
    tables = sorted(
        {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed} - UNCOUNTED
    )
    counts = ", ".join(f'(SELECT COUNT(*) FROM "{table}")' for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return tuple(cursor.fetchone())


def as_upload(value: object) -> object:
    return SimpleUploadedFile("roster.csv", value, content_type="text/csv") if isinstance(value, bytes) else value


class Crawler:
    """Sends each request inside a savepoint that is rolled back, so every request meets the same
    world (a deleted entry or account comes back), and keeps the person signed in throughout."""

    def __init__(self, client: Client, world: World):
        self.client, self.world = client, world
        self.session = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.failures: list[str] = []
        self.nul_queries: list[str] = []
        self.requests, self.label = 0, ""

    def spy(self, execute, sql, params, many, context):
        flat = [p for group in params for p in group] if many and params else (params or [])
        if any(isinstance(p, str) and "\x00" in p for p in flat):
            self.nul_queries.append(f"{self.label}: {sql[:80]}")
        return execute(sql, params, many, context)

    def send(self, method: str, path: str, label: str, **request) -> int:
        self.requests, self.label = self.requests + 1, label
        before = table_counts()
        with connection.execute_wrapper(self.spy), transaction.atomic():
            response = getattr(self.client, method)(path, **request)
            status = response.status_code
            changed = status != 500 and table_counts() != before
            transaction.set_rollback(True)
        self.client.cookies[settings.SESSION_COOKIE_NAME] = self.session
        if status >= 500:
            self.failures.append(f"{status} {method.upper()} {label}")
        # A plain form post answers a success with a redirect, so a page (200) means refused; an htmx
        # post answers both with a fragment, and a GET may record a visit (allauth's email page).
        elif changed and method == "post" and "HTTP_HX_REQUEST" not in request and status not in (301, 302, 303):
            self.failures.append(f"{status} {method.upper()} {label}: refused, yet rows changed")
        return status


def crawl_pages(crawler: Crawler, eps: list[Endpoint]) -> dict[str, tuple[int, int]]:
    """The control: each URL once with valid input (GET, and POST with the valid payload). Reads the
    forms of every page to learn which fields each endpoint takes."""
    payloads = valid_payloads(crawler.world)
    by_path = {ep.path: ep for ep in eps}
    statuses = {}
    for ep in eps:
        get = crawler.send("get", ep.path, f"{ep.name} (control)")
        response = crawler.client.get(ep.path, follow=True)  # outside the counts, only to read its forms
        crawler.client.cookies[settings.SESSION_COOKIE_NAME] = crawler.session
        if "html" in response.get("Content-Type", ""):
            parser = FormFields(ep.path)
            parser.feed(response.content.decode(errors="replace"))
            for (method, action), names in parser.forms.items():
                names.discard("csrfmiddlewaretoken")
                if action in by_path:
                    target = by_path[action]
                    (target.post_fields if method == "post" else target.get_params).update(names)
        payload = {key: as_upload(value) for key, value in payloads.get(ep.name, {}).items()}
        post = crawler.send("post", ep.path, f"{ep.name} (control)", data=payload)
        statuses[ep.name] = (get, post)
    for ep in eps:
        ep.post_fields.update(payloads.get(ep.name, {}))
    return statuses


def bad_fields(crawler: Crawler, ep: Endpoint) -> None:
    base = valid_payloads(crawler.world).get(ep.name, {})
    for name in sorted(ep.post_fields):
        values = BAD_VALUES + (BAD_FILES if isinstance(base.get(name), bytes) else [])
        for value in values:
            payload = {key: as_upload(v) for key, v in (base | {name: value}).items()}
            crawler.send("post", ep.path, f"{ep.name} {name}={value[:20]!r}", data=payload)
    for value in BAD_VALUES:
        everything = dict.fromkeys(ep.post_fields, value)
        crawler.send("post", ep.path, f"{ep.name} every field={value[:20]!r}", data=everything)
        crawler.send(
            "post", ep.path, f"{ep.name} every field={value[:20]!r} (htmx)", data=everything, HTTP_HX_REQUEST="true"
        )
    raw = "&".join(f"{name}=%ff%fe\xff\x00" for name in sorted(ep.post_fields) or ["x"]).encode("latin-1")
    crawler.send(
        "post", ep.path, f"{ep.name} invalid UTF-8 body", data=raw, content_type="application/x-www-form-urlencoded"
    )
    crawler.send(
        "post",
        ep.path,
        f"{ep.name} broken multipart",
        data=b"--x\r\n\xff\xfe",
        content_type="multipart/form-data; boundary=x",
    )


def bad_params(crawler: Crawler, ep: Endpoint) -> None:
    for name in sorted(ep.get_params):
        for value in BAD_VALUES:
            crawler.send("get", f"{ep.path}?{urlencode({name: value})}", f"{ep.name} ?{name}={value[:20]!r}")
    everything = "&".join(f"{name}=%ff%fe" for name in sorted(ep.get_params))
    crawler.send("get", ep.path, f"{ep.name} invalid UTF-8 query", QUERY_STRING=everything + "&raw=\xff\xfe")


def bad_url_parts(crawler: Crawler, ep: Endpoint) -> None:
    """Each URL kwarg in turn: huge ids must be 404; text with NUL, control characters, invalid
    UTF-8 or 10,000 characters anything but a 500."""
    for key in ep.kwargs:
        is_int = type(ep.pattern.pattern.converters.get(key)).__name__ == "IntConverter"
        placeholder = 424242424242 if is_int else "kwargplaceholder"
        template = reverse(ep.name, kwargs=ep.kwargs | {key: placeholder})
        for value in BAD_URL_INTS if is_int else BAD_URL_TEXT:
            path = template.replace(str(placeholder), value)
            for method in ("get", "post"):
                status = crawler.send(method, path, f"{ep.name} {key}={value[:20]!r}")
                if is_int and status not in (404, 405):
                    crawler.failures.append(f"{status} {method.upper()} {ep.name} {key}={value}: expected 404")


@pytest.fixture
def crawl(ladder):
    client = Client(raise_request_exception=False)  # a 500 is counted, and the crawl goes on
    with time_machine.travel(NOW):
        world = build_world()
        client.force_login(world.person)
        crawler = Crawler(client, world)
        eps = endpoints(world)
        statuses = crawl_pages(crawler, eps)
        yield crawler, eps, statuses


def test_the_crawl_reaches_every_url_of_the_site(crawl):
    """The control: every URL name of the URLconf is crawled, and with valid input each answers
    something other than 404 (it found the person's own objects), so a 404 below means refused."""
    crawler, eps, statuses = crawl

    assert {ep.name for ep in eps} == {name for name, _ in url_patterns()} == set(statuses)
    unreached = {name: pair for name, pair in statuses.items() if 404 in pair and set(pair) <= {404, 405}}
    assert not unreached, unreached
    # Each valid payload is accepted (a redirect), so below one bad field is what a request gets wrong.
    # A clean roster is previewed (200) first; allauth's password reset key here is not a real one.
    previewed = {"schools:roster", "account_reset_password_from_key"}
    refused = {n: statuses[n] for n in valid_payloads(crawler.world) if n not in previewed and statuses[n][1] != 302}
    assert not refused, refused
    assert not crawler.failures, crawler.failures
    # The forms read from the pages: a sample that proves the reading works.
    by_name = {ep.name: ep for ep in eps}
    assert {"sort", "behind"} <= by_name["schools:cohort"].get_params
    assert {"roadmap", "years", "credentials"} <= by_name["projection:projection"].get_params
    assert "cycle_ends_on" in by_name["ceu:cycle-end"].post_fields


@pytest.mark.parametrize(
    ("feed", "at_least"),
    [(bad_fields, 2000), (bad_params, 500), (bad_url_parts, 100)],
    ids=["form-fields", "query-parameters", "url-parts"],
)
def test_no_bad_input_breaks_a_page_half_writes_or_sends_nul_to_the_database(crawl, feed, at_least):
    crawler, eps, _ = crawl
    with time_machine.travel(NOW):
        for ep in eps:
            feed(crawler, ep)

    assert crawler.requests > at_least  # the crawl itself did not shrink to nothing
    assert not crawler.failures, "\n".join(crawler.failures)
    assert not crawler.nul_queries, crawler.nul_queries
