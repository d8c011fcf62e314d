"""Pages of periodic reviews: a unit's snapshots, one snapshot, two compared."""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from sixclear.meetings.models import ObstacleState
from sixclear.monitoring.models import TargetStatus, TaskStatus
from sixclear.monitoring.target_assessment import LIKELIHOOD_LABELS
from sixclear.numbers import format_number, kind_of
from sixclear.orgs.models import Role
from sixclear.orgs.selectors import reaches_unit, unit_trail, visible_units
from sixclear.plans.selectors import visible_resolutions
from sixclear.versioning import StaleEdit

from . import selectors, services
from .forms import ReviewKindsForm, review_kind_choices

FIGURE_LABELS = {
    "open": gettext_lazy("Open tasks"), "done": gettext_lazy("Tasks done"),
    "on_track": gettext_lazy("Tasks on track"), "at_risk": gettext_lazy("Tasks at risk"),
    "late": gettext_lazy("Tasks late"),
    "stale": gettext_lazy("Tasks whose owner has not reported on time"),
    "obstacles": gettext_lazy("Tasks with an open obstacle"),
}
BRANCH_LABELS = {
    "done": gettext_lazy("Tasks done"), "late": gettext_lazy("Tasks late"),
    "at_risk": gettext_lazy("Tasks at risk"), "on_track": gettext_lazy("Targets on track"),
    "off_track": gettext_lazy("Targets off track"),
}
TASK_ROWS = 200  # tasks listed on a snapshot's page (the figures count them all)


def _status_label(kind, status):
    if status is None:
        return ""
    labels = dict(TaskStatus.choices) if kind == "task" else dict(TargetStatus.choices)
    return labels.get(status, status)


def _label_rows(data):
    """Each row's status (and a target's forecast) in the reader's language."""
    for row in data["targets"]:
        kind = kind_of(row["unit_of_measure"], row["kind"])
        row["actual_text"] = format_number(_decimal(row["actual"]), kind)
        row["expected_text"] = format_number(_decimal(row["expected"]), kind)
        row["status_label"] = _status_label("target", row["status"])
        row["forecast_label"] = LIKELIHOOD_LABELS.get(row["forecast"], "")
    states = dict(ObstacleState.choices)
    for row in data["obstacles"]:
        for key in ("id", "state", "target", "must_act", "days_open", "escalations"):
            row.setdefault(key, None)  # a snapshot of schema 1 named none of them
        row["state_label"] = states.get(row["state"], "")
    for row in data["tasks"]:
        row["deadline_date"] = (datetime.date.fromisoformat(row["deadline"])
                                if row["deadline"] else None)
        status = "done" if row["state"] == "done" else row["status"] or "not_started"
        row["status_label"] = _status_label("task", status)


def _decimal(text):
    return None if text is None else Decimal(text)


def _label_changes(comparison):
    for change in (comparison.improved + comparison.slipped + comparison.added
                   + comparison.removed):
        if change.kind == "target":  # a value, written as the reader's language writes it
            change.detail_before = format_number(_decimal(change.detail_before)) or None
            change.detail_after = format_number(_decimal(change.detail_after)) or None
        change.before_label = _status_label(change.kind, change.before)
        change.after_label = _status_label(change.kind, change.after)


@login_required
def unit_reviews(request, pk):
    unit = get_object_or_404(visible_units(request.user), pk=pk)
    snapshots = list(selectors.unit_snapshots(request.user, unit)[:120])
    labels = dict(review_kind_choices())
    resolutions = []
    for resolution, kinds in selectors.unit_review_kinds(request.user, unit):
        resolutions.append((resolution, [labels[kind] for kind in kinds]))
    return render(request, "snapshots/unit.html", {
        "unit": unit, "snapshots": snapshots, "resolutions": resolutions,
        "trail": unit_trail(request.user, unit)[:-1]})


