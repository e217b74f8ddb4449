"""Version tokens in the shared cache, so cached pages can be keyed by "the data as of now".

A version is an opaque token stored under a cache key (Redis in production, so every process sees
the same one). A write moves it on; a cached result keyed by the old token is then never read
again and simply expires. A token that the cache lost is replaced by a new one, never by an old
value, so a lost key can only cause a miss, never a stale hit.

A write bumps twice: at once (the writer's own next request sees the change even inside a test's
transaction) and again when the transaction commits (a reader that, between the first bump and the
commit, cached what it read under the new token is moved past by the second).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

# Versions live as long as the cache keeps them; the pages keyed by them expire on their own.
VERSION_TIMEOUT_SECONDS = None


def new_token() -> str:
    """Unique across processes; starts with the time in microseconds, so it also dates the data."""
    return f"{time.time_ns() // 1000:x}.{secrets.token_hex(3)}"


def token_time(token: str) -> float:
    """The Unix time a token was made (for Last-Modified)."""
    return int(token.split(".", 1)[0], 16) / 1_000_000


def current(key: str) -> str:
    """The key's version token, made (once, whoever comes first) if the cache has none."""
    token = cache.get(key)
    if token is None:
        cache.add(key, new_token(), VERSION_TIMEOUT_SECONDS)
        token = cache.get(key)
    return token


def bump(keys: Iterable[str]) -> None:
    """Move the versions on now and again when the current transaction commits."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return
    _set_new(keys)
    transaction.on_commit(lambda: _set_new(keys))


def on_every_change(model, handler, *, uid: str) -> None:
    """Call ``handler`` after every save, delete and many-to-many change of ``model`` (signal
    arguments as Django sends them; many-to-many changes also before, with ``action`` "pre_...")."""
    post_save.connect(handler, sender=model, dispatch_uid=f"{uid}-save", weak=False)
    post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
    for field in model._meta.local_many_to_many:
        m2m_changed.connect(handler, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}", weak=False)


def _set_new(keys: list[str]) -> None:
    cache.set_many({key: new_token() for key in keys}, VERSION_TIMEOUT_SECONDS)
