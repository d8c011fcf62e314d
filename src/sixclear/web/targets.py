"""The target page: its path, measurements and chart, its stored status and forecast
(monitoring), its re-baselining requests (changes); recording a measurement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sixclear.monitoring.selectors import assess_years, target_outlook
from sixclear.numbers import PLACES, kind_of_target, separators
from sixclear.orgs.models import Role
from sixclear.orgs.selectors import reaches_unit, unit_trail
from sixclear.tracking import selectors as tracking
from sixclear.tracking import services as tracking_services
from sixclear.tracking.forms import MeasurementForm

from .change_requests import target_changes


def chart_numbers(target):
    """How the chart writes its numbers: the page language's marks and the precision of the
    target's unit, so that its axis and tooltips read like the page (`sixclear.numbers`)."""
    return {**separators(), "places": PLACES[kind_of_target(target)]}


def render_target_page(request, target, form=None, change_form=None, failed_decision=None):
    """The target page, with its measurement and change forms as the person filled them in."""
    rows = tracking.trajectory_rows(target)
    assess_years(target, rows)
    context = {
        "target": target,
        "trail": unit_trail(request.user, target.unit),
        "rows": rows,
        "chart": {**tracking.trajectory_chart(target, rows), "numbers": chart_numbers(target)},
        "can_measure": tracking_services.can_report_measurement(request.user, target),
        "can_edit": reaches_unit(request.user, target.unit, Role.MANAGER),
        "form": form or MeasurementForm(),
        "outlook": target_outlook(target),
        **target_changes(request.user, target, form=change_form, failed=failed_decision),
    }
    return render(request, "plans/target_detail.html", context)


@login_required
def target_detail(request, pk):
    target = get_object_or_404(tracking.targets_for_page(request.user), pk=pk)
    return render_target_page(request, target)


@login_required
@require_POST
def record_measurement(request, pk):
    target = get_object_or_404(tracking.targets_for_page(request.user), pk=pk)
    form = MeasurementForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            tracking_services.record_measurement(actor=request.user, target=target,
                                                 **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The value was recorded and sent for approval."))
            return redirect("plans:target", pk=target.pk)
    return render_target_page(request, target, form)
