"""Writes of procedures and cases. Each checks the role, the rules and the state machines, and
writes in one transaction; a refused write writes nothing.

Roles: a manager of the unit defines its procedures and their versions; an officer of the
case's unit opens cases, suspends and resumes them; a step is handed over by someone holding
at least the step's role there; a manager extends a case's clock.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed, can_proceed

from sixclear import upkeep
from sixclear.orgs.models import ROLE_RANK, Membership, Role, Unit
from sixclear.orgs.selectors import require_role
from sixclear.plans.models import Target
from sixclear.references import NOT_FOUND
from sixclear.tracking import services as task_services
from sixclear.versioning import claim_version

from . import rollups, selectors
from .calendar import WorkingCalendar
from .models import (
    AuditCheck,
    Case,
    CaseState,
    CaseStep,
    CheckResult,
    ClockChange,
    ClockKind,
    CorrectiveAction,
    InternalAudit,
    ManagementReview,
    Nonconformity,
    Procedure,
    ProcedureStep,
    ProcedureVersion,
    Severity,
    StepState,
)

MAX_STEP_DAYS = 365
MAX_STEPS = 50
# A late step is told to its handler from its first late day; this many working days later,
# to the managers of the case's unit too.
ESCALATE_AFTER_DAYS = 3


def _save(instance: Any, actor: Any) -> Any:
    instance._history_user = actor if getattr(actor, "pk", None) else None
    instance.save()
    return instance


def _today() -> datetime.date:
    return timezone.localdate()


def _refused(error: TransitionNotAllowed, case: Case) -> ValidationError:
    return ValidationError(
        _("This cannot be done while the case is “%(state)s”.")
        % {"state": case.get_state_display()}, code="state")


# --- Procedures ------------------------------------------------------------------------------

def _clean_steps(steps: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The steps, checked: each named, with a known role and a time limit in working days."""
    errors: dict[str, list[str]] = {}
    cleaned = []
    for number, step in enumerate(steps, start=1):
        name = str(step.get("name") or "").strip()
        role = step.get("role") or Role.OFFICER
        days = step.get("days")
        problems = []
        if not name:
            problems.append(_("Step %(number)d: give it a name.") % {"number": number})
        if role not in Role.values:
            problems.append(_("Step %(number)d: choose a role from the list.")
                            % {"number": number})
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= MAX_STEP_DAYS:
            problems.append(_("Step %(number)d: the time limit is a whole number of working "
                              "days from 0 to %(most)d.") % {"number": number,
                                                             "most": MAX_STEP_DAYS})
        if problems:
            errors.setdefault("steps", []).extend(problems)
            continue
        cleaned.append({"position": number, "name": name[:300], "role": role, "days": days,
                        "records": str(step.get("records") or "").strip()[:500]})
    if not steps:
        errors["steps"] = [_("A procedure has at least one step.")]
    elif len(steps) > MAX_STEPS:
        errors["steps"] = [_("A procedure has at most %(most)d steps.") % {"most": MAX_STEPS}]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_people_and_objectives(unit: Unit, owner: Any, objectives: Iterable[Target]) -> None:
    errors = {}
    if owner is not None and not selectors.handover_choices(unit).filter(pk=owner.pk).exists():
        errors["owner"] = NOT_FOUND
    ids = {target.pk for target in objectives}
    if ids and selectors.objective_choices(unit).filter(pk__in=ids).count() != len(ids):
        errors["objectives"] = NOT_FOUND
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_procedure(*, actor: Any, unit: Unit, code: str, name: str,
                     effective_from: datetime.date, steps: Sequence[Mapping[str, Any]],
                     owner: Any = None, shared_below: bool = False,
                     objectives: Iterable[Target] = (), note: str = "") -> Procedure:
    """A manager of `unit` registers a procedure with its first version."""
    require_role(actor, unit, Role.MANAGER)
    objectives = list(objectives)
    errors = {}
    code, name = (code or "").strip(), (name or "").strip()
    if not code:
        errors["code"] = [_("Give the procedure a code.")]
    elif Procedure.objects.filter(unit=unit, code=code).exists():
        errors["code"] = [_("This unit already has a procedure with this code.")]
    if not name:
        errors["name"] = [_("Give the procedure a name.")]
    try:
        cleaned = _clean_steps(steps)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    _check_people_and_objectives(unit, owner, objectives)
    procedure = _save(Procedure(unit=unit, code=code[:40], name=name[:300], owner=owner,
                                shared_below=shared_below), actor)
    procedure.objectives.set(objectives)
    _add_version(actor, procedure, effective_from, cleaned, note)
    return procedure


