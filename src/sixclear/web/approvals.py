"""The approvals inbox: progress reports, measurements and change requests waiting for this
person's decision, and the review of reports and measurements from it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sixclear.tracking import selectors, services
from sixclear.tracking.forms import ReviewForm

from .change_requests import changes_to_decide


def approvals_page(request, failed=None, failed_change=None):
    """Everything waiting for this person's decision, each with its own review form.

    `failed` is (kind, pk, form) of a review that failed, `failed_change` (pk, form) of a
    change decision that failed; each comes back beside its item.
    """
    reports_after = _after(request, "reports_after", selectors.visible_reports)
    values_after = _after(request, "values_after", selectors.visible_measurements)
    items = {
        "report": list(selectors.reports_awaiting_review(
            request.user, after=reports_after).prefetch_related("evidence")),
        "measurement": list(selectors.measurements_awaiting_review(request.user,
                                                                   after=values_after)),
    }
    shown = False
    for kind, objects in items.items():
        for item in objects:
            item.review_form = ReviewForm(prefix=f"{kind}-{item.pk}",
                                          initial={"version": item.version})
            if failed and failed[:2] == (kind, item.pk):
                item.review_form, shown = failed[2], True
    if failed and not shown:  # e.g. someone else reviewed it meanwhile
        for errors in failed[2].errors.values():
            messages.error(request, " ".join(errors))
    changes = changes_to_decide(request.user, failed=failed_change)
    context = {
        "reports": items["report"], "measurements": items["measurement"], "changes": changes,
        # A page holds the oldest few; the next one starts after the last shown.
        "more_reports": _next(items["report"]), "more_values": _next(items["measurement"]),
    }
    return render(request, "tracking/approvals.html", context)


def _after(request, name, visible):
    """(submitted_at, pk) of the item a page starts after, from `?<name>=<pk>` of an item the
    person may see; None for the first page."""
    try:
        pk = int(request.GET.get(name, ""))
    except ValueError:
        return None
    found = visible(request.user).filter(pk=pk).values_list("submitted_at", "pk").first()
    return tuple(found) if found else None


def _next(items):
    """The pk the next page starts after, when this page is full."""
    return items[-1].pk if len(items) >= selectors.REVIEW_PAGE else None


@login_required
def approvals(request):
    return approvals_page(request)


def _back(request, default):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


def _review(request, kind, item, service):
    form = ReviewForm(request.POST, prefix=f"{kind}-{item.pk}")
    if form.is_valid():
        try:
            service(actor=request.user, expected_version=form.cleaned_data["version"],
                    approve=form.approve, comment=form.cleaned_data["comment"], **{kind: item})
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Approved.") if form.approve else _("Returned."))
            return _back(request, "tracking:approvals")
    return approvals_page(request, failed=(kind, item.pk, form))


@login_required
@require_POST
def review_report(request, pk):
    report = get_object_or_404(selectors.visible_reports(request.user), pk=pk)
    return _review(request, "report", report, services.review_progress_report)


@login_required
@require_POST
def review_measurement(request, pk):
    measurement = get_object_or_404(selectors.visible_measurements(request.user), pk=pk)
    return _review(request, "measurement", measurement, services.review_measurement)
