"""What is exported imports back unchanged; one edited cell changes exactly that field."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.urls import reverse

from sixclear.plans.models import Target
from sixclear.tracking import services as task_services
from sixclear.tracking.models import Measurement, Task
from tests.exchange.conftest import edit_cell, export, sheet_rows
from tests.factories import TargetFactory, TaskFactory


def snapshot():
    tasks = {t.code: (t.version, t.history.count(), t.title, t.description, t.owner_id,
                      t.lead_unit_id, t.deadline, t.start_date, t.authority_id,
                      t.authority_body, t.priority, t.program_id,
                      frozenset(t.coordinating_units.values_list("pk", flat=True)),
                      frozenset(t.targets.values_list("pk", flat=True)))
             for t in Task.objects.all()}
    targets = {t.code: (t.version, t.history.count(), t.name, t.baseline_value,
                        t.annual_rate, t.target_value, t.responsible_unit_id,
                        t.responsible_person_id, t.resolution_id) for t in Target.objects.all()}
    measurements = {(m.target_id, m.period_kind, m.year, m.period_number):
                    (m.version, m.value, m.source, m.note) for m in Measurement.objects.all()}
    return tasks, targets, measurements


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
@pytest.mark.parametrize("kind", ["tasks", "targets", "measurements"])
def test_export_then_import_changes_nothing(client, world, hoa_hoi_data, importer, kind,
                                            file_format):
    client.force_login(world.hh_manager)
    before = snapshot()
    data = export(client, world.hoa_hoi, kind, file_format)
    job = importer(world.hoa_hoi, kind, data, name=f"{kind}.{file_format}")
    assert job.status == "done", job.errors
    assert job.summary["unchanged"] == job.total_rows > 0
    assert job.summary["created"] == job.summary["updated"] == 0
    assert snapshot() == before


def test_editing_one_cell_changes_exactly_that_field(client, world, hoa_hoi_data, importer):
    client.force_login(world.hh_manager)
    data = export(client, world.hoa_hoi, "tasks")
    rows = sheet_rows(data)
    codes = [row[0] for row in rows]
    edited = edit_cell(data, codes.index("NV-03") + 1, "Deadline", datetime.date(2027, 6, 30))
    tasks, targets, measurements = snapshot()
    job = importer(world.hoa_hoi, "tasks", edited)
    assert job.status == "done", job.errors
    assert job.summary == {"created": 0, "updated": 1, "unchanged": 2, "issued": 0,
                           "ignored_columns": []}
    after_tasks, after_targets, after_measurements = snapshot()
    assert after_targets == targets and after_measurements == measurements
    for code in ("NV-01", "NV-02"):
        assert after_tasks[code] == tasks[code]
    version, history, *fields = after_tasks["NV-03"]
    old_version, old_history, *old_fields = tasks["NV-03"]
    assert (version, history) == (old_version + 1, old_history + 1)
    changed = [i for i, (a, b) in enumerate(zip(fields, old_fields, strict=True)) if a != b]
    assert changed == [4]  # the deadline, and nothing else
    assert Task.objects.get(code="NV-03").deadline == datetime.date(2027, 6, 30)
    record = Task.objects.get(code="NV-03").history.first()
    assert record.history_user == world.hh_manager


def test_edited_target_and_measurement_cells(client, world, hoa_hoi_data, importer):
    client.force_login(world.hh_manager)
    targets = edit_cell(export(client, world.hoa_hoi, "targets"), 3, "Target value", 15)
    assert importer(world.hoa_hoi, "targets", targets).summary["updated"] == 1
    assert Target.objects.get(code="XH-02").target_value == Decimal("15")
    assert Target.objects.get(code="KT-01").version == 1
    values = edit_cell(export(client, world.hoa_hoi, "measurements"), 2, "Value", 125.25)
    job = importer(world.hoa_hoi, "measurements", values)
    assert job.summary["updated"] == 1, job.errors
    assert Measurement.objects.get(target__code="KT-01").value == Decimal("125.25")
    assert Measurement.objects.get(target__code="XH-02").version == 1


def test_a_vietnamese_file_imports_in_an_english_session(client, world, hoa_hoi_data,
                                                         importer):
    client.force_login(world.hh_manager)
    client.cookies["django_language"] = "vi"
    session = client.session
    session["_language"] = "vi"
    session.save()
    data = export(client, world.hoa_hoi, "tasks", "xlsx")
    headers = sheet_rows(data)[0]
    assert "Đơn vị chủ trì" in headers and "Lead unit" not in headers
    data = edit_cell(data, 2, headers[1], "Khảo sát mặt bằng (sửa)")
    session = client.session
    session["_language"] = "en"
    session.save()
    client.cookies["django_language"] = "en"
    job = importer(world.hoa_hoi, "tasks", data)
    assert job.status == "done", job.errors
    assert Task.objects.get(code="NV-01").title == "Khảo sát mặt bằng (sửa)"


def test_xlsx_cells_are_typed_and_text_stays_text(client, world, hoa_hoi_data):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(world.hh_manager)
    sheet = load_workbook(BytesIO(export(client, world.hoa_hoi, "tasks"))).worksheets[0]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    headers = [cell.value for cell in sheet[1]]
    deadline = rows["NV-01"][headers.index("Deadline")]
    assert deadline.is_date and deadline.value.date() == datetime.date(2026, 6, 30)
    formula_like = rows["NV-02"][headers.index("Title")]
    assert formula_like.data_type == "s" and formula_like.value == "=Công thức không chạy"
    assert formula_like.quotePrefix  # stays text when someone edits the cell in Excel
    assert rows["NV-01"][headers.index("Version")].data_type == "n"
    target_sheet = load_workbook(BytesIO(export(client, world.hoa_hoi, "targets"))).worksheets[0]
    assert [c.value for c in target_sheet[3]][6] == 7.5  # the baseline, as a number


def test_csv_is_utf8_with_bom_and_guards_formulas(client, world, hoa_hoi_data):
    client.force_login(world.hh_manager)
    data = export(client, world.hoa_hoi, "tasks", "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "'=Công thức không chạy" in text and "'-giữ nguyên dấu" in text
    assert "2026-06-30" in text


def test_new_rows_are_created_and_a_second_import_updates_rather_than_duplicates(
        client, world, hoa_hoi_data, importer):
    from tests.exchange.conftest import workbook_bytes

    client.force_login(world.hh_manager)
    rows = [["Code", "Title", "Owner", "Deadline", "Coordinating units"],
            ["NV-10", "Lập quy hoạch chung xã", "hh.officer", datetime.date(2026, 12, 31),
             f"{world.economy_office.code}; {world.an_nhon_bac.name}"]]
    first = importer(world.hoa_hoi, "tasks", workbook_bytes(rows))
    assert first.summary["created"] == 1, first.errors
    second = importer(world.hoa_hoi, "tasks", workbook_bytes(rows))
    assert second.summary["unchanged"] == 1
    task = Task.objects.get(code="NV-10")
    assert Task.objects.filter(code="NV-10").count() == 1
    assert set(task.coordinating_units.all()) == {world.economy_office, world.an_nhon_bac}
    assert task.owner == world.hh_officer and task.history.first().history_user == world.hh_manager
    record = task.history.first()
    assert set(record.coordinating_units.values_list("unit_id", flat=True)) == {
        world.economy_office.pk, world.an_nhon_bac.pk}


def test_a_task_drafted_without_a_code_gets_one_per_unit_and_year(world):
    year = datetime.date.today().year
    first = task_services.create_task(actor=world.hh_manager, unit=world.hoa_hoi,
                                      title="Việc không mã")
    second = task_services.create_task(actor=world.hh_manager, unit=world.hoa_hoi,
                                       title="Việc thứ hai", code="")
    own = task_services.create_task(actor=world.hh_manager, unit=world.hoa_hoi,
                                    title="Việc có mã", code="DA-01")
    other = task_services.create_task(actor=world.anb_manager, unit=world.an_nhon_bac,
                                      title="Việc của phường")
    assert (first.code, second.code) == (f"NV-{year}-001", f"NV-{year}-002")
    assert own.code == "DA-01" and other.code == f"NV-{year}-001"


def test_a_task_made_on_the_page_without_a_code_comes_back_unchanged(client, world,
                                                                     importer):
    client.force_login(world.hh_manager)
    response = client.post(reverse("tracking:task_create", args=[world.hoa_hoi.pk]),
                           {"title": "Soạn kế hoạch chuyển đổi số", "priority": "normal",
                            "code": ""})
    assert response.status_code == 302
    task = Task.objects.get(title="Soạn kế hoạch chuyển đổi số")
    assert task.code.startswith("NV-")
    job = importer(world.hoa_hoi, "tasks", export(client, world.hoa_hoi, "tasks"))
    assert job.status == "done", job.errors
    assert job.summary["unchanged"] == job.total_rows == 1


@pytest.mark.parametrize("kind", ["tasks", "targets", "measurements"])
def test_an_issued_task_and_an_adopted_target_come_back_unchanged(client, world, importer,
                                                                  kind):
    """Their clears and figures are held (a change request changes them), but a file that
    changes nothing asks for no change."""
    target = TargetFactory(unit=world.hoa_hoi, code="KT-09", responsible_person=world.hh_officer)
    value = task_services.record_measurement(actor=world.hh_officer, target=target, year=2026,
                                             value=Decimal("101.5"))
    task_services.review_measurement(actor=world.hh_manager, measurement=value,
                                     expected_version=value.version, approve=True)
    task = task_services.create_task(
        actor=world.hh_manager, unit=world.hoa_hoi, title="Việc đã giao", description="Mô tả",
        owner=world.hh_officer, lead_unit=world.hoa_hoi, deadline=datetime.date(2027, 3, 31),
        expected_result="Báo cáo", authority=world.hh_leader, targets=[target])
    task_services.issue_task(actor=world.hh_manager, task=task, expected_version=task.version)
    client.force_login(world.hh_manager)
    before = snapshot()
    job = importer(world.hoa_hoi, kind, export(client, world.hoa_hoi, kind))
    assert job.status == "done", job.errors
    assert job.summary["created"] == job.summary["updated"] == 0
    assert job.summary["unchanged"] == job.total_rows == 1
    assert snapshot() == before


def test_the_migration_gives_every_task_without_a_code_one(world):
    from django.apps import apps

    fill_codes = importlib.import_module(
        "sixclear.tracking.migrations.0004_fill_task_codes").fill_codes
    blank = [TaskFactory(unit=world.hoa_hoi, code="") for _ in range(2)]
    year = blank[0].created_at.year
    TaskFactory(unit=world.hoa_hoi, code=f"NV-{year}-001")
    elsewhere = TaskFactory(unit=world.an_nhon_bac, code="")
    fill_codes(apps, None)
    codes = [Task.objects.get(pk=task.pk).code for task in blank]
    assert codes == [f"NV-{year}-002", f"NV-{year}-003"]
    assert Task.objects.get(pk=elsewhere.pk).code == f"NV-{year}-001"
    assert not Task.objects.filter(code="").exists()


def test_a_tasks_code_is_kept(world):
    from django.core.exceptions import ValidationError

    task = task_services.create_task(actor=world.hh_manager, unit=world.hoa_hoi, title="Việc")
    with pytest.raises(ValidationError) as refused:
        task_services.update_task(actor=world.hh_manager, task=task,
                                  expected_version=task.version, code="")
    assert "code" in refused.value.error_dict
    task.refresh_from_db()
    assert task.code.startswith("NV-")
    renamed = task_services.update_task(actor=world.hh_manager, task=task,
                                        expected_version=task.version, code="DA-02")
    assert renamed.code == "DA-02"
