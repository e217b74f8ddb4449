"""Reminder emails: plain text and HTML, the person's own numbers, one-click unsubscribe."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from . import hooks
from .models import Reminder

UNSUBSCRIBE_SALT = "ceu.unsubscribe"


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps(user_id, salt=UNSUBSCRIBE_SALT, compress=True)


def user_id_from_unsubscribe_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, ValueError, TypeError):
        return None


def message_id(reminder: Reminder) -> str:
    """The same for every attempt at one reminder, so a repeat is recognisable as the same message."""
    return f"<reminder-{reminder.pk}-{reminder.kind}-{reminder.due_on:%Y%m%d}@{urlparse(settings.SITE_URL).hostname}>"


def reminder_message(reminder: Reminder, *, today: dt.date) -> EmailMultiAlternatives:
    unsubscribe_url = settings.SITE_URL + reverse("ceu:unsubscribe", args=[unsubscribe_token(reminder.user_id)])
    context = {
        "reminder": reminder,
        "days_left": (reminder.due_on - today).days,
        "unsubscribe_url": unsubscribe_url,
        "first_name": reminder.user.first_name,
        **hooks.reminder_emails.get(reminder.kind)(reminder, today),
    }
    name = f"emails/{reminder.kind}_reminder"
    message = EmailMultiAlternatives(
        subject=render_to_string(f"{name}_subject.txt", context).strip(),
        body=render_to_string(f"{name}_body.txt", context),
        to=[reminder.user.email],
        headers={
            "Message-ID": message_id(reminder),
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string(f"{name}_body.html", context), "text/html")
    return message


def credential_context(reminder: Reminder, today: dt.date) -> dict:
    """The renewal and apprentice reminders: the credential and its cycle as of ``today``."""
    from .selectors import cycles_for_user

    cycle = next((c for c in cycles_for_user(reminder.user, today) if c.holding.id == reminder.held_id), None)
    return {"credential": reminder.held.credential, "cycle": cycle, "log_url": settings.SITE_URL + reverse("ceu:index")}
