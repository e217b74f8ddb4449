"""What the apps above accounts add to a person's account pages (lib/hooks.py says how hooks work).

- ``profile_sections``: parts of the profile page, each ``(request, bound) -> Section``; ``bound``
  holds forms that came back with errors, by name, so the page shows them with the person's input.
- ``downloads``: "Your data" links, each ``(user) -> [(label, url)]``.
- ``personal_data``: parts of "download everything we keep about you", each ``(user) -> dict``.
- ``deletion_summary``: what deleting the account removes, each ``(user) -> [sentence]``.
- ``landing_pages``: where a person lands after signing in, each ``(user) -> path | None``; the
  first plug-in with an answer wins (school staff land on their school), else the dashboard.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lib.hooks import Hook, Section

if TYPE_CHECKING:
    from django.forms import Form
    from django.http import HttpRequest

    from .models import User

profile_sections: Hook[Callable[[HttpRequest, dict[str, Form]], Section]] = Hook("accounts.profile_sections")
downloads: Hook[Callable[[User], list[tuple[str, str]]]] = Hook("accounts.downloads")
personal_data: Hook[Callable[[User], dict[str, Any]]] = Hook("accounts.personal_data")
deletion_summary: Hook[Callable[[User], list[str]]] = Hook("accounts.deletion_summary")
landing_pages: Hook[Callable[[User], str | None]] = Hook("accounts.landing_pages")


def landing_page_for(user: User) -> str | None:
    return next((path for plugin in landing_pages if (path := plugin(user))), None)
