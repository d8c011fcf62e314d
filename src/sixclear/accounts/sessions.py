"""Sessions in the database, whose keys are checked before they reach it.

A session key is what the browser sends back in its cookie, so it is untrusted input: one with
a NUL byte made PostgreSQL refuse the lookup and every page answer 500. Django generates keys of
lowercase letters and digits; anything else is treated as no session.
"""

import string

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

KEY_CHARACTERS = frozenset(string.ascii_lowercase + string.digits)


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return super()._validate_session_key(key) and set(key) <= KEY_CHARACTERS
