"""Small facts about the site for templates and emails."""

from __future__ import annotations

from email.utils import parseaddr

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def support_email() -> str:
    """The address people can write to: the one our emails come from."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
