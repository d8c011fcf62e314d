"""Asking for a change that needs authority, and deciding it, from the task, target and
approvals pages. Thin: parse, fetch through the visible_* selectors, call the service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sixclear.changes import selectors, services
from sixclear.changes.forms import DecisionForm, RebaselineForm, TaskChangeForm
from sixclear.changes.models import ChangeKind, ChangeStatus
from sixclear.tracking import selectors as tracking
from sixclear.tracking.rules import owners_for

from .approvals import approvals_page
from .targets import render_target_page
from .tasks import render_task_page

FROM_APPROVALS = "approvals"


@login_required
@require_POST
def request_task_change(request, pk):
    task = get_object_or_404(tracking.tasks_for_page(request.user), pk=pk)
    owners = owners_for(task.lead_unit or task.unit)
    form = TaskChangeForm(request.POST, owners=owners)
    if form.is_valid():
        try:
            services.request_change(actor=request.user, task=task, kind=form.cleaned_data["kind"],
                                    proposed=form.proposed(), reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Your request was sent to the approving authority."))
            return redirect("tracking:task", pk=task.pk)
    return render_task_page(request, task, change_form=form)


@login_required
@require_POST
def request_target_change(request, pk):
    target = get_object_or_404(tracking.targets_for_page(request.user), pk=pk)
    form = RebaselineForm(request.POST, target=target)
    if form.is_valid():
        try:
            services.request_change(actor=request.user, target=target,
                                    kind=ChangeKind.REBASELINE, proposed=form.proposed(),
                                    reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Your request was sent to the leaders who decide."))
            return redirect("plans:target", pk=target.pk)
    return render_target_page(request, target, change_form=form)


@login_required
@require_POST
def decide_change(request, pk):
    """Approve or reject; a stale or already decided request comes back with a clear message."""
    change = get_object_or_404(selectors.visible_change_requests(request.user), pk=pk)
    form = DecisionForm(request.POST, prefix=f"change-{change.pk}")
    if form.is_valid():
        try:
            services.decide_change(actor=request.user, change=change,
                                   expected_version=form.cleaned_data["version"],
                                   approve=form.approve, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The change was approved and applied.") if form.approve
                             else _("The change was rejected."))
            return _back(request, change)
    change.refresh_from_db()
    if change.status != ChangeStatus.PENDING:  # someone decided it meanwhile
        decider = change.decided_by
        messages.error(request, _(
            "%(name)s decided this change first (%(decision)s); your decision was not recorded."
        ) % {"name": decider.get_full_name() or decider.get_username() if decider else "—",
             "decision": change.get_status_display().lower()})
        return _back(request, change)
    failed = (change.pk, form)
    if request.POST.get("origin") == FROM_APPROVALS:
        return approvals_page(request, failed_change=failed)
    if change.task_id:
        task = get_object_or_404(tracking.tasks_for_page(request.user), pk=change.task_id)
        return render_task_page(request, task, failed_decision=failed)
    target = get_object_or_404(tracking.targets_for_page(request.user), pk=change.target_id)
    return render_target_page(request, target, failed_decision=failed)


def _back(request, change):
    if request.POST.get("origin") == FROM_APPROVALS:
        return redirect("tracking:approvals")
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    if change.task_id:
        return redirect("tracking:task", pk=change.task_id)
    return redirect("plans:target", pk=change.target_id)
