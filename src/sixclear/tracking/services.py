"""Every write to tasks, steps, progress reports and measurements.

Each service takes the acting user as `actor`, checks the rule it enforces, writes in one
transaction and records history with the actor.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sixclear import upkeep
from sixclear.orgs.models import Role, Unit
from sixclear.orgs.selectors import has_role, require_role
from sixclear.plans import services as plan_services
from sixclear.plans.models import Program, ProgramSection, Target
from sixclear.references import NeedsChangeRequest
from sixclear.versioning import claim_version

from .codes import next_task_code
from .evidence import clean_evidence
from .models import (
    REPORT_HISTORY,
    SIX_CLEAR_LABELS,
    Evidence,
    Measurement,
    PeriodKind,
    ProgressReport,
    ReviewStatus,
    Task,
    TaskState,
    TaskStep,
)
from .rules import HELD_BY_AUTHORITY, LINKS, TaskRules

TASK_FIELDS = {
    "code", "title", "description", "owner", "lead_unit", "start_date", "deadline",
    "expected_result", "authority", "authority_body", "resolution", "program", "task_group",
    "parent", "priority",
}
TASK_LINKS = set(LINKS)
CANCEL_REASON_LENGTH = 100  # django-simple-history's change reason column


class SixClearsMissing(ValidationError):
    """A task cannot be issued while any of the six clears is missing."""


def _save(instance: Any, actor: Any) -> Any:
    instance._history_user = actor
    instance.save()
    return instance


def _save_without_history(instance: Any, actor: Any) -> None:
    """Save now, its history row later (`REPORT_HISTORY.create_historical_record`)."""
    instance._history_user = actor
    instance.save_without_historical_record()


def _require_six_clears(task: Task) -> None:
    missing = task.missing_clears()
    if missing:
        raise SixClearsMissing(
            {key: SIX_CLEAR_LABELS[key] for key in missing},
            code="six_clears_missing",
        )


def _set_links(task: Task, links: Mapping[str, Any]) -> None:
    for name, values in links.items():
        getattr(task, name).set(values)


def _split(changes: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    unknown = set(changes) - TASK_FIELDS - TASK_LINKS
    if unknown:
        raise ValidationError(
            _("These fields cannot be set here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    fields = {k: v for k, v in changes.items() if k in TASK_FIELDS}
    links = {k: list(v) for k, v in changes.items() if k in TASK_LINKS}
    return fields, links


def _check(rules: TaskRules, task: Task, links: dict[str, Any]) -> None:
    errors = rules.errors(task, links)
    if errors:
        raise (SixClearsMissing if set(errors) <= set(SIX_CLEAR_LABELS) and
               task.state == TaskState.ISSUED else ValidationError)(errors)


@transaction.atomic
def create_task(*, actor: Any, unit: Unit, **changes: Any) -> Task:
    """A manager of `unit` drafts a task. Drafts may have gaps in the six clears; every
    reference must be one the task's unit may point at (`rules.task_reference_choices`).
    A task given no code gets the unit's next `NV-<year>-<number>` (`codes.next_task_code`)."""
    require_role(actor, unit, Role.MANAGER)
    fields, links = _split(changes)
    task = Task(unit=unit, **fields)
    _check(TaskRules(actor=actor, unit=unit), task, links)
    if not task.code:
        # A spreadsheet row finds its task by code: without one, its export cannot come back.
        # The unit's row lock keeps two writers from taking the same number.
        Unit.objects.select_for_update().filter(pk=unit.pk).exists()
        task.code = next_task_code(Task, unit.pk, timezone.localdate().year)
    _save(task, actor)
    _set_links(task, links)
    upkeep.tasks_changed([task])
    return task


def _changed(task: Task, fields: Mapping[str, Any], links: Mapping[str, Any]) -> set[str]:
    """The names among `fields` and `links` whose value differs from the task's."""
    names = {name for name, value in fields.items()
             if getattr(task, Task._meta.get_field(name).attname) != (  # type: ignore[union-attr]
                 value.pk if hasattr(value, "pk") else value)}
    if task.pk:
        names |= {name for name, items in links.items()
                  if {item.pk for item in items}
                  != set(getattr(task, name).values_list("pk", flat=True))}
    return names


