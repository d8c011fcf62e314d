"""Reads that may be a few seconds old, from PostgreSQL streaming replicas.

`DATABASE_REPLICA_URLS` (settings) adds one database alias per replica (`replica1`, ...).
Nothing reads from them unless it asks: code whose readers tolerate a few seconds of lag (the
portal's pages and open data, the dashboards of units other than the reader's own, the content
of a report) runs inside `replica_reads()`, and its reads go to one replica. Everything else
stays on the primary: every write, every read outside that context, every read inside a
transaction (read-your-writes), and the tables of sign-in (sessions, users, second factor,
lockouts) and of the job outbox, wherever they are read.

A replica that cannot be reached is left alone for `SIXCLEAR_REPLICA_RETRY_SECONDS` and the
reads go to the primary (or another replica) meanwhile. A replica that has fallen behind by
more than `SIXCLEAR_REPLICA_MAX_LAG_SECONDS` is skipped the same way until it catches up; its
lag is checked at most once every `SIXCLEAR_REPLICA_CHECK_SECONDS` per process (`replay_lag`).
Each replica going out and coming back is logged once. With no replica configured the context
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
# Per process: until when a replica that failed is left alone; until when a replica's lag
# check holds, and whether it passed; the replicas currently out (logged when they go out and
# when they come back).
_resting_until: dict[str, float] = {}
_checked: dict[str, tuple[float, bool]] = {}
_out: set[str] = set()

# How far the standby's data is behind, in seconds. Caught up (all the WAL it received is
# replayed, and it is streaming, so it receives what the primary writes): 0, however long ago
# the last transaction was replayed: an idle primary sends nothing, and `now() -
# pg_last_xact_replay_timestamp()` grows without the data being any older. Otherwise the age
# of the last transaction replayed (NULL when none was: unknown, treated as too far behind).
# A server not in recovery is no standby (a promoted one): nothing to wait for.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
         AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 0
    ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
END
"""


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def reading_from() -> str:
    """The alias the reads of this context go to (the primary's outside replica_reads())."""
    return _reading.get() or DEFAULT_DB_ALIAS


def reset() -> None:
    """Forget every replica's state in this process (tests; a changed configuration)."""
    _resting_until.clear()
    _checked.clear()
    _out.clear()


def replay_lag(alias: str) -> float | None:
    """How many seconds the replica's data is behind the primary's (0 when caught up), None
    when unknown; 0 for a database that is not PostgreSQL (nothing to measure)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute(LAG_SQL)
        lag = cursor.fetchone()[0]
    return None if lag is None else max(float(lag), 0.0)


def too_far_behind(lag: float | None, limit: float) -> bool:
    """Whether a replica `lag` seconds behind (None: unknown) must not serve reads."""
    return lag is None or lag > limit


def _mark(alias: str, out: bool, why: str) -> None:
    """Log a replica going out or coming back, once each time."""
    if out and alias not in _out:
        _out.add(alias)
        log.warning("replica %s out: %s; its reads go to the primary (or another replica)",
                    alias, why)
    elif not out and alias in _out:
        _out.discard(alias)
        log.warning("replica %s back: %s", alias, why)


def _usable(alias: str) -> bool:
    """Whether the replica can be reached and is close enough behind the primary; answered
    from this process's last check while it holds."""
    now = time.monotonic()
    if _resting_until.get(alias, 0.0) > now:
        return False
    checked = _checked.get(alias)
    if checked is not None and checked[0] > now:
        return checked[1]
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        lag = replay_lag(alias)
    except Error as error:
        _resting_until[alias] = now + settings.SIXCLEAR_REPLICA_RETRY_SECONDS
        _checked.pop(alias, None)
        _mark(alias, True, f"out of reach ({error}), tried again in "
                           f"{settings.SIXCLEAR_REPLICA_RETRY_SECONDS} s")
        with suppress(Error):
            connection.close()
        return False
    limit = settings.SIXCLEAR_REPLICA_MAX_LAG_SECONDS
    usable = not too_far_behind(lag, limit)
    _checked[alias] = (now + settings.SIXCLEAR_REPLICA_CHECK_SECONDS, usable)
    lag_text = "unknown" if lag is None else f"{lag:.1f} s"
    _mark(alias, not usable, f"replay lag {lag_text}, limit {limit} s")
    return usable


def _choose() -> str | None:
    aliases = replica_aliases()
    random.shuffle(aliases)
    return next((alias for alias in aliases if _usable(alias)), None)


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
