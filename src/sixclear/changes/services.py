"""Changes to commitments that need authority: asked for with a reason, decided by the
authority, applied with the original values kept."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sixclear import upkeep
from sixclear.orgs.models import Membership, Role
from sixclear.orgs.selectors import has_role
from sixclear.plans.models import Target
from sixclear.plans.rules import figure_errors, may_rebaseline
from sixclear.plans.services import apply_rebaselining
from sixclear.references import NOT_FOUND
from sixclear.tracking.models import SIX_CLEAR_LABELS, Task, TaskState
from sixclear.tracking.rules import TaskRules, holds_authority, owners_for
from sixclear.tracking.services import apply_decided_change
from sixclear.versioning import claim_version

from .models import CHANGEABLE_FIELDS, ChangeKind, ChangeRequest, ChangeStatus

DECIMAL_FIELDS = {"baseline_value", "target_value", "annual_rate", "annual_rate_high"}
YEAR_FIELDS = {"baseline_year", "target_year"}


def _subject(change: ChangeRequest) -> Any:
    return change.task if change.task_id else change.target


def _as_json(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "owner":
        return value.pk if hasattr(value, "pk") else int(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _parsed(name: str, raw: Any) -> Any:
    """A proposed value from its JSON form, or a ValidationError naming the field."""
    if raw in (None, ""):
        if name in ("annual_rate_high", "target_value", "annual_rate"):
            return None
        raise ValidationError({name: _("This value is required.")})
    try:
        if name == "deadline":
            return datetime.date.fromisoformat(str(raw))
        if name in DECIMAL_FIELDS:
            return Decimal(str(raw))
        if name in YEAR_FIELDS:
            return int(raw)
    except (ValueError, InvalidOperation) as error:
        raise ValidationError({name: _("This value is not valid.")}) from error
    return str(raw).strip()


def _owner(task: Any, raw: Any) -> Any:
    """The proposed owner among those the task may have; any other id is "not found"."""
    try:
        return owners_for(task.lead_unit or task.unit).get(pk=int(raw))
    except (TypeError, ValueError, get_user_model().DoesNotExist) as error:
        raise ValidationError({"owner": NOT_FOUND}) from error


def _check_task_change(task: Task, values: Mapping[str, Any]) -> None:
    candidate = _copy(task)
    for name, value in values.items():
        setattr(candidate, name, value)
    errors = TaskRules(actor=None, unit=task.unit).field_errors(candidate)
    missing = set(candidate.missing_clears()) - set(task.missing_clears())
    errors.update({key: SIX_CLEAR_LABELS[key] for key in missing})
    if errors:
        raise ValidationError(errors)


def _check_target_change(target: Target, values: Mapping[str, Any]) -> None:
    candidate = _copy(target)
    for name, value in values.items():
        setattr(candidate, name, value)
    errors = figure_errors(candidate)
    if errors:
        raise ValidationError(errors)


def _copy(row: Any) -> Any:
    """An unsaved copy of a row's own fields, to try proposed values on."""
    return type(row)(**{f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields})


def may_request(user: Any, subject: Task | Target) -> bool:
    """A task's owner or a target's responsible person, or a manager over its unit."""
    if hasattr(subject, "owner_id"):
        return subject.owner_id == user.pk or has_role(user, subject.unit, Role.MANAGER)
    return subject.responsible_person_id == user.pk or has_role(user, subject.unit, Role.MANAGER)


def may_decide(user: Any, change: ChangeRequest) -> bool:
    """The task's approving person, else the leaders over the task's or target's unit."""
    if change.requested_by_id == user.pk:
        return False
    subject = _subject(change)
    if change.task_id:
        return holds_authority(user, subject)
    return may_rebaseline(user, subject)


def _deciders(change: ChangeRequest) -> list[int]:
    subject = _subject(change)
    if change.task_id and subject.authority_id:
        return [subject.authority_id]
    return list(Membership.objects.filter(unit=subject.unit, role=Role.LEADER)
                .values_list("user_id", flat=True))