@transaction.atomic
def update_procedure(*, actor: Any, procedure: Procedure, expected_version: int, name: str,
                     owner: Any = None, shared_below: bool = False,
                     objectives: Iterable[Target] = ()) -> Procedure:
    require_role(actor, procedure.unit, Role.MANAGER)
    objectives = list(objectives)
    if not (name or "").strip():
        raise ValidationError({"name": [_("Give the procedure a name.")]})
    _check_people_and_objectives(procedure.unit, owner, objectives)
    claim_version(procedure, expected_version)
    procedure.name, procedure.owner, procedure.shared_below = name.strip()[:300], owner, \
        shared_below
    _save(procedure, actor)
    procedure.objectives.set(objectives)
    return procedure


@transaction.atomic
def add_version(*, actor: Any, procedure: Procedure, effective_from: datetime.date,
                steps: Sequence[Mapping[str, Any]], note: str = "") -> ProcedureVersion:
    """A new version of the steps, in force from `effective_from` (after the latest one's):
    cases opened from that day run on it; cases opened before keep theirs."""
    require_role(actor, procedure.unit, Role.MANAGER)
    return _add_version(actor, procedure, effective_from, _clean_steps(steps), note)


def _add_version(actor: Any, procedure: Procedure, effective_from: datetime.date,
                 steps: list[dict[str, Any]], note: str) -> ProcedureVersion:
    if not isinstance(effective_from, datetime.date):
        raise ValidationError({"effective_from": [_("Give the date it takes effect.")]})
    latest = selectors.current_version(procedure)
    if latest and effective_from <= latest.effective_from:
        raise ValidationError({"effective_from": [
            _("A new version takes effect after the current one (%(day)s).")
            % {"day": latest.effective_from.isoformat()}]})
    Procedure.objects.select_for_update().filter(pk=procedure.pk).exists()
    number = (latest.number + 1) if latest else 1
    version = _save(ProcedureVersion(procedure=procedure, number=number,
                                     effective_from=effective_from, note=note[:500]), actor)
    for step in steps:
        _save(ProcedureStep(version=version, **step), actor)
    return version


def same_steps(version: ProcedureVersion, steps: Sequence[Mapping[str, Any]]) -> bool:
    """Whether `version` already has exactly these steps (an import that changes nothing)."""
    try:
        cleaned = _clean_steps(steps)
    except ValidationError:
        return False
    stored = [{"position": s.position, "name": s.name, "role": s.role, "days": s.days,
               "records": s.records} for s in version.steps.order_by("position")]
    return stored == cleaned


# --- Cases -----------------------------------------------------------------------------------

def _plan(calendar: WorkingCalendar, steps: Sequence[CaseStep], start: datetime.date) -> None:
    """Due dates of `steps` one after another, the first counted from `start`."""
    day = start
    for case_step in steps:
        day = calendar.add(day, case_step.step.days)
        case_step.due_date = day


