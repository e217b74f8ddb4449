"""Keep reminder plans current: every write that can move a person's reminders marks their plan
stale, and the next sweep makes it again (ceu.sweep) from the data as it is then.

Covered: CEUs logged, edited, deleted or relinked; a credential recorded, ended, renewed, lapsed,
given a cycle end or forgotten; the profile's time zone, reminder preference, career start and
education credits; a renewal rule or credential changed in the reference data. A write through
``queryset.update()`` or raw SQL bypasses these signals: call ``ceu.sweep.mark_stale`` (or
``manage.py replan_reminders``) after it.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from accounts.models import Profile, User
from content.signals import renewal_rules_changed
from roadmap.models import HeldCredential

from .models import ApprenticeTracker, CeuEntry
from .sweep import mark_holders_stale, mark_stale


@receiver(post_save, sender=HeldCredential, dispatch_uid="ceu.plan.held_saved")
@receiver(post_save, sender=CeuEntry, dispatch_uid="ceu.plan.entry_saved")
@receiver(post_save, sender=Profile, dispatch_uid="ceu.plan.profile_saved")
def _saved(sender, instance, **kwargs) -> None:
    mark_stale([instance.user_id])


@receiver(post_delete, sender=HeldCredential, dispatch_uid="ceu.plan.held_deleted")
@receiver(post_delete, sender=CeuEntry, dispatch_uid="ceu.plan.entry_deleted")
@receiver(post_delete, sender=Profile, dispatch_uid="ceu.plan.profile_deleted")
def _deleted(sender, instance, origin=None, **kwargs) -> None:
    # When the whole account goes, there is nothing left to plan (and a mark would outlive the user).
    origin_model = origin.model if isinstance(origin, QuerySet) else type(origin)
    if not issubclass(origin_model, User):
        mark_stale([instance.user_id])


@receiver(post_save, sender=ApprenticeTracker, dispatch_uid="ceu.plan.tracker_saved")
def _tracker_saved(sender, instance, **kwargs) -> None:
    mark_stale([instance.held.user_id])  # the day the apprentice reminder is due may have moved


@receiver(m2m_changed, sender=CeuEntry.credentials.through, dispatch_uid="ceu.plan.entry_links")
def _links_changed(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        mark_stale([instance.user_id])  # an entry or a held credential: both belong to one person


@receiver(renewal_rules_changed, dispatch_uid="ceu.plan.rules_changed")
def _rules_changed(sender, body_ids, **kwargs) -> None:
    mark_holders_stale(body_ids=body_ids)
