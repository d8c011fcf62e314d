"""Pages of periodic reviews: a unit's snapshots, one snapshot, two compared."""

import datetime
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sixclear.monitoring.models import TargetStatus, TaskStatus
from sixclear.monitoring.target_assessment import LIKELIHOOD_LABELS
from sixclear.numbers import format_number, kind_of
from sixclear.orgs.selectors import unit_trail, visible_units

from . import selectors

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
    return render(request, "snapshots/unit.html", {"unit": unit, "snapshots": snapshots,
                                                   "trail": unit_trail(request.user, unit)[:-1]})


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

