"""The tables of a periodic report, named once: each writer (DOCX, PDF, XLSX) renders these
same sections from the same `ReportContent`, so the three formats say the same thing.

The XLSX lists every row the content holds. The documents (PDF, DOCX) list the rows that
matter most, at most `REPORTS_DOCUMENT_ROWS` per section (the tasks late the longest, the
targets off their path first, the sub-units with the most late tasks, …), and say under the
table how many they leave out and that the XLSX lists them: a province's lists run to thousands
of tasks, which no one reads on paper and which cost the PDF most of its time.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from sixclear.monitoring.models import TargetStatus
from sixclear.numbers import format_number


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text, number, year, date
    weight: float = 0  # its share of the table's width in the PDF (0: by its kind)

    @property
    def share(self):
        return self.weight or KIND_SHARES.get(self.kind, 1)

    @property
    def numeric(self):
        """Aligned to the end of its cell."""
        return self.kind in ("number", "year", "date")


# Shares of a table's width by kind of column: wide enough for "1.077.965,6" or
# "10/07/2026" on one line at the PDF's size, the rest to the text.
KIND_SHARES = {"text": 2, "number": 1.5, "year": 0.9, "date": 1.65}


WIDE_COLUMNS = 7


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    columns: list
    rows: list  # every row the content holds: the XLSX lists them all
    total: int | None = None  # rows in all, when the content holds fewer (a capped list)
    document_rows: list | None = None  # the rows the PDF and DOCX list (None: all of `rows`)
    which: str = ""  # which rows the documents list when they leave some out

    @property
    def wide(self):
        """Too many columns for a portrait page: printed on a landscape page."""
        return len(self.columns) > WIDE_COLUMNS

    @property
    def in_all(self):
        return self.total if self.total is not None else len(self.rows)

    @property
    def capped(self):
        """The content (and so the XLSX) holds fewer rows than there are."""
        return self.in_all > len(self.rows)

    @property
    def listed(self):
        """The rows the documents (PDF, DOCX) print."""
        return self.rows if self.document_rows is None else self.document_rows

    @property
    def left_out(self):
        """Rows the documents leave out: the XLSX has them (up to the content's cap)."""
        return self.in_all - len(self.listed)


def _rows_that_matter(rows: list, order: Callable[[dict], Any] | None) -> list | None:
    """The first `REPORTS_DOCUMENT_ROWS` rows in `order` (the content's own when None), or
    None when all of them fit."""
    limit = settings.REPORTS_DOCUMENT_ROWS
    if len(rows) <= limit:
        return None
    return (sorted(rows, key=order) if order else rows)[:limit]


def _section(key, title, columns, rows, total=None, *, order=None, which=""):
    return Section(key, title, columns, rows, total, _rows_that_matter(rows, order), which)


TARGET_SEVERITY = {TargetStatus.OFF_TRACK: 0, TargetStatus.BEHIND: 1, TargetStatus.NO_DATA: 2}


def _target_severity(row):
    """Off track first, then behind, then without data, then on track; by code within."""
    return TARGET_SEVERITY.get(row.get("status"), 3), str(row.get("code") or "")


def _most_late(row):
    return -(row.get("late") or 0), -(row.get("at_risk") or 0), str(row.get("unit") or "")


def task_columns(*extra):
    return [Column("title", _("Task"), weight=4), Column("unit", _("Unit")),
            Column("owner", _("Owner")), Column("deadline", _("Deadline"), "date"), *extra]


def report_sections(content):
    """The report's sections in order, with translated titles and column headings."""
    summary_rows = [{"label": label, "value": value} for label, value in content.summary]
    totals = content.totals
    return [
        Section("summary", _("Summary figures"),
                [Column("label", _("Figure"), weight=4), Column("value", _("Value"), "number")],
                summary_rows),
        _section("targets", _("Targets"), [
            Column("code", _("Code"), weight=1.1), Column("name", _("Target"), weight=3),
            Column("unit_of_measure", _("Unit of measure"), weight=1.3),
            Column("baseline", _("Baseline"), "number"),
            Column("baseline_year", _("Baseline year"), "year"),
            Column("goal", _("Goal"), "number"),
            Column("expected", _("Expected"), "number"),
            Column("actual", _("Actual"), "number"), Column("gap", _("Gap"), "number"),
            Column("gap_percent", _("Gap (%)"), "number"),
            Column("required_rate", _("Required rate (%/yr)"), "number"),
            Column("required_amount", _("Required per year"), "number"),
            Column("status_label", _("Status"), weight=1.4),
            Column("forecast", _("Forecast"), weight=1.4),
        ], content.targets, totals.get("targets"), order=_target_severity,
            which=_("those off their path first, then those behind it")),
        _section("done", _("Tasks done within the period"),
                 task_columns(Column("completed_on", _("Completed on"), "date")),
                 content.tasks_done, totals.get("done"), which=_("the first completed")),
        _section("late", _("Late tasks"),
                 task_columns(Column("days_late", _("Days late"), "number"),
                              Column("percent", _("Done (%)"), "number")),
                 content.tasks_late, totals.get("late"), which=_("those late the longest")),
        _section("at_risk", _("Tasks at risk"),
                 task_columns(Column("percent", _("Done (%)"), "number"),
                              Column("obstacle", _("Obstacle"), weight=3)),
                 content.tasks_at_risk, totals.get("at_risk"),
                 which=_("those due soonest")),
        _section("obstacles", _("Obstacles and proposals"),
                 task_columns(Column("obstacle", _("Obstacle or proposal"), weight=4)),
                 content.obstacles, totals.get("obstacles"), which=_("those due soonest")),
        _section("sub_units", _("Sub-units side by side"), [
            Column("unit", _("Unit"), weight=3), Column("total", _("Tasks"), "number"),
            Column("open", _("Open"), "number"), Column("done", _("Done"), "number"),
            Column("late", _("Late"), "number"), Column("at_risk", _("At risk"), "number"),
            Column("done_share", _("Done (%)"), "number"),
            Column("targets", _("Targets"), "number"),
            Column("on_track", _("On track"), "number"), Column("behind", _("Behind"), "number"),
            Column("off_track", _("Off track"), "number"),
        ], content.sub_units, order=_most_late, which=_("those with the most late tasks")),
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


def document_note(section: Section) -> str:
    """What a document (PDF, DOCX) says under a table it shortened: how many rows it lists,
    which, how many it leaves out, and that the XLSX lists them."""
    if section.left_out <= 0:
        return ""
    values = {"shown": format_number(len(section.listed)),
              "total": format_number(section.in_all), "which": section.which,
              "left": format_number(section.left_out), "listed": format_number(len(section.rows))}
    if section.capped:
        return _("Listed here: %(shown)s of %(total)s, %(which)s; %(left)s are left out for "
                 "length. The XLSX version of this report lists the first %(listed)s.") % values
    return _("Listed here: %(shown)s of %(total)s, %(which)s; %(left)s are left out for "
             "length. The XLSX version of this report lists all of them.") % values


def sheet_note(section: Section) -> str:
    """What the XLSX says under a list the content capped (`REPORTS_ROW_LIMIT`)."""
    if not section.capped:
        return ""
    return _("The first %(shown)s of %(total)s are listed.") % {
        "shown": format_number(len(section.rows)), "total": format_number(section.in_all)}


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
    if kind == "year":
        return str(value)
    if kind == "number":
        return format_number(value)
    text = str(value)
    return f"\u2068{text}\u2069" if get_language_bidi() else text
