"""Celery tasks: thin wrappers around ceu.services, which tests call directly."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import services

# Backoff for a transient SMTP failure: 1, 2, 4 … minutes, capped at an hour (RETRY_BASE_SECONDS
# can be lowered in tests).
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 3600


@shared_task(name="ceu.sweep_reminders", acks_late=True)
def sweep_reminders() -> int:
    """The daily sweep: create due reminder rows, then queue one send per pending row."""
    pending = services.sweep(timezone.now())
    for reminder_id in pending:
        transaction.on_commit(lambda rid=reminder_id: send_reminder.delay(rid))
    return len(pending)


@shared_task(name="ceu.send_reminder", bind=True, acks_late=True, max_retries=services.MAX_ATTEMPTS)
def send_reminder(self, reminder_id: int) -> str:
    try:
        return services.send_reminder(reminder_id, timezone.now())
    except (OSError, smtplib.SMTPException) as error:
        countdown = min(RETRY_BASE_SECONDS * 2**self.request.retries, RETRY_MAX_SECONDS)
        raise self.retry(exc=error, countdown=countdown) from error
