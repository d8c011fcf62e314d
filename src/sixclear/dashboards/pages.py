"""The dashboard's tables, built from the selectors, with the link behind every figure."""

from functools import lru_cache
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import formats
from django.utils.translation import gettext as _

from sixclear.monitoring.models import TargetStatus, TaskStatus
from sixclear.numbers import kind_of_target, separators
from sixclear.tracking.selectors import STALE

from . import selectors
from .tables import Cell, Column, Table, mark_sorting

PLACEHOLDER = 987654321


@lru_cache(maxsize=64)
def _path_pattern(name, script_prefix):
    return reverse(name, args=[PLACEHOLDER])


def unit_path(name, pk):
    """reverse(name, args=[pk]) for a URL taking a unit's id, resolved once per URL name: a
    league of a hundred sub-units carries a thousand links."""
    return _path_pattern(name, get_script_prefix()).replace(str(PLACEHOLDER), str(pk))


@lru_cache(maxsize=256)
def _query(items):
    return urlencode(items)


def tasks_link(unit, **filters):
    """The unit page's task list over the whole subtree, filtered: where a task figure leads."""
    query = _query(tuple(sorted({**filters, "include_sub_units": "on"}.items())))
    return f"{unit_path('orgs:unit', unit.pk)}?{query}"


def targets_link(unit, **filters):
    query = _query(tuple(sorted((k, v) for k, v in filters.items() if v is not None)))
    path = unit_path("dashboards:targets", unit.pk)
    return f"{path}?{query}" if query else path


def _rate(value):
    return Cell(value, suffix="%" if value is not None else "")


TASK_ROWS = [
    # figure, filters of the task list it opens
    ("open", {"state": "issued"}),
    ("on_track", {"status": TaskStatus.ON_TRACK}),
    ("not_started", {"status": TaskStatus.NOT_STARTED}),
    ("at_risk", {"status": TaskStatus.AT_RISK}),
    ("late", {"status": TaskStatus.LATE}),
    ("stale", {"status": STALE}),
    ("obstacles", {"state": "issued", "obstacles": "on"}),
    ("done", {"state": "done"}),
    ("done_on_time", {"state": "done"}),
    ("drafts", {"state": "draft"}),
    ("cancelled", {"state": "cancelled"}),
]


def task_labels():
    # Marked for translation here, translated when a page is built in the reader's language.
    return {
        "open": _("In progress"), "on_track": _("On track"), "not_started": _("Not started"),
        "at_risk": _("At risk"), "late": _("Late"), "stale": _("Stale"),
        "obstacles": _("With an open obstacle"), "done": _("Done"),
        "done_on_time": _("Done on time"), "drafts": _("Drafts"), "cancelled": _("Cancelled"),
    }


def task_table(unit, figures):
    labels = task_labels()
    table = Table("tasks", _("Tasks by status"), [
        Column("status", _("Status"), numeric=False), Column("count", _("Tasks"))])
    for key, filters in TASK_ROWS:
        table.rows.append([Cell(labels[key]),
                           Cell(getattr(figures, key), link=tasks_link(unit, **filters))])
    return table


def target_labels():
    return {
        TargetStatus.ON_TRACK: _("On track"), TargetStatus.BEHIND: _("Behind"),
        TargetStatus.OFF_TRACK: _("Off track"), TargetStatus.NO_DATA: _("No data"),
    }


def target_table(unit, figures):
    table = Table("targets", _("Targets by trajectory status"), [
        Column("status", _("Status"), numeric=False), Column("count", _("Targets"))])
    for status, label in target_labels().items():
        table.rows.append([Cell(label), Cell(getattr(figures, status),
                                             link=targets_link(unit, status=status))])
    return table