@transaction.atomic
def update_task(*, actor: Any, task: Task, expected_version: int, **changes: Any) -> Task:
    """Edit a task. Once issued, its clears (owner, deadline, result, responsibility,
    authority) change only by its approving authority (`rules.holds_authority`), otherwise
    through a change request; an issued task must stay six-clear; a stale edit is refused."""
    require_role(actor, task.unit, Role.MANAGER)
    if task.state in (TaskState.DONE, TaskState.CANCELLED):
        raise ValidationError(_("A finished or cancelled task cannot be edited."))
    fields, links = _split(changes)
    rules = TaskRules(actor=actor, unit=task.unit)
    changed = _changed(task, fields, links)
    claim_version(task, expected_version)  # a stale page is said first: its values are old
    held = rules.held_errors(task, changed)
    if held:
        raise NeedsChangeRequest(held)
    for name, value in fields.items():
        setattr(task, name, value)
    _keep_section_in_program(task)
    _check(rules, task, links)
    if task.state == TaskState.ISSUED and changed & set(HELD_BY_AUTHORITY):
        task._change_reason = _("Changed directly by its approving authority")  # type: ignore[attr-defined]
    _save(task, actor)
    _set_links(task, links)
    upkeep.tasks_changed([task], months=True)
    if "owner" in changed:
        _tell_new_owner(actor, task)
    return task


def _tell_new_owner(actor: Any, task: Task) -> None:
    """An issued task handed to someone else: its new owner is told (a draft's owner hears
    when it is issued)."""
    if task.state == TaskState.ISSUED:
        upkeep.happened(upkeep.Event.TASK_ASSIGNED, recipients=[task.owner_id], actor=actor,
                        task=task, occasion=f"task:{task.pk}:{task.version}")


@transaction.atomic
def apply_decided_change(*, actor: Any, task: Task, values: Mapping[str, Any],
                         reason: str) -> Task:
    """Apply what the task's authority approved in a change request (`values`: field → new
    value), under the same rules as any edit; the request's number is the history's reason."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.state in (TaskState.DONE, TaskState.CANCELLED):
        raise ValidationError(_("A finished or cancelled task cannot be edited."))
    previous_owner = task.owner_id
    fields, links = _split(values)
    for name, value in fields.items():
        setattr(task, name, value)
    _check(TaskRules(actor=actor, unit=task.unit), task, links)
    claim_version(task, task.version)
    task._change_reason = reason  # type: ignore[attr-defined]
    _save(task, actor)
    _set_links(task, links)
    upkeep.tasks_changed([task], months=True)
    if task.owner_id != previous_owner:
        _tell_new_owner(actor, task)
    return task


@transaction.atomic
def issue_task(*, actor: Any, task: Task, expected_version: int) -> Task:
    """Assign a drafted task. Refused, naming each missing clear, unless all six are clear."""
    require_role(actor, task.unit, Role.MANAGER)
    if task.state != TaskState.DRAFT:
        raise ValidationError(_("Only a draft task can be issued."))
    _require_six_clears(task)
    claim_version(task, expected_version)
    task.state = TaskState.ISSUED
    task.issued_at = timezone.now()
    _save(task, actor)
    upkeep.tasks_changed([task], months=True)
    upkeep.happened(upkeep.Event.TASK_ISSUED, recipients=[task.owner_id], actor=actor,
                    task=task, occasion=f"task:{task.pk}:{task.version}")
    return task


def _keep_section_in_program(task: Task) -> None:
    """A task moved to another program (or none) leaves its old program's section."""
    if task.program_section_id and (
            task.program_section.program_id != task.program_id):  # type: ignore[union-attr]
        task.program_section = None


@transaction.atomic
def arrange_program(*, actor: Any, program: Program, expected_version: int,
                    targets: Mapping[Target, ProgramSection | None],
                    tasks: Mapping[Task, ProgramSection | None]) -> Program:
    """Place the program's targets and tasks in its sections (A, B, C …), in one go: a
    manager of the program's unit; a stale page is refused (the program's version)."""
    require_role(actor, program.unit, Role.MANAGER)
    errors = plan_services.section_errors(
        program, tasks, Task.objects.filter(program=program), "tasks")
    if errors:
        raise ValidationError(errors)
    claim_version(program, expected_version)
    program._change_reason = _("Targets and tasks placed in sections")  # type: ignore[attr-defined]
    _save(program, actor)
    plan_services.place_targets_in_sections(actor=actor, program=program, placement=targets)
    moved = [task for task, section in tasks.items()
             if task.program_section_id != (section.pk if section else None)]
    for task in moved:
        task.program_section = tasks[task]
        claim_version(task, task.version)
        _save(task, actor)
    if moved:
        upkeep.tasks_changed(moved)
    return program


