"""Fixtures for CEU and reminder tests: people holding credentials, a real SMTP sink, real Redis."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest

from accounts.services import profile_of
from ceu.models import CeuEntry
from content.models import Credential
from roadmap import services
from tests.mailsink import SmtpServer

IN_CI = os.environ.get("CI") == "true"
NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC)  # 10:00 in New York


def hold(user, code: str, earned_on: dt.date, cycle_ends_on: dt.date | None = None):
    held = services.record_credential(user, Credential.objects.get(code=code), earned_on=earned_on)
    if cycle_ends_on:
        held.cycle_ends_on = cycle_ends_on
        held.save(update_fields=["cycle_ends_on"])
    return held


def log(user, held_list, hours, on: dt.date):
    entry = CeuEntry.objects.create(user=user, completed_on=on, hours=Decimal(hours), activity="Webinar")
    entry.credentials.set(held_list)
    return entry


@pytest.fixture
def coder(student, ladder):
    """The student, now a working coder whose CPC cycle ends in 25 days with 30 of 36 CEUs to go."""
    profile_of(student)
    held = hold(student, "CPC", dt.date(2023, 1, 1), cycle_ends_on=dt.date(2026, 12, 20))
    log(student, [held], "6", dt.date(2026, 3, 1))
    return student


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback, and Django's mail pointed at it."""
    server = SmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    yield server
    server.stop()


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    problem = None
    if not url:
        problem = "REDIS_URL is not set"
    else:
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            problem = f"Redis at {url} does not answer: {error}"
    if problem:
        if IN_CI:
            pytest.fail(f"{problem}; CI needs the real Redis.")
        pytest.skip(problem)
    return url
