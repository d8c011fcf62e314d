"""Checking an uploaded spreadsheet before anything reads it, and reading its rows.

Checked before openpyxl opens a workbook: the leading bytes (a PDF or an old .xls named .xlsx is
refused), that it is a whole zip with the parts of a workbook, and the declared and the actual
unpacked size of every part and its ratio to the packed size (a zip bomb disguised as XLSX is
refused without being unpacked past the limit). openpyxl parses XML through defusedxml, which
refuses entity expansion and external entities. A CSV must be UTF-8 (a BOM is welcome).
Formulas are refused: Sixclear reads values only and never computes anything. A formula cell is
an error of its row like any other (the file is not imported), so that it does not hide the
other errors of the file: every one is listed at once.
"""

import csv
import datetime
import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sixclear.spreadsheet_safety import read_csv_text, starts_like_formula

from .formats import normalize

XLSX, CSV = "xlsx", "csv"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEADER_SEARCH_ROWS = 10


class FileRefused(ValidationError):
    """The file as a whole cannot be read; nothing in it is looked at further."""


class Formula:
    """A cell that holds a formula, in place of its value: reported once, then never read."""

    def __init__(self, message):
        self.message = message

    def __str__(self):
        return ""


def detect_format(name, head):
    """XLSX or CSV from the file's leading bytes and name; refuse anything else, saying why."""
    lower = (name or "").lower()
    if head.startswith(ZIP_MAGIC):
        return XLSX
    if head.startswith(b"%PDF"):
        raise FileRefused(_("This file is a PDF document, not a spreadsheet. Upload the .xlsx "
                            "workbook or a .csv file."))
    if head.startswith(OLE_MAGIC):
        raise FileRefused(_("This is an old Excel 97–2003 file (.xls). Open it in Excel and "
                            "save it as an Excel workbook (.xlsx), then upload it again."))
    if lower.endswith(".xlsx"):
        raise FileRefused(_("This file is named .xlsx but is not an Excel workbook: it may be "
                            "damaged or of another type."))
    if lower.endswith(".csv"):
        return CSV
    raise FileRefused(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))


def check_size(size):
    limit = settings.SIXCLEAR_IMPORT_MAX_BYTES
    if size > limit:
        raise FileRefused(_("The file is %(size)s MB; at most %(limit)s MB can be imported.") % {
            "size": round(size / 1024 / 1024, 1), "limit": limit // 1024 // 1024})
    if size == 0:
        raise FileRefused(_("The file is empty."))


def check_workbook_zip(stream):
    """Refuse a damaged zip, a zip without a workbook, and a zip bomb, before unpacking it."""
    max_total = settings.SIXCLEAR_IMPORT_MAX_UNPACKED_BYTES
    max_ratio = settings.SIXCLEAR_IMPORT_MAX_RATIO
    too_big = FileRefused(_(
        "This file unpacks to far more data than a spreadsheet holds (a “zip bomb”); it was "
        "not opened."))
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileRefused(_("The workbook is damaged and cannot be opened.")) from error
    with archive:
        members = archive.infolist()
        names = {member.filename for member in members}
        if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
            raise FileRefused(_("This zip file is not an Excel workbook."))
        if len(members) > 1000:
            raise too_big
        declared = 0
        for member in members:
            declared += member.file_size
            if declared > max_total or member.file_size > max(member.compress_size, 1) * max_ratio:
                raise too_big
        # The sizes in the directory are the sender's word: unpack each part in chunks and stop
        # at the declared size, so a part that lies about its size is caught too.
        actual = 0
        for member in members:
            seen = 0
            try:
                with archive.open(member) as part:
                    while chunk := part.read(1024 * 1024):
                        seen += len(chunk)
                        actual += len(chunk)
                        if seen > member.file_size or actual > max_total:
                            raise too_big
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) \
                    as error:
                raise FileRefused(_("The workbook is damaged and cannot be opened.")) from error
    stream.seek(0)


def decode_csv(data):
    """The text of a UTF-8 CSV (with or without BOM); other encodings are refused clearly."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(_(
            "This CSV file is in UTF-16 (“Unicode text”). Save it from Excel as “CSV UTF-8 "
            "(comma delimited)” and upload it again."))
    if b"\x00" in data:
        raise FileRefused(_("This file is not a text CSV file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(_(
            "This CSV file is not in UTF-8 (byte %(position)s cannot be read), so its "
            "Vietnamese letters would be lost. Save it from Excel as “CSV UTF-8 (comma "
            "delimited)” and upload it again.") % {"position": error.start + 1}) from error


def check_upload(name, data):
    """The format of an uploaded file, or FileRefused saying what is wrong with it."""
    check_size(len(data))
    file_format = detect_format(name, data[:8])
    if file_format == XLSX:
        check_workbook_zip(io.BytesIO(data))
    else:
        decode_csv(data)
    return file_format


def column_letter(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xlsx_rows(data):
    """(row number, [values]) of the workbook's first sheet; formulas are refused."""
    from openpyxl import load_workbook

    check_workbook_zip(io.BytesIO(data))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl and defusedxml raise many kinds on a bad workbook
        raise FileRefused(_("The workbook cannot be read: %(reason)s") % {
            "reason": error.__class__.__name__}) from error
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(), start=1):
            values = []
            for index, cell in enumerate(row):
                if getattr(cell, "data_type", None) == "f":
                    values.append(Formula(_(
                        "Cell %(cell)s holds a formula. Sixclear imports values only and "
                        "computes nothing: copy the cells and paste them as values, then "
                        "import again.") % {"cell": f"{column_letter(index)}{number}"}))
                    continue
                value = cell.value
                if isinstance(value, datetime.datetime):
                    value = value.date() if value.time() == datetime.time() else value
                values.append(value)
            yield number, values
    finally:
        workbook.close()