def trend_table(points):
    table = Table("trend", _("Month by month"), [
        Column("month", _("Month"), numeric=False), Column("due", _("Due")),
        Column("done", _("Done")), Column("done_on_time", _("Done on time")),
        Column("on_time_rate", _("Done on time (%)"))])
    for point in points:
        table.rows.append([
            Cell(formats.date_format(point.month, "YEAR_MONTH_FORMAT")), Cell(point.due),
            Cell(point.done), Cell(point.done_on_time), _rate(point.on_time_rate)])
    return table


def league_table(rows):
    """The sub-units side by side; every count opens the tasks or targets behind it."""
    labels = {
        "open": _("In progress"), "done": _("Done"), "on_time": _("Done on time (%)"),
        "at_risk": _("At risk"), "late": _("Late"), "stale": _("Stale"),
        "obstacles": _("Open obstacles"), "targets_on_track": _("Targets on track (%)"),
        "off_track": _("Targets off track"),
    }
    columns = [Column("unit", _("Unit"), numeric=False, sort="name")]
    # Each column sorts the league by the figure of the same name.
    columns += [Column(key, label, sort=key) for key, label in labels.items()]
    table = Table("league", _("Sub-units side by side"), columns)
    for row in rows:
        unit, tasks, targets = row.unit, row.tasks, row.targets
        table.rows.append([
            Cell(unit.name, link=unit_path("dashboards:unit", unit.pk)),
            Cell(tasks.open, link=tasks_link(unit, state="issued")),
            Cell(tasks.done, link=tasks_link(unit, state="done")),
            _rate(tasks.on_time_rate),
            Cell(tasks.at_risk, link=tasks_link(unit, status=TaskStatus.AT_RISK),
                 css="heat-risk" if tasks.at_risk else ""),
            Cell(tasks.late, link=tasks_link(unit, status=TaskStatus.LATE),
                 css="heat-late" if tasks.late else ""),
            Cell(tasks.stale, link=tasks_link(unit, status=STALE)),
            Cell(tasks.obstacles, link=tasks_link(unit, state="issued", obstacles="on")),
            _rate(targets.on_track_rate),
            Cell(targets.off_track, link=targets_link(unit, status=TargetStatus.OFF_TRACK)),
        ])
    return table


def _heat(rate):
    if rate is None:
        return "heat-none"
    return f"heat-{min(4, int(rate // 25))}"


def heat_table(rows, areas=None):
    """Sub-units × target areas: the share of measured targets on track in each cell (the
    areas of `rows`, or those given)."""
    areas = selectors.areas_of(rows) if areas is None else areas
    columns = [Column("unit", _("Unit"), numeric=False)]
    names = selectors.area_names(areas)
    columns += [Column(f"area-{index}", names.get(area) or area or _("Other"))
                for index, area in enumerate(areas)]
    table = Table("areas", _("Targets on track by area (%)"), columns)
    for row in rows:
        cells = [Cell(row.unit.name, link=unit_path("dashboards:unit", row.unit.pk))]
        for area in areas:
            figures = row.areas.get(area)
            rate = figures.on_track_rate if figures else None
            cells.append(Cell(rate, suffix="%" if rate is not None else "", css=_heat(rate),
                              link=targets_link(row.unit, area=area) if figures else ""))
        table.rows.append(cells)
    return table


def off_track_table(items):
    table = Table("off_track", _("Most off-track targets"), [
        Column("target", _("Target"), numeric=False), Column("unit", _("Unit"), numeric=False),
        Column("actual", _("Actual")), Column("expected", _("Expected")),
        Column("gap", _("Gap (%)")), Column("required", _("Still needed per year"))])
    for item in items:
        health = item.health
        required = item.required
        kind = kind_of_target(item.target)
        table.rows.append([
            Cell(f"{item.target.code} · {item.target.name}",
                 link=reverse("plans:target", args=[item.target.pk])),
            Cell(item.target.unit.name), Cell(health.actual, kind=kind),
            Cell(health.expected, kind=kind),
            Cell(health.gap_percent, suffix="%"),
            Cell(required, suffix="%" if item.required_is_rate and required is not None else "",
                 kind="" if item.required_is_rate else kind),
        ])
    return table


