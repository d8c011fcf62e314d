"""The procedure register and cases as spreadsheets (XLSX or CSV), read and written alike.

A column has a stable key; the header row may use the key or the column's name in any of the
three languages, so a file exported in Vietnamese imports in English. Text is written through
`sixclear.spreadsheet_safety`, so a name that starts like a formula stays text.
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sixclear.spreadsheet_safety import csv_row, keep_text, read_csv_text

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    key: str
    label: Any


PROCEDURE_COLUMNS = [
    Column("code", gettext_lazy("Procedure code")),
    Column("name", gettext_lazy("Procedure name")),
    Column("owner", gettext_lazy("Owner (user name)")),
    Column("shared_below", gettext_lazy("Shared with the units below (yes/no)")),
    Column("objectives", gettext_lazy("Quality objectives (target codes, separated by ;)")),
    Column("version", gettext_lazy("Version")),
    Column("effective_from", gettext_lazy("Effective from")),
    Column("step", gettext_lazy("Step")),
    Column("step_name", gettext_lazy("Step name")),
    Column("role", gettext_lazy("Role that does it")),
    Column("days", gettext_lazy("Time limit (working days)")),
    Column("records", gettext_lazy("Records it produces")),
]

CASE_COLUMNS = [
    Column("reference", gettext_lazy("Reference")),
    Column("procedure", gettext_lazy("Procedure code")),
    Column("subject", gettext_lazy("Subject")),
    Column("applicant", gettext_lazy("Applicant")),
    Column("opened_on", gettext_lazy("Received on")),
    Column("steps_done_on", gettext_lazy("Steps handed over on (dates, separated by ;)")),
]


class FileRefused(ValueError):
    """The file cannot be read as a spreadsheet of this kind."""


def normalize(text: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


def _header_map(columns: list[Column]) -> dict[str, str]:
    names = {}
    for column in columns:
        names[normalize(column.key)] = column.key
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                names[normalize(column.label)] = column.key
    return names


def read_rows(upload: Any, columns: list[Column]) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {key: value}) for each non-empty row of an uploaded XLSX or CSV file."""
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise FileRefused(_("The file is larger than 5 MB."))
    name = getattr(upload, "name", "").lower()
    if name.endswith(".csv"):
        table = _read_csv(data)
    elif name.endswith(".xlsx"):
        table = _read_xlsx(data)
    else:
        raise FileRefused(_("Upload an XLSX or CSV file."))
    if not table:
        raise FileRefused(_("The file is empty."))
    known = _header_map(columns)
    header = [known.get(normalize(cell)) if cell not in (None, "") else None
              for cell in table[0]]
    missing = [str(column.label) for column in columns[:1] if column.key not in header]
    if missing:
        raise FileRefused(_("The first row names the columns; this one lacks: %(names)s.")
                          % {"names": ", ".join(missing)})
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {key: cell for key, cell in zip(header, cells, strict=False)
                  if key and cell not in (None, "")}
        if values:
            rows.append((number, values))
    if len(rows) > MAX_ROWS:
        raise FileRefused(_("A file holds at most %(count)d rows.") % {"count": MAX_ROWS})
    return rows


def _read_csv(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(_("Save the CSV file as UTF-8.")) from error
    return [[read_csv_text(cell.strip()) for cell in row]
            for row in csv.reader(io.StringIO(text))]


def _read_xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise FileRefused(_("The file is not a readable XLSX workbook.")) from error
    sheet = workbook.worksheets[0]
    table = []
    for row in sheet.iter_rows(values_only=True):
        table.append([cell.date() if isinstance(cell, datetime.datetime)
                      else cell.strip() if isinstance(cell, str) else cell for cell in row])
        if len(table) > MAX_ROWS + 1:
            break
    workbook.close()
    return table


def write(columns: list[Column], rows: list[list[Any]], file_format: str) -> bytes:
    header = [str(column.label) for column in columns]
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(csv_row("" if value is None else value for value in row)
                         for row in rows)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    bold = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = Font(bold=True)
        bold.append(keep_text(cell))
    sheet.append(bold)
    for row in rows:
        sheet.append([keep_text(WriteOnlyCell(sheet, value=value)) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def date(value: Any) -> datetime.date | None:
    """A date from a cell; None when it is not one."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text(value), pattern).date()
        except ValueError:
            continue
    return None


def whole(value: Any) -> int | None:
    try:
        number = float(text(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def yes(value: Any) -> bool | None:
    words = {"yes": True, "no": False, "có": True, "không": False, "نعم": True, "لا": False,
             "true": True, "false": False, "1": True, "0": False, "x": True}
    return words.get(normalize(text(value)))
