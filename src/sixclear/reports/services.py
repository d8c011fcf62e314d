"""Every write about reports: request one, build it (in a job), schedule them, sign one.

Rules: managers (and above) of a unit generate and schedule its reports; leaders sign them.
A role reaches the unit's whole subtree, as everywhere in Sixclear.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sixclear.orgs.models import Membership, Role, Unit
from sixclear.orgs.selectors import ancestor_paths, require_role
from sixclear.outbox.services import enqueue
from sixclear.replicas import replica_reads
from sixclear.versioning import StaleEdit, claim_version

from . import signing
from .models import (
    IssuingBody,
    Report,
    ReportFormat,
    ReportNarrative,
    ReportSchedule,
    ReportSigner,
    ReportStatus,
    SignedDocument,
    SigningCapacity,
)
from .periods import containing, due_date, normalise, period_errors
from .selectors import (
    NARRATIVE_PARTS,
    designated_signer,
    person_name,
    report_content,
    signer_choices,
)
from .writers import REPORT_WRITERS

log = logging.getLogger(__name__)
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
SCHEDULE_KINDS = ("month", "quarter", "half", "year")


def _queue_build(report_id: int) -> None:
    from .tasks import generate_report

    enqueue(generate_report, report_id)  # a row of this transaction, handed over at commit


def _choice_errors(format: str, language: str) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if format not in ReportFormat.values:
        errors["format"] = _("Choose PDF, DOCX or XLSX.")
    if language not in LANGUAGE_CODES:
        errors["language"] = _("Choose a language.")
    return errors


@transaction.atomic
def request_report(*, actor: Any, unit: Unit, period_kind: str, year: int, period_number: int = 0,
                   format: str, language: str) -> Report:
    """Store a report request and queue its generation once the request is committed.

    The report covers the unit and its sub-units; a manager of the unit (or above) asks.
    """
    require_role(actor, unit, Role.MANAGER)
    errors = period_errors(period_kind, year, period_number) | _choice_errors(format, language)
    if errors:
        raise ValidationError(errors)
    period = normalise(period_kind, year, period_number)
    report = Report.objects.create(
        unit=unit, period_kind=period.kind, year=period.year, period_number=period.number,
        format=format, language=language, created_by=actor,
        parameters={"unit": unit.code, "period_kind": period.kind, "year": period.year,
                    "period_number": period.number, "format": format, "language": language,
                    "requested_by": actor.get_username()},
    )
    _queue_build(report.pk)
    return report


def _set_progress(report_id: int, progress: int, **fields: Any) -> None:
    Report.objects.filter(pk=report_id).update(progress=progress, **fields)


def build_report(report_id: int, today: datetime.date | None = None, *,
                 resume: bool = False) -> Report | None:
    """Generate a queued report's file, in the report's language, and store it with its hash.

    Safe to re-run: only a queued report is claimed (one UPDATE), so a second run does nothing.
    `resume` (the job's retry after its worker died) also claims the report that worker left
    running; the file is written whole and the row saved once, so it is still one report.
    """
    claimable = [ReportStatus.QUEUED, ReportStatus.RUNNING] if resume else [ReportStatus.QUEUED]
    claimed = Report.objects.filter(pk=report_id, status__in=claimable).update(
        status=ReportStatus.RUNNING, progress=5)
    if not claimed:
        return None
    report = Report.objects.select_related("unit").get(pk=report_id)
    started = time.perf_counter()
    try:
        stored = ReportNarrative.objects.filter(report=report).first()
        # The figures may be a few seconds old: read on a replica when one is configured.
        with translation.override(report.language), replica_reads():
            content = report_content(
                report.unit, report.period, today=today or timezone.localdate(),
                language=report.language, serial=str(report.pk),
                capacity=stored.capacity if stored else SigningCapacity.PRINCIPAL,
                narrative={part: getattr(stored, part) for part in NARRATIVE_PARTS}
                if stored else None)
            _set_progress(report_id, 40)
            data = REPORT_WRITERS[report.format](content)
        if stored is None:  # the first draft, from the data, for the manager to edit
            ReportNarrative.objects.get_or_create(report=report, defaults=content.narrative)
        # The person the printed block names: the only one who may sign this file.
        signature = content.signature
        report.parameters = report.parameters | {
            "signer_id": signature.user_id if signature else None,
            "signer_name": content.signer_name,
            "signer_title": signature.title if signature else "",
            "signer_lines": signature.lines if signature else [], "number": content.number}
        _set_progress(report_id, 90)
        report.file.save(report.download_name, ContentFile(data), save=False)
        report.sha256 = hashlib.sha256(data).hexdigest()
        report.size = len(data)
        report.status, report.progress = ReportStatus.DONE, 100
        report.seconds = time.perf_counter() - started
        report.finished_at = timezone.now()
        report.save(update_fields=["file", "sha256", "size", "status", "progress", "seconds",
                                   "finished_at", "parameters"])
    except Exception as failure:
        log.exception("Report %s failed", report_id)
        _set_progress(report_id, 100, status=ReportStatus.FAILED, error=str(failure)[:2000],
                      finished_at=timezone.now())
        report.refresh_from_db()
    return report


def _schedule_errors(period_kind: str, day_of_month: int | None, format: str,
                     language: str) -> dict[str, Any]:
    errors = _choice_errors(format, language)
    if period_kind not in SCHEDULE_KINDS:
        errors["period_kind"] = _("Choose month, quarter, six months or year.")
    if day_of_month is None or not 0 <= day_of_month <= 28:
        errors["day_of_month"] = _("Write a day from 1 to 28, or 0 for the period's last day.")
    return errors


@transaction.atomic
def save_schedule(*, actor: Any, unit: Unit, period_kind: str, day_of_month: int,
                  format: str, language: str, is_active: bool = True,
                  schedule: ReportSchedule | None = None,
                  version: int | None = None) -> ReportSchedule:
    """Create a unit's report schedule, or change one (version-checked: a stale edit is
    refused). One schedule per unit, period, format and language."""
    require_role(actor, unit, Role.MANAGER)
    errors = _schedule_errors(period_kind, day_of_month, format, language)
    if errors:
        raise ValidationError(errors)
    clash = ReportSchedule.objects.filter(unit=unit, period_kind=period_kind, format=format,
                                          language=language)
    if schedule is not None:
        clash = clash.exclude(pk=schedule.pk)
    if clash.exists():
        raise ValidationError({"period_kind": _(
            "This unit already has a schedule for this period, format and language.")})
    if schedule is None:
        return ReportSchedule.objects.create(
            unit=unit, period_kind=period_kind, day_of_month=day_of_month, format=format,
            language=language, is_active=is_active, created_by=actor)
    claim_version(schedule, version)
    schedule.period_kind, schedule.day_of_month = period_kind, day_of_month
    schedule.format, schedule.language, schedule.is_active = format, language, is_active
    schedule.save(update_fields=["period_kind", "day_of_month", "format", "language",
                                 "is_active", "version"])
    return schedule


@transaction.atomic
def delete_schedule(*, actor: Any, schedule: ReportSchedule, version: int) -> None:
    require_role(actor, schedule.unit, Role.MANAGER)
    claim_version(schedule, version)
    schedule.delete()


def make_scheduled_reports(today: datetime.date) -> list[Report]:
    """Create the reports whose schedule is due by `today` (the period just ended, and the
    current one once its day has come), each once: a daily job calls this, and a second run
    the same day creates nothing. Periods due before the schedule existed are not made."""
    made = []
    for schedule in ReportSchedule.objects.filter(is_active=True).select_related("unit"):
        created_on = timezone.localdate(schedule.created_at)
        current = containing(schedule.period_kind, today)
        for period in (current.previous(), current):
            due = due_date(period, schedule.day_of_month)
            if not created_on <= due <= today:
                continue
            with transaction.atomic():
                report, created = Report.objects.get_or_create(
                    schedule=schedule, period_kind=period.kind, year=period.year,
                    period_number=period.number,
                    defaults={"unit": schedule.unit, "format": schedule.format,
                              "language": schedule.language,
                              "parameters": {"unit": schedule.unit.code, "schedule": schedule.pk,
                                             "period_kind": period.kind, "year": period.year,
                                             "period_number": period.number,
                                             "format": schedule.format,
                                             "language": schedule.language}},
                )
                if created:
                    _queue_build(report.pk)
                    made.append(report)
    return made


def signer_title(user: Any, unit: Unit) -> str:
    """The person's position in the unit or the nearest unit above where they hold one."""
    titles = dict(Membership.objects.filter(user=user, unit__path__in=ancestor_paths(unit))
                  .values_list("unit__path", "title"))
    for path in reversed(ancestor_paths(unit)):
        if titles.get(path):
            return titles[path]
    return ""