@login_required
@require_http_methods(["GET", "POST"])
def review_kinds(request, pk):
    """Which period ends freeze snapshots under a resolution: a manager over its unit
    chooses; everyone who sees the resolution reads the choice."""
    resolution = get_object_or_404(visible_resolutions(request.user)
                                   .select_related("unit", "review_kinds__updated_by"), pk=pk)
    row = getattr(resolution, "review_kinds", None)
    may_change = reaches_unit(request.user, resolution.unit, Role.MANAGER)
    form, status = None, 200
    if request.method == "POST":
        form = ReviewKindsForm(request.POST)
        if form.is_valid():
            try:
                services.set_review_kinds(
                    actor=request.user, resolution=resolution,
                    kinds=list(form.cleaned_data["kinds"]),
                    expected_version=form.cleaned_data["version"])
            except ValidationError as error:
                form.add_service_error(error)
                status = 409 if isinstance(error, StaleEdit) else 400
            else:
                messages.success(request, _("Saved: the next period ends follow this choice."))
                return redirect("snapshots:review_kinds", resolution.pk)
        else:
            status = 400
    elif may_change:
        form = ReviewKindsForm(initial={"version": row.version if row else 0,
                                        "kinds": selectors.review_kinds_of(resolution)})
    labels = dict(review_kind_choices())
    return render(request, "snapshots/review_kinds.html", {
        "resolution": resolution, "unit": resolution.unit, "row": row, "form": form,
        "kinds": [labels[kind] for kind in selectors.review_kinds_of(resolution)],
        "trail": unit_trail(request.user, resolution.unit)[:-1],
    }, status=status)


@login_required
def snapshot_page(request, pk):
    snapshot = get_object_or_404(selectors.visible_snapshots(request.user)
                                 .select_related("seal"), pk=pk)
    data = selectors.data_of(snapshot)
    _label_rows(data)
    tasks = data["tasks"]
    return render(request, "snapshots/snapshot.html", {
        "snapshot": snapshot, "unit": snapshot.unit, "data": data,
        "trail": unit_trail(request.user, snapshot.unit)[:-1],
        "check": selectors.check_snapshot(snapshot),
        "tasks": tasks[:TASK_ROWS], "more_tasks": max(0, len(tasks) - TASK_ROWS),
        "rebaseline": selectors.rebaselining_proposals(request.user, snapshot),
    })


@login_required
def snapshot_content(request, pk):
    """The snapshot's canonical JSON, byte for byte what its SHA-256 covers."""
    snapshot = get_object_or_404(selectors.visible_snapshots(request.user), pk=pk)
    response = HttpResponse(snapshot.content.encode("utf-8"),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="snapshot-{snapshot.unit.code}-{snapshot.period_kind}-'
        f'{snapshot.year}-{snapshot.period_number}.json"')
    return response


@login_required
def compare_page(request, pk):
    unit = get_object_or_404(visible_units(request.user), pk=pk)
    snapshots = selectors.unit_snapshots(request.user, unit)
    choices = list(snapshots[:120])
    comparison = None
    first, second = request.GET.get("a"), request.GET.get("b")
    if first and second:
        try:
            earlier = snapshots.get(pk=int(first))
            later = snapshots.get(pk=int(second))
        except (ValueError, selectors.Snapshot.DoesNotExist) as missing:
            raise Http404(_("There is no such snapshot of this unit.")) from missing
        comparison = selectors.compare(earlier, later)
        _label_changes(comparison)
        comparison.figures = [(FIGURE_LABELS[name], before, after)
                              for name, before, after in comparison.figures]
    headers = [BRANCH_LABELS[name] for _group, name in selectors.BRANCH_FIGURES]
    return render(request, "snapshots/compare.html", {
        "unit": unit, "choices": choices, "comparison": comparison,
        "trail": unit_trail(request.user, unit)[:-1],
        "a": first or "", "b": second or "", "branch_headers": headers,
    })

