"""Writing a unit's targets, measurements and tasks as XLSX or CSV, and the blank templates.

The export writes exactly the columns the import reads (formats.py), headers in the person's
language. XLSX cells are typed: dates are dates, numbers are numbers, and text is always text
(never a formula, even when it starts with "="). A CSV is UTF-8 with a BOM so that Excel reads
its Vietnamese letters; text starting like a formula is prefixed with an apostrophe so that Excel
does not run it, and the import takes the apostrophe off again (sixclear.spreadsheet_safety).
"""

import csv
import datetime
import io
from decimal import Decimal

from django.utils.translation import gettext as _

from sixclear.spreadsheet_safety import csv_text, keep_text

from .formats import COLUMNS, LIST_HELP
from .models import ImportKind

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
LIST_JOIN = "; "


def _cell(obj, column):
    """The value of `column` for `obj`, as it is written in a cell."""
    key = column.key
    if key == "target" and column.type == "text":
        return obj.target.code
    value = getattr(obj, key)
    if column.type == "choice":
        return str(column.choices(value).label) if value else ""
    if column.type == "user":
        return value.username if value else ""
    if column.type == "unit":
        return value.code if value else ""
    if column.type == "units":
        return LIST_JOIN.join(sorted(unit.code for unit in value.all()))
    if column.type == "targets":
        return LIST_JOIN.join(sorted(target.code for target in value.all()))
    if column.type in ("program", "resolution"):
        return value.number if value else ""
    if column.key == "period_number":
        return value or None
    return value


def rows_of(kind, objects):
    columns = COLUMNS[kind]
    for obj in objects:
        yield [_cell(obj, column) for column in columns]


def headers(kind):
    return [str(column.label) for column in COLUMNS[kind]]


def write_csv(kind, objects):
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers(kind))
    for row in rows_of(kind, objects):
        writer.writerow([_csv_text(value) for value in row])
    return out.getvalue().encode("utf-8")


def _csv_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return csv_text(str(value))


def _workbook():
    from openpyxl import Workbook

    return Workbook(write_only=True)


def _typed(sheet, value, bold=False):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    cell = keep_text(WriteOnlyCell(sheet, value=value))  # text that starts with "=" stays text
    if isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _data_sheet(workbook, kind, objects):
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(str(ImportKind(kind).label)[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS[kind], start=1):
        width = 40 if column.key in ("title", "description", "name", "work",
                                     "expected_result", "result", "note") else 16
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([_typed(sheet, header, bold=True) for header in headers(kind)])
    for row in rows_of(kind, objects):
        sheet.append([_typed(sheet, value) for value in row])


def _instructions_sheet(workbook, kind):
    sheet = workbook.create_sheet(_("Instructions")[:31])
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 90
    lines = [
        _("Fill in the first sheet, one row per record, below the header row. Keep the "
          "headers: they may be in Vietnamese, English or Arabic."),
        _("Dates as date cells or written 2026-03-31 or 31/03/2026; numbers as numbers. Values "
          "only: a cell with a formula makes the whole file refused."),
        _("The import checks every row first and lists every error; it changes nothing unless "
          "every row is right. Importing the same file again updates the same records."),
    ]
    for line in lines:
        sheet.append([_typed(sheet, line)])
    sheet.append([])
    sheet.append([_typed(sheet, text, bold=True)
                  for text in (_("Column"), _("Required"), _("What to write"))])
    for column in COLUMNS[kind]:
        note = str(column.help)
        if column.choices is not None:
            note = (note + " " if note else "") + _("One of: %(choices)s") % {
                "choices": "; ".join(str(label) for _v, label in column.choices.choices)}
        if column.type == "date":
            note = note or _("A date.")
        if column.type in ("decimal", "int"):
            note = note or _("A number.")
        if column.type == "units" and not note:
            note = str(LIST_HELP)
        sheet.append([_typed(sheet, str(column.label)),
                      _typed(sheet, _("yes") if column.required else ""),
                      _typed(sheet, note)])


def write_xlsx(kind, objects, instructions=True):
    workbook = _workbook()
    _data_sheet(workbook, kind, objects)
    if instructions:
        _instructions_sheet(workbook, kind)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_template(kind):
    """A blank workbook: the headers in the person's language and a sheet of instructions."""
    return write_xlsx(kind, [], instructions=True)
