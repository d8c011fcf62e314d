"""Exchange jobs. Huey finds this module by its name; the functions say what they do."""

from huey.contrib.djhuey import db_task

from .services import run_import_job


@db_task()
def import_spreadsheet(job_pk):
    """Check every row of an uploaded spreadsheet, then apply it all or nothing."""
    run_import_job(job_pk)
