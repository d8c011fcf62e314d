"""The register and cases in spreadsheets: round trip, all or nothing, formula-safe."""

import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from sixclear.procedures import imports
from sixclear.procedures.models import Case, Procedure, ProcedureVersion
from tests.factories import TargetFactory

from .helpers import petition_procedure

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _march_2026():
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, 0), tick=False):
        yield


def csv_file(text, name="file.csv"):
    return SimpleUploadedFile(name, ("\ufeff" + text).encode(), "text/csv")


PROCEDURES = """code,name,owner,shared_below,objectives,effective_from,step,step_name,role,days,\
records
QT-05,Cấp giấy xác nhận,hh.manager,no,CL-1,2026-01-01,1,Tiếp nhận,officer,1,Sổ
QT-05,Cấp giấy xác nhận,hh.manager,no,CL-1,2026-01-01,2,Ký duyệt,manager,2,Giấy xác nhận
QT-05,Cấp giấy xác nhận,hh.manager,no,CL-1,2026-03-01,1,Tiếp nhận,officer,1,Sổ
"""


def test_import_creates_procedures_and_versions(world):
    TargetFactory(unit=world.hoa_hoi, code="CL-1")
    outcome = imports.import_procedures(actor=world.hh_manager, unit=world.hoa_hoi,
                                        upload=csv_file(PROCEDURES))
    assert outcome.applied, outcome.errors
    procedure = Procedure.objects.get(code="QT-05")
    assert procedure.owner == world.hh_manager
    assert [t.code for t in procedure.objectives.all()] == ["CL-1"]
    assert [(v.number, v.steps.count()) for v in procedure.versions.order_by("number")] == [
        (1, 2), (2, 1)]
    # The same file again changes nothing.
    again = imports.import_procedures(actor=world.hh_manager, unit=world.hoa_hoi,
                                      upload=csv_file(PROCEDURES))
    assert again.applied and again.unchanged == 2 and again.created == 0


def test_one_bad_row_imports_nothing(world):
    TargetFactory(unit=world.hoa_hoi, code="CL-1")
    bad = PROCEDURES + "QT-06,Khác,,no,,2026-01-01,1,Bước,chief,abc,\n"
    outcome = imports.import_procedures(actor=world.hh_manager, unit=world.hoa_hoi,
                                        upload=csv_file(bad))
    assert not outcome.applied
    assert {(row, column) for row, column, _message in outcome.errors} == {
        (5, "days"), (5, "role")}
    assert not Procedure.objects.exists() and not ProcedureVersion.objects.exists()


def test_an_error_found_while_applying_rolls_everything_back(world):
    text = PROCEDURES.replace("CL-1", "") + "QT-07,,,no,,2026-01-01,1,Bước,officer,1,\n"
    outcome = imports.import_procedures(actor=world.hh_manager, unit=world.hoa_hoi,
                                        upload=csv_file(text))
    assert not outcome.applied and outcome.errors[0][1] == "name"
    assert not Procedure.objects.exists()


def test_export_round_trips_and_keeps_formulas_as_text(client, world):
    petition_procedure(world, name="=HYPERLINK(\"http://x\")")
    client.force_login(world.hh_viewer)
    response = client.get(reverse("procedures:register_export", args=[world.hoa_hoi.pk]),
                          {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "=HYPERLINK(\"http://x\")" and sheet.cell(2, 2).data_type == "s"
    assert len(rows) == 4  # a header and three steps
    upload = SimpleUploadedFile("register.xlsx", response.content)
    outcome = imports.import_procedures(actor=world.hh_manager, unit=world.hoa_hoi,
                                        upload=upload)
    assert outcome.applied and outcome.unchanged == 1
    csv = client.get(reverse("procedures:register_export", args=[world.hoa_hoi.pk]),
                     {"format": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv


CASES = """reference,procedure,subject,applicant,opened_on,steps_done_on
ĐT-101,QT-01,Kiến nghị về đèn đường,Trần Thị B,2026-03-02,2026-03-03; 2026-03-09
ĐT-102,QT-01,Phản ánh tiếng ồn,Lê Văn C,02/03/2026,
"""


def test_case_import_all_or_nothing_and_page(client, world):
    petition_procedure(world)
    client.force_login(world.hh_officer)
    url = reverse("procedures:cases_import", args=[world.hoa_hoi.pk])
    bad = CASES + "ĐT-103,QT-99,Sai mã,,2026-03-02,\n"
    response = client.post(url, {"file": csv_file(bad)})
    assert response.status_code == 400 and not Case.objects.exists()
    assert (4, "Procedure code") in [(row, str(col)) for row, col, _m in
                                     response.context["errors"]]
    response = client.post(url, {"file": csv_file(CASES)})
    assert response.status_code == 302
    first = Case.objects.get(reference="ĐT-101")
    assert first.recorded_elsewhere and first.steps.filter(state="done").count() == 2
    export = client.get(reverse("procedures:cases_export", args=[world.hoa_hoi.pk]),
                        {"format": "csv"}).content.decode("utf-8-sig")
    assert "2026-03-03; 2026-03-09" in export


def test_files_that_are_not_spreadsheets_are_refused(world):
    outcome = imports.import_cases(actor=world.hh_officer, unit=world.hoa_hoi,
                                   upload=SimpleUploadedFile("x.pdf", b"%PDF"))
    assert not outcome.applied and outcome.errors[0][0] == 0
    outcome = imports.import_cases(actor=world.hh_officer, unit=world.hoa_hoi,
                                   upload=SimpleUploadedFile("x.xlsx", b"not a zip"))
    assert not outcome.applied
