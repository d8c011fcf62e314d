"""The task page and what is done from it: report progress, create, edit and issue a task,
add a step and mark it done. The page shows the task's computed status (monitoring) and its
change requests (changes) beside tracking's own parts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sixclear.monitoring.selectors import task_status_reason
from sixclear.orgs.models import Role
from sixclear.orgs.selectors import reaches_unit, unit_trail, visible_units
from sixclear.tracking import selectors, services
from sixclear.tracking.forms import (
    CancelForm,
    ProgressReportForm,
    StepDoneForm,
    StepForm,
    TaskForm,
    VersionForm,
)
from sixclear.tracking.rules import parent_choices, task_reference_choices
from sixclear.versioning import StaleEdit

from .change_requests import task_changes
from .editing import save_edit


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def _task_context(request, task, **forms):
    today = timezone.localdate()
    return {
        "task": task,
        "trail": unit_trail(request.user, task.unit),
        "missing": task.missing_clears(),
        "actions": selectors.task_actions(request.user, task),
        "history": selectors.task_history(task),
        "report_form": forms.get("report_form") or ProgressReportForm(),
        "step_form": forms.get("step_form") or StepForm(),
        "status_reason": task_status_reason(task, today),
        "today": today,
        **_subtasks(request, task),
        "cancellation": selectors.cancellation(task),
        **task_changes(request.user, task, form=forms.get("change_form"),
                       failed=forms.get("failed_decision"),
                       kind=request.GET.get("change") or request.GET.get("kind")),
    }


def _subtasks(request, task):
    """The first sub-tasks, or all of them when asked (`?subtasks=all`), and how many in all."""
    limit = None if request.GET.get("subtasks") == "all" else selectors.SUBTASKS_SHOWN
    subtasks = selectors.subtasks_for_page(request.user, task, limit=limit)
    return {"subtasks": subtasks,
            "subtask_total": subtasks[0].subtask_total if subtasks else 0}


def render_task_page(request, task, **forms):
    """The task page, with any of its forms as the person filled them in."""
    return render(request, "tracking/task_detail.html", _task_context(request, task, **forms))


@login_required
def task_detail(request, pk):
    task = get_object_or_404(selectors.tasks_for_page(request.user), pk=pk)
    return render_task_page(request, task)


@login_required
@require_POST
def report_progress(request, pk):
    """Works as a normal form post and, with htmx, swaps only the reports section."""
    task = get_object_or_404(selectors.tasks_for_page(request.user), pk=pk)
    form = ProgressReportForm(request.POST, request.FILES)
    saved = False
    if form.is_valid():
        try:
            services.report_progress(actor=request.user, task=task, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if not is_htmx(request):
                messages.success(request, _("Your report was sent for approval."))
                return redirect("tracking:task", pk=task.pk)
            task = selectors.tasks_for_page(request.user).get(pk=task.pk)
            form, saved = ProgressReportForm(), True
    context = _task_context(request, task, report_form=form) | {"saved": saved}
    template = "tracking/_reports.html" if is_htmx(request) else "tracking/task_detail.html"
    return render(request, template, context)


def _choices(request, unit):
    """What a task of `unit` may point at, with the parent tasks this person may see."""
    return {**task_reference_choices(unit), "parent": parent_choices(request.user, unit)}


def _program_initial(request, choices):
    """`?program=<pk>`: a task of a program the form may point at (from the program's page),
    with the program's resolution."""
    pk = request.GET.get("program", "")
    program = choices["program"].filter(pk=int(pk)).first() if pk.isdigit() else None
    if program is None:
        return {}
    initial = {"program": program.pk}
    if program.resolution_id and choices["resolution"].filter(pk=program.resolution_id).exists():
        initial["resolution"] = program.resolution_id
    return initial


def _parent_initial(request, choices):
    """`?parent=<pk>`: a sub-task of a task the form may point at, coming from where its
    parent comes from; else `?program=<pk>`."""
    pk = request.GET.get("parent", "")
    parent = choices["parent"].filter(pk=int(pk)).first() if pk.isdigit() else None
    if parent is None:
        return _program_initial(request, choices)
    initial = {"parent": parent.pk}
    for name in ("resolution", "program", "task_group"):
        value = getattr(parent, f"{name}_id")
        if value is not None and choices[name].filter(pk=value).exists():
            initial[name] = value
    initial["targets"] = list(choices["targets"].filter(tasks=parent).values_list("pk",
                                                                               flat=True))
    return initial


def _task_form_page(request, unit, form, task=None, status=200):
    context = {"form": form, "unit": unit, "task": task, "trail": unit_trail(request.user, unit)}
    return render(request, "tracking/task_form.html", context, status=status)


def _issue_after_save(request, task):
    """Issue a just-saved task; if a clear is missing, show the saved draft's form with each
    missing clear beside its field."""
    try:
        services.issue_task(actor=request.user, task=task, expected_version=task.version)
    except ValidationError as error:
        messages.warning(request, _("The task was saved as a draft but cannot be issued yet: "
                                    "each missing clear is marked beside its field."))
        form = TaskForm(instance=task, choices=_choices(request, task.unit))
        form.add_service_error(error)
        return _task_form_page(request, task.unit, form, task)
    messages.success(request, _("The task was issued."))
    return redirect("tracking:task", pk=task.pk)


@login_required
def task_owner_choices(request, unit_pk):
    """The owner list of the task form for the lead unit just chosen (htmx): the options
    only, keeping the chosen owner when the service would still accept them."""
    unit = get_object_or_404(visible_units(request.user), pk=unit_pk)
    if not reaches_unit(request.user, unit, Role.MANAGER):
        raise PermissionDenied
    form = TaskForm(choices=task_reference_choices(unit), unit=unit)
    chosen = request.GET.get("lead_unit", "")
    lead_unit = form.fields["lead_unit"].queryset.filter(
        pk=int(chosen) if chosen.isdigit() else None)
    form.narrow_owners(lead_unit.first() or unit)
    return render(request, "tracking/_owner_options.html", {
        "choices": form.fields["owner"].choices, "selected": request.GET.get("owner", "")})


@login_required
def task_create(request, unit_pk):
    unit = get_object_or_404(visible_units(request.user), pk=unit_pk)
    if not reaches_unit(request.user, unit, Role.MANAGER):
        raise PermissionDenied
    choices = _choices(request, unit)
    form = TaskForm(request.POST or None, choices=choices, unit=unit,
                    initial=_parent_initial(request, choices))
    if request.method == "POST" and form.is_valid():
        try:
            task = services.create_task(actor=request.user, unit=unit, **form.changes())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if "issue" in request.POST:
                return _issue_after_save(request, task)
            messages.success(request, _("The task was saved as a draft."))
            return redirect("tracking:task", pk=task.pk)
    return _task_form_page(request, unit, form)


@login_required
def task_edit(request, pk):
    task = get_object_or_404(selectors.visible_tasks(request.user).select_related("unit"), pk=pk)
    if not selectors.task_actions(request.user, task).edit:
        raise PermissionDenied
    choices = _choices(request, task.unit)
    form = TaskForm(request.POST or None, instance=task, choices=choices)
    status = save_edit(request, form, task, changed=selectors.fields_changed_since,
                       save=lambda version: services.update_task(
                           actor=request.user, task=task, expected_version=version,
                           **form.changes()))
    if status is None:
        if "issue" in request.POST:
            return _issue_after_save(request, task)
        messages.success(request, _("The task was saved."))
        return redirect("tracking:task", pk=task.pk)
    return _task_form_page(request, task.unit, form, task, status=status)


@login_required
@require_POST
def task_issue(request, pk):
    task = get_object_or_404(selectors.visible_tasks(request.user).select_related("unit"), pk=pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise BadRequest
    try:
        services.issue_task(actor=request.user, task=task,
                            expected_version=form.cleaned_data["version"])
    except services.SixClearsMissing as error:
        messages.warning(request, _("The task cannot be issued yet: each missing clear is "
                                    "marked beside its field."))
        task.refresh_from_db()
        form = TaskForm(instance=task, choices=_choices(request, task.unit))
        form.add_service_error(error)
        return _task_form_page(request, task.unit, form, task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The task was issued."))
    return redirect("tracking:task", pk=task.pk)


@login_required
@require_POST
def step_add(request, pk):
    task = get_object_or_404(selectors.tasks_for_page(request.user), pk=pk)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            services.add_step(actor=request.user, task=task, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The step was added."))
            return redirect("tracking:task", pk=task.pk)
    context = _task_context(request, task, step_form=form)
    return render(request, "tracking/task_detail.html", context)


@login_required
@require_POST
def step_done(request, pk):
    step = get_object_or_404(selectors.visible_steps(request.user), pk=pk)
    form = StepDoneForm(request.POST)
    if not form.is_valid():
        raise BadRequest
    try:
        services.complete_step(actor=request.user, step=step, done=form.cleaned_data["done"],
                               expected_version=form.cleaned_data["version"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("tracking:task", pk=step.task_id)


@login_required
def task_cancel(request, pk):
    """Cancel a task with a reason, kept in its history and shown on its page. Its unit's
    leaders may (`services.cancel_task`)."""
    task = get_object_or_404(selectors.visible_tasks(request.user).select_related("unit"), pk=pk)
    if not selectors.task_actions(request.user, task).cancel:
        raise PermissionDenied
    form = CancelForm(request.POST or None, initial={"version": task.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_task(actor=request.user, task=task,
                                 expected_version=form.cleaned_data["version"],
                                 reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_service_error(error)
            if isinstance(error, StaleEdit):
                status = 409
                form.data = form.data.copy()
                form.data["version"] = type(task).objects.get(pk=task.pk).version
        else:
            messages.success(request, _("The task was cancelled."))
            return redirect("tracking:task", pk=task.pk)
    subtasks = selectors.subtasks_for_page(request.user, task)
    context = {"task": task, "form": form, "trail": unit_trail(request.user, task.unit),
               "open_subtasks": [sub for sub in subtasks
                                 if sub.state in ("draft", "issued")]}
    return render(request, "tracking/task_cancel.html", context, status=status)