# Characters of an obstacle shown in the table; the whole text opens in place.
OBSTACLE_SHOWN = 140


def obstacle_table(healths):
    table = Table("obstacles", _("Open obstacles"), [
        Column("task", _("Task"), numeric=False), Column("unit", _("Unit"), numeric=False),
        Column("obstacle", _("Obstacle"), numeric=False),
        Column("reported", _("Last report"), numeric=False)])
    for health in healths:
        task = health.task
        table.rows.append([
            Cell(task.title, link=reverse("tracking:task", args=[task.pk])),
            Cell(task.unit.name),
            Cell(health.obstacle or None, shorten=OBSTACLE_SHOWN),
            Cell(formats.date_format(health.last_report_date, "SHORT_DATE_FORMAT")
                 if health.last_report_date else None),
        ])
    return table


# Sub-units a dashboard shows side by side (and by area); the rest are one link away, on the
# page of all of them. The country's 34 provinces all show; a province has up to ~150
# communes, 1,500 linked figures on one page.
LEAGUE_SHOWN = 40


def headline_links(unit):
    links = {key: tasks_link(unit, **filters) for key, filters in TASK_ROWS}
    links.update({f"targets_{status}": targets_link(unit, status=status)
                  for status in TargetStatus.values})
    return links


def league_tables(league, sort="", descending=True, shown=None):
    """The sub-units side by side and by area, sorted, the first `shown` of them (all when
    None); {} when there is no sub-unit."""
    league = selectors.sorted_league(league, sort, descending)
    if not league:
        return {}
    rows = league if shown is None else league[:shown]
    return {"league": mark_sorting(league_table(rows), sort, descending),
            "areas": heat_table(rows, selectors.areas_of(league))}


def figure_tables(unit, sort="", descending=True, shown=None):
    """The tables a dashboard reads from the rollups alone (tasks and targets by status, the
    trend, the sub-units side by side and by area, the first `shown` of them), keyed by name,
    with the headline's figures and links and how many sub-units there are."""
    summary = selectors.overview(unit)
    points = selectors.trend(unit)
    tables = {
        "tasks": task_table(unit, summary.tasks),
        "targets": target_table(unit, summary.targets),
        "trend": trend_table(points),
        **league_tables(summary.league, sort, descending, shown),
    }
    return {"tasks": summary.tasks, "targets": summary.targets, "trend": points,
            "tables": tables, "links": headline_links(unit), "sub_units": len(summary.league)}


def list_tables(unit):
    """The dashboard's two lists, read from the statuses: the most off-track targets and the
    latest open obstacles (ten each)."""
    return {
        "off_track": off_track_table(selectors.most_off_track(unit)),
        "obstacles": obstacle_table(selectors.open_obstacles(unit)),
    }


def dashboard_tables(unit, sort="", descending=True):
    """Every table of a unit's dashboard, whole, keyed by name (what its downloads write)."""
    figures = figure_tables(unit, sort, descending)
    figures["tables"].update(list_tables(unit))
    return figures


def figures_html(unit, sort="", descending=True):
    """The dashboard's figures as HTML, the first LEAGUE_SHOWN sub-units side by side: the part
    of the page `kept.kept_figures` keeps between requests (no person's data in it)."""
    figures = figure_tables(unit, sort, descending, shown=LEAGUE_SHOWN)
    figures["tables"].update(list_tables(unit))
    return render_to_string("dashboards/_figures.html", {
        "unit": unit, **figures, "sort": sort, "descending": descending,
        "charts": chart_data(figures), "shown": LEAGUE_SHOWN,
    })


