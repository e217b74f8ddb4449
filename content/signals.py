"""Signals of the reference data, for the apps above it to listen to (content imports none of them).

``renewal_rules_changed`` is sent, with ``body_ids``, when a renewal rule or a credential changed in
a way that can move someone's renewal cycle, requirement or reminders (the admin or ``load_ladder``);
a new rule or credential, held by no one yet, moves nothing.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal, receiver

from .models import Credential, RenewalRule

renewal_rules_changed = Signal()

# The fields the renewal rules read (ceu.selectors.credential_terms, the apprentice level).
RULE_FIELDS = {
    RenewalRule: (
        "body_id",
        "method",
        "cycle_months",
        "ceus_by_count",
        "additional_per_credential",
        "maximum_ceus",
        "minimums",
    ),
    Credential: ("body_id", "renewal_rule_id", "level", "ceus_single", "specific_ceus"),
}


@receiver(pre_save, sender=RenewalRule, dispatch_uid="content.rules.before")
@receiver(pre_save, sender=Credential, dispatch_uid="content.credential_rules.before")
def _remember_terms(sender, instance, **kwargs) -> None:
    fields = RULE_FIELDS[sender]
    stored = sender._default_manager.filter(pk=instance.pk).values_list(*fields) if instance.pk else None
    instance._terms_before = stored.first() if stored is not None else None


@receiver(post_save, sender=RenewalRule, dispatch_uid="content.rules.after")
@receiver(post_save, sender=Credential, dispatch_uid="content.credential_rules.after")
def _announce_changed_terms(sender, instance, **kwargs) -> None:
    before = getattr(instance, "_terms_before", None)
    after = tuple(getattr(instance, name) for name in RULE_FIELDS[sender])
    if before is not None and before != after:
        renewal_rules_changed.send(sender=sender, body_ids={before[0], after[0]})


@receiver(post_delete, sender=RenewalRule, dispatch_uid="content.rules.deleted")
def _announce_removed_rule(sender, instance, **kwargs) -> None:
    renewal_rules_changed.send(sender=sender, body_ids={instance.body_id})
