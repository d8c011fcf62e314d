"""A dashboard's figures, kept between requests while nothing they count has changed.

A dashboard's figures (the headline, tasks and targets by status, the trend, the sub-units
side by side and by area, the most off-track targets and the latest open obstacles) are read
from the rollups and the computed statuses, which change only through the upkeep port: every
write of a task or target, and every status the scan changes, recounts its units' rollups in
the writing transaction and advances their rows' versions. So the figures are rendered once and
kept in the cache under the subtree's stamp (`selectors.stamp`, one query over a row per unit),
which moves with any of them, and with a unit added, renamed or moved in or out. (The obstacle
register's and the procedures' figures below them are read on every request.)
The stamp is read before the figures: a write committed between the two leaves figures newer
than their stamp, which the next request counts again, never older ones kept as current.

A dashboard shows its own unit's changes at once. Its sub-units' changes (other units than
its own) may show up to `DASHBOARD_LAG_SECONDS` late: for that long after kept figures were
last checked against the subtree's stamp, only the unit's own rollup version is read (one
row, not one per unit: a country has ten thousand). A country's stamp moves with every write
in the country; without the lag its dashboard would be counted again on nearly every request
at working hours.

What no rollup version follows (an area renamed, a unit moved in the tree's admin) shows within
`DASHBOARD_CACHE_SECONDS`, how long kept figures live at most. The cache is Django's default
one: per process unless a shared cache is configured, each process keeping its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.urls import get_script_prefix
from django.utils import timezone, translation

from sixclear.orgs.models import Unit

from . import selectors


def _key(unit: Unit, variant: str) -> str:
    return ":".join(["dashboards", str(unit.pk), variant, translation.get_language() or "",
                     timezone.localdate().isoformat(), get_script_prefix()])


def kept_figures(unit: Unit, variant: str, build: Callable[[], str]) -> str:
    """The figures of `unit`'s dashboard as `build` renders them (in the active language, for
    the `variant`, e.g. the league's order), kept or rendered again; one query to decide (two
    when the unit's own figures moved within the lag).

    Within the lag of their last check, kept figures are checked against the unit's own
    version only (one row); past it, against the subtree's stamp, and when that has not moved
    their check is renewed (never their lifetime).
    """
    key, now = _key(unit, variant), time.time()
    entry = cache.get(key)
    if (entry is not None and now - entry["checked"] < settings.DASHBOARD_LAG_SECONDS
            and selectors.own_version(unit) == entry["own"]):
        return entry["html"]
    current = selectors.stamp(unit)
    if entry is not None and entry["stamp"] == current.subtree:
        _keep(key, {**entry, "checked": now}, now)
        return entry["html"]
    html = build()
    _keep(key, {"stamp": current.subtree, "own": current.own, "built": now, "checked": now,
                "html": html}, now)
    return html


def _keep(key: str, entry: dict, now: float) -> None:
    lifetime = settings.DASHBOARD_CACHE_SECONDS - (now - entry["built"])
    if lifetime > 0:
        cache.set(key, entry, timeout=lifetime)
