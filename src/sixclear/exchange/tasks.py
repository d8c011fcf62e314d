"""Exchange jobs. Huey finds this module by its name; the functions say what they do."""

from sixclear.outbox.services import job, retrying

from .services import run_import_job


@job
def import_spreadsheet(job_pk):
    """Check every row of an uploaded spreadsheet, then apply it all or nothing, once."""
    run_import_job(job_pk, resume=retrying())
