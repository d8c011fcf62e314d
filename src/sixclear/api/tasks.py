"""Jobs of the API: forget expired idempotency keys every night."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .idempotency import purge_expired


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_expired_idempotency_keys():
    return purge_expired()
