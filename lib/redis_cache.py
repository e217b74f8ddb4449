"""Django's Redis cache backend, keeping one client per connection pool.

Django's client builds a new ``redis.Redis`` for every cache operation, and the constructor fills
a table of some 170 response callbacks each time: about a sixth of a millisecond per operation,
more than the round trip to Redis itself. A ``redis.Redis`` is safe to share between threads
(each command takes a connection from the pool), so one per pool is enough.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