def may_sign(user: Any, report: Report) -> bool:
    """Whether `user` is the person the report's printed block names and the unit still
    designates them (as head, or as the deputy signing for the head)."""
    signer_id = (report.parameters or {}).get("signer_id")
    if not signer_id or getattr(user, "pk", None) != signer_id:
        return False
    designation = designated_signer(report.unit)
    return signer_id in (designation.signer_id, designation.deputy_id)


def sign_report(*, actor: Any, report: Report) -> SignedDocument:
    """Sign a generated PDF report as `actor` with their configured key. Only the person the
    unit designates, and whom the printed signature block names, signs: the stamp and the
    block name the same person, and "(Signed)" appears only on the signed copy (in the stamp,
    placed in the block's space).

    The signed file is stored with its hash and never changed; it supersedes the current
    signed document of the same unit, period and language, which stays, linked.
    """
    require_role(actor, report.unit, Role.VIEWER)
    report = Report.objects.select_related("unit").get(pk=report.pk)  # its stored state
    if report.format != ReportFormat.PDF or report.status != ReportStatus.DONE:
        raise ValidationError(_("Only a generated PDF report can be signed."))
    if not may_sign(actor, report):
        raise PermissionDenied(_(
            "Only the person the unit designates to sign, and whom this report names, signs "
            "it: %(name)s.") % {"name": report.parameters.get("signer_name") or "—"})
    name = person_name(actor)
    title = report.parameters.get("signer_title") or signer_title(actor, report.unit)
    with report.file.open("rb") as stream:
        data = stream.read()
    with signing.open_signer(actor.get_username()) as signer, \
            translation.override(report.language):  # the box speaks the report's language
        signed = signing.sign_pdf(data, signer=signer, name=name, title=title,
                                  location=report.unit.name,
                                  reason=_("Approval of the report"))
        document_title = _("Report %(period)s · %(unit)s") % {
            "period": report.period.label(), "unit": report.unit.name}
    try:
        with transaction.atomic():
            current = (SignedDocument.objects.select_for_update(of=("self",))
                       .filter(unit=report.unit, report__period_kind=report.period_kind,
                               report__year=report.year,
                               report__period_number=report.period_number,
                               report__language=report.language, superseded_by__isnull=True)
                       .order_by("-signed_at", "-pk").first())
            document = SignedDocument(
                unit=report.unit, report=report, title=document_title[:300],
                sha256=hashlib.sha256(signed).hexdigest(), size=len(signed), signer=actor,
                signer_name=name, signer_title=title, signed_at=timezone.now(),
                timestamped=bool(settings.REPORTS_TSA_URL), supersedes=current,
            )
            document.file.save("signed.pdf", ContentFile(signed), save=False)
            document.save()
    except IntegrityError as clash:
        raise StaleEdit(_("Someone else signed this report at the same moment. Reload the "
                          "page to see the current signed document.")) from clash
    return document


