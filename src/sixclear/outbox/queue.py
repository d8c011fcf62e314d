"""The job queue on Redis for any number of workers on any number of machines.

Every `sixclear worker` runs Huey's scheduler, which puts each periodic job on the queue when
its minute comes. With several workers each would queue it, and a job such as the morning
digest would run once per worker. Here a worker queues a periodic job only if it is the first
to claim that job's minute in Redis (SET NX, kept an hour), so it is queued once whatever the
number of workers; their clocks must agree to the minute (NTP). Jobs a write asks for need no
such care: the outbox's lease lets one runner at a time take a row.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

import huey
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
CLAIM_SECONDS = 3600


class RedisHuey(huey.RedisHuey):
    def claim_key(self, task: Any, timestamp: datetime.datetime) -> str:
        return f"huey.periodic.{self.name}.{task.name}.{timestamp:%Y%m%d%H%M}"

    def read_periodic(self, timestamp: datetime.datetime | None) -> list[Any]:
        if timestamp is None:
            timestamp = self._get_timestamp()
        due = super().read_periodic(timestamp)
        try:
            return [task for task in due if self.storage.conn.set(
                self.claim_key(task, timestamp), "1", nx=True, ex=CLAIM_SECONDS)]
        except RedisError as error:  # the queue is out of reach: nothing can be queued now
            log.warning("periodic jobs not queued at %s: %r", timestamp, error)
            return []