@transaction.atomic
def cancel_task(*, actor: Any, task: Task, expected_version: int, reason: str) -> Task:
    """Cancel a task; only the unit's leader may, and the reason is kept in history."""
    require_role(actor, task.unit, Role.LEADER)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the task is cancelled.")})
    if len(reason.strip()) > CANCEL_REASON_LENGTH:  # the history keeps at most this many
        raise ValidationError({"reason": _("Say it in at most %(count)s characters.") % {
            "count": CANCEL_REASON_LENGTH}})
    if task.state == TaskState.DONE:
        raise ValidationError(_("A finished task cannot be cancelled."))
    if task.state == TaskState.CANCELLED:
        raise ValidationError(_("This task is already cancelled."))
    claim_version(task, expected_version)
    task.state = TaskState.CANCELLED
    task._change_reason = reason.strip()  # type: ignore[attr-defined]
    _save(task, actor)
    upkeep.tasks_changed([task], months=True)
    return task


@transaction.atomic
def add_step(*, actor: Any, task: Task, title: str,
             due_date: datetime.date | None = None) -> TaskStep:
    """Append a milestone to a task; its date must fall before the task's deadline."""
    require_role(actor, task.unit, Role.MANAGER)
    _require_not_finished(task)
    if not title.strip():
        raise ValidationError({"title": _("Give the step a title.")})
    if due_date and task.deadline and due_date > task.deadline:
        raise ValidationError({"due_date": _("A step cannot be due after the task's deadline.")})
    last = task.steps.order_by("-position").values_list("position", flat=True).first()
    step = TaskStep(task=task, position=(last or 0) + 1, title=title.strip(), due_date=due_date)
    _save(step, actor)
    upkeep.tasks_changed([task])
    return step


def can_report_on(user: Any, task: Task) -> bool:
    """The owner reports on their task; a manager of its unit may report for them."""
    return task.owner_id == user.pk or has_role(user, task.unit, Role.MANAGER)


@transaction.atomic
def complete_step(*, actor: Any, step: TaskStep, expected_version: int,
                  done: bool = True) -> TaskStep:
    if not can_report_on(actor, step.task):
        raise PermissionDenied(_("Only the task's owner or a manager can mark its steps."))
    task = Task.objects.get(pk=step.task_id)
    _require_not_finished(task)
    claim_version(step, expected_version)
    step.done = done
    step.done_on = timezone.localdate() if done else None
    _save(step, actor)
    upkeep.tasks_changed([task])
    return step


def _require_not_finished(task: Task) -> None:
    if task.state in (TaskState.DONE, TaskState.CANCELLED):
        raise ValidationError(_("A finished or cancelled task cannot be changed."))


def _require_open(task: Task) -> None:
    if task.state != TaskState.ISSUED:
        raise ValidationError(_("Progress can only be reported on an issued, unfinished task."))


