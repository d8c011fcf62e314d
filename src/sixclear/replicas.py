"""Reads that may be a few seconds old, from PostgreSQL streaming replicas.

`DATABASE_REPLICA_URLS` (settings) adds one database alias per replica (`replica1`, ...).
Nothing reads from them unless it asks: code whose readers tolerate a few seconds of lag (the
portal's pages and open data, the dashboards of units other than the reader's own, the content
of a report) runs inside `replica_reads()`, and its reads go to one replica. Everything else
stays on the primary: every write, every read outside that context, every read inside a
transaction (read-your-writes), and the tables of sign-in (sessions, users, second factor,
lockouts) and of the job outbox, wherever they are read.

A replica that cannot be reached is left alone for `SIXCLEAR_REPLICA_RETRY_SECONDS` and the
reads go to the primary (or another replica) meanwhile. With no replica configured the context
changes nothing and costs nothing.
"""

from __future__ import annotations

import contextvars
import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, Error, connections

log = logging.getLogger(__name__)

# Read on the primary even inside replica_reads(): who is signed in must never lag.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "otp_totp", "otp_static", "axes", "outbox"})

_reading: contextvars.ContextVar[str | None] = contextvars.ContextVar("replica_reads",
                                                                      default=None)
# Per process: until when a replica that failed is left alone.
_resting_until: dict[str, float] = {}


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def reading_from() -> str:
    """The alias the reads of this context go to (the primary's outside replica_reads())."""
    return _reading.get() or DEFAULT_DB_ALIAS


def _reachable(alias: str) -> bool:
    if _resting_until.get(alias, 0.0) > time.monotonic():
        return False
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except Error as error:
        _resting_until[alias] = time.monotonic() + settings.SIXCLEAR_REPLICA_RETRY_SECONDS
        log.warning("replica %s out of reach, reading on the primary for %s s: %s", alias,
                    settings.SIXCLEAR_REPLICA_RETRY_SECONDS, error)
        with suppress(Error):
            connection.close()
        return False
    return True


def _choose() -> str | None:
    aliases = replica_aliases()
    random.shuffle(aliases)
    return next((alias for alias in aliases if _reachable(alias)), None)


@contextmanager
def replica_reads(enabled: bool = True) -> Iterator[str]:
    """Send the reads of this block to a replica (a decorator too); yields the alias used.

    On the primary instead when `enabled` is false, when no replica is configured or none can
    be reached, and inside a transaction on the primary (what it wrote is not on a replica)."""
    current = _reading.get()
    if (current is not None or not enabled or not replica_aliases()
            or connections[DEFAULT_DB_ALIAS].in_atomic_block):
        yield current or DEFAULT_DB_ALIAS
        return
    alias = _choose()
    if alias is None:
        yield DEFAULT_DB_ALIAS
        return
    token = _reading.set(alias)
    try:
        yield alias
    finally:
        _reading.reset(token)


class ReplicaRouter:
    """Reads inside replica_reads() to its replica; all else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        alias = _reading.get()
        if (alias is None or model._meta.app_label in PRIMARY_ONLY_APPS
                or connections[DEFAULT_DB_ALIAS].in_atomic_block):
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool:
        return True  # the replicas hold the primary's rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db in replica_aliases() else None
