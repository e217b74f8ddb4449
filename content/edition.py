"""The reference data's edition: a version that every save or delete of reference data moves on.

The ladder, credentials, roles, education paths, salary figures and roadmaps change only when an
editor saves them in the admin or ``load_ladder`` runs. Pages built only from them are cached
under the current edition (see ``content.page_cache``); a change makes a new edition, and the
pages are built again on their next visit. The edition lives in the shared cache, so every
process sees the same one, and reading it costs one cache round trip per request.

Apps above ``content`` whose models are reference data too (roadmaps and their steps) connect
them with ``connect_models`` in their ``AppConfig.ready``.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from lib import versions

EDITION_KEY = "content:edition"


def current_edition() -> str:
    return versions.current(EDITION_KEY)


def bump_edition(**signal_kwargs) -> None:
    versions.bump([EDITION_KEY])


def connect_models(models) -> None:
    """Every save, delete or many-to-many change of these models makes a new edition."""
    for model in models:
        uid = f"edition-{model._meta.label_lower}"
        post_save.connect(bump_edition, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(bump_edition, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                bump_edition, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}", weak=False
            )


def connect_content_models() -> None:
    connect_models(apps.get_app_config("content").get_models())
