"""A resolution as one structure: its items, task groups with their tasks, targets by area
and the programs that carry it out."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from sixclear.orgs.selectors import unit_trail
from sixclear.plans.selectors import visible_resolutions
from sixclear.tracking import selectors as tracking


@login_required
def resolution_detail(request, pk):
    resolution = get_object_or_404(
        visible_resolutions(request.user).select_related("unit"), pk=pk
    )
    context = {
        "page": tracking.resolution_page(request.user, resolution),
        "resolution": resolution,
        "trail": unit_trail(request.user, resolution.unit),
    }
    return render(request, "plans/resolution_detail.html", context)
