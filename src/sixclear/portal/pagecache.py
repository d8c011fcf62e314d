"""The portal's page caches, kept in a cache every process shares (CACHES["portal"]: Redis, or
files on disk) under a version (the publication stamp) that every portal-visible decision
bumps: a publication, a unit's publishing default, a league published, a rating counted, a
comment moderated. A page never outlives what its unit decided to show.

Two layers:

- `cached_body`: the body of a page, shared by everyone who sees it in one language, whatever
  frame is around it (a signed-in person's, a citizen's with their proven address and forms).
  Built from a streaming replica when one is configured (`sixclear.replicas`), except in the
  first seconds after a decision.
- `FullPageCache` (middleware): the whole response of a public page for an anonymous visitor,
  served before sessions, authentication and the view run: no query, no template. Only for a
  view marked `@shared_page`, a GET without a session or messages cookie, and a response that
  set no cookie, rendered no CSRF token and no CSP nonce (docs/architecture.md, "The portal's
  page cache").

Values that change without a decision (a measurement approved, the hourly status scan) reach
the portal when the entries expire (`PORTAL_PAGE_CACHE_SECONDS` for bodies,
`PORTAL_FULL_PAGE_SECONDS` for whole pages).
"""

import functools
import hashlib
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language, get_language_from_request

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


# --- Whole pages for anonymous visitors ---------------------------------------------------------

PAGE_KEY = "portal:page"
# Only these query parameters make another page; any other one passes by the cache, so random
# parameters cannot fill it.
PAGE_PARAMETERS = frozenset({"page"})
SHARED = "_portal_shared_page"


def shared_page(view):
    """Mark a portal view whose answer, for an anonymous visitor, is the same for everyone who
    asks in one language: `FullPageCache` may keep it (if the response qualifies)."""
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        setattr(response, SHARED, True)
        return response
    return wrapper


def _page_key(request, language):
    if not request.META.get("QUERY_STRING"):
        return f"{PAGE_KEY}:{language}:{request.path}?"
    if any(name not in PAGE_PARAMETERS for name in request.GET):
        return None
    return f"{PAGE_KEY}:{language}:{request.path}?{request.GET.urlencode()}"


def _anonymous(request):
    """No session and no message waiting: nobody is signed in, no proven address, nothing
    personal on the page. Decided from the cookies alone, before the session is read."""
    cookies = request.COOKIES
    return (settings.SESSION_COOKIE_NAME not in cookies
            and CookieStorage.cookie_name not in cookies)


def _storable(request, response, language):
    """A response every anonymous visitor in `language` may receive as it is."""
    return (getattr(response, SHARED, False) and response.status_code == 200
            and not response.streaming and not response.cookies
            # a CSRF token or a CSP nonce in the page belongs to this visitor alone
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not isinstance(getattr(request, "_csp_nonce", None), str)
            and response.get("Content-Language") == language)


class FullPageCache:
    """Serve anonymous GETs of shared portal pages from the shared cache.

    Placed after Django's SecurityMiddleware (its HTTPS redirect and headers apply to every
    answer) and before the CSP, sessions, language, CSRF and authentication: a hit costs one
    cache round trip. The stored page keeps the CSP header it was built with: a page that asked
    for a nonce is never stored, so that header is the site's fixed policy. The language is the
    one LocaleMiddleware would pick (cookie, then Accept-Language), and the stored page must be
    in that language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/portal/"

    def __call__(self, request):
        if (request.method != "GET" or not request.path.startswith(self.prefix)
                or not _anonymous(request)):
            return self.get_response(request)
        language = get_language_from_request(request)
        key = _page_key(request, language)
        if key is None:
            return self.get_response(request)
        cache = portal_cache()
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or current_version()
        entry = found.get(key)
        if entry is not None and entry["version"] == version:
            return self._answer(request, entry["response"])
        response = self.get_response(request)
        if _storable(request, response, language):
            # Public: shared caches may keep it, but must ask again each time (a 304 costs
            # no query), so a decision shows at once.
            response.headers.pop("Cache-Control", None)
            patch_cache_control(response, public=True, no_cache=True, max_age=0)
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
            # Stored under the version read before the page was built: a decision taken
            # meanwhile makes it stale at once.
            cache.set(key, {"version": version, "response": response},
                      timeout=settings.PORTAL_FULL_PAGE_SECONDS)
            response["X-Portal-Cache"] = "miss"
        return response

    @staticmethod
    def _answer(request, response):
        etag = response.get("ETag")
        if etag and etag in request.META.get("HTTP_IF_NONE_MATCH", ""):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control", "Vary", "Content-Language",
                           "Content-Security-Policy"):
                if header in response:
                    not_modified[header] = response[header]
            response = not_modified
        response["X-Portal-Cache"] = "hit"
        return response
