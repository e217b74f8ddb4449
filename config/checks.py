"""Deployment checks of the site's own settings (``manage.py check --deploy``)."""

from __future__ import annotations

import os
from urllib.parse import urlparse

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@register(Tags.security, deploy=True)
def site_url_is_set(app_configs=None, **kwargs) -> list[Warning]:
    """Emails sent outside a request (reminders) link to SITE_URL: in production it must be the
    public https address, not the development default."""
    host = urlparse(settings.SITE_URL).hostname or ""
    if not os.environ.get("SITE_URL") or host in LOCAL_HOSTS:
        return [
            Warning(
                f"SITE_URL is {'unset' if not os.environ.get('SITE_URL') else 'a local address'} "
                f"({settings.SITE_URL}): links in reminder emails would point there.",
                hint="Set SITE_URL to the site's public address, e.g. https://roadmap.example.com.",
                id="roadmap.W001",
            )
        ]
    if urlparse(settings.SITE_URL).scheme != "https":
        return [
            Warning(
                f"SITE_URL ({settings.SITE_URL}) is not https: links in emails would not be secure.",
                hint="Use the https address the site is served on.",
                id="roadmap.W002",
            )
        ]
    return []
