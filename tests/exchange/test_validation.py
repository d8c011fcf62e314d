"""Every row is checked first; every error is listed by row and column in the person's
language; the file is applied all or nothing, with the same rules as the services."""

import datetime

from django.utils import translation

from sixclear.exchange.importing import import_rows
from sixclear.plans.models import Target
from sixclear.tracking.models import Task, TaskState
from tests.exchange.conftest import edit_cell, export, workbook_bytes
from tests.factories import TargetFactory, TaskFactory

HEAD = ["Code", "Title", "Description", "Owner", "Lead unit", "Start date", "Deadline",
        "Expected result", "Approving body"]


def task_row(code, **fields):
    values = {"Code": code, "Title": f"Nhiệm vụ {code}", "Description": "Triển khai",
              "Owner": "hh.officer", "Lead unit": "", "Start date": datetime.date(2026, 1, 1),
              "Deadline": datetime.date(2026, 12, 31), "Expected result": "Báo cáo",
              "Approving body": "Ban Thường vụ"} | fields
    return [values[h] for h in HEAD]


def run(world, rows, kind="tasks", actor=None, **kwargs):
    return import_rows(kind=kind, unit=world.hoa_hoi, actor=actor or world.hh_manager,
                       data=workbook_bytes([HEAD, *rows] if kind == "tasks" else rows),
                       file_format="xlsx", **kwargs)


def test_every_error_is_listed_by_row_and_column_and_nothing_is_written(world):
    outcome = run(world, [
        task_row("A-1"),
        task_row("A-2", Deadline="sau Tết", Owner="nobody"),
        task_row("A-3", **{"Lead unit": "Không tồn tại"}),
        task_row("A-1"),
    ])
    errors = {(e["row"], e["column"]) for e in outcome.errors}
    assert errors == {(3, "Deadline"), (3, "Owner"), (4, "Lead unit"), (5, "Code")}
    assert "“sau Tết” is not a date" in str(outcome.errors)
    assert "already on row 2" in str(outcome.errors)
    assert not Task.objects.exists()


def test_people_and_units_outside_the_unit_read_like_names_nobody_has(world):
    outcome = run(world, [
        task_row("B-1", Owner="vh.manager"),                          # another commune's
        task_row("B-2", Owner="vh.nobody"),                           # nobody at all
        task_row("B-3", **{"Lead unit": world.an_nhon_bac.code}),     # outside the unit
        task_row("B-4", **{"Lead unit": "ZZ-NONE"}),                  # no such unit
    ])
    by_row = {(e["row"], e["column"]): e["message"] for e in outcome.errors}
    assert by_row[(2, "Owner")] == by_row[(3, "Owner")].replace("vh.nobody", "vh.manager")
    assert by_row[(4, "Lead unit")] == by_row[(5, "Lead unit")].replace(
        "ZZ-NONE", world.an_nhon_bac.code)
    assert not Task.objects.exists()


def test_rules_of_the_services_are_enforced_for_every_row_and_nothing_is_written(world):
    TaskFactory(unit=world.hoa_hoi, code="DONE-1", state=TaskState.DONE, title="Đã xong")
    TaskFactory(unit=world.hoa_hoi, code="ISS-1", state=TaskState.ISSUED, owner=world.hh_officer)
    foreign = TargetFactory(unit=world.viet_hung, code="VH-T")
    outcome = run(world, [
        task_row("OK-1"),
        task_row("B-1", Owner="anb.officer"),                             # no role here
        task_row("B-3", **{"Start date": datetime.date(2027, 1, 1)}),     # ends before start
        task_row("DONE-1", Title="Sửa việc đã xong"),                     # finished
        task_row("ISS-1", Owner=""),                                       # issued: held
    ])
    by_row = {(e["row"], e["column"]): e["message"] for e in outcome.errors}
    assert by_row[(3, "Owner")] == "Nobody has the user name or e-mail “anb.officer”."
    assert outcome.error_count == 1  # references are read before any rule is applied
    outcome = run(world, [
        task_row("OK-1"),
        task_row("B-3", **{"Start date": datetime.date(2027, 1, 1)}),     # ends before start
        task_row("DONE-1", Title="Sửa việc đã xong"),                     # finished
        task_row("ISS-1", Owner=""),                                       # issued: held
    ])
    by_row = {(e["row"], e["column"]): e["message"] for e in outcome.errors}
    assert by_row[(3, "Deadline")] == "The deadline cannot be before the start date."
    assert by_row[(4, "")] == "A finished or cancelled task cannot be edited."
    assert "change request" in by_row[(5, "Owner")]
    held = [e for e in outcome.errors if e["row"] == 5]
    assert held and all("change request" in e["message"] for e in held)
    assert outcome.error_count == 2 + len(held)
    assert not Task.objects.filter(code="OK-1").exists()
    assert Task.objects.get(code="ISS-1").owner == world.hh_officer
    assert foreign.code == "VH-T"


