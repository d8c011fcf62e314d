"""tracking.documents: a document's proposed tasks written as draft tasks in the same one
transaction as the resolution or program, its items, sections and targets."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sixclear.plans.models import Program, ProgramSection, Resolution, Target
from sixclear.tracking.documents import create_from_document, match_unit
from sixclear.tracking.models import Task, TaskState

RESOLUTION = {"kind": "resolution", "number": "02-NQ/ĐH", "title": "Nghị quyết Đại hội",
              "term_start": 2025, "term_end": 2030, "adopted_on": date(2025, 8, 12)}
PROGRAM = {"kind": "action_program", "number": "01-CTr/ĐU", "title": "Chương trình hành động",
           "period_start": date(2025, 1, 1), "period_end": date(2030, 12, 31),
           "issued_on": None, "resolution": None}


def task(line, title, **fields):
    return {"line": line, "title": title, "lead_unit": None, "deadline": None,
            "expected_result": "", "group": None, "section": None, **fields}


def target(line, code, **fields):
    return {"line": line, "code": code, "name": "Thu hút dự án đầu tư", "kind": "count",
            "direction": "higher", "unit_of_measure": "dự án", "baseline_value": Decimal(0),
            "baseline_year": 2025, "target_value": Decimal(10), "annual_rate": None,
            "annual_rate_high": None, "target_year": 2030, **fields}


def test_tasks_of_a_resolution_are_drafts_under_their_task_group(world):
    resolution = create_from_document(
        actor=world.hh_manager, unit=world.hoa_hoi, document=RESOLUTION,
        items=[{"kind": "viewpoint", "title": "Phát triển nhanh"},
               {"kind": "task_group", "title": "Thu hút đầu tư"}],
        tasks=[task(20, "Tổ chức hội nghị xúc tiến đầu tư", group=1,
                    lead_unit=world.economy_office, deadline=date(2026, 6, 30),
                    expected_result="Hội nghị được tổ chức"),
               task(21, "Rà soát quỹ đất")])
    assert isinstance(resolution, Resolution) and resolution.status == "adopted"
    group = resolution.items.get(kind="task_group")
    first, second = Task.objects.order_by("pk")
    assert (first.title, first.state, first.resolution, first.task_group, first.lead_unit,
            first.deadline, first.expected_result, first.unit) == (
        "Tổ chức hội nghị xúc tiến đầu tư", TaskState.DRAFT, resolution, group,
        world.economy_office, date(2026, 6, 30), "Hội nghị được tổ chức", world.hoa_hoi)
    assert (second.state, second.task_group, second.resolution) == (
        TaskState.DRAFT, None, resolution)
    assert first.code and second.code and first.code != second.code
    assert first.history.first().history_user == world.hh_manager


def test_tasks_of_a_program_are_placed_in_their_section(world):
    program = create_from_document(
        actor=world.hh_manager, unit=world.hoa_hoi, document=PROGRAM,
        sections=[{"line": 5, "code": "A", "title": "Chỉ tiêu"},
                  {"line": 10, "code": "B", "title": "Nhiệm vụ, giải pháp"}],
        targets=[target(6, "T1", section=0)],
        tasks=[task(11, "Ban hành quy chế", section=1), task(12, "Sơ kết giữa kỳ")])
    assert isinstance(program, Program)
    placed, unplaced = Task.objects.order_by("pk")
    assert placed.program == unplaced.program == program
    assert placed.program_section == program.sections.get(code="B")
    assert unplaced.program_section is None
    assert list(program.sections.get(code="A").targets.values_list("code", flat=True)) == ["T1"]


def test_a_refused_task_names_its_line_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as refused:
        create_from_document(
            actor=world.hh_manager, unit=world.hoa_hoi, document=PROGRAM,
            sections=[{"line": 5, "code": "A", "title": "Nhiệm vụ"}],
            targets=[target(6, "T1", section=0)],
            tasks=[task(11, "Ban hành quy chế", section=0),
                   # a unit outside the commune cannot lead its task
                   task(12, "Sơ kết", lead_unit=world.viet_hung),
                   task(13, "")])
    messages = refused.value.message_dict["targets"]
    assert [m.split(":")[0] for m in messages] == ["Line 12", "Line 13"]
    assert "Lead unit" in messages[0]
    assert not Program.objects.exists() and not ProgramSection.objects.exists()
    assert not Target.objects.exists() and not Task.objects.exists()


@pytest.mark.parametrize("person", ["hh_officer", "hh_viewer", "anb_manager"])
def test_only_a_manager_over_the_unit_writes(world, person):
    with pytest.raises(PermissionDenied):
        create_from_document(actor=getattr(world, person), unit=world.hoa_hoi,
                             document=PROGRAM, tasks=[task(11, "Ban hành quy chế")])
    assert not Task.objects.exists() and not Program.objects.exists()


def test_the_lead_unit_is_matched_by_its_name(world):
    units = [world.hoa_hoi, world.economy_office]
    assert match_unit("phòng kinh tế", units) == world.economy_office
    assert match_unit("Phòng  Kinh tế xã Hòa Hội", units) == world.economy_office
    assert match_unit("UBND xã Hòa Hội", units) == world.hoa_hoi
    assert match_unit("Văn phòng Đảng ủy", units) is None
    assert match_unit("", units) is None


def test_a_refused_task_the_person_added_is_named_as_theirs(world):
    with pytest.raises(ValidationError) as refused:
        create_from_document(actor=world.hh_manager, unit=world.hoa_hoi, document=PROGRAM,
                             tasks=[task(None, "Sơ kết", lead_unit=world.viet_hung)])
    [message] = refused.value.message_dict["targets"]
    assert message.startswith("Added by you: Lead unit: ")
    assert not Program.objects.exists()
