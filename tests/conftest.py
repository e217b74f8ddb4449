"""Shared fixtures. The career ladder from content/data is loaded once into the test database."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from content.loader import load_ladder
from content.models import Source

IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if IN_CI and connection.vendor != "postgresql":
            pytest.exit("CI=true but the suite is not running on PostgreSQL; set DATABASE_URL.", returncode=1)
        load_ladder()


@pytest.fixture
def ladder(db):
    """The reference data, reloaded if a transactional test flushed it."""
    if not Source.objects.exists():
        load_ladder()


def make_user(email: str, **extra):
    from accounts.models import User

    return User.objects.create_user(email, password="a-long-test-password", **extra)


@pytest.fixture
def student(db):
    return make_user("student@example.com", first_name="Sam")


@pytest.fixture
def classmate(db):
    return make_user("classmate@example.com", first_name="Casey")


@pytest.fixture
def stranger(db):
    return make_user("stranger@example.com", first_name="Stan")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits, cached pages and the cached reference figures must not leak between tests."""
    from django.core.cache import cache

    from content.page_cache import forget_local_copies
    from roadmap.projection_inputs import forget_reference

    cache.clear()
    forget_local_copies()
    forget_reference()
    yield