@transaction.atomic
def designate_signer(*, actor: Any, unit: Unit, issuing_body: str, signer: Any,
                     signer_title: str, deputy: Any = None, deputy_title: str = "",
                     version: int | None = None) -> ReportSigner:
    """Designate who signs a unit's reports (its secretary or chair, with their title) and an
    authorised deputy, and which body issues them. A manager of the unit (or above) sets it;
    the signer and deputy must hold a role in the unit or a unit above it. Version-checked;
    every change is kept in the history."""
    require_role(actor, unit, Role.MANAGER)
    errors: dict[str, Any] = {}
    if issuing_body not in IssuingBody.values:
        errors["issuing_body"] = _("Choose the party committee or the people's committee.")
    choices = signer_choices(unit)
    if signer is None or not choices.filter(pk=signer.pk).exists():
        errors["signer"] = _("Choose a person with a role in this unit or a unit above it.")
    if not signer_title.strip():
        errors["signer_title"] = _("Write the signer's title, e.g. Secretary.")
    if deputy is not None:
        if not choices.filter(pk=deputy.pk).exists():
            errors["deputy"] = _("Choose a person with a role in this unit or a unit above it.")
        elif signer is not None and deputy.pk == signer.pk:
            errors["deputy"] = _("The deputy is another person than the signer.")
        if not deputy_title.strip():
            errors["deputy_title"] = _("Write the deputy's title, e.g. Deputy Secretary.")
    if errors:
        raise ValidationError(errors)
    stored = ReportSigner.objects.filter(unit=unit).first()
    if stored is None:
        designation = ReportSigner(unit=unit)
    else:
        claim_version(stored, version)
        designation = stored
    designation.issuing_body, designation.signer = issuing_body, signer
    designation.signer_title = signer_title.strip()
    designation.deputy = deputy
    designation.deputy_title = deputy_title.strip() if deputy is not None else ""
    designation.updated_by = actor
    designation._history_user = actor  # type: ignore[attr-defined]  # django-simple-history
    designation.save()
    return designation


