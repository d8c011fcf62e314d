"""The portal's page cache: rendered page bodies kept in a cache every process shares
(CACHES["portal"]: Redis, or files on disk) under a version that
every publishing change bumps, so a page never outlives what its unit decided to show.
Bodies are built from a streaming replica when one is configured (`sixclear.replicas`), except
in the first seconds after a publishing decision.

Only the body of a page is cached, never the whole response: the frame around it carries the
visitor's CSRF token and language form, which must stay theirs. Values that change without a
publishing decision (a measurement approved, the hourly status scan) reach the portal when the
entry expires (`PORTAL_PAGE_CACHE_SECONDS`).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import get_language

from sixclear.replicas import replica_aliases, replica_reads

VERSION_KEY = "portal:version"
CHANGED_KEY = "portal:changed-at"


def portal_cache():
    """The cache every process shares (settings: CACHES["portal"]; the default cache when a
    deployment has not configured one)."""
    return caches["portal" if "portal" in settings.CACHES else "default"]


def current_version():
    cache = portal_cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_version():
    """Make every cached portal page stale; call after a publishing decision commits."""
    cache = portal_cache()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)
    cache.set(CHANGED_KEY, time.time(), timeout=max(settings.SIXCLEAR_REPLICA_LAG_SECONDS, 1))


def just_changed():
    """Whether a publishing decision is so recent that a replica may not have it yet: a page
    built now is read on the primary, or the cache would keep the old page for its lifetime."""
    changed = portal_cache().get(CHANGED_KEY)
    return changed is not None and time.time() - changed < settings.SIXCLEAR_REPLICA_LAG_SECONDS


def cached_body(name, key, build):
    """A page body as {"title", "body", "etag"}: from the cache, or built and stored.

    `build()` returns (title, body); it may raise (e.g. DoesNotExist for an unpublished item),
    and nothing is stored then.
    """
    cache = portal_cache()
    cache_key = f"portal:{current_version()}:{get_language()}:{name}:{key}"
    entry = cache.get(cache_key)
    if entry is None:
        # A few seconds old is fine here, but not just after a publishing decision.
        with replica_reads(enabled=bool(replica_aliases()) and not just_changed()):
            title, body = build()
        digest = hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()[:32]
        entry = {"title": str(title), "body": body, "etag": digest}
        cache.set(cache_key, entry, timeout=settings.PORTAL_PAGE_CACHE_SECONDS)
    return entry
