"""Bad files are refused with a clear message, and nothing is changed."""

import io
import zipfile

import pytest
from django.urls import reverse

from sixclear.exchange.importing import import_rows
from sixclear.exchange.models import ImportJob
from sixclear.tracking.models import Task
from tests.exchange.conftest import upload, workbook_bytes

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROWS = [["Code", "Title"], ["Z-1", "Việc một"]]


def post(client, world, name, data, kind="tasks"):
    client.force_login(world.hh_manager)
    return client.post(reverse("exchange:import", args=[world.hoa_hoi.pk]),
                       {"kind": kind, "file": upload(name, data)})


def refused(response):
    assert response.status_code == 400
    assert not ImportJob.objects.exists() and not Task.objects.exists()
    return [str(e) for e in response.context["form"].errors["file"]]


def test_a_pdf_named_xlsx_is_refused(client, world):
    assert refused(post(client, world, "tasks.xlsx", PDF)) == [
        "This file is a PDF document, not a spreadsheet. Upload the .xlsx workbook or a .csv "
        "file."]


def test_an_old_xls_and_an_unknown_type_are_refused(client, world):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
    assert "(.xls)" in refused(post(client, world, "tasks.xlsx", ole))[0]
    assert "not an Excel workbook" in refused(post(client, world, "tasks.xlsx", b"hello"))[0]
    assert "(.xlsx) or a CSV" in refused(post(client, world, "tasks.txt", b"a,b"))[0]


def test_a_corrupt_zip_is_refused(client, world):
    data = workbook_bytes(ROWS)
    damaged = data[:len(data) // 2]
    assert refused(post(client, world, "tasks.xlsx", damaged)) == [
        "The workbook is damaged and cannot be opened."]


def test_a_zip_that_is_not_a_workbook_is_refused(client, world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refused(post(client, world, "tasks.xlsx", out.getvalue())) == [
        "This zip file is not an Excel workbook."]


def bomb(declared_size=None):
    """A workbook whose sheet is 200 MB of zeros packed to about 200 kB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as part:
            chunk = b"0" * (1024 * 1024)
            for _ in range(200):
                part.write(chunk)
    data = out.getvalue()
    if declared_size is not None:
        # Lie in the directory: declare the part tiny, so only unpacking can tell.
        data = _patch_sizes(data, declared_size)
    return data


def _patch_sizes(data, size):
    import struct

    data = bytearray(data)
    directory = data.rfind(b"PK\x01\x02" + data[data.find(b"PK\x01\x02") + 4:
                                                   data.find(b"PK\x01\x02") + 4])
    while directory != -1:
        name_length = struct.unpack_from("<H", data, directory + 28)[0]
        name = bytes(data[directory + 46:directory + 46 + name_length])
        if name == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, directory + 24, size)
        directory = data.find(b"PK\x01\x02", directory + 4)
    return bytes(data)


def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_it_is_unpacked(client, world):
    messages = refused(post(client, world, "tasks.xlsx", bomb()))
    assert messages == ["This file unpacks to far more data than a spreadsheet holds (a “zip "
                        "bomb”); it was not opened."]


def test_a_zip_bomb_lying_about_its_size_is_refused_while_unpacking(client, world, settings):
    # The directory says 1,000 bytes: unpacking stops there and the checksum gives it away.
    settings.SIXCLEAR_IMPORT_MAX_RATIO = 10 ** 9
    messages = refused(post(client, world, "tasks.xlsx", bomb(declared_size=1000)))
    assert messages == ["The workbook is damaged and cannot be opened."]


def test_a_csv_in_another_encoding_is_refused(client, world):
    text = "Code,Title\nZ-1,Hòa Bình\n"
    messages = refused(post(client, world, "tasks.csv", text.encode("cp1252")))
    assert messages[0].startswith("This CSV file is not in UTF-8")
    messages = refused(post(client, world, "tasks.csv", text.encode("utf-16")))
    assert "UTF-16" in messages[0]


def test_a_csv_without_bom_in_utf8_and_with_semicolons_is_read(world):
    data = "Code;Title\nZ-1;Khảo sát mặt bằng\n".encode()
    outcome = import_rows(kind="tasks", unit=world.hoa_hoi, actor=world.hh_manager,
                          data=data, file_format="csv")
    assert outcome.error_count == 0 and Task.objects.get(code="Z-1").title == "Khảo sát mặt bằng"


def job_errors(importer, world, client, data, name="tasks.xlsx"):
    client.force_login(world.hh_manager)
    job = importer(world.hoa_hoi, "tasks", data, name=name)
    assert job.status == "invalid"
    assert not Task.objects.exists()
    return [e["message"] for e in job.errors]


def test_a_formula_is_refused_and_nothing_computed(client, world, importer):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Code", "Title", "Deadline"])
    sheet.append(["Z-1", "Việc", "=TODAY()+30"])
    out = io.BytesIO()
    workbook.save(out)
    assert job_errors(importer, world, client, out.getvalue()) == [
        "Cell C2 holds a formula. Sixclear imports values only and computes nothing: copy the "
        "cells and paste them as values, then import again."]


def test_a_formula_does_not_hide_the_other_errors(client, world, importer):
    """Every error of the file is listed at once: formulas (in read and unread columns) and
    the rows' other errors alike."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Code", "Title", "Deadline", "Ghi chú riêng"])
    sheet.append(["Z-1", "Việc", "=TODAY()+30", "ok"])
    sheet.append(["Z-2", "", "31/02/2026", "=A2"])
    sheet.append(["Z-3", "Việc ba", "hôm nay", None])
    out = io.BytesIO()
    workbook.save(out)
    client.force_login(world.hh_manager)
    job = importer(world.hoa_hoi, "tasks", out.getvalue())
    assert job.status == "invalid" and not Task.objects.exists()
    found = [(e["row"], e["column"], e["message"][:30]) for e in job.errors]
    assert found == [
        (2, "Deadline", "Cell C2 holds a formula. Sixcl"),
        (3, "", "Cell D3 holds a formula. Sixcl"),
        (3, "Title", "This cell is required."),
        (3, "Deadline", "“31/02/2026” is not a date: wr"),
        (4, "Deadline", "“hôm nay” is not a date: write"),
    ]


def test_a_formula_in_a_csv_is_refused_with_the_other_errors(client, world, importer):
    data = b"Code,Title,Deadline\nZ-1,=HYPERLINK(\"http://x\"),2026-13-01\n"
    client.force_login(world.hh_manager)
    job = importer(world.hoa_hoi, "tasks", data, name="tasks.csv")
    assert job.status == "invalid" and not Task.objects.exists()
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "Title"), (2, "Deadline")]
    assert "formula" in job.errors[0]["message"]