@transaction.atomic
def report_progress(
    *, actor: Any, task: Task, percent: Any, narrative: str, obstacles: str = "",
    files: Iterable[Any] = (), report_date: datetime.date | None = None, submit: bool = True
) -> ProgressReport:
    """The owner reports progress with evidence; submitted reports wait for approval."""
    if not can_report_on(actor, task):
        raise PermissionDenied(_("Only the task's owner or a manager can report on it."))
    # The page may be old: decide on the task as it is now, and hold it while reporting. Its
    # units and status come along for the upkeep, which then reads none of them again.
    task = (Task.objects.select_for_update(of=("self",))
            .select_related("unit", "lead_unit", "health")
            .get(pk=task.pk))
    _require_open(task)
    errors: dict[str, Any] = {}
    percent = _whole_percent(percent)
    if percent is None:
        errors["percent"] = _("Percent complete must be a whole number from 0 to 100.")
    if not (narrative or "").strip():
        errors["narrative"] = _("Say what was done.")
    report_date = report_date or timezone.localdate()
    if report_date > timezone.localdate():
        errors["report_date"] = _("A report cannot be dated in the future.")
    elif report_date < (earliest := _earliest_report_date(task)):
        errors["report_date"] = _("A report cannot be dated before %(date)s.") % {
            "date": formats.date_format(earliest, "SHORT_DATE_FORMAT")}
    cleaned_files = []
    for upload in files:
        try:
            cleaned_files.append((upload, *clean_evidence(upload)))
        except ValidationError as error:
            errors.setdefault("files", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    report = ProgressReport(
        task=task,
        reported_by=actor,
        report_date=report_date,
        percent=percent,
        narrative=narrative.strip(),
        obstacles=(obstacles or "").strip(),
    )
    report.has_obstacles = bool(report.obstacles)
    if submit:
        report.status = ReviewStatus.SUBMITTED
        report.submitted_at = timezone.now()
    # Its history row (and with it the audit chain's entry) is written last, see below.
    _save_without_history(report, actor)
    for upload, original_name, stored_name in cleaned_files:
        evidence = Evidence(
            report=report,
            stored_name=stored_name,
            original_name=original_name,
            content_type=getattr(upload, "content_type", "") or "application/octet-stream",
            size=upload.size,
            uploaded_by=actor,
        )
        evidence.file.save(stored_name, upload, save=False)
        evidence.save()
    upkeep.tasks_changed([task], reported=True, submitted=submit, read_locked=True)
    upkeep.progress_reported(report_id=report.pk, task_id=task.pk,
                             obstacles=bool(report.obstacles))
    # The report's history row, held back until now: its audit entry takes the chain's lock,
    # one lock for every writer in the country held until the commit. Taken last, it is held
    # for the append and the commit only, not for the status and rollup upkeep above.
    REPORT_HISTORY.create_historical_record(report, "+", using=report._state.db)
    return report


def _earliest_report_date(task: Task) -> datetime.date:
    """Work is reported from the year before the task began (its start date, or the day it
    was created, whichever came first): late entries of last year's work are allowed, a
    report from another era is a typing mistake."""
    created = timezone.localdate(task.created_at) if task.created_at else timezone.localdate()
    began = min(task.start_date, created) if task.start_date else created
    return datetime.date(began.year - 1, 1, 1)


def _whole_percent(value: Any) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 <= number <= 100 else None


def can_review_report(user: Any, report: ProgressReport) -> bool:
    """A manager above the task, or the task's approving person; never one's own report."""
    if report.reported_by_id == user.pk:
        return False
    return report.task.authority_id == user.pk or has_role(user, report.task.unit, Role.MANAGER)


def _review(item: Any, actor: Any, expected_version: int, approve: bool, comment: str) -> Any:
    if item.status != ReviewStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted item can be approved or returned."))
    if not approve and not (comment or "").strip():
        raise ValidationError({"comment": _("Say why it is returned, so it can be corrected.")})
    claim_version(item, expected_version)
    item.status = ReviewStatus.APPROVED if approve else ReviewStatus.RETURNED
    item.reviewed_by = actor
    item.reviewed_at = timezone.now()
    item.review_comment = (comment or "").strip()
    return _save(item, actor)


@transaction.atomic
def review_progress_report(*, actor: Any, report: ProgressReport, expected_version: int,
                           approve: bool, comment: str = "") -> ProgressReport:
    """Approve or return a report. An approved report sets the task's percent; 100 % ends it."""
    if not can_review_report(actor, report):
        raise PermissionDenied(_("You cannot review this report."))
    task = Task.objects.select_for_update().get(pk=report.task_id)
    if approve:
        _require_open(task)
    _review(report, actor, expected_version, approve, comment)
    upkeep.happened(upkeep.Event.REPORT_APPROVED if approve else upkeep.Event.REPORT_RETURNED,
                    recipients=[report.reported_by_id], actor=actor, task=task,
                    occasion=f"report:{report.pk}:{report.version}")
    if approve and _is_latest_approved(report):
        task.percent_complete = report.percent
        if report.percent == 100:
            task.state = TaskState.DONE
            task.completed_on = report.report_date
        claim_version(task, task.version)
        _save(task, actor)
    # Whatever the decision, the report no longer waits: the task's status (a returned report
    # no longer counts) and its unit's approvals count follow.
    upkeep.tasks_changed([task], months=task.state == TaskState.DONE)
    return report


def _is_latest_approved(report: ProgressReport) -> bool:
    """An older report approved late must not pull the task's percent back."""
    return not ProgressReport.objects.filter(
        task_id=report.task_id, status=ReviewStatus.APPROVED, report_date__gt=report.report_date
    ).exists()


def can_report_measurement(user: Any, target: Target) -> bool:
    return target.responsible_person_id == user.pk or has_role(user, target.unit, Role.MANAGER)


def _period_errors(target: Target, period_kind: str, year: int,
                   period_number: int) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if period_kind not in PeriodKind.values:
        errors["period_kind"] = _("Choose a year, a quarter or a month.")
    elif period_kind == PeriodKind.YEAR and period_number:
        errors["period_number"] = _("A yearly value has no quarter or month.")
    elif period_kind == PeriodKind.QUARTER and not 1 <= period_number <= 4:
        errors["period_number"] = _("A quarter is numbered 1 to 4.")
    elif period_kind == PeriodKind.MONTH and not 1 <= period_number <= 12:
        errors["period_number"] = _("A month is numbered 1 to 12.")
    if not target.baseline_year <= year <= target.target_year:
        errors["year"] = _("The year must fall within %(start)s–%(end)s.") % {
            "start": target.baseline_year, "end": target.target_year}
    elif "period_number" not in errors and _period_start(period_kind, year, period_number) > (
            timezone.localdate()):
        errors["year"] = _("This period has not begun yet: a value is reported once its "
                           "period has started.")
    return errors


def _period_start(period_kind: str, year: int, period_number: int) -> datetime.date:
    month = {PeriodKind.QUARTER: 3 * (period_number - 1) + 1,
             PeriodKind.MONTH: period_number}.get(period_kind, 1)  # type: ignore[call-overload]
    return datetime.date(year, max(month, 1), 1)


@transaction.atomic
def record_measurement(
    *, actor: Any, target: Target, year: int, value: Decimal | None,
    period_kind: str = PeriodKind.YEAR, period_number: int = 0, source: str = "",
    note: str = "", evidence: Any = None, submit: bool = True,
) -> Measurement:
    """Report a target's value for a period. A draft or returned value can be corrected;
    a submitted or approved one cannot be overwritten."""
    if not can_report_measurement(actor, target):
        raise PermissionDenied(
            _("Only the target's responsible person or a manager can report it.")
        )
    errors = _period_errors(target, period_kind, year, period_number)
    if value is None:
        errors["value"] = _("Enter the value.")
    stored_name = None
    if evidence is not None:
        try:
            _original, stored_name = clean_evidence(evidence)
        except ValidationError as error:
            errors["evidence"] = error.messages
    if errors:
        raise ValidationError(errors)
    measurement = (
        Measurement.objects.select_for_update()
        .filter(target=target, period_kind=period_kind, year=year, period_number=period_number)
        .first()
    )
    if measurement is None:
        measurement = Measurement(
            target=target, period_kind=period_kind, year=year, period_number=period_number,
            reported_by=actor, value=value,  # type: ignore[misc]  # None is refused above
        )
    elif measurement.status in (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED):
        raise ValidationError(
            _("The value for %(period)s is already %(status)s; it can only be changed once "
              "it is returned.") % {"period": measurement.period_label,
                                   "status": measurement.get_status_display().lower()}
        )
    else:
        claim_version(measurement, measurement.version)
    measurement.value, measurement.source, measurement.note = (
        value, source, note)  # type: ignore[assignment]  # None is refused above
    measurement.reported_by = actor
    measurement.status = ReviewStatus.SUBMITTED if submit else ReviewStatus.DRAFT
    measurement.submitted_at = timezone.now() if submit else None
    if stored_name:
        measurement.evidence.save(stored_name, evidence, save=False)
    _save(measurement, actor)
    # A submitted value counts for the target's status and waits in its unit's approvals.
    upkeep.targets_changed([target])
    return measurement


@transaction.atomic
def review_measurement(*, actor: Any, measurement: Measurement, expected_version: int,
                       approve: bool, comment: str = "") -> Measurement:
    """A manager of the target's unit approves or returns a value; never their own."""
    if measurement.reported_by_id == actor.pk:
        raise PermissionDenied(_("You cannot approve a value you reported."))
    require_role(actor, measurement.target.unit, Role.MANAGER)
    _review(measurement, actor, expected_version, approve, comment)
    upkeep.targets_changed([measurement.target])  # approved or returned, it no longer waits
    upkeep.happened(upkeep.Event.VALUE_APPROVED if approve else upkeep.Event.VALUE_RETURNED,
                    recipients=[measurement.reported_by_id], actor=actor,
                    target=measurement.target,
                    occasion=f"value:{measurement.pk}:{measurement.version}")
    return measurement
