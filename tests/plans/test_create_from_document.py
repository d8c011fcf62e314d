"""plans.services.create_from_document: what a person accepted from a document's proposals,
written all or nothing, each refusal naming its line."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sixclear.plans.models import Program, ProgramSection, Resolution, ResolutionItem, Target
from sixclear.plans.services import create_from_document
from tests.factories import ResolutionFactory

DOCUMENT = {"kind": "resolution", "number": "02-NQ/ĐH", "title": "Nghị quyết Đại hội",
            "term_start": 2025, "term_end": 2030, "adopted_on": date(2025, 8, 12)}


def target(line, code, **fields):
    return {"line": line, "code": code, "name": "Thu hút dự án đầu tư", "kind": "count",
            "direction": "higher", "unit_of_measure": "dự án", "baseline_value": Decimal(0),
            "baseline_year": 2025, "target_value": Decimal(10), "annual_rate": None,
            "annual_rate_high": None, "target_year": 2030, **fields}


def test_everything_is_written_in_order(world):
    resolution = create_from_document(
        actor=world.hh_manager, unit=world.hoa_hoi, document=DOCUMENT,
        items=[{"kind": "viewpoint", "title": "Phát triển nhanh"},
               {"kind": "task_group", "title": "Thu hút đầu tư", "text": "- Hội nghị"}],
        programs=[{"line": 40, "number": "01-CTr/ĐU", "title": "Chương trình số 01"},
                  {"line": 41, "number": "", "title": "Chương trình số 02"}],
        targets=[target(11, "T1"), target(12, "T2", kind="annual_growth", target_value=None,
                                              annual_rate=Decimal("21.7"), unit_of_measure="")])
    assert isinstance(resolution, Resolution)
    assert list(resolution.items.values_list("kind", "position", "title")) == [
        ("task_group", 1, "Thu hút đầu tư"), ("viewpoint", 1, "Phát triển nhanh")]
    assert sorted(resolution.programs.values_list("number", flat=True)) == [
        "01-CTr/ĐU", "02-NQ/ĐH-CTr02"]
    assert set(resolution.targets.values_list("code", flat=True)) == {"T1", "T2"}


def test_refusals_name_their_lines_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as refused:
        create_from_document(
            actor=world.hh_manager, unit=world.hoa_hoi, document=DOCUMENT,
            items=[{"kind": "viewpoint", "title": "Phát triển nhanh"}],
            targets=[target(11, "T1"), target(12, "T2", target_year=2020),
                     target(13, "T3", baseline_value=None), target(14, "T1")])
    messages = refused.value.message_dict["targets"]
    assert messages[0].startswith("Line 12: Target year: ")
    assert messages[1].startswith("Line 13: ") and "baseline value" in messages[1]
    assert messages[2] == "Line 14: The unit already has a target with the code T1."
    assert not Resolution.objects.exists() and not ResolutionItem.objects.exists()
    assert not Target.objects.exists()


def test_a_program_carries_its_targets(world):
    resolution = ResolutionFactory(unit=world.hoa_hoi)
    program = create_from_document(
        actor=world.hh_manager, unit=world.hoa_hoi,
        document={"kind": "plan", "number": "45/KH-UBND", "title": "Kế hoạch thu hút đầu tư",
                  "period_start": date(2025, 1, 1), "period_end": date(2030, 12, 31),
                  "issued_on": None, "resolution": resolution},
        targets=[target(7, "KH-1")])
    assert isinstance(program, Program) and program.resolution == resolution
    assert list(program.targets.values_list("code", "resolution")) == [("KH-1", resolution.pk)]


@pytest.mark.parametrize("person", ["hh_officer", "hh_viewer", "anb_manager"])
def test_only_a_manager_over_the_unit_writes(world, person):
    with pytest.raises(PermissionDenied):
        create_from_document(actor=getattr(world, person), unit=world.hoa_hoi,
                             document=DOCUMENT, targets=[target(11, "T1")])
    assert not Resolution.objects.exists()


PROGRAM = {"kind": "action_program", "number": "01-CTr/ĐU", "title": "Chương trình hành động",
           "period_start": date(2025, 1, 1), "period_end": date(2030, 12, 31),
           "issued_on": None, "resolution": None}


def test_a_program_gets_its_sections_and_each_target_its_place(world):
    program = create_from_document(
        actor=world.hh_manager, unit=world.hoa_hoi, document=PROGRAM,
        sections=[{"line": 11, "code": "A", "title": "Nhóm chỉ tiêu về lãnh đạo"},
                  {"line": 20, "code": "B", "title": "Nhóm chỉ tiêu về cán bộ"}],
        targets=[target(12, "T1", section=0), target(21, "T2", section=1),
                 target(22, "T3", section=1), target(30, "T4", section=None)])
    assert isinstance(program, Program)
    sections = list(program.sections.order_by("position"))
    assert [(s.position, s.code, s.title) for s in sections] == [
        (1, "A", "Nhóm chỉ tiêu về lãnh đạo"), (2, "B", "Nhóm chỉ tiêu về cán bộ")]
    assert list(sections[0].targets.values_list("code", flat=True)) == ["T1"]
    assert sorted(sections[1].targets.values_list("code", flat=True)) == ["T2", "T3"]
    assert set(program.targets.values_list("code", flat=True)) == {"T1", "T2", "T3", "T4"}
    assert not Target.objects.get(code="T4").program_sections.exists()


def test_a_refused_section_or_target_writes_no_section(world):
    with pytest.raises(ValidationError) as refused:
        create_from_document(
            actor=world.hh_manager, unit=world.hoa_hoi, document=PROGRAM,
            sections=[{"line": 11, "code": "A", "title": "Nhóm A"},
                      {"line": 20, "code": "B", "title": ""}],
            targets=[target(12, "T1", section=0), target(13, "T2", section=0,
                                                          target_year=2020)])
    messages = refused.value.message_dict["targets"]
    assert [m.split(":")[0] for m in messages] == ["Line 20", "Line 13"]
    assert not Program.objects.exists() and not ProgramSection.objects.exists()
    assert not Target.objects.exists()