def _case_errors(unit: Unit, procedure: Procedure | None, reference: str, subject: str,
                 opened_on: Any, today: datetime.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if procedure is None or not selectors.procedures_for_unit(unit).filter(
            pk=procedure.pk).exists():
        errors["procedure"] = [str(NOT_FOUND)]
    if not (reference or "").strip():
        errors["reference"] = [_("Give the case its reference (the dossier or petition "
                                 "number).")]
    if not (subject or "").strip():
        errors["subject"] = [_("Say what the case is about.")]
    if not isinstance(opened_on, datetime.date):
        errors["opened_on"] = [_("Give the day the case was received.")]
    elif opened_on > today:
        errors["opened_on"] = [_("A case cannot be received in the future.")]
    elif procedure is not None and "procedure" not in errors \
            and selectors.version_in_force(procedure, opened_on) is None:
        errors["opened_on"] = [_("No version of this procedure was in force on that day.")]
    return errors


@transaction.atomic
def open_case(*, actor: Any, unit: Unit, procedure: Procedure | None, reference: str,
              subject: str, applicant: str = "", opened_on: datetime.date | None = None,
              handler: Any = None, recorded_elsewhere: bool = False) -> Case:
    """An officer of `unit` opens a case on the version of `procedure` in force on the day it
    was received; its first step is in `handler`'s hands (the actor's by default)."""
    require_role(actor, unit, Role.OFFICER)
    today = _today()
    opened_on = today if opened_on is None else opened_on
    errors = _case_errors(unit, procedure, reference, subject, opened_on, today)
    if not errors and Case.objects.filter(unit=unit, reference=reference.strip()).exists():
        errors["reference"] = [_("This unit already has a case with this reference.")]
    handler = actor if handler is None and not recorded_elsewhere else handler
    if handler is not None and not selectors.handover_choices(unit).filter(
            pk=handler.pk).exists():
        errors["handler"] = [str(NOT_FOUND)]
    if errors:
        raise ValidationError(errors)
    assert procedure is not None and isinstance(opened_on, datetime.date)
    version = selectors.version_in_force(procedure, opened_on)
    assert version is not None
    calendar = WorkingCalendar()
    steps = [CaseStep(step=step, position=step.position)
             for step in version.steps.order_by("position")]
    _plan(calendar, steps, opened_on)
    case = Case(unit=unit, procedure_version=version, reference=reference.strip()[:60],
                subject=subject.strip()[:500], applicant=(applicant or "").strip()[:300],
                opened_on=opened_on, due_date=steps[-1].due_date,
                recorded_elsewhere=recorded_elsewhere)
    try:
        with transaction.atomic():
            _save(case, actor)
    except IntegrityError as error:  # two people took the same reference at once
        raise ValidationError({"reference": [
            _("This unit already has a case with this reference.")]}) from error
    for case_step in steps:
        case_step.case = case
    CaseStep.objects.bulk_create(steps)
    first = steps[0]
    first.start(by=actor, on=opened_on, handler=handler)
    _save(first, actor)
    _tell_handler(actor, case, first)
    return case


def _tell_handler(actor: Any, case: Case, case_step: CaseStep) -> None:
    if case_step.handler_id:
        upkeep.happened(upkeep.Event.CASE_HANDED_OVER, recipients=[case_step.handler_id],
                        occasion=f"case:{case.pk}:{case_step.position}", actor=actor,
                        subject=f"{case.reference} {case.subject}",
                        link=reverse("procedures:case", args=[case.pk]))


def _lock(case: Case, expected_version: int) -> None:
    claim_version(case, expected_version)


@transaction.atomic
def hand_over(*, actor: Any, case: Case, expected_version: int, to: Any = None,
              note: str = "", on: datetime.date | None = None) -> Case:
    """The step in hand is done: it is handed over to `to`, who receives the next step (or the
    case is closed after its last step). Who hands over holds at least the step's role."""
    step = selectors.active_step(case)
    require_role(actor, case.unit, step.step.role if step else Role.OFFICER)
    today = _today()
    on = today if on is None else on
    if step is None:
        raise ValidationError(_("This case has no step in hand."), code="state")
    following = list(case.steps.filter(position__gt=step.position)
                     .select_related("step").order_by("position"))
    errors = {}
    if step.started_on and on < step.started_on or on > today:
        errors["on"] = [_("The hand-over day lies between the day the step was received "
                          "and today.")]
    if following and to is None:
        errors["to"] = [_("Choose who receives the next step.")]
    elif following and not selectors.handover_choices(
            case.unit, following[0].step.role).filter(pk=to.pk).exists():
        errors["to"] = [str(NOT_FOUND)]
    if errors:
        raise ValidationError(errors)
    _lock(case, expected_version)
    _advance(actor, case, step, following, to, note, on, WorkingCalendar())
    return case


def _advance(actor: Any, case: Case, step: CaseStep, following: list[CaseStep], to: Any,
             note: str, on: datetime.date, calendar: WorkingCalendar,
             recount: bool = True) -> None:
    try:
        step.hand_over(by=actor, on=on, at=timezone.now(), description=note[:500] or None,
                       working_days=calendar.between(step.started_on or on, on))
        if following:
            case.advance(by=actor)
        else:
            case.close(by=actor, on=on)
    except TransitionNotAllowed as error:
        raise _refused(error, case) from error
    step.note = note[:500]
    _save(step, actor)
    if following:
        following[0].start(by=actor, on=on, handler=to)
        _plan(calendar, following, on)
        for case_step in following:
            _save(case_step, actor)
        _tell_handler(actor, case, following[0])
    _save(case, actor)
    if recount:
        rollups.recount(case.unit_id, [on])


@transaction.atomic
def suspend_case(*, actor: Any, case: Case, expected_version: int, reason: str,
                 on: datetime.date | None = None) -> Case:
    """Stop the clock (waiting for the applicant's papers, another body's opinion, …)."""
    require_role(actor, case.unit, Role.OFFICER)
    on = _today() if on is None else on
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the clock stops.")]})
    if on > _today() or on < case.opened_on:
        raise ValidationError({"on": [_("The suspension starts between the day the case was "
                                        "received and today.")]})
    _lock(case, expected_version)
    try:
        case.suspend(by=actor, on=on, description=reason.strip()[:500])
    except TransitionNotAllowed as error:
        raise _refused(error, case) from error
    _save(case, actor)
    _save(ClockChange(case=case, kind=ClockKind.SUSPENSION, reason=reason.strip()[:500],
                      started_on=on, by=actor if actor.pk else None), actor)
    return case


@transaction.atomic
def resume_case(*, actor: Any, case: Case, expected_version: int,
                on: datetime.date | None = None) -> Case:
    """Restart the clock: every deadline still ahead moves by the working days suspended."""
    require_role(actor, case.unit, Role.OFFICER)
    on = _today() if on is None else on
    suspension = case.clock_changes.filter(kind=ClockKind.SUSPENSION,
                                           ended_on__isnull=True).last()
    if suspension and (on < suspension.started_on or on > _today()):
        raise ValidationError({"on": [_("The clock restarts between the day it stopped and "
                                        "today.")]})
    _lock(case, expected_version)
    try:
        case.resume(by=actor)
    except TransitionNotAllowed as error:
        raise _refused(error, case) from error
    assert suspension is not None
    calendar = WorkingCalendar()
    days = calendar.from_to(suspension.started_on, on)
    suspension.ended_on, suspension.working_days = on, days
    _save(suspension, actor)
    _push(actor, case, days, calendar)
    return case


def _push(actor: Any, case: Case, days: int, calendar: WorkingCalendar) -> None:
    for case_step in case.steps.exclude(state=StepState.DONE):
        case_step.due_date = calendar.add(case_step.due_date, days)
        _save(case_step, actor)
    case.due_date = calendar.add(case.due_date, days)
    _save(case, actor)


@transaction.atomic
def extend_case(*, actor: Any, case: Case, expected_version: int, reason: str,
                days: int) -> Case:
    """A manager gives an open case more working days: the step in hand and every one after
    it, and the case, are due that much later."""
    require_role(actor, case.unit, Role.MANAGER)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the case needs more time.")]
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_STEP_DAYS:
        errors["days"] = [_("Give a whole number of working days from 1 to %(most)d.")
                          % {"most": MAX_STEP_DAYS}]
    if errors:
        raise ValidationError(errors)
    _lock(case, expected_version)
    try:
        case.extend(by=actor, description=reason.strip()[:500])
    except TransitionNotAllowed as error:
        raise _refused(error, case) from error
    _save(ClockChange(case=case, kind=ClockKind.EXTENSION, reason=reason.strip()[:500],
                      started_on=_today(), working_days=days,
                      by=actor if actor.pk else None), actor)
    _push(actor, case, days, WorkingCalendar())
    return case


# --- Cases handled in another system ---------------------------------------------------------

@transaction.atomic
def record_case(*, actor: Any, unit: Unit, procedure: Procedure | None, reference: str,
                subject: str, opened_on: datetime.date | None, applicant: str = "",
                steps_done_on: Sequence[datetime.date] = ()) -> tuple[Case, str]:
    """A case from a system that already handles it: created (or found by its reference) and
    brought to where that system is, each date in `steps_done_on` the hand-over of the next
    step. Dates already recorded must agree. Returns the case and "created", "updated" or
    "unchanged"."""
    require_role(actor, unit, Role.OFFICER)
    existing = Case.objects.filter(unit=unit, reference=(reference or "").strip()).first()
    created = existing is None
    case: Case
    if existing is None:
        case = open_case(actor=actor, unit=unit, procedure=procedure, reference=reference,
                         subject=subject, applicant=applicant, opened_on=opened_on,
                         recorded_elsewhere=True)
    else:
        case = existing
        if procedure is None or case.procedure_version.procedure_id != procedure.pk:
            raise ValidationError({"procedure": [
                _("This case runs on another procedure.")]})
    steps = list(case.steps.select_related("step").order_by("position"))
    done = [s.done_on for s in steps if s.state == StepState.DONE]
    dates = list(steps_done_on)
    errors = []
    if dates[:len(done)] != done[:len(dates)] or len(dates) < len(done):
        errors.append(_("The dates of the steps already recorded differ from these."))
    if len(dates) > len(steps):
        errors.append(_("The procedure has %(count)d steps; more dates were given.")
                      % {"count": len(steps)})
    previous = case.opened_on
    for day in dates:
        if not isinstance(day, datetime.date) or day < previous or day > _today():
            errors.append(_("Each step is handed over on or after the one before, and not "
                            "after today."))
            break
        previous = day
    if errors:
        raise ValidationError({"steps_done_on": errors})
    calendar = WorkingCalendar()
    new = dates[len(done):]
    for day in new:
        active = next(s for s in steps if s.state == StepState.ACTIVE)
        following = [s for s in steps if s.position > active.position]
        _advance(actor, case, active, following, None, "", day, calendar, recount=False)
    rollups.recount(case.unit_id, new)  # once for the months these hand-overs fall in
    return case, "created" if created else "updated" if new else "unchanged"


# --- Reminders -------------------------------------------------------------------------------

def remind_late_steps(today: datetime.date | None = None) -> int:
    """Tell the handlers of late steps (once per step and due date), and after
    ESCALATE_AFTER_DAYS working days the managers of the case's unit. Returns how many steps
    were told of."""
    today = _today() if today is None else today
    calendar = WorkingCalendar()
    late = (CaseStep.objects.filter(state=StepState.ACTIVE, due_date__lt=today,
                                    case__state=CaseState.OPEN)
            .select_related("case"))
    told = 0
    managers: dict[int, list[int]] = {}
    for case_step in late.iterator():
        case = case_step.case
        days = calendar.between(case_step.due_date, today)
        subject = f"{case.reference} {case.subject}"
        link = reverse("procedures:case", args=[case.pk])
        occasion = f"case:{case.pk}:{case_step.position}:{case_step.due_date}"
        with transaction.atomic():
            upkeep.happened(upkeep.Event.CASE_STEP_LATE, recipients=[case_step.handler_id],
                            occasion=occasion, subject=subject, link=link)
            if days >= ESCALATE_AFTER_DAYS:
                if case.unit_id not in managers:
                    managers[case.unit_id] = list(Membership.objects.filter(
                        unit_id=case.unit_id,
                        role__in=[r for r in Role.values
                                  if ROLE_RANK[r] >= ROLE_RANK[Role.MANAGER]])
                        .values_list("user_id", flat=True))
                upkeep.happened(upkeep.Event.CASE_STEP_ESCALATED,
                                recipients=managers[case.unit_id], occasion=occasion,
                                subject=subject, link=link)
        told += 1
    return told



# --- Nonconformities and corrective actions --------------------------------------------------

def _transition(nonconformity: Nonconformity, name: str, **kwargs: Any) -> None:
    method = getattr(nonconformity, name)
    if not can_proceed(method):
        raise ValidationError(_("This cannot be done while the nonconformity is “%(state)s”.")
                              % {"state": nonconformity.get_state_display()}, code="state")
    method(**kwargs)


@transaction.atomic
def raise_nonconformity(*, actor: Any, unit: Unit, description: str, clause: str = "",
                        procedure: Procedure | None = None,
                        case: Case | None = None) -> Nonconformity:
    """An officer records something that did not conform, from a case, a procedure or on its
    own (an audit finding, a record missing)."""
    require_role(actor, unit, Role.OFFICER)
    errors = {}
    if not (description or "").strip():
        errors["description"] = [_("Say what did not conform.")]
    if procedure is not None and not selectors.procedures_for_unit(unit).filter(
            pk=procedure.pk).exists():
        errors["procedure"] = [str(NOT_FOUND)]
    if case is not None and case.unit_id != unit.pk:
        errors["case"] = [str(NOT_FOUND)]
    if errors:
        raise ValidationError(errors)
    if case is not None and procedure is None:
        procedure = case.procedure_version.procedure
    return _save(Nonconformity(unit=unit, description=description.strip(),
                               clause=(clause or "").strip()[:20], procedure=procedure,
                               case=case, raised_by=actor, raised_on=_today()), actor)


@transaction.atomic
def analyse_nonconformity(*, actor: Any, nonconformity: Nonconformity, expected_version: int,
                          root_cause: str, severity: str) -> Nonconformity:
    require_role(actor, nonconformity.unit, Role.OFFICER)
    errors = {}
    if not (root_cause or "").strip():
        errors["root_cause"] = [_("Say what caused it.")]
    if severity not in Severity.values:
        errors["severity"] = [_("Choose how severe it is.")]
    if errors:
        raise ValidationError(errors)
    claim_version(nonconformity, expected_version)
    _transition(nonconformity, "analyse", by=actor)
    nonconformity.root_cause, nonconformity.severity = root_cause.strip(), severity
    return _save(nonconformity, actor)


@transaction.atomic
def add_corrective_action(*, actor: Any, nonconformity: Nonconformity, title: str,
                          owner: Any, deadline: datetime.date, expected_result: str,
                          program: Any = None) -> CorrectiveAction:
    """A manager proposes a corrective action: a draft six-clears task of the unit, approved
    by the manager, issued when the plan is approved; `program`, the unit's plan it comes
    under (its quality plan), when there is one."""
    require_role(actor, nonconformity.unit, Role.MANAGER)
    _transition(nonconformity, "propose_action", by=actor, description=title[:500] or None)
    _save(nonconformity, actor)
    task = task_services.create_task(
        actor=actor, unit=nonconformity.unit, title=title, owner=owner, deadline=deadline,
        start_date=_today(), expected_result=expected_result, lead_unit=nonconformity.unit,
        authority=actor, program=program,
        description=_("Corrective action for the nonconformity: %(description)s")
        % {"description": nonconformity.description[:1000]})
    return _save(CorrectiveAction(nonconformity=nonconformity, task=task), actor)


@transaction.atomic
def submit_plan(*, actor: Any, nonconformity: Nonconformity,
                expected_version: int) -> Nonconformity:
    require_role(actor, nonconformity.unit, Role.OFFICER)
    claim_version(nonconformity, expected_version)
    _transition(nonconformity, "submit_plan", by=actor)
    return _save(nonconformity, actor)


@transaction.atomic
def review_plan(*, actor: Any, nonconformity: Nonconformity, expected_version: int,
                approve: bool, comment: str = "") -> Nonconformity:
    """A manager approves the plan, which issues every corrective action through the
    six-clears gate (a gap refuses it, naming the clear), or returns it."""
    require_role(actor, nonconformity.unit, Role.MANAGER)
    claim_version(nonconformity, expected_version)
    if approve:
        _transition(nonconformity, "approve_plan", by=actor, description=comment or None)
        for action in nonconformity.actions.select_related("task"):
            task_services.issue_task(actor=actor, task=action.task,
                                     expected_version=action.task.version)
    else:
        _transition(nonconformity, "return_plan", by=actor, description=comment or None)
    return _save(nonconformity, actor)


@transaction.atomic
def close_nonconformity(*, actor: Any, nonconformity: Nonconformity, expected_version: int,
                        effectiveness: str) -> Nonconformity:
    """A manager closes it once every corrective action is done and says how their
    effectiveness was checked."""
    require_role(actor, nonconformity.unit, Role.MANAGER)
    if not (effectiveness or "").strip():
        raise ValidationError({"effectiveness": [
            _("Say how the actions' effectiveness was checked.")]})
    claim_version(nonconformity, expected_version)
    if not nonconformity.actions_done():
        raise ValidationError(_("Every corrective action must be done first."), code="state")
    _transition(nonconformity, "close", by=actor, on=_today())
    nonconformity.effectiveness = effectiveness.strip()
    return _save(nonconformity, actor)


# --- Internal audits ---------------------------------------------------------------------------

@transaction.atomic
def plan_audit(*, actor: Any, unit: Unit, year: int, title: str, auditor: Any,
               planned_on: datetime.date, checks: Sequence[Mapping[str, Any]],
               scope: str = "") -> InternalAudit:
    """A manager plans an internal audit: who audits, when, and its checklist (a clause, a
    procedure of the unit or from above, what is checked)."""
    require_role(actor, unit, Role.MANAGER)
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("Give the audit a title.")]
    if auditor is None or not selectors.handover_choices(unit).filter(pk=auditor.pk).exists():
        errors["auditor"] = [str(NOT_FOUND)]
    usable = set(selectors.procedures_for_unit(unit).values_list("pk", flat=True))
    if not checks:
        errors["checks"] = [_("An audit checks at least one item.")]
    for number, check in enumerate(checks, start=1):
        if not str(check.get("criterion") or "").strip():
            errors.setdefault("checks", []).append(
                _("Item %(number)d: say what is checked.") % {"number": number})
        procedure = check.get("procedure")
        if procedure is not None and procedure.pk not in usable:
            errors.setdefault("checks", []).append(
                _("Item %(number)d: no such procedure here.") % {"number": number})
    if errors:
        raise ValidationError(errors)
    audit = _save(InternalAudit(unit=unit, year=year, title=title.strip()[:300],
                                auditor=auditor, planned_on=planned_on,
                                scope=(scope or "").strip()), actor)
    for number, check in enumerate(checks, start=1):
        _save(AuditCheck(audit=audit, position=number,
                         clause=str(check.get("clause") or "").strip()[:20],
                         procedure=check.get("procedure"),
                         criterion=str(check["criterion"]).strip()[:500]), actor)
    return audit


