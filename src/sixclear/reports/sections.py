"""The tables of a periodic report, named once: each writer (DOCX, PDF, XLSX) renders these
same sections from the same `ReportContent`, so the three formats say the same thing."""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from sixclear.numbers import format_number


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text, number, percent, date


WIDE_COLUMNS = 7


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    columns: list
    rows: list
    total: int | None = None  # rows in all, when the list is capped

    @property
    def wide(self):
        """Too many columns for a portrait page: printed on a landscape page."""
        return len(self.columns) > WIDE_COLUMNS

    @property
    def capped(self):
        return self.total is not None and self.total > len(self.rows)


def task_columns(*extra):
    return [Column("title", _("Task")), Column("unit", _("Unit")), Column("owner", _("Owner")),
            Column("deadline", _("Deadline"), "date"), *extra]


def report_sections(content):
    """The report's sections in order, with translated titles and column headings."""
    summary_rows = [{"label": label, "value": value} for label, value in content.summary]
    return [
        Section("summary", _("Summary figures"),
                [Column("label", _("Figure")), Column("value", _("Value"), "number")],
                summary_rows),
        Section("targets", _("Targets"), [
            Column("code", _("Code")), Column("name", _("Target")),
            Column("unit_of_measure", _("Unit of measure")),
            Column("baseline", _("Baseline"), "number"),
            Column("baseline_year", _("Baseline year"), "number"),
            Column("goal", _("Goal"), "number"),
            Column("expected", _("Expected"), "number"),
            Column("actual", _("Actual"), "number"), Column("gap", _("Gap"), "number"),
            Column("gap_percent", _("Gap (%)"), "number"),
            Column("required_rate", _("Required rate (%/yr)"), "number"),
            Column("required_amount", _("Required per year"), "number"),
            Column("status_label", _("Status")), Column("forecast", _("Forecast")),
        ], content.targets),
        Section("done", _("Tasks done within the period"),
                task_columns(Column("completed_on", _("Completed on"), "date")),
                content.tasks_done, content.totals.get("done")),
        Section("late", _("Late tasks"),
                task_columns(Column("days_late", _("Days late"), "number"),
                             Column("percent", _("Done (%)"), "number")),
                content.tasks_late, content.totals.get("late")),
        Section("at_risk", _("Tasks at risk"),
                task_columns(Column("percent", _("Done (%)"), "number"),
                             Column("obstacle", _("Obstacle"))),
                content.tasks_at_risk, content.totals.get("at_risk")),
        Section("obstacles", _("Obstacles and proposals"),
                task_columns(Column("obstacle", _("Obstacle or proposal"))),
                content.obstacles),
        Section("sub_units", _("Sub-units side by side"), [
            Column("unit", _("Unit")), Column("total", _("Tasks"), "number"),
            Column("open", _("Open"), "number"), Column("done", _("Done"), "number"),
            Column("late", _("Late"), "number"), Column("at_risk", _("At risk"), "number"),
            Column("done_share", _("Done (%)"), "number"),
            Column("targets", _("Targets"), "number"),
            Column("on_track", _("On track"), "number"), Column("behind", _("Behind"), "number"),
            Column("off_track", _("Off track"), "number"),
        ], content.sub_units),
        *meeting_sections(content),
    ]


def meeting_sections(content):
    """A year's report: fewer meetings, shorter, about obstacles (the meetings page's
    measures), month by month and for the year."""
    if not content.meeting_measures:
        return []
    return [Section("meetings", _("Fewer meetings, about obstacles"), [
        Column("month", _("Month")), Column("meetings", _("Meetings held"), "number"),
        Column("average_minutes", _("Average length (minutes)"), "number"),
        Column("decisive_percent", _("Items on obstacles or decisions (%)"), "number"),
        Column("resolved_in_meetings", _("Obstacles resolved in meetings"), "number"),
        Column("resolved_elsewhere", _("Obstacles resolved outside meetings"), "number"),
        Column("median_days_open", _("Median days an obstacle stayed open"), "number"),
        Column("conclusions_done", _("Conclusion tasks done"), "number"),
        Column("conclusions_on_time", _("Done by the deadline"), "number"),
    ], content.meeting_measures)]


def appendix_columns():
    return [
        Column("position", _("No."), "number"), Column("work", _("Work")),
        Column("person", _("Person in charge")), Column("lead_unit", _("Lead unit")),
        Column("coordinating_units", _("Coordinating units")),
        Column("deadline", _("Deadline"), "date"), Column("result", _("Expected result")),
        Column("authority", _("Approving authority")),
    ]


def cell_text(value, kind):
    """A value as text for DOCX and PDF (XLSX keeps numbers and dates as they are): numbers
    as `sixclear.numbers` writes them for the reader, and text isolated in a right-to-left
    report (U+2068 … U+2069, what `<bdi>` does on a page), so that a Vietnamese name keeps
    its order inside Arabic."""
    if value is None or value == "":
        return "—"
    if kind == "date":
        return date_format(value, "SHORT_DATE_FORMAT")
    if kind == "number":
        return format_number(value)
    text = str(value)
    return f"\u2068{text}\u2069" if get_language_bidi() else text
