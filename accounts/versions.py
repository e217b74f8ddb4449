"""Per-person data versions: every write to a person's own data moves their version on.

A person's dashboard and CEU page are cached under their version (see ``content.page_cache``). The
apps that hold a person's data (roadmap progress, credentials held, CEU entries, cohorts) report
their writes here with ``bump_users``, or connect their models with ``connect_user_models`` in
their ``AppConfig.ready``; this module imports none of them. Whoever caches pages that show many
people (a cohort) listens to ``users_changed``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress

from django.core.exceptions import ObjectDoesNotExist
from django.dispatch import Signal

from lib import versions

# Sent with ``user_ids`` after their versions moved on.
users_changed = Signal()


def user_version_key(user_id: int) -> str:
    return f"accounts:user-version:{user_id}"


def user_version(user_id: int) -> str:
    return versions.current(user_version_key(user_id))


def version_of(user) -> str:
    """The person's version, as read with their row when they signed in this request."""
    return getattr(user, "data_version", None) or user_version(user.pk)


def bump_users(user_ids: Iterable[int]) -> None:
    user_ids = sorted({uid for uid in user_ids if uid is not None})
    if user_ids:
        versions.bump(user_version_key(uid) for uid in user_ids)
        users_changed.send(sender=None, user_ids=user_ids)


def connect_user_models(owners: dict[type, Callable[[object], int | None]]) -> None:
    """Bump the owner's version on every save, delete and many-to-many change of each model.

    ``owners`` maps a model to a function from an instance to its owner's user id."""
    for model, owner_of in owners.items():

        def changed(sender, instance, model=model, owner_of=owner_of, **kwargs):
            if kwargs.get("action", "post_").startswith("pre_"):
                return
            # Deleted along with its owner? Then the owner's own deletion bumped the version.
            with suppress(ObjectDoesNotExist):
                # A reverse many-to-many change names the other side, which has the same owner.
                bump_users([owner_of(instance) if isinstance(instance, model) else instance.user_id])

        versions.on_every_change(model, changed, uid=f"user-version-{model._meta.label_lower}")
