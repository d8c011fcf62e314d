"""Jobs of the audit trail: verify the chain every night and keep the result."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .chain import record_verification


@db_periodic_task(crontab(hour="2", minute="41"))
def verify_audit_trail():
    return record_verification(history=True).ok
