"""Real moving parts for fault tests: Celery workers and management commands as separate processes
with production settings, against the test's PostgreSQL database, Redis and an SMTP sink.

Used by tests/ceu/test_delivery_faults.py and by scripts/reminder_faults.py (the same faults at a
larger scale, outside the suite).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil

BASE_DIR = Path(__file__).resolve().parent.parent


def production_env(*, database_url: str, redis_url: str, smtp_port: int, lease_seconds: int | None = None) -> dict:
    """The environment of a production deployment, pointed at the given services."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "EMAIL_BACKEND", "DEBUG", "CELERY_TASK_ALWAYS_EAGER"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="fault-test-" + "k" * 60,
        ALLOWED_HOSTS="localhost",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_TIMEOUT="5",
        LOG_FORMAT="plain",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    if lease_seconds is not None:
        env["REMINDER_LEASE_SECONDS"] = str(lease_seconds)
    return env


class Worker:
    """``celery worker`` with the prefork pool (real child processes), as production runs it."""

    def __init__(self, env: dict, log_path: Path, concurrency: int = 2):
        self.env, self.log_path, self.concurrency = env, log_path, concurrency
        self.name = f"faults-{uuid.uuid4().hex[:8]}@localhost"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> Worker:
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child keeps writing to it
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
             f"--concurrency={self.concurrency}", "--loglevel=INFO", "--without-mingle", "--without-gossip",
             "-n", self.name],
            cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker exited at start: {self.log_path.read_text()[-2000:]}")
            if len(self.pool()) >= self.concurrency and " ready." in self.log_path.read_text():
                return self
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"the worker did not start: {self.log_path.read_text()[-2000:]}")

    def pool(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.process.pid).children()
        except psutil.NoSuchProcess:
            return []

    def kill_pool_process_talking_to(self, port: int) -> int:
        """SIGKILL the pool process with a connection open to ``port``; return its pid."""
        for child in self.pool():
            if any(c.raddr and c.raddr.port == port for c in child.net_connections(kind="tcp")):
                child.kill()
                child.wait(10)
                return child.pid
        raise AssertionError(f"no pool process is connected to port {port}")

    def kill(self) -> None:
        """SIGKILL the whole worker, main process and pool, as a crash or an OOM kill would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(20)
        finally:
            self.kill()  # whatever of the pool is left


def start_command(env: dict, log_path: Path, *args: str) -> subprocess.Popen:
    log = open(log_path, "ab")  # noqa: SIM115 - the child keeps writing to it
    return subprocess.Popen(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
    )