def _notify(change: ChangeRequest, recipients: Iterable[int], kind: upkeep.Event,
            actor: Any) -> None:
    """Through the upkeep port, like every write's event: notifications, and e-mail at once
    for those who chose it."""
    upkeep.happened(kind, recipients=recipients, actor=actor, task=change.task,
                    target=change.target, occasion=f"change:{change.pk}")


@transaction.atomic
def request_change(*, actor: Any, kind: str, proposed: Mapping[str, Any], reason: str,
                   task: Task | None = None, target: Target | None = None) -> ChangeRequest:
    """Ask the authority to change a deadline, result, owner or a target's baseline."""
    subject: Any = task or target
    if (task is None) == (target is None):
        raise ValidationError(_("A change is asked for one task or one target."))
    if kind not in CHANGEABLE_FIELDS or (kind == ChangeKind.REBASELINE) != (target is not None):
        raise ValidationError({"kind": _("This change does not apply here.")})
    if not may_request(actor, subject):
        raise PermissionDenied(_("You cannot ask for changes to this item."))
    if task is not None and task.state != TaskState.ISSUED:
        raise ValidationError(_("Changes are asked for issued tasks; a draft is edited directly "
                                "and a finished task is not changed."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the change is needed.")})
    fields = CHANGEABLE_FIELDS[kind]  # type: ignore[index]  # a ChangeKind's value finds it
    values = {name: (_owner(task, proposed[name]) if name == "owner"
                     else _parsed(name, proposed.get(name)))
              for name in fields if name in proposed}
    if not values:
        raise ValidationError(_("Say what the new value should be."))
    (_check_task_change if task else _check_target_change)(subject, values)
    if ChangeRequest.objects.filter(task=task, target=target, kind=kind,
                                    status=ChangeStatus.PENDING).exists():
        raise ValidationError(_("A change of this kind already waits for a decision."))
    change = ChangeRequest(
        kind=kind, task=task, target=target, reason=reason.strip(), requested_by=actor,
        original={name: _as_json(name, getattr(subject, name)) for name in fields},
        proposed={name: _as_json(name, value) for name, value in values.items()},
    )
    change._history_user = actor  # type: ignore[attr-defined]  # django-simple-history
    change.save()
    _notify(change, _deciders(change), upkeep.Event.CHANGE_REQUESTED, actor)
    return change


def _apply(change: ChangeRequest, actor: Any) -> None:
    """Through the task's or target's own service: the same rules as any edit, then statuses
    and rollups through the upkeep port."""
    reason = _("Change request %(number)s approved") % {"number": change.pk}
    subject = _subject(change)
    if change.task_id:
        values = {name: (_owner(subject, raw) if name == "owner" else _parsed(name, raw))
                  for name, raw in change.proposed.items()}
        apply_decided_change(actor=actor, task=subject, values=values, reason=reason)
    else:
        values = {name: _parsed(name, raw) for name, raw in change.proposed.items()}
        apply_rebaselining(actor=actor, target=subject, values=values, reason=reason)


@transaction.atomic
def decide_change(*, actor: Any, change: ChangeRequest, expected_version: int, approve: bool,
                  comment: str = "") -> ChangeRequest:
    """The authority approves (the change is applied) or rejects (with a reason)."""
    if not may_decide(actor, change):
        raise PermissionDenied(_("Only the approving authority can decide this change."))
    if change.status != ChangeStatus.PENDING:
        raise ValidationError(_("This change has already been decided."))
    if not approve and not (comment or "").strip():
        raise ValidationError({"comment": _("Say why the change is rejected.")})
    claim_version(change, expected_version)
    change.status = ChangeStatus.APPROVED if approve else ChangeStatus.REJECTED
    change.decided_by, change.decided_at = actor, timezone.now()
    change.decision_comment = (comment or "").strip()
    change._history_user = actor  # type: ignore[attr-defined]  # django-simple-history
    change.save()
    if approve:
        _apply(change, actor)
    _notify(change, [change.requested_by_id],
            upkeep.Event.CHANGE_APPROVED if approve else upkeep.Event.CHANGE_REJECTED, actor)
    return change