def test_an_empty_cell_empties_the_field(world):
    TaskFactory(unit=world.hoa_hoi, code="E-1", owner=world.hh_officer)
    outcome = run(world, [task_row("E-1", Owner="")])
    assert outcome.summary["updated"] == 1, outcome.errors
    assert Task.objects.get(code="E-1").owner is None


def test_a_target_of_another_commune_cannot_be_named(world):
    TargetFactory(unit=world.viet_hung, code="VH-T")
    outcome = import_rows(kind="tasks", unit=world.hoa_hoi, actor=world.hh_manager,
                          data=workbook_bytes([["Code", "Title", "Targets served"],
                                               ["C-1", "Việc", "VH-T"]]), file_format="xlsx")
    assert outcome.errors[0]["column"] == "Targets served"
    assert "VH-T" in outcome.errors[0]["message"]


def test_a_stale_row_is_refused(client, world, hoa_hoi_data):
    client.force_login(world.hh_manager)
    data = export(client, world.hoa_hoi, "tasks")
    task = Task.objects.get(code="NV-01")
    from sixclear.tracking import services

    services.update_task(actor=world.hh_leader, task=task, expected_version=task.version,
                         title="Đổi bởi người khác")
    outcome = import_rows(kind="tasks", unit=world.hoa_hoi, actor=world.hh_manager,
                          data=edit_cell(data, 2, "Description", "Sửa của tôi"),
                          file_format="xlsx")
    assert outcome.error_count == 1
    assert "after the file was exported" in outcome.errors[0]["message"]
    assert Task.objects.get(code="NV-01").description != "Sửa của tôi"


def test_errors_are_in_the_importers_language(world):
    with translation.override("vi"):
        outcome = run(world, [task_row("V-1", Deadline="không rõ")])
    assert outcome.errors[0]["column"] != "Deadline"
    assert "không rõ" in outcome.errors[0]["message"]
    assert outcome.errors[0]["message"] != (
        "“không rõ” is not a date: write it as 2026-03-31 or 31/03/2026, or use a date cell.")


def test_a_service_error_on_a_late_row_undoes_the_earlier_rows(world):
    outcome = import_rows(kind="targets", unit=world.hoa_hoi, actor=world.hh_manager,
                          data=workbook_bytes([
                              ["Code", "Name", "Kind", "Baseline value", "Baseline year",
                               "Target value", "Annual rate (%)", "Target year"],
                              ["T-1", "Số trường", "Count", 7, 2025, 12, None, 2030],
                              ["T-2", "Tăng trưởng", "Annual growth rate", 100, 2025, None, None,
                               2030],
                          ]), file_format="xlsx")
    assert outcome.errors == [{"row": 3, "column": "Annual rate (%)",
                               "message": "A growth target needs its annual rate."}]
    assert not Target.objects.exists()


def test_check_only_reports_what_would_change_and_writes_nothing(world):
    outcome = run(world, [task_row("K-1"), task_row("K-2")], check_only=True)
    assert outcome.error_count == 0 and outcome.summary["created"] == 2
    assert not Task.objects.exists()


def test_an_officer_cannot_import(world):
    outcome = run(world, [task_row("P-1")], actor=world.hh_officer)
    assert outcome.error_count == 1 and "Manager" in outcome.errors[0]["message"]
    assert not Task.objects.exists()


def test_measurements_already_submitted_cannot_be_overwritten(world):
    from decimal import Decimal

    from sixclear.tracking import services

    target = TargetFactory(unit=world.hoa_hoi, code="KT-01")
    services.record_measurement(actor=world.hh_manager, target=target, year=2026,
                                value=Decimal("110"))
    outcome = import_rows(kind="measurements", unit=world.hoa_hoi, actor=world.hh_manager,
                          data=workbook_bytes([["Target code", "Period", "Year", "Value"],
                                               ["KT-01", "Year", 2026, 111],
                                               ["KT-99", "Year", 2026, 1],
                                               ["KT-01", "Quarter", 2026, 1]]),
                          file_format="xlsx")
    rows = {(e["row"], e["column"]) for e in outcome.errors}
    assert rows == {(2, ""), (3, "Target code"), (4, "Quarter or month")}


def test_a_stale_target_row_is_refused(client, world, hoa_hoi_data):
    from sixclear.plans import services as plans

    client.force_login(world.hh_manager)
    data = export(client, world.hoa_hoi, "targets")
    target = Target.objects.get(code="KT-01")
    plans.update_target(actor=world.hh_leader, target=target, expected_version=target.version,
                        name="Đổi bởi người khác")
    outcome = import_rows(kind="targets", unit=world.hoa_hoi, actor=world.hh_manager,
                          data=edit_cell(data, 2, "Unit of measure", "triệu đồng"),
                          file_format="xlsx")
    assert outcome.error_count == 1
    assert "changed by someone else" in outcome.errors[0]["message"]
    assert Target.objects.get(code="KT-01").unit_of_measure == "tỷ đồng"
