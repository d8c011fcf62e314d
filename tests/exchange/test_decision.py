"""A leadership decision's appendix becomes a decision and its tasks in one step."""

import datetime

from sixclear.plans.models import Program, ProgramKind
from sixclear.tracking.models import Task, TaskState
from tests.exchange.conftest import workbook_bytes

FORM = {"number": "125/QĐ-UBND", "title": "Quyết định ban hành kế hoạch chuyển đổi số",
        "issued_on": "2026-01-10", "period_start": "2026-01-10", "period_end": "2026-12-31"}


def appendix(world, change=None):
    """An appendix as offices write it: a title row, Vietnamese headers, units by name."""
    head = ["STT", "Nội dung công việc", "Người phụ trách", "Đơn vị chủ trì",
            "Đơn vị phối hợp", "Thời hạn", "Sản phẩm", "Thẩm quyền", "Ghi chú"]
    rows = [
        ["1", "Rà soát hạ tầng số của xã", "hh.officer", "Phòng Kinh tế",
         "An Nhơn Bắc", datetime.date(2026, 3, 31), "Báo cáo rà soát", "hh.leader", ""],
        ["2", "Số hóa hồ sơ một cửa", "", "Hòa Hội", "", datetime.date(2026, 6, 30),
         "Kho dữ liệu số", "Ban Thường vụ Đảng ủy", "chưa giao người"],
    ]
    for (row, column), value in (change or {}).items():
        rows[row][head.index(column)] = value
    return workbook_bytes([head, *rows], title="PHỤ LỤC: DANH MỤC NHIỆM VỤ")


def test_the_appendix_creates_the_decision_and_its_tasks_and_issues_the_clear_ones(
        client, world, importer):
    world.hh_officer.memberships.create(unit=world.economy_office, role="officer")
    client.force_login(world.hh_manager)
    job = importer(world.hoa_hoi, "decision", appendix(world), **FORM, issue="on")
    assert job.status == "done", job.errors
    assert job.summary["created"] == 2 and job.summary["issued"] == 1
    assert job.summary["ignored_columns"] == ["Ghi chú"]
    decision = Program.objects.get(unit=world.hoa_hoi, number="125/QĐ-UBND")
    assert decision.kind == ProgramKind.DECISION and decision.issued_on == datetime.date(
        2026, 1, 10)
    first, second = Task.objects.filter(program=decision).order_by("code")
    assert first.code == "125/QĐ-UBND-1" and first.state == TaskState.ISSUED
    assert first.lead_unit == world.economy_office and first.authority == world.hh_leader
    assert list(first.coordinating_units.all()) == [world.an_nhon_bac]
    assert first.expected_result == "Báo cáo rà soát"
    assert second.state == TaskState.DRAFT and second.missing_clears() == ["person"]
    assert second.authority_body == "Ban Thường vụ Đảng ủy"


def test_importing_the_appendix_again_updates_rather_than_duplicates(client, world, importer):
    client.force_login(world.hh_manager)
    importer(world.hoa_hoi, "decision", appendix(world), **FORM)
    changed = appendix(world, {(1, "Thời hạn"): datetime.date(2026, 9, 30)})
    job = importer(world.hoa_hoi, "decision", changed, **FORM)
    assert job.summary == {"created": 0, "updated": 1, "unchanged": 1, "issued": 0,
                           "ignored_columns": ["Ghi chú"], "decision": "125/QĐ-UBND"}
    assert Task.objects.count() == 2 and Program.objects.count() == 1
    assert Task.objects.get(code="125/QĐ-UBND-2").deadline == datetime.date(2026, 9, 30)


def test_errors_in_the_appendix_leave_no_decision_behind(client, world, importer):
    client.force_login(world.hh_manager)
    bad = appendix(world, {(0, "Thời hạn"): "quý II", (1, "Đơn vị chủ trì"): "Việt Hưng"})
    job = importer(world.hoa_hoi, "decision", bad, **FORM)
    assert job.status == "invalid"
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "Deadline"),
                                                             (4, "Lead unit")]
    assert not Program.objects.exists() and not Task.objects.exists()


def test_a_service_rule_in_the_appendix_leaves_no_decision_behind(client, world, importer):
    client.force_login(world.hh_manager)
    bad = appendix(world, {(1, "Người phụ trách"): "vh.manager"})
    job = importer(world.hoa_hoi, "decision", bad, **FORM)
    assert [(e["row"], e["column"]) for e in job.errors] == [(4, "Person in charge")]
    assert not Program.objects.exists() and not Task.objects.exists()


def test_the_decision_form_says_what_is_wrong_and_keeps_the_input(client, world):
    from django.urls import reverse

    from tests.exchange.conftest import upload

    client.force_login(world.hh_manager)
    response = client.post(reverse("exchange:import_decision", args=[world.hoa_hoi.pk]),
                           {**FORM, "period_end": "2025-01-01",
                            "file": upload("a.xlsx", appendix(world))})
    assert response.status_code == 400
    assert response.context["form"].errors["period_end"] == [
        "The period cannot end before it starts."]
    assert 'value="125/QĐ-UBND"' in response.content.decode()


def test_an_appendix_without_numbers_takes_each_rows_position(client, world, importer):
    client.force_login(world.hh_manager)
    data = workbook_bytes([["Work", "Deadline"], ["Việc một", datetime.date(2026, 5, 1)],
                           ["Việc hai", datetime.date(2026, 6, 1)]])
    job = importer(world.hoa_hoi, "decision", data, **FORM)
    assert job.summary["created"] == 2, job.errors
    assert set(Task.objects.values_list("code", flat=True)) == {"125/QĐ-UBND-1",
                                                                 "125/QĐ-UBND-2"}
