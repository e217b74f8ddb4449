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

import time

from django.apps import apps
from django.db import transaction

from lib import versions

EDITION_KEY = "content:edition"
# Each process reads the edition from the cache at most this often: an editor's change reaches the
# other processes within this time (browsers within the pages' max-age), and a public page served
# from this process's memory costs no round trip at all. The process that saved sees it at once.
EDITION_MEMO_SECONDS = 1.0
_memo = {"edition": "", "read_at": -EDITION_MEMO_SECONDS}


def current_edition() -> str:
    now = time.monotonic()
    if now - _memo["read_at"] >= EDITION_MEMO_SECONDS:
        _memo["edition"], _memo["read_at"] = versions.current(EDITION_KEY), now
    return _memo["edition"]


def forget_edition() -> None:
    _memo["read_at"] = -EDITION_MEMO_SECONDS


def bump_edition(**signal_kwargs) -> None:
    if signal_kwargs.get("action", "post_").startswith("pre_"):
        return
    versions.bump([EDITION_KEY])
    forget_edition()
    transaction.on_commit(forget_edition)


def connect_models(models) -> None:
    """Every save, delete or many-to-many change of these models makes a new edition."""
    for model in models:
        versions.on_every_change(model, bump_edition, uid=f"edition-{model._meta.label_lower}")


def connect_content_models() -> None:
    connect_models(apps.get_app_config("content").get_models())
