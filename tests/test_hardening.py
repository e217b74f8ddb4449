"""Security headers, the site's own error pages and structured logs."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from lib.logs import JsonFormatter

PAGES = ["/", "/ladder/", "/credentials/CPC/", "/salaries/", "/accounts/login/", "/accounts/signup/"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_send_a_strict_content_security_policy_and_no_inline_script(client, ladder, url):
    response = client.get(url)

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts and all("src=" in tag for tag in scripts)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_unknown_page_is_the_sites_own_404(client, ladder):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_server_error_page_is_the_sites_own(rf: RequestFactory):
    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_json_logs_carry_fields_but_never_credentials():
    record = logging.makeLogRecord(
        {
            "name": "roadmap",
            "levelname": "INFO",
            "msg": "sent %s",
            "args": ("reminder",),
            "reminder_id": 7,
            "password": "hunter2",
            "token": "abc",
        }
    )

    line = json.loads(JsonFormatter().format(record))

    assert line["message"] == "sent reminder" and line["reminder_id"] == 7
    assert "password" not in line and "token" not in line


def test_the_admin_signs_in_through_the_rate_limited_site_login(client, student):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(student)  # not staff
    assert client.get("/admin/login/").status_code == 403