def _csv_rows(data):
    text = decode_csv(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            yield number, [_csv_value(value) for value in row]
    except csv.Error as error:
        raise FileRefused(_("The CSV file cannot be read: %(reason)s") % {
            "reason": str(error)}) from error


def _csv_value(value):
    # Exported text that starts like a formula carries an apostrophe (spreadsheet_safety).
    if value.startswith("'") and starts_like_formula(value[1:]):
        return read_csv_text(value)
    if value.startswith("="):
        return Formula(_(
            "A cell holds a formula (“%(start)s…”). Sixclear imports values only and computes "
            "nothing: paste the values instead, then import again.") % {"start": value[:20]})
    return value


def is_blank(values):
    return all(value is None or (isinstance(value, str) and not value.strip())
               for value in values)


def read_table(data, file_format, headers, required, report):
    """The header row and the data rows of a file.

    `headers` maps normalized header text to a column key; `required` is {key: label}. The
    header row is the first of the first rows with at least two known headers (an appendix may
    have a title above its table).
    Returns (columns, ignored headers, rows), where columns is {index: key} and rows yields
    (row number, {key: value}); blank rows are skipped. A formula is reported through
    `report(row number, column key or None, message)` and stays in its cell as a `Formula`, which
    the reader skips. Raises FileRefused for a file that has no such header row, lacks a
    required column, or has more rows than allowed.
    """
    rows = _xlsx_rows(data) if file_format == XLSX else _csv_rows(data)
    columns, ignored = None, []
    for number, values in rows:
        for value in values:
            if isinstance(value, Formula):
                report(number, None, value.message)
        values = [None if isinstance(v, Formula) else v for v in values]
        keys = {i: headers.get(normalize(v)) for i, v in enumerate(values) if v is not None}
        if sum(1 for key in keys.values() if key) >= 2:
            columns = {i: key for i, key in keys.items() if key}
            ignored = [str(values[i]) for i, key in keys.items() if not key and
                       str(values[i]).strip()]
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if columns is None:
        raise FileRefused(_("No header row was found in the first rows of the first sheet. "
                            "Start from the template."))
    missing = [str(label) for key, label in required.items() if key not in columns.values()]
    if missing:
        raise FileRefused(_("These required columns are missing: %(columns)s") % {
            "columns": ", ".join(missing)})
    return columns, ignored, _data_rows(rows, columns, report)


def _data_rows(rows, columns, report):
    limit = settings.SIXCLEAR_IMPORT_MAX_ROWS
    count = 0
    for number, values in rows:
        for index, value in enumerate(values):
            if isinstance(value, Formula):
                report(number, columns.get(index), value.message)
        if is_blank(values):
            continue
        count += 1
        if count > limit:
            raise FileRefused(_("The file has more than %(limit)s rows; split it into several "
                                "files.") % {"limit": f"{limit:,}"})
        yield number, {key: values[i] if i < len(values) else None
                       for i, key in columns.items()}
