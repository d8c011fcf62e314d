"""Importing the register and cases from a spreadsheet, all or nothing; exporting them.

Every row is read and checked first, then all of them are applied in ONE transaction through
the services (which check roles and rules again). Any error, in reading or in applying, rolls
everything back and is reported as (row, column, message).
"""

from __future__ import annotations

import datetime
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sixclear.orgs.models import Role, Unit
from sixclear.orgs.selectors import require_role

from . import selectors, services, spreadsheets
from .models import Case, Procedure, StepState
from .spreadsheets import CASE_COLUMNS, PROCEDURE_COLUMNS, date, text, whole, yes

LIST = re.compile(r"[;\n]")


@dataclass
class Outcome:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return not self.errors


class _RollBack(Exception):
    pass


def _service_errors(outcome: Outcome, number: int, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            for message in messages:
                outcome.errors.append((number, key, message))
    else:
        for message in error.messages:
            outcome.errors.append((number, "", message))


def _apply(outcome: Outcome, work: Any) -> Outcome:
    if outcome.errors:
        return outcome
    try:
        with transaction.atomic():
            work()
            if outcome.errors:
                raise _RollBack
    except _RollBack:
        outcome.created = outcome.updated = outcome.unchanged = 0
    return outcome


# --- The register ----------------------------------------------------------------------------

def import_procedures(*, actor: Any, unit: Unit, upload: Any) -> Outcome:
    """Rows of steps, grouped by procedure code and effective date: a new code registers the
    procedure, a new date adds a version; a version already there with the same steps is
    left as it is."""
    require_role(actor, unit, Role.MANAGER)
    outcome = Outcome()
    try:
        rows = spreadsheets.read_rows(upload, PROCEDURE_COLUMNS)
    except spreadsheets.FileRefused as error:
        outcome.errors.append((0, "", str(error)))
        return outcome
    groups: OrderedDict[tuple[str, datetime.date], dict[str, Any]] = OrderedDict()
    targets = {target.code: target for target in selectors.objective_choices(unit)}
    users = get_user_model().objects
    for number, values in rows:
        outcome.total += 1
        code, effective = text(values.get("code")), date(values.get("effective_from"))
        if not code:
            outcome.errors.append((number, "code", _("Give the procedure a code.")))
        if effective is None:
            outcome.errors.append((number, "effective_from",
                                   _("Write a date as YYYY-MM-DD or DD/MM/YYYY.")))
        days = whole(values.get("days"))
        if days is None:
            outcome.errors.append((number, "days", _("Write a whole number of working days.")))
        role = _role(values.get("role"))
        if role is None:
            outcome.errors.append((number, "role", _("Choose a role: %(roles)s.")
                                   % {"roles": ", ".join(str(r.label) for r in Role)}))
        if not code or effective is None:
            continue
        group = groups.setdefault((code, effective), {"row": number, "steps": [],
                                                      "values": values})
        group["steps"].append((whole(values.get("step")) or len(group["steps"]) + 1,
                               {"name": text(values.get("step_name")), "role": role,
                                "days": days, "records": text(values.get("records"))}))
    for group in groups.values():
        values, number = group["values"], group["row"]
        objectives = [c for c in (part.strip() for part in
                                  LIST.split(text(values.get("objectives")))) if c]
        unknown = [c for c in objectives if c not in targets]
        if unknown:
            outcome.errors.append((number, "objectives", _(
                "No target with the code %(codes)s here.") % {"codes": ", ".join(unknown)}))
        group["objectives"] = [targets[c] for c in objectives if c in targets]
        owner_name = text(values.get("owner"))
        group["owner"] = None
        if owner_name:
            group["owner"] = users.filter(username=owner_name).first() \
                or users.filter(email__iexact=owner_name).first()
            if group["owner"] is None:
                outcome.errors.append((number, "owner", _("No such person.")))
        group["shared"] = bool(yes(values.get("shared_below")))

    def work() -> None:
        for (code, effective), group in groups.items():
            steps = [step for _position, step in sorted(group["steps"], key=lambda s: s[0])]
            try:
                procedure = Procedure.objects.filter(unit=unit, code=code).first()
                if procedure is None:
                    services.create_procedure(
                        actor=actor, unit=unit, code=code, name=text(group["values"].get("name")),
                        owner=group["owner"], shared_below=group["shared"],
                        objectives=group["objectives"], effective_from=effective, steps=steps)
                    outcome.created += 1
                    continue
                existing = procedure.versions.filter(effective_from=effective).first()
                if existing is None:
                    services.add_version(actor=actor, procedure=procedure,
                                         effective_from=effective, steps=steps)
                    outcome.updated += 1
                elif services.same_steps(existing, steps):
                    outcome.unchanged += 1
                else:
                    outcome.errors.append((group["row"], "effective_from", _(
                        "A version in force from this day already has other steps: give the "
                        "new version a later date.")))
            except ValidationError as error:
                _service_errors(outcome, group["row"], error)
            except PermissionDenied as error:
                outcome.errors.append((group["row"], "", str(error)))

    return _apply(outcome, work)


def _role(value: Any) -> str | None:
    wanted = spreadsheets.normalize(text(value) or Role.OFFICER)
    for role in Role:
        if wanted in {role.value, spreadsheets.normalize(role.label)}:
            return role.value
    from django.conf import settings
    from django.utils import translation
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for role in Role:
                if wanted == spreadsheets.normalize(role.label):
                    return role.value
    return None


def export_procedures(unit: Unit) -> list[list[Any]]:
    rows = []
    for procedure in selectors.register(unit).filter(unit=unit):
        objectives = "; ".join(target.code for target in procedure.objectives.all())
        for version in sorted(procedure.versions.all(), key=lambda v: v.effective_from):
            for step in version.steps.all():
                rows.append([procedure.code, procedure.name,
                             procedure.owner.username if procedure.owner else "",
                             _("yes") if procedure.shared_below else _("no"), objectives,
                             version.number, version.effective_from, step.position, step.name,
                             str(step.get_role_display()), step.days, step.records])
    return rows


# --- Cases -----------------------------------------------------------------------------------

def import_cases(*, actor: Any, unit: Unit, upload: Any) -> Outcome:
    """Cases handled in another system: one row a case, with the days its steps were handed
    over. A reference already here brings that case up to date."""
    require_role(actor, unit, Role.OFFICER)
    outcome = Outcome()
    try:
        rows = spreadsheets.read_rows(upload, CASE_COLUMNS)
    except spreadsheets.FileRefused as error:
        outcome.errors.append((0, "", str(error)))
        return outcome
    procedures = {p.code: p for p in selectors.procedures_for_unit(unit)}
    parsed = []
    seen: set[str] = set()
    for number, values in rows:
        outcome.total += 1
        reference = text(values.get("reference"))
        if reference in seen:
            outcome.errors.append((number, "reference",
                                   _("This reference is on an earlier row of the file.")))
        seen.add(reference)
        code = text(values.get("procedure"))
        procedure = procedures.get(code)
        if procedure is None:
            outcome.errors.append((number, "procedure", _("No procedure with this code here.")))
        opened_on = date(values.get("opened_on"))
        if opened_on is None:
            outcome.errors.append((number, "opened_on",
                                   _("Write a date as YYYY-MM-DD or DD/MM/YYYY.")))
        done = [part.strip() for part in LIST.split(text(values.get("steps_done_on")))
                if part.strip()]
        dates = [date(part) for part in done]
        if any(day is None for day in dates):
            outcome.errors.append((number, "steps_done_on",
                                   _("Write a date as YYYY-MM-DD or DD/MM/YYYY.")))
        parsed.append((number, reference, procedure, values, opened_on, dates))

    def work() -> None:
        for number, reference, procedure, values, opened_on, dates in parsed:
            try:
                _case, status = services.record_case(
                    actor=actor, unit=unit, procedure=procedure, reference=reference,
                    subject=text(values.get("subject")), applicant=text(values.get("applicant")),
                    opened_on=opened_on, steps_done_on=dates)
            except ValidationError as error:
                _service_errors(outcome, number, error)
                continue
            except PermissionDenied as error:
                outcome.errors.append((number, "", str(error)))
                continue
            setattr(outcome, status, getattr(outcome, status) + 1)

    return _apply(outcome, work)


def export_cases(unit: Unit) -> list[list[Any]]:
    rows = []
    cases = (Case.objects.filter(unit=unit).select_related("procedure_version__procedure")
             .prefetch_related("steps").order_by("opened_on", "pk"))
    for case in cases:
        done = [step.done_on.isoformat() for step in
                sorted(case.steps.all(), key=lambda s: s.position)
                if step.state == StepState.DONE and step.done_on]
        rows.append([case.reference, case.procedure_version.procedure.code, case.subject,
                     case.applicant, case.opened_on, "; ".join(done)])
    return rows
