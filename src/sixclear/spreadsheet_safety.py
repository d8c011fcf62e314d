"""Text written into a spreadsheet (CSV or XLSX) stays text: it never becomes a formula.

A cell that starts with = + - @, a tab or a carriage return is read as a formula by Excel,
LibreOffice and Google Sheets (OWASP's "CSV injection"): a task titled `=HYPERLINK(...)` or
`=cmd|'/c calc'!A1` would run in the reader's program. Every export of the system writes its
cells through this module:

- XLSX: such text is stored as a string cell with the "quote prefix" style, so the program shows
  it as written, keeps it text when the cell is edited, and the value reads back unchanged.
- CSV has no types, so such text is prefixed with an apostrophe, which spreadsheet programs
  take as "this is text"; the import (`exchange.files`) takes the apostrophe off again.

A plain number written as text ("-12.5", the open data's numbers) is left as it is: it cannot
compute anything, and the open data promises numbers without decoration.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def starts_like_formula(value):
    """Whether `value` is text a spreadsheet program would read as a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    )


def csv_text(value):
    """`value` as it may be written in a CSV cell: formula-like text gets the apostrophe."""
    if starts_like_formula(value):
        return TEXT_MARK + value
    return value


def csv_row(values):
    return [csv_text(value) for value in values]


def read_csv_text(value):
    """The text a CSV cell written by `csv_text` stood for (the apostrophe taken off)."""
    if isinstance(value, str) and value.startswith(TEXT_MARK) and starts_like_formula(value[1:]):
        return value[1:]
    return value


def keep_text(cell):
    """Make an openpyxl cell that holds text a string cell, never a formula.

    openpyxl turns any assigned string starting with "=" into a formula; this undoes that and
    marks formula-like text with the quote prefix, as Excel does for text typed after an
    apostrophe. Returns the cell, so it can wrap a `WriteOnlyCell` in a row being appended.
    """
    value = cell.value
    if isinstance(value, str):
        cell.data_type = "s"
        if starts_like_formula(value):
            cell.quotePrefix = True
    return cell


def keep_sheet_text(sheet, min_row=1):
    """`keep_text` for every cell of a (normal, not write-only) worksheet from `min_row` on."""
    for row in sheet.iter_rows(min_row=min_row):
        for cell in row:
            keep_text(cell)


def xlsx_value(sheet, value):
    """`value` for a row of a write-only sheet, text kept as text at the least cost: a value
    openpyxl stores as it is (a number, a date, plain text) goes as it is, and only text it
    would read as a formula or an error code ("#N/A") becomes a text cell (`keep_text`). A
    long report writes tens of thousands of cells; a cell object for each doubles the time."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS + ("#",)):
        from openpyxl.cell import WriteOnlyCell

        return keep_text(WriteOnlyCell(sheet, value=value))
    return value


def xlsx_row(sheet, values):
    """Cells for `sheet.append` in a write-only workbook, text kept as text."""
    from openpyxl.cell import WriteOnlyCell

    return [keep_text(WriteOnlyCell(sheet, value=value)) for value in values]
