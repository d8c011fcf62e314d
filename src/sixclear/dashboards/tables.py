"""A dashboard table: the one shape that pages render, charts read and exports write.

Every table on a dashboard is built once as a `Table` (its caption, columns, and cells holding
numbers as numbers, with the link behind each figure), so the HTML, the CSV and the XLSX file
of a table always carry the same figures.
"""

import csv
import io
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.text import slugify


@dataclass
class Column:
    key: str
    label: str
    numeric: bool = True
    sort: str = ""  # the league's sort key, when the column can be sorted


@dataclass
class Cell:
    value: object  # a number, a text, or None for "no figure"
    link: str = ""
    suffix: str = ""  # shown after the number on the page ("%"), never exported
    css: str = ""


@dataclass
class Table:
    key: str
    caption: str
    columns: list
    rows: list = field(default_factory=list)  # lists of Cell, one per column

    def plain_rows(self):
        return [[cell.value for cell in row] for row in self.rows]


def _filename(table, extension):
    return f"{slugify(table.caption) or table.key}.{extension}"


def csv_response(table):
    """The table as UTF-8 CSV with a byte-order mark, which spreadsheet programs need."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.label for column in table.columns])
    writer.writerows([_plain(_safe_text(value)) for value in row] for row in table.plain_rows())
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "csv")}"'
    return response


def _plain(value):
    return "" if value is None else value


def xlsx_response(table):
    """The table as an XLSX workbook: a bold header row, numbers stored as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.caption[:31] or table.key
    sheet.append([column.label for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.plain_rows():
        sheet.append([_safe_text(value) for value in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "xlsx")}"'
    return response


def _safe_text(value):
    # A name starting with "=" must stay text, never become a formula in the reader's program.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


EXPORTS = {"csv": csv_response, "xlsx": xlsx_response}


def mark_sorting(table, sort, descending, query=""):
    """Give each sortable column the link that sorts by it (descending first, then the other
    way) and the aria-sort value of the current order."""
    for column in table.columns:
        if not column.sort:
            continue
        current = column.sort == sort
        column.aria_sort = ("descending" if descending else "ascending") if current else ""
        direction = "asc" if current and descending else "desc"
        column.href = f"?sort={column.sort}&dir={direction}{query}#table-{table.key}"
    return table