@transaction.atomic
def edit_narrative(*, actor: Any, report: Report, version: int, results: str,
                   shortcomings: str, next_tasks: str,
                   capacity: str = SigningCapacity.PRINCIPAL) -> ReportNarrative:
    """Change a report's words and who signs it (the head, or the deputy for the head), then
    generate its file again. A manager of the unit (or above) edits; a signed report is
    frozen and refused. Version-checked; every change is kept in the history."""
    require_role(actor, report.unit, Role.MANAGER)
    report = Report.objects.select_for_update().get(pk=report.pk)
    narrative = ReportNarrative.objects.filter(report=report).first()
    if narrative is None or report.status not in (ReportStatus.DONE, ReportStatus.FAILED):
        raise ValidationError(_("The report is still being generated; try again in a moment."))
    if SignedDocument.objects.filter(report=report).exists():
        raise ValidationError(_("This report is signed and can no longer be changed. Generate "
                                "a new report to write another."), code="frozen")
    errors: dict[str, Any] = {}
    if capacity not in SigningCapacity.values:
        errors["capacity"] = _("Choose who signs.")
    elif capacity == SigningCapacity.DEPUTY and not designated_signer(report.unit).deputy_id:
        errors["capacity"] = _("This unit has no deputy designated to sign.")
    limit = 20000
    for part, text in (("results", results), ("shortcomings", shortcomings),
                       ("next_tasks", next_tasks)):
        if len(text) > limit:
            errors[part] = _("Write at most %(limit)s characters.") % {"limit": limit}
    if errors:
        raise ValidationError(errors)
    claim_version(narrative, version)
    narrative.results, narrative.shortcomings = results.strip(), shortcomings.strip()
    narrative.next_tasks, narrative.capacity = next_tasks.strip(), capacity
    narrative.edited_by = actor
    narrative._history_user = actor  # type: ignore[attr-defined]  # django-simple-history
    narrative.save()
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.QUEUED, progress=0,
                                               error="", finished_at=None)
    _queue_build(report.pk)
    return narrative

