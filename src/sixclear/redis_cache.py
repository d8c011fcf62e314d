"""Django's Redis cache, for which a Redis out of reach is a cache miss rather than an error.

Every app server shares the cache (SIXCLEAR_CACHE_URL, and the portal's page cache), so a Redis
restart must not answer 500 on every page: a read finds nothing, a write is dropped, `incr`
says the key is missing (callers then `set`, which is dropped too). After a failure the cache
is not tried again for `REST_SECONDS`, so no request waits for a connect timeout meanwhile.
What is lost: cached pages are rebuilt, rate limits restart their count, and a session is read
from the database (cached_db); a session ended while Redis was away keeps its cached copy
until it expires (at most the idle timeout).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
Result = TypeVar("Result")
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
REST_SECONDS = 5.0

# Per server (LOCATION), shared by the threads of the process: until when it is left alone.
_resting_until: dict[str, float] = {}
_lock = threading.Lock()


class TolerantRedisCache(RedisCache):
    def _tolerant(self, call: Callable[[], Result], fallback: Result) -> Result:
        if _resting_until.get(self._location, 0.0) > time.monotonic():
            return fallback
        try:
            return call()
        except UNREACHABLE as error:
            with _lock:
                _resting_until[self._location] = time.monotonic() + REST_SECONDS
            log.warning("cache %s out of reach, treated as empty for %.0f s: %r",
                        self._location, REST_SECONDS, error)
            return fallback

    @property
    def _location(self) -> str:
        return ",".join(self._servers)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: int | None = None) -> bool:
        return self._tolerant(lambda: super(TolerantRedisCache, self).add(
            key, value, timeout, version), False)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._tolerant(lambda: super(TolerantRedisCache, self).get(
            key, default, version), default)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT,
            version: int | None = None) -> None:
        self._tolerant(lambda: super(TolerantRedisCache, self).set(
            key, value, timeout, version), None)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT,
              version: int | None = None) -> bool:
        return self._tolerant(lambda: super(TolerantRedisCache, self).touch(
            key, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._tolerant(lambda: super(TolerantRedisCache, self).delete(
            key, version), False)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._tolerant(lambda: super(TolerantRedisCache, self).get_many(
            keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._tolerant(lambda: super(TolerantRedisCache, self).has_key(
            key, version), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        missing = object()
        value = self._tolerant(lambda: super(TolerantRedisCache, self).incr(
            key, delta, version), missing)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache is out of reach).")
        return value  # type: ignore[return-value]

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT,
                 version: int | None = None) -> list[Any]:
        return self._tolerant(lambda: super(TolerantRedisCache, self).set_many(
            data, timeout, version), list(data))

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._tolerant(lambda: super(TolerantRedisCache, self).delete_many(
            keys, version), None)

    def clear(self) -> None:
        self._tolerant(lambda: super(TolerantRedisCache, self).clear(), None)