def _require_auditor(actor: Any, audit: InternalAudit) -> None:
    if actor.pk != audit.auditor_id:
        require_role(actor, audit.unit, Role.MANAGER)


@transaction.atomic
def record_check(*, actor: Any, check: AuditCheck, result: str, note: str = "") -> AuditCheck:
    """The auditor (or a manager) enters an item's result; an item that does not conform
    raises a nonconformity, linked to it, with the auditor's finding."""
    audit = check.audit
    _require_auditor(actor, audit)
    errors = {}
    if result not in CheckResult.values:
        errors["result"] = [_("Choose a result.")]
    if result in (CheckResult.NONCONFORMS, CheckResult.OBSERVATION) and not note.strip():
        errors["note"] = [_("Write down the finding.")]
    if errors:
        raise ValidationError(errors)
    _transition_audit(audit, "record", by=actor)
    _save(audit, actor)
    check.result, check.note = result, note.strip()
    if result == CheckResult.NONCONFORMS and check.nonconformity_id is None:
        check.nonconformity = _save(Nonconformity(
            unit=audit.unit, procedure=check.procedure, clause=check.clause,
            description=check.note, raised_by=actor, raised_on=_today()), actor)
    return _save(check, actor)


def _transition_audit(audit: InternalAudit, name: str, **kwargs: Any) -> None:
    method = getattr(audit, name)
    if not can_proceed(method):
        raise ValidationError(_("This cannot be done while the audit is “%(state)s”.")
                              % {"state": audit.get_state_display()}, code="state")
    method(**kwargs)