def test_a_formula_in_a_csv_is_refused(client, world, importer):
    data = b"Code,Title\nZ-1,=HYPERLINK(\"http://x\")\n"
    assert "formula" in job_errors(importer, world, client, data, name="tasks.csv")[0]


def test_a_huge_cell_is_refused(client, world, importer, settings):
    data = workbook_bytes([["Code", "Title", "Description"], ["Z-1", "Việc", "x" * 10_001]])
    messages = job_errors(importer, world, client, data)
    assert messages == ["The cell holds 10,001 characters; at most 10,000 are allowed."]


def test_too_many_rows_are_refused(client, world, importer, settings):
    settings.SIXCLEAR_IMPORT_MAX_ROWS = 3
    data = workbook_bytes([["Code", "Title"], *[[f"Z-{i}", "Việc"] for i in range(4)]])
    assert job_errors(importer, world, client, data) == [
        "The file has more than 3 rows; split it into several files."]


def test_a_file_over_the_size_limit_is_refused(client, world, settings):
    settings.SIXCLEAR_IMPORT_MAX_BYTES = 1024 * 1024
    messages = refused(post(client, world, "tasks.csv", b"Code,Title\n" + b"x" * 1024 * 1024))
    assert "at most 1 MB" in messages[0]


def test_xml_entities_are_refused_by_defusedxml(client, world, importer):
    data = workbook_bytes(ROWS)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = laughs.encode() + (content.split(b"?>", 1)[1]
                                             if content.startswith(b"<?xml") else content)
            target.writestr(item, content)
    messages = job_errors(importer, world, client, out.getvalue())
    assert messages[0].startswith("The workbook cannot be read")


@pytest.mark.parametrize("rows", [[["just", "a"], ["list", "of"]], [["Code"], ["Z-1"]]])
def test_a_file_without_the_headers_is_refused(client, world, importer, rows):
    messages = job_errors(importer, world, client, workbook_bytes(rows))
    assert "header row" in messages[0] or "required columns" in messages[0]
