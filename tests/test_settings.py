"""Settings come from the environment, strictly; production settings pass `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from lib.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-" + "k3y" * 10,
    "ALLOWED_HOSTS": "roadmap.example.com",
    "DATABASE_URL": "postgres://roadmap@db.example.com:5432/roadmap",
    "REDIS_URL": "redis://cache.example.com:6379/0",
    "SITE_URL": "https://roadmap.example.com",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Only what a fresh shell would have, so nothing of the test settings leaks in.
    clean = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_production_settings_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("site_url", "warning"),
    [
        (None, "SITE_URL is unset"),
        ("http://127.0.0.1:8000", "SITE_URL is a local address"),
        ("http://roadmap.example.com", "is not https"),
    ],
)
def test_check_deploy_warns_when_site_url_is_not_the_public_https_address(site_url, warning):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SITE_URL"} | ({"SITE_URL": site_url} if site_url else {})

    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)

    assert result.returncode != 0
    assert warning in result.stderr + result.stdout


def test_secret_key_is_required_when_debug_is_off():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}

    result = manage("check", **env)

    assert result.returncode != 0
    assert "The environment variable SECRET_KEY is required" in result.stderr


def test_a_bad_debug_value_is_an_error_not_a_guess():
    result = manage("check", DEBUG="ture")

    assert result.returncode != 0
    assert "DEBUG='ture' is not a boolean" in result.stderr


def test_debug_alone_runs_on_the_embedded_defaults():
    result = manage("diffsettings", "--all", DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert "django.db.backends.sqlite3" in result.stdout
    assert "CELERY_TASK_ALWAYS_EAGER = True" in result.stdout
    assert "console.EmailBackend" in result.stdout


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("0", False), ("Yes", True), ("off", False), ("", True)])
def test_env_bool(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)

    assert env_bool("FLAG", True) is expected


def test_env_int_rejects_words_and_values_below_the_minimum(monkeypatch):
    monkeypatch.setenv("PORT", "twenty")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("PORT", 25)
    monkeypatch.setenv("PORT", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("PORT", 25, minimum=1)


def test_env_list_and_str(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , ,b.example ")
    monkeypatch.delenv("MISSING", raising=False)

    assert env_list("HOSTS") == ["a.example", "b.example"]
    assert env_str("MISSING", "fallback") == "fallback"
    with pytest.raises(ImproperlyConfigured, match="MISSING is required"):
        env_str("MISSING")