@transaction.atomic
def report_audit(*, actor: Any, audit: InternalAudit, expected_version: int,
                 conclusion: str) -> InternalAudit:
    _require_auditor(actor, audit)
    if not (conclusion or "").strip():
        raise ValidationError({"conclusion": [_("Write the audit's conclusion.")]})
    if not audit.all_checked():
        raise ValidationError(_("Every checklist item needs its result first."), code="state")
    claim_version(audit, expected_version)
    _transition_audit(audit, "report", by=actor)
    audit.conclusion = conclusion.strip()
    return _save(audit, actor)


# --- Management review -------------------------------------------------------------------------

def review_inputs(unit: Unit, year: int) -> str:
    """The review's inputs, in the reader's language, from the yearly evaluation."""
    found = selectors.yearly_evaluation(unit, year)
    lines = [_("Inputs compiled by Sixclear for %(year)d:") % {"year": year}]
    for procedure, cases, steps in found.by_procedure:
        lines.append(_("- %(code)s %(name)s: %(on_time)d of %(done)d cases closed on time, "
                       "%(steps_on_time)d of %(steps)d steps on time.") % {
            "code": procedure.code, "name": procedure.name, "on_time": cases.on_time,
            "done": cases.done, "steps_on_time": steps.on_time, "steps": steps.done})
        for target in found.objectives.get(procedure.pk, []):
            health = getattr(target, "health", None)
            lines.append(_("  objective %(code)s %(name)s: %(status)s") % {
                "code": target.code, "name": target.name,
                "status": health.get_status_display() if health else "—"})
    lines.append(_("- Nonconformities raised: %(count)d; corrective actions done: %(done)d, "
                   "late: %(late)d.") % {
        "count": sum(found.nonconformities.values()),
        "done": found.actions.get("done", 0), "late": found.actions.get("late", 0)})
    lines.append(_("- Steps late: %(count)d (handed over after their due date, or still in "
                   "hand past it).") % {"count": found.late_step_count})
    lines.append(_("- Internal audits: %(count)d; checklist items that did not conform: "
                   "%(nonconforms)d.") % {
        "count": len(found.audits),
        "nonconforms": sum(item.results.get("nonconforms", 0) for item in found.audits)})
    risks = found.risks
    lines.append(_("- Open risks: %(stuck)d steps in hand past their due date, %(open)d "
                   "nonconformities open (%(major)d major), %(late)d corrective actions late, "
                   "%(objectives)d quality objectives behind or off their path.") % {
        "stuck": risks.stuck_steps, "open": risks.open_nonconformities,
        "major": risks.open_major, "late": risks.late_actions,
        "objectives": len(risks.objectives_off_path)})
    return "\n".join(lines)


