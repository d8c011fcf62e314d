"""The outbox's jobs. Huey finds this module by its name; the functions say what they do."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from . import services


@db_task()
def run_job(pk):
    """Run one requested job (the row says which and with what)."""
    services.run(pk)


@db_periodic_task(crontab())
def drain_jobs():
    """Every minute: hand over again the jobs the queue never got or whose worker died."""
    services.drain()


@on_startup()
def drain_jobs_at_start():
    """When a worker starts (after a crash, a deploy or an outage), drain at once."""
    from django.db import close_old_connections

    try:
        services.drain()
    finally:
        close_old_connections()
