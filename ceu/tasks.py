"""Celery tasks: thin wrappers around ceu.services and ceu.delivery, which tests call directly.

Beat is only a clock. No reminder is ever scheduled with a countdown or ETA, and a task message
carries no reminder id: whichever copy of a message runs, the database decides what is sent.
"""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import audit, delivery, services

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


# Making a pack of thousands of entries and certificates takes longer than a reminder send: its own
# limits. A redelivered message finds the pack claimed or made and does nothing (ceu.audit.claim).
@shared_task(name="ceu.build_audit_pack", acks_late=True, time_limit=15 * 60, soft_time_limit=14 * 60)
def build_audit_pack(pack_id: int) -> str:
    """Make one audit pack (ceu.audit.build_pack, which tests call directly)."""
    return audit.build_pack(pack_id)


@shared_task(name="ceu.delete_expired_audit_packs", acks_late=True)
def delete_expired_audit_packs() -> int:
    """Beat runs it hourly: expired packs and their files go."""
    return audit.delete_expired(timezone.now())
