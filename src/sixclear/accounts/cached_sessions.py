"""Sessions read from the shared cache and kept in the database (SIXCLEAR_CACHE_URL set).

Django's cached_db store: a request finds its session in Redis without a query, every change
is written to the database as well, so a Redis restart signs no one out. Keys are checked as in
`accounts.sessions` before they reach the cache or the database.
"""

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDatabaseSessionStore

from .sessions import KEY_CHARACTERS


class SessionStore(CachedDatabaseSessionStore):
    def _validate_session_key(self, key):
        return super()._validate_session_key(key) and set(key) <= KEY_CHARACTERS
