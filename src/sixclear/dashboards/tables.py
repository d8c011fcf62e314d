"""A dashboard table: the one shape that pages render, charts read and exports write.

Every table on a dashboard is built once as a `Table` (its caption, columns, and cells holding
numbers as numbers, with the link behind each figure), so the HTML, the CSV and the XLSX file
of a table always carry the same figures.
"""

import csv
import html
import io
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from sixclear.numbers import NumberFormatter, NumberKind
from sixclear.spreadsheet_safety import csv_row, keep_sheet_text


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
    # How precise the number is shown (sixclear.numbers): a "%" suffix means a percentage.
    kind: str = ""
    css: str = ""
    # A long text (an obstacle) shows its first `shorten` characters, the rest one click away;
    # exports carry it whole.
    shorten: int = 0


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
    writer.writerows(csv_row(_plain(value) for value in row) for row in table.plain_rows())
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
        sheet.append(row)
    keep_sheet_text(sheet)  # a unit named "=HYPERLINK(…)" stays text, never a formula
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "xlsx")}"'
    return response


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


class Numbers:
    """Formats figures with `sixclear.numbers` (digits grouped, the language's marks), the
    marks read once per table: a province's league and area grid hold over a thousand."""

    def __init__(self):
        self.formatter = NumberFormatter()

    def __call__(self, value, kind=NumberKind.PLAIN):
        return self.formatter(value, kind)


def escape(value):
    # Django's escape(), without its lazy-string wrapper: the same characters, as plain text.
    return html.escape(str(value))


def _cell_html(cell, column, numbers):
    if cell.value is None:
        content = '<span class="muted">—</span>'
    elif column.numeric:
        kind = cell.kind or (NumberKind.PERCENT if cell.suffix == "%" else NumberKind.PLAIN)
        content = f"<bdi>{escape(numbers(cell.value, kind))}{escape(cell.suffix)}</bdi>"
    else:
        # What people typed (names, titles, obstacles) is isolated from the page's direction.
        text = str(cell.value)
        if cell.shorten and len(text) > cell.shorten:
            short = text[:cell.shorten].rstrip() + "…"
            return (f'<details class="long-text"><summary><bdi dir="auto">{escape(short)}</bdi>'
                    f'</summary><bdi dir="auto">{escape(text)}</bdi></details>')
        content = f'<bdi dir="auto">{escape(text)}</bdi>'
    if cell.link and cell.value is not None:
        content = f'<a href="{escape(cell.link)}">{content}</a>'
    return content


def _header_html(column):
    classes = ' class="number"' if column.numeric else ""
    aria_sort = getattr(column, "aria_sort", "")
    sort = f' aria-sort="{aria_sort}"' if aria_sort else ""
    label = escape(column.label)
    href = getattr(column, "href", "")
    if href:
        arrow = {"descending": " ▼", "ascending": " ▲"}.get(aria_sort, "")
        marker = f' <span aria-hidden="true">{arrow.strip()}</span>' if arrow else ""
        label = f'<a href="{escape(href)}">{label}{marker}</a>'
    return f'<th scope="col"{classes}{sort}>{label}</th>'


def table_html(table, empty_text):
    """The table as HTML, built in Python: the template engine costs ~0.5 ms a cell here."""
    numbers = Numbers()
    parts = [f'<div class="table-wrap"><table id="table-{escape(table.key)}" '
             f'class="dashboard-table"><caption>{escape(table.caption)}</caption><thead><tr>']
    parts += [_header_html(column) for column in table.columns]
    parts.append("</tr></thead><tbody>")
    for row in table.rows:
        parts.append("<tr>")
        for index, (cell, column) in enumerate(zip(row, table.columns, strict=True)):
            content = _cell_html(cell, column, numbers)
            if index == 0:
                parts.append(f'<th scope="row">{content}</th>')
            else:
                classes = " ".join(filter(None, ["number" if column.numeric else "", cell.css]))
                parts.append(f'<td class="{classes}">{content}</td>')
        parts.append("</tr>")
    if not table.rows:
        parts.append(f'<tr><td colspan="{len(table.columns)}" class="empty">'
                     f"{escape(empty_text)}</td></tr>")
    parts.append("</tbody></table></div>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
