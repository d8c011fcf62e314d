"""Changes to commitments that need authority: asked for with a reason, decided by the
authority, applied with the original values kept."""

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sixclear.monitoring.models import Notification, NotificationKind
from sixclear.orgs.models import Membership, Role
from sixclear.orgs.selectors import has_role
from sixclear.plans.models import target_field_errors
from sixclear.plans.services import store_trajectory
from sixclear.tracking.models import TaskState
from sixclear.versioning import claim_version

from .models import CHANGEABLE_FIELDS, ChangeKind, ChangeRequest, ChangeStatus

DECIMAL_FIELDS = {"baseline_value", "target_value", "annual_rate", "annual_rate_high"}
YEAR_FIELDS = {"baseline_year", "target_year"}


def _subject(change):
    return change.task if change.task_id else change.target


def _as_json(name, value):
    if value is None:
        return None
    if name == "owner":
        return value.pk if hasattr(value, "pk") else int(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _parsed(name, raw):
    """A proposed value from its JSON form, or a ValidationError naming the field."""
    if raw in (None, ""):
        if name in ("annual_rate_high", "target_value", "annual_rate"):
            return None
        raise ValidationError({name: _("This value is required.")})
    try:
        if name == "deadline":
            return datetime.date.fromisoformat(str(raw))
        if name == "owner":
            return get_user_model().objects.get(pk=int(raw))
        if name in DECIMAL_FIELDS:
            return Decimal(str(raw))
        if name in YEAR_FIELDS:
            return int(raw)
    except (ValueError, InvalidOperation, get_user_model().DoesNotExist) as error:
        raise ValidationError({name: _("This value is not valid.")}) from error
    return str(raw).strip()


def _check_task_change(task, values):
    deadline = values.get("deadline")
    if deadline and task.start_date and deadline < task.start_date:
        raise ValidationError({"deadline": _("The deadline cannot be before the start date.")})
    if "expected_result" in values and not values["expected_result"]:
        raise ValidationError({"expected_result": _("State the expected result.")})
    owner = values.get("owner")
    if owner and not has_role(owner, task.lead_unit or task.unit, Role.OFFICER):
        raise ValidationError({"owner": _("%(person)s has no officer role in %(unit)s.") % {
            "person": owner.get_full_name() or owner.username,
            "unit": (task.lead_unit or task.unit).name}})


def _check_target_change(target, values):
    candidate = type(target)(**{f.attname: getattr(target, f.attname)
                                for f in target._meta.concrete_fields})
    for name, value in values.items():
        setattr(candidate, name, value)
    errors = target_field_errors(candidate)
    if errors:
        raise ValidationError(errors)


def may_request(user, subject):
    """A task's owner or a target's responsible person, or a manager over its unit."""
    if hasattr(subject, "owner_id"):
        return subject.owner_id == user.pk or has_role(user, subject.unit, Role.MANAGER)
    return subject.responsible_person_id == user.pk or has_role(user, subject.unit, Role.MANAGER)


def may_decide(user, change):
    """The task's approving person, else the leaders over the task's or target's unit."""
    if change.requested_by_id == user.pk:
        return False
    subject = _subject(change)
    if change.task_id and subject.authority_id:
        return subject.authority_id == user.pk or user.is_superuser
    return has_role(user, subject.unit, Role.LEADER)


def _deciders(change):
    subject = _subject(change)
    if change.task_id and subject.authority_id:
        return [subject.authority_id]
    return list(Membership.objects.filter(unit=subject.unit, role=Role.LEADER)
                .values_list("user_id", flat=True))


def _notify(change, recipients, kind, event):
    Notification.objects.bulk_create(
        [Notification(recipient_id=user_id, kind=kind, task_id=change.task_id,
                      target_id=change.target_id, dedupe_key=f"change:{change.pk}:{event}")
         for user_id in recipients],
        ignore_conflicts=True,
    )


@transaction.atomic
def request_change(*, actor, kind, proposed, reason, task=None, target=None):
    """Ask the authority to change a deadline, result, owner or a target's baseline."""
    subject = task or target
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
    fields = CHANGEABLE_FIELDS[kind]
    values = {name: _parsed(name, proposed.get(name)) for name in fields if name in proposed}
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
    change._history_user = actor
    change.save()
    _notify(change, _deciders(change), NotificationKind.CHANGE_REQUESTED, "requested")
    return change


def _apply(change, actor):
    subject = type(_subject(change)).objects.select_for_update().get(pk=_subject(change).pk)
    for name, raw in change.proposed.items():
        setattr(subject, name, _parsed(name, raw))
    claim_version(subject, subject.version)
    subject._history_user = actor
    subject._change_reason = _("Change request %(number)s approved") % {"number": change.pk}
    subject.save()
    # Statuses and dashboard rollups follow the change in the same transaction.
    from sixclear.dashboards.upkeep import after_target_change, after_task_change

    if change.target_id:
        store_trajectory(subject)
        after_target_change(subject)
    else:
        after_task_change(subject, months=True)


@transaction.atomic
def decide_change(*, actor, change, expected_version, approve, comment=""):
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
    change._history_user = actor
    change.save()
    if approve:
        _apply(change, actor)
    _notify(change, [change.requested_by_id], NotificationKind.CHANGE_DECIDED, "decided")
    return change
