import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from sixclear.tracking import services as task_services
from sixclear.tracking.models import PeriodKind
from tests.factories import ProgramFactory, ResolutionFactory, TargetFactory, TaskFactory

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def hoa_hoi_data(world):
    """Hòa Hội's plan: a resolution, a program, two targets with measurements, three tasks."""
    resolution = ResolutionFactory(unit=world.hoa_hoi, number="01-NQ/ĐU")
    program = ProgramFactory(unit=world.hoa_hoi, number="02-CTr/ĐU", resolution=resolution)
    growth = TargetFactory(unit=world.hoa_hoi, code="KT-01", name="Tăng trưởng GTSX",
                           resolution=resolution, responsible_person=world.hh_officer,
                           unit_of_measure="tỷ đồng")
    schools = TargetFactory(unit=world.hoa_hoi, code="XH-02", name="Trường đạt chuẩn",
                            kind="count", annual_rate=None, target_value=Decimal("12"),
                            baseline_value=Decimal("7.5"), responsible_unit=world.economy_office)
    task_services.record_measurement(actor=world.hh_manager, target=growth, year=2026,
                                     value=Decimal("121.7"), submit=False, source="Cục Thống kê")
    task_services.record_measurement(actor=world.hh_manager, target=schools, year=2026,
                                     period_kind=PeriodKind.QUARTER, period_number=2,
                                     value=Decimal("8"), submit=False)
    first = TaskFactory(unit=world.hoa_hoi, code="NV-01", title="Khảo sát mặt bằng",
                        owner=world.hh_officer, program=program,
                        deadline=datetime.date(2026, 6, 30),
                        start_date=datetime.date(2026, 1, 5), priority="high")
    first.coordinating_units.set([world.economy_office, world.an_nhon_bac])
    first.targets.set([growth])
    second = TaskFactory(unit=world.hoa_hoi, code="NV-02", title="=Công thức không chạy",
                         description="-giữ nguyên dấu", owner=None,
                         deadline=datetime.date(2026, 9, 1), start_date=None,
                         authority=world.hh_leader, authority_body="")
    third = TaskFactory(unit=world.hoa_hoi, code="NV-03", title="Xây dựng đề án chuyển đổi số",
                        lead_unit=world.economy_office, deadline=datetime.date(2027, 3, 31),
                        start_date=datetime.date(2026, 2, 1))
    return {"resolution": resolution, "program": program, "growth": growth,
            "schools": schools, "tasks": [first, second, third]}


def upload(name, data, content_type=XLSX_TYPE):
    return SimpleUploadedFile(name, data, content_type)


def workbook_bytes(rows, title=None):
    """A workbook whose first sheet holds `rows` (lists of cell values)."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sheet_rows(data):
    workbook = load_workbook(io.BytesIO(data))
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def edit_cell(data, row, header, value):
    """The workbook `data` with the cell of `header` on `row` (1 = the header row) changed."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=row, column=headers.index(header) + 1, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export(client, unit, kind, file_format="xlsx"):
    from django.urls import reverse

    response = client.get(reverse("exchange:export", args=[unit.pk, kind, file_format]))
    assert response.status_code == 200
    return response.content


def run_import(client, unit, kind, data, name=None, capture=None, **fields):
    """Upload through the page and run the job (immediate Huey, on commit); return the job."""
    from django.urls import reverse

    from sixclear.exchange.models import ImportJob

    name = name or f"{kind}.xlsx"
    url = reverse("exchange:import_decision" if kind == "decision" else "exchange:import",
                  args=[unit.pk])
    data_ = {"file": upload(name, data), **fields}
    if kind != "decision":
        data_["kind"] = kind
    with capture(execute=True):
        response = client.post(url, data_)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


@pytest.fixture
def importer(client, django_capture_on_commit_callbacks):
    def go(unit, kind, data, **kwargs):
        return run_import(client, unit, kind, data, capture=django_capture_on_commit_callbacks,
                          **kwargs)
    return go
