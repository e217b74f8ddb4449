"""Absolute addresses for links that leave the site (emails, calendar feeds)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """``path`` on the address the person is using when there is a request (its host is one of
    ALLOWED_HOSTS, so a link never points elsewhere, and a development server on any port works);
    on SITE_URL only where there is none, as in the reminder sweep."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL + path