@transaction.atomic
def propose_review(*, actor: Any, unit: Unit, year: int) -> ManagementReview:
    """A manager opens the year's review record, its inputs compiled from what is recorded
    (the one already there, when there is one)."""
    require_role(actor, unit, Role.MANAGER)
    existing = ManagementReview.objects.filter(unit=unit, year=year).first()
    if existing is not None:
        return existing
    return _save(ManagementReview(unit=unit, year=year, inputs=review_inputs(unit, year)),
                 actor)


def _transition_review(review: ManagementReview, name: str, **kwargs: Any) -> None:
    method = getattr(review, name)
    if not can_proceed(method):
        raise ValidationError(_("This cannot be done while the review is “%(state)s”.")
                              % {"state": review.get_state_display()}, code="state")
    method(**kwargs)


@transaction.atomic
def update_review(*, actor: Any, review: ManagementReview, expected_version: int,
                  held_on: datetime.date | None, decisions: str) -> ManagementReview:
    require_role(actor, review.unit, Role.MANAGER)
    if held_on is not None and held_on > _today():
        raise ValidationError({"held_on": [_("A review is recorded once it is held.")]})
    claim_version(review, expected_version)
    _transition_review(review, "edit", by=actor)
    review.held_on, review.decisions = held_on, (decisions or "").strip()
    return _save(review, actor)


@transaction.atomic
def approve_review(*, actor: Any, review: ManagementReview,
                   expected_version: int) -> ManagementReview:
    """A leader approves the record once it is held and its decisions are written."""
    require_role(actor, review.unit, Role.LEADER)
    errors = {}
    if review.held_on is None:
        errors["held_on"] = [_("Give the day the review was held.")]
    if not review.decisions.strip():
        errors["decisions"] = [_("Write the review's decisions and actions.")]
    if errors:
        raise ValidationError(errors)
    claim_version(review, expected_version)
    _transition_review(review, "approve", by=actor)
    return _save(review, actor)
