"""The audit pack made by a real ``celery worker`` (prefork, production settings) on the real Redis,
sent by the web request's transaction committing: no mock of Celery, Redis or the database."""

from __future__ import annotations

import datetime as dt
import time
import zipfile
from decimal import Decimal

import pytest
from django.db import connection

from ceu import audit
from ceu.models import AuditPack, CeuEntry
from config.celery import app
from tests.faults import Worker, production_env
from tests.mailsink import free_port

from .conftest import IN_CI, hold

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


@pytest.fixture
def worker(transactional_db, redis_url, tmp_path, ladder):
    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI needs PostgreSQL for the worker tests.")
        pytest.skip("the worker shares the database with the test: it needs PostgreSQL")
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    app.conf.update(broker_url=redis_url, task_always_eager=False, result_backend=None)
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = production_env(database_url=database_url, redis_url=redis_url, smtp_port=free_port())
    started = Worker(env, tmp_path / "worker.log", concurrency=1).start()
    yield started
    started.stop()
    client.flushdb()


def wait_until_made(pack: AuditPack, timeout: float = 60) -> AuditPack:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pack.refresh_from_db()
        if not pack.is_open:
            return pack
        time.sleep(0.2)
    raise AssertionError(f"the pack is still {pack.status} after {timeout}s")


def test_a_real_worker_makes_the_pack_once_the_request_commits(worker, student):
    held = hold(student, "CPC", dt.date(2023, 1, 1), cycle_ends_on=dt.date(2026, 12, 20))
    entry = CeuEntry.objects.create(
        user=student, completed_on=dt.date(2025, 6, 1), hours=Decimal(4), activity="Coding update"
    )
    entry.credentials.set([held])

    pack, created = audit.request_pack(held, starts_on=dt.date(2024, 12, 20), ends_on=dt.date(2026, 12, 20))

    assert created
    pack = wait_until_made(pack)
    assert (pack.status, pack.entries, pack.progress) == ("ready", 1, 100), worker.log_path.read_text()[-2000:]
    with pack.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        assert b"Coding update" in archive.read("transcript.csv")
