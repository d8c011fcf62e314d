"""No job lost: the transactional outbox.

A write that needs a job (build a report, apply an import, e-mail at once) calls
`enqueue(job_function, *arguments)` inside its transaction: a `Job` row is written with the
write, so both commit or neither does. After the commit, `dispatch` hands the row to the queue
(Huey) at once. If the queue is unreachable then, the row simply stays undispatched; `drain`
(every minute, and when a worker starts) hands it over again, and also every row dispatched or
started but not finished within the lease (`SIXCLEAR_JOB_LEASE_SECONDS`): a worker killed
mid-job leaves its job to run again. A job runs at least once, so every job is idempotent.

`run` is what the worker executes: it takes the lease on the row (one runner at a time), calls
the registered function, and marks the row finished. Jobs are registered by decorating them
with `@job`; the row names the function and its JSON arguments, and only registered functions
run. The outbox knows no app: apps register their jobs here, as with the upkeep port.
"""

from __future__ import annotations

import contextvars
import datetime
import importlib
import logging
import os
import socket
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Job

log = logging.getLogger(__name__)
JobFunction = TypeVar("JobFunction", bound=Callable[..., Any])

_registry: dict[str, Callable[..., Any]] = {}
_retrying: contextvars.ContextVar[bool] = contextvars.ContextVar("outbox_retrying",
                                                                 default=False)
DRAIN_BATCH = 500


def job(function: JobFunction) -> JobFunction:
    """Register `function` as a job the outbox may run (by its module and name)."""
    name = f"{function.__module__}.{function.__qualname__}"
    _registry[name] = function
    function.outbox_name = name  # type: ignore[attr-defined]
    return function


def retrying() -> bool:
    """Inside a job: whether an earlier attempt started and did not finish (its worker died or
    it failed), so the job may take over the work that attempt had claimed."""
    return _retrying.get()


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.SIXCLEAR_JOB_LEASE_SECONDS)


def enqueue(function: Callable[..., Any], *arguments: Any) -> Job:
    """Ask for a job in the current transaction; it is handed to the queue after the commit
    (at once outside a transaction). The arguments must be JSON (primary keys, not objects)."""
    name = getattr(function, "outbox_name", None)
    if name is None or _registry.get(name) is not function:
        raise ValueError(f"{function!r} is not registered with @outbox.job")
    row = Job.objects.create(name=name, arguments=list(arguments))
    transaction.on_commit(lambda: dispatch(row.pk), robust=True)
    return row


def _due(now: datetime.datetime) -> Q:
    """Rows to hand to the queue: never handed over, or handed over or started but not finished
    within the lease."""
    cutoff = now - lease()
    return (Q(dispatched_at__isnull=True)
            | Q(dispatched_at__lt=cutoff, started_at__isnull=True)
            | Q(started_at__lt=cutoff))


def dispatch(pk: int, *, now: datetime.datetime | None = None) -> bool:
    """Hand one row to the queue if it is due (one UPDATE claims it, so two drains do not both
    send it). If the queue refuses, the row is left for the next drain. True when handed over."""
    now = now or timezone.now()
    claimed = Job.objects.filter(pk=pk, finished_at__isnull=True).filter(_due(now)).update(
        dispatched_at=now)
    if not claimed:
        return False
    from .tasks import run_job

    try:
        run_job(pk)
    except Exception as error:  # the queue is unreachable: the row stays for the drain
        log.warning("job %s not handed to the queue: %r", pk, error)
        Job.objects.filter(pk=pk, finished_at__isnull=True).update(
            dispatched_at=None, last_error=f"queue: {error!r}"[:2000])
        return False
    return True


def drain(now: datetime.datetime | None = None) -> int:
    """Hand over every due row (oldest first) and forget rows finished long ago. Returns how
    many were handed over."""
    now = now or timezone.now()
    pks = list(Job.objects.filter(finished_at__isnull=True,
                                  attempts__lt=settings.SIXCLEAR_JOB_MAX_ATTEMPTS)
               .filter(_due(now)).order_by("created_at", "pk")
               .values_list("pk", flat=True)[:DRAIN_BATCH])
    handed = sum(dispatch(pk, now=now) for pk in pks)
    keep = datetime.timedelta(days=settings.SIXCLEAR_JOB_KEEP_DAYS)
    Job.objects.filter(finished_at__lt=now - keep).delete()
    return handed


def _function(name: str) -> Callable[..., Any] | None:
    if name not in _registry and name.startswith("sixclear."):
        try:  # a worker that has not imported the job's module yet
            importlib.import_module(name.rsplit(".", 1)[0])
        except ImportError:
            return None
    return _registry.get(name)


def run(pk: int, *, now: datetime.datetime | None = None) -> bool:
    """Run one row's job in the worker: take its lease, call it, mark it finished. A row already
    finished, or held by a live runner, is left alone. True when the job ran to its end."""
    now = now or timezone.now()
    row = Job.objects.filter(pk=pk, finished_at__isnull=True).first()
    if row is None:
        return False
    claimed = (Job.objects.filter(pk=pk, finished_at__isnull=True)
               .filter(Q(started_at__isnull=True) | Q(started_at__lt=now - lease()))
               .update(started_at=now, attempts=F("attempts") + 1,
                       worker=f"{socket.gethostname()}:{os.getpid()}"[:100]))
    if not claimed:
        return False
    function = _function(row.name)
    if function is None:
        Job.objects.filter(pk=pk).update(last_error=f"unknown job {row.name}")
        return False
    token = _retrying.set(row.attempts > 0)
    try:
        function(*row.arguments)
    except Exception as error:
        log.exception("job %s (%s) failed", pk, row.name)
        # Free the lease so the next drain tries again (up to SIXCLEAR_JOB_MAX_ATTEMPTS).
        Job.objects.filter(pk=pk).update(dispatched_at=None, started_at=None,
                                         last_error=repr(error)[:2000])
        return False
    finally:
        _retrying.reset(token)
    Job.objects.filter(pk=pk).update(finished_at=timezone.now())
    return True
