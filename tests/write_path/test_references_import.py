"""References through the spreadsheet import: a file of Hòa Hội that names another commune's
unit, person, program, resolution or target is refused as if the name did not exist, and
nothing of the file is applied."""

import datetime

import pytest

from sixclear.exchange.importing import import_rows
from sixclear.tracking.models import Task
from tests.exchange.conftest import workbook_bytes
from tests.write_path.conftest import (
    MISSING_CODE,
    MISSING_USER,
    assert_answered_alike,
    counts,
    secrets_of,
)

TASK_HEAD = ["Code", "Title", "Description", "Owner", "Lead unit", "Deadline",
             "Expected result", "Approving body"]


def task_file(column, value):
    row = {"Code": "NV-MOI", "Title": "Nhiệm vụ mới", "Description": "Triển khai",
           "Owner": "hh.officer", "Lead unit": "", "Deadline": datetime.date(2027, 6, 30),
           "Expected result": "Báo cáo", "Approving body": "Ban Thường vụ"}
    head = TASK_HEAD + ([column] if column not in TASK_HEAD else [])
    row[column] = value
    return workbook_bytes([head, [row[h] for h in head]])


TARGET_HEAD = ["Code", "Name", "Kind", "Baseline value", "Baseline year", "Target value",
               "Target year"]


def target_file(column, value):
    row = {"Code": "KT-MOI", "Name": "Chỉ tiêu mới", "Kind": "count", "Baseline value": 0,
           "Baseline year": 2025, "Target value": 10, "Target year": 2030}
    head = TARGET_HEAD + [column]
    row[column] = value
    return workbook_bytes([head, [row[h] for h in head]])


def measurement_file(column, value):
    return workbook_bytes([["Target code", "Period", "Year", "Value"],
                           [value, "year", 2026, 120]])


DECISION = {"number": "125/QĐ-UBND", "title": "Quyết định giao nhiệm vụ",
            "issued_on": datetime.date(2026, 1, 10), "period_start": datetime.date(2026, 1, 10),
            "period_end": datetime.date(2026, 12, 31)}


def decision_file(column, value):
    row = {"STT": "1", "Nội dung công việc": "Rà soát hạ tầng số", "Người phụ trách": "hh.officer",
           "Đơn vị chủ trì": "Hòa Hội", "Thời hạn": datetime.date(2026, 12, 31),
           "Sản phẩm": "Báo cáo rà soát", "Thẩm quyền": "Ban Thường vụ Đảng ủy"}
    row[column] = value
    return workbook_bytes([list(row), list(row.values())])


def text_of(foreign, attribute):
    item = getattr(foreign, attribute)
    return {"unit": lambda: item.code, "officer": lambda: item.username,
            "leader": lambda: item.username, "program": lambda: item.number,
            "resolution": lambda: item.number, "target": lambda: item.code}[attribute]()


def missing_text(attribute):
    return MISSING_USER if attribute in ("officer", "leader") else MISSING_CODE


# case -> (import kind, file maker, column, attribute of the Foreign fixture)
CASES = {
    "task_owner": ("tasks", task_file, "Owner", "officer"),
    "task_lead_unit": ("tasks", task_file, "Lead unit", "unit"),
    "task_coordinating_units": ("tasks", task_file, "Coordinating units", "unit"),
    "task_approving_person": ("tasks", task_file, "Approving person", "leader"),
    "task_program": ("tasks", task_file, "Program, plan or decision", "program"),
    "task_targets": ("tasks", task_file, "Targets served", "target"),
    "target_responsible_unit": ("targets", target_file, "Responsible unit", "unit"),
    "target_responsible_person": ("targets", target_file, "Responsible person", "officer"),
    "target_resolution": ("targets", target_file, "Resolution", "resolution"),
    "measurement_target": ("measurements", measurement_file, "Target code", "target"),
    "decision_person": ("decision", decision_file, "Người phụ trách", "officer"),
    "decision_lead_unit": ("decision", decision_file, "Đơn vị chủ trì", "unit"),
    "decision_coordinating_units": ("decision", decision_file, "Đơn vị phối hợp", "unit"),
}


def run(world, kind, data):
    return import_rows(kind=kind, unit=world.hoa_hoi, actor=world.hh_manager, data=data,
                       file_format="xlsx", options=DECISION if kind == "decision" else None)


def outcome_text(outcome):
    return repr({"errors": outcome.errors, "error_count": outcome.error_count,
                 "summary": outcome.summary})


@pytest.mark.parametrize("case", CASES)
def test_manager_cannot_import_a_reference_to_another_communes_row(world, home, foreign, case):
    kind, make, column, attribute = CASES[case]
    foreign_text, missing = text_of(foreign, attribute), missing_text(attribute)
    before = counts()

    foreign_outcome = run(world, kind, make(column, foreign_text))

    assert foreign_outcome.error_count, foreign_outcome.summary
    assert counts() == before
    missing_outcome = run(world, kind, make(column, missing))
    assert_answered_alike(outcome_text(foreign_outcome), outcome_text(missing_outcome),
                          foreign_ref=foreign_text, missing_ref=missing,
                          secrets=secrets_of(getattr(foreign, attribute)))


@pytest.mark.parametrize("kind", ["tasks", "targets", "decision"])
def test_the_import_accepts_the_communes_own_rows(world, home, kind):
    """The control of the matrix above: the same files with Hòa Hội's own rows apply."""
    data = {
        "tasks": task_file("Targets served", home.target.code),
        "targets": target_file("Resolution", home.resolution.number),
        "decision": decision_file("Đơn vị phối hợp", world.an_nhon_bac.code),
    }[kind]
    outcome = run(world, kind, data)
    assert outcome.error_count == 0, outcome.errors
    assert outcome.summary["created"] == 1


def test_a_person_of_another_commune_is_not_made_the_approving_person_by_a_decision(
        world, home, foreign):
    """In a decision's appendix an unknown name in the authority column is a body's name, so
    the answer cannot be "not found"; but a Hà Nội leader must never become the approver."""
    run(world, "decision", decision_file("Thẩm quyền", foreign.leader.username))
    assert not Task.objects.filter(authority=foreign.leader).exists()