def chart_data(figures):
    """Numbers for the page's charts (drawn by static/dashboards/dashboard-charts.js)."""
    tasks, targets = figures["tasks"], figures["targets"]
    labels, statuses = task_labels(), target_labels()
    task_keys = ["on_track", "not_started", "at_risk", "late", "done"]
    return {
        "numbers": {**separators(), "places": 0},
        "tasks": {"labels": [labels[key] for key in task_keys],
                  "values": [getattr(tasks, key) for key in task_keys]},
        "targets": {"labels": list(statuses.values()),
                    "values": [getattr(targets, status) for status in statuses]},
        "trend": {
            "labels": [formats.date_format(p.month, "YEAR_MONTH_FORMAT") for p in figures["trend"]],
            "series": [
                {"label": _("Due"), "values": [p.due for p in figures["trend"]]},
                {"label": _("Done"), "values": [p.done for p in figures["trend"]]},
                {"label": _("Done on time"), "values": [p.done_on_time for p in figures["trend"]]},
            ],
        },
    }


def target_list_table(targets):
    table = Table("targets", _("Targets"), [
        Column("code", _("Code"), numeric=False), Column("target", _("Target"), numeric=False),
        Column("unit", _("Unit"), numeric=False), Column("area", _("Area"), numeric=False),
        Column("status", _("Status"), numeric=False), Column("actual", _("Actual")),
        Column("expected", _("Expected")), Column("gap", _("Gap (%)"))])
    statuses = target_labels()
    for target in targets:
        health = getattr(target, "health", None)
        kind = kind_of_target(target)
        table.rows.append([
            Cell(target.code), Cell(target.name, link=reverse("plans:target", args=[target.pk])),
            Cell(target.unit.name), Cell(target.group),
            Cell(statuses[health.status] if health else statuses[TargetStatus.NO_DATA]),
            Cell(health.actual if health else None, kind=kind),
            Cell(health.expected if health else None, kind=kind),
            Cell(health.gap_percent if health else None, suffix="%" if health else ""),
        ])
    return table


def _index(value, baseline):
    """A value as an index of its baseline (baseline = 100), so that units of different size
    can share one chart."""
    if value is None or not baseline:
        return None
    return round(float(value) / float(baseline) * 100, 1)


def indicator_table(targets):
    table = Table("indicator", _("Units compared"), [
        Column("unit", _("Unit"), numeric=False), Column("target", _("Target"), numeric=False),
        Column("baseline", _("Baseline")), Column("goal", _("Target value")),
        Column("actual", _("Actual")), Column("expected", _("Expected")),
        Column("gap", _("Gap (%)")), Column("status", _("Status"), numeric=False)])
    statuses = target_labels()
    for target in targets:
        health = getattr(target, "health", None)
        points = sorted(target.trajectory.all(), key=lambda point: point.year)
        goal = target.target_value if target.target_value is not None else (
            points[-1].expected_value if points else None)
        kind = kind_of_target(target)
        table.rows.append([
            Cell(target.unit.name), Cell(target.name, link=reverse("plans:target", args=[
                target.pk])),
            Cell(target.baseline_value, kind=kind), Cell(goal, kind=kind),
            Cell(health.actual if health else None, kind=kind),
            Cell(health.expected if health else None, kind=kind),
            Cell(health.gap_percent if health else None, suffix="%" if health else ""),
            Cell(statuses[health.status] if health else statuses[TargetStatus.NO_DATA]),
        ])
    return table


def indicator_chart(targets):
    """Each unit's expected path as an index of its baseline, on the years of all of them."""
    years = sorted({p.year for t in targets for p in t.trajectory.all()}
                   | {t.baseline_year for t in targets})
    series = []
    for target in targets:
        by_year = {p.year: p.expected_value for p in target.trajectory.all()}
        by_year[target.baseline_year] = target.baseline_value
        series.append({"label": target.unit.name, "values": [
            _index(by_year.get(year), target.baseline_value) for year in years]})
    return {"labels": years, "series": series, "numbers": {**separators(), "places": 1}}
