from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sixclear.monitoring.models import TargetStatus
from sixclear.orgs.selectors import membership_paths, unit_trail, units_of, visible_units
from sixclear.replicas import replica_reads

from . import kept, pages, selectors
from .tables import EXPORTS

TARGETS_PER_PAGE = 25
EXPORT_LIMIT = 10_000


def _visible_unit(request, pk):
    return get_object_or_404(visible_units(request.user), pk=pk)


def _from_replica(request, unit):
    """The dashboard of a unit other than one of the reader's own may be read a few seconds
    old, from a replica; the reader's own unit shows what they just wrote (the primary)."""
    return replica_reads(enabled=unit.path not in membership_paths(request.user))


def _export(request, tables):
    """The table named by ?export= as ?format= (csv or xlsx), or None for the page itself."""
    name = request.GET.get("export")
    if not name:
        return None
    table, writer = tables.get(name), EXPORTS.get(request.GET.get("format", "xlsx"))
    if table is None or writer is None:
        raise Http404(_("There is no such table or format to download."))
    return writer(table)


@login_required
def my_dashboard(request):
    """The dashboard of the person's highest unit (the country's for a national officer)."""
    unit = units_of(request.user).first()
    if unit is None:
        raise Http404(_("You hold no role in any unit yet."))
    return redirect("dashboards:unit", unit.pk)


def _league_order(request):
    sort = request.GET.get("sort", "")
    return (sort if sort in selectors.LEAGUE_SORTS else ""), request.GET.get("dir") != "asc"


@login_required
def unit_dashboard(request, pk):
    # Read with its own rollup version: what decides whether kept figures still hold. Another
    # unit's dashboard then reads its stamp and figures from a replica (the stamp first, so
    # kept figures are never older than their stamp); the reader's own, from the primary.
    unit = get_object_or_404(selectors.with_rollup_version(visible_units(request.user)), pk=pk)
    with _from_replica(request, unit):
        sort, descending = _league_order(request)
        if request.GET.get("export"):
            return _export(request, pages.dashboard_tables(unit, sort, descending)["tables"])
        variant = f"{sort}-{'desc' if descending else 'asc'}"
        figures = kept.kept_figures(
            unit, variant, lambda: pages.figures_html(unit, sort, descending))
        return render(request, "dashboards/dashboard.html", {
            "unit": unit, "trail": unit_trail(request.user, unit)[:-1], "figures": figures,
        })


@login_required
def sub_units(request, pk):
    """Every sub-unit side by side and by area: the whole of the dashboard's two tables."""
    unit = _visible_unit(request, pk)
    with _from_replica(request, unit):
        sort, descending = _league_order(request)
        league = selectors.overview(unit).league
        tables = pages.league_tables(league, sort, descending)
        download = _export(request, tables)
        if download:
            return download
        return render(request, "dashboards/sub_units.html", {
            "unit": unit, "trail": unit_trail(request.user, unit), "tables": tables,
            "sub_units": len(league), "sort": sort, "descending": descending,
        })


@login_required
def unit_targets(request, pk):
    """The targets behind a dashboard figure: a status and/or an area over the subtree."""
    unit = _visible_unit(request, pk)
    with _from_replica(request, unit):
        status = request.GET.get("status", "")
        if status and status not in TargetStatus.values:
            status = ""
        area = request.GET.get("area")
        own = request.GET.get("own") == "1"  # the unit page's "all the unit's own targets"
        targets = selectors.subtree_targets(unit, status=status, area=area, own=own)
        if request.GET.get("export"):
            return _export(request, {"targets": pages.target_list_table(targets[:EXPORT_LIMIT])})
        page = Paginator(targets, TARGETS_PER_PAGE).get_page(request.GET.get("page"))
        return render(request, "dashboards/targets.html", {
            "unit": unit, "trail": unit_trail(request.user, unit), "status": status, "area": area,
            "table": pages.target_list_table(page.object_list), "page": page,
            "own": own, "extra_query": urlencode(
                {k: v for k, v in (("status", status), ("area", area), ("own", own and "1")) if v}),
            "status_label": pages.target_labels().get(status, ""),
        })


@login_required
def indicator_list(request, pk):
    unit = _visible_unit(request, pk)
    with _from_replica(request, unit):
        return render(request, "dashboards/indicators.html", {
            "unit": unit, "trail": unit_trail(request.user, unit),
            "indicators": selectors.indicators_in(unit),
        })


@login_required
def indicator_compare(request, pk, indicator):
    """One indicator across every unit of the subtree: their paths on one chart, and a table."""
    unit = _visible_unit(request, pk)
    with _from_replica(request, unit):
        targets = selectors.indicator_targets(unit, indicator)
        if not targets:
            raise Http404(_("No target measures this indicator here."))
        table = pages.indicator_table(targets)
        download = _export(request, {"indicator": table})
        if download:
            return download
        return render(request, "dashboards/indicator.html", {
            "unit": unit, "trail": unit_trail(request.user, unit), "indicator": indicator,
            "table": table, "chart": pages.indicator_chart(targets),
        })
