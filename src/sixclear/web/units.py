"""The unit page: sub-units side by side, the unit's tasks with filters and pages, and the
resolutions, programs and targets it adopted."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from sixclear.dashboards.selectors import sub_unit_tasks
from sixclear.orgs.models import Role
from sixclear.orgs.selectors import reaches_unit, unit_trail, visible_units
from sixclear.plans.models import ResolutionItem
from sixclear.plans.selectors import unit_plans, visible_resolutions
from sixclear.tracking import selectors as tracking

from .forms import TaskFilterForm

TASKS_PER_PAGE = 20
# A province's page listed its 148 communes and 222 targets, most of its time; the rest are one
# link away (the dashboard's every sub-unit, the unit's own targets page).
UNIT_PAGE_SUB_UNITS = 40
UNIT_PAGE_TARGETS = 20


@login_required
def unit_detail(request, pk):
    """A unit's sub-units side by side, its tasks with filters, and its plans."""
    unit = get_object_or_404(visible_units(request.user), pk=pk)
    # The filters offer what the list can show: the unit's own tasks unless asked for the
    # sub-units' too (a country's every task owner made a national page take a second).
    with_sub_units = forms.BooleanField(required=False).to_python(
        request.GET.get("include_sub_units"))
    choices = tracking.unit_task_filter_choices(request.user, unit, with_sub_units)
    form = TaskFilterForm(request.GET or None, choices=choices)
    filters = form.filters()
    tasks = tracking.unit_tasks(request.user, unit, **filters)
    group = filters.get("group")
    group_item = ResolutionItem.objects.filter(
        pk=group, resolution__in=visible_resolutions(request.user)).first() if group else None
    # From the task rollups, as the dashboard: counting a province's tasks cost seconds.
    sub_units = sub_unit_tasks(unit)
    plans = unit_plans(request.user, unit)
    context = {
        "unit": unit,
        "trail": unit_trail(request.user, unit)[:-1],
        "form": form,
        "group_item": group_item,
        "page": Paginator(tasks, TASKS_PER_PAGE).get_page(request.GET.get("page")),
        "sub_units": sub_units[:UNIT_PAGE_SUB_UNITS],
        "sub_unit_total": len(sub_units),
        "sub_unit_tasks": sum(summary.total for summary in sub_units),
        "can_create_task": reaches_unit(request.user, unit, Role.MANAGER),
        "today": timezone.localdate(),
        **plans,
        "targets": plans["targets"][:UNIT_PAGE_TARGETS],
        "target_total": len(plans["targets"]),
    }
    return render(request, "orgs/unit_detail.html", context)
