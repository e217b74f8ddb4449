"""Celery tasks: thin wrappers around ceu.services and ceu.delivery, which tests call directly.

Beat is only a clock. No reminder is ever scheduled with a countdown or ETA, and a task message
carries no reminder id: whichever copy of a message runs, the database decides what is sent.
"""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import delivery, services

# One delivery task sends for at most this long, then hands over to a fresh task: well inside the
# task time limit, so a slow mail server never gets a task killed in the middle of a send.
DELIVERY_SECONDS = 60


@shared_task(name="ceu.sweep_reminders", acks_late=True)
def sweep_reminders() -> None:
    """The hourly sweep: create the reminder rows that are due, then wake delivery."""
    services.sweep(timezone.now())
    deliver_reminders.delay()


@shared_task(name="ceu.deliver_reminders", acks_late=True)
def deliver_reminders() -> dict[str, int]:
    """Send the reminders that are due; beat runs it every minute, the sweep wakes it sooner."""
    outcomes = delivery.deliver_due(seconds=DELIVERY_SECONDS)
    if not outcomes[delivery.SERVER_UNAVAILABLE] and delivery.has_due():
        deliver_reminders.delay()
    return dict(outcomes)
