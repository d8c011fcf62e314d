"""Starting an import and running it as a job.

`start_import` refuses a bad file at once (type, damage, zip bomb, encoding) and queues a job;
`run_import_job` checks every row and applies them all or nothing (importing.py). Progress is
kept in Huey's key-value store, which the page can read while the applying transaction is open.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from sixclear.orgs.models import Role, Unit
from sixclear.orgs.selectors import require_role
from sixclear.outbox.services import enqueue

from .files import FileRefused, check_size, check_upload
from .importing import import_rows
from .models import ImportJob, ImportKind, ImportStatus

log = logging.getLogger(__name__)
DATE_OPTIONS = ("issued_on", "period_start", "period_end")


def _huey() -> Any:
    from huey.contrib.djhuey import HUEY

    return HUEY


def _progress_key(job_pk: int) -> str:
    return f"exchange-import-progress-{job_pk}"


def start_import(*, actor: Any, unit: Unit, kind: str, upload: Any, check_only: bool = False,
                 options: Mapping[str, Any] | None = None) -> ImportJob:
    """A manager of `unit` uploads a file: refused at once if it is not a sound XLSX or UTF-8
    CSV, else kept and queued. Nothing is changed until the job has checked every row."""
    require_role(actor, unit, Role.MANAGER)
    if kind not in ImportKind.values:
        raise FileRefused(_("Choose what the file holds."))
    check_size(upload.size)
    data = upload.read()
    file_format = check_upload(upload.name, data)
    if kind == ImportKind.DECISION and file_format != "xlsx":
        raise FileRefused(_("A decision's appendix is imported from an Excel workbook (.xlsx)."))
    options = {key: (value.isoformat() if isinstance(value, datetime.date) else value)
               for key, value in (options or {}).items()}
    job = ImportJob(
        unit=unit, kind=kind, created_by=actor, original_name=upload.name[:255],
        file_format=file_format, language=translation.get_language() or "vi",
        check_only=check_only, options=options,
        stored_name=f"{uuid.uuid4().hex}.{file_format}",
    )
    job.file.save(job.stored_name, ContentFile(data), save=False)
    from .tasks import import_spreadsheet

    with transaction.atomic():  # the job and its request commit together
        job.save()
        enqueue(import_spreadsheet, job.pk)  # handed to the queue at commit
    return job


def run_import_job(job_pk: int, *, resume: bool = False) -> None:
    """Check and apply one queued import, once. Safe to run twice: only a queued job starts
    (with `resume`, the retry of a job whose worker died, also one left checking or applying),
    and its rows are applied in the same transaction that marks it done, so a job that died
    before that commit applied nothing and one that committed is never applied again."""
    claimable = [ImportStatus.QUEUED]
    if resume:
        claimable += [ImportStatus.CHECKING, ImportStatus.APPLYING]
    if not ImportJob.objects.filter(pk=job_pk, status__in=claimable).update(
            status=ImportStatus.CHECKING):
        return
    job = ImportJob.objects.select_related("unit", "created_by").get(pk=job_pk)
    options = dict(job.options)
    for key in DATE_OPTIONS:
        if options.get(key):
            options[key] = datetime.date.fromisoformat(options[key])

    def progress(phase: str, done: int, total: int) -> None:
        # Progress is for the page; the import does not depend on the queue's store.
        with contextlib.suppress(Exception):
            _huey().put(_progress_key(job.pk), {"phase": phase, "done": done, "total": total})

    with translation.override(job.language):
        try:
            with job.file.open("rb") as stored:
                data = stored.read()
            with transaction.atomic():
                outcome = import_rows(kind=job.kind, unit=job.unit, actor=job.created_by,
                                      data=data, file_format=job.file_format, options=options,
                                      check_only=job.check_only, progress=progress)
                job.total_rows = job.processed_rows = outcome.total
                job.errors, job.error_count = outcome.errors, outcome.error_count
                job.summary = {**outcome.summary, "ignored_columns": outcome.ignored}
                if outcome.error_count:
                    job.status = ImportStatus.INVALID
                else:
                    job.status = ImportStatus.CHECKED if job.check_only else ImportStatus.DONE
                job.finished_at = timezone.now()
                job.save()
        except Exception:  # the job must end in a state the page can show
            log.exception("import %s failed", job.pk)
            job.status = ImportStatus.FAILED
            job.errors = [{"row": None, "column": "",
                           "message": _("The import failed unexpectedly; nothing was changed. "
                                        "The administrators can see why in the log.")}]
            job.error_count = 1
            job.finished_at = timezone.now()
            job.save()
    job.file.delete(save=False)  # the rows are applied or refused: the file is not kept
    job.save(update_fields=["file"])
    with contextlib.suppress(Exception):
        _huey().get(_progress_key(job.pk))  # read once more, which removes it


def import_progress(job: ImportJob) -> tuple[str | Promise | None, int]:
    """(phase label, percent) for a running job; checking is the first half, applying the
    second."""
    if job.is_finished:
        return None, 100
    state = _huey().get(_progress_key(job.pk), peek=True) or {}
    done, total = state.get("done", 0), state.get("total") or 0
    share = int(50 * done / total) if total else 0
    if state.get("phase") == "applying":
        return ImportStatus.APPLYING.label, 50 + share
    if job.status == ImportStatus.QUEUED:
        return ImportStatus.QUEUED.label, 0
    return ImportStatus.CHECKING.label, share
