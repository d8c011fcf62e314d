"""What the task, target and approvals pages show of change requests: the requests with their
values, a decision form where the person may decide, and the request form where they may ask.

The services still check every rule; these only decide what to offer.
"""

from sixclear.changes import selectors, services
from sixclear.changes.forms import DecisionForm, RebaselineForm, TaskChangeForm
from sixclear.changes.models import ChangeStatus
from sixclear.tracking.models import TaskState
from sixclear.tracking.rules import owners_for


def decision_form(change, failed=None):
    """The form to decide `change`, or the one that just failed for it (`failed`: (pk, form))."""
    if failed and failed[0] == change.pk:
        return failed[1]
    return DecisionForm(prefix=f"change-{change.pk}", initial={"version": change.version})


def _with_decisions(user, changes, failed, decidable=None):
    rows = []
    for change, values in selectors.changed_values(changes):
        may_decide = change.status == ChangeStatus.PENDING and (
            decidable if decidable is not None else services.may_decide(user, change))
        change.values = values
        change.decision_form = decision_form(change, failed) if may_decide else None
        rows.append(change)
    return rows


def task_changes(user, task, form=None, failed=None, kind=None):
    """Context for the task page: its change requests and, when allowed, the request form
    (`kind` chosen in it, e.g. "owner" to reassign the task)."""
    may_ask = services.may_request(user, task) and task.state == TaskState.ISSUED
    if may_ask and form is None:
        owners = owners_for(task.lead_unit or task.unit)
        form = TaskChangeForm(owners=owners, task=task, kind=kind)
    return {
        "change_requests": _with_decisions(
            user, selectors.change_requests_of(task=task), failed),
        "change_form": form if may_ask else None,
    }


def target_changes(user, target, form=None, failed=None):
    """Context for the target page: its re-baselining requests and, when allowed, the form."""
    may_ask = services.may_request(user, target)
    if may_ask and form is None:
        form = RebaselineForm(target=target)
    return {
        "change_requests": _with_decisions(
            user, selectors.change_requests_of(target=target), failed),
        "change_form": form if may_ask else None,
    }


def changes_to_decide(user, failed=None):
    """For the approvals inbox: every change waiting for this person's decision."""
    pending = selectors.changes_awaiting_decision(user).order_by("requested_at", "pk")
    return _with_decisions(user, pending, failed, decidable=True)
