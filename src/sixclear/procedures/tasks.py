from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from . import services


@db_periodic_task(crontab(hour="7", minute="15"))
@lock_task("procedures-late-steps")
def remind_of_late_case_steps():
    """Tell the handlers of late case steps, and escalate to managers (each once)."""
    return services.remind_late_steps()
