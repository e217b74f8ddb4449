"""Sign-in backend that keeps the signed-in person's row in the cache, under their data version.

Every request of a signed-in person loads their user row (Django checks the session against the
password hash each time). Here it comes from the cache, together with their data version in one
round trip; any save or delete of the user moves the version on (accounts.versions), so a changed
password, a deactivated or deleted account is read from the database again on the next request.
A bulk ``update()`` of users sends no signal: the copy then lives at most ``USER_CACHE_SECONDS``.
The version read here is kept on the user (``data_version``) for the pages cached under it.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from lib import versions

from .versions import user_version_key

USER_CACHE_SECONDS = 5 * 60


def _user_key(user_id) -> str:
    return f"accounts:user:{user_id}"


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        version_key, user_key = user_version_key(user_id), _user_key(user_id)
        found = cache.get_many([version_key, user_key])
        version = found.get(version_key) or versions.current(version_key)
        cached = found.get(user_key)
        if cached is not None and cached[0] == version:
            user = cached[1]
        else:
            user = super().get_user(user_id)
            if user is None:
                return None
            cache.set(user_key, (version, user), USER_CACHE_SECONDS)
        user.data_version = version
        return user if self.user_can_authenticate(user) else None
