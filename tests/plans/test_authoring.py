"""Writing a resolution and a program: the status moving forward, what adoption fixes, the
items and sections in order, and placing targets and tasks in sections."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from sixclear.orgs.models import Role
from sixclear.plans import services
from sixclear.plans.models import ResolutionItemKind, ResolutionStatus, TargetKind
from sixclear.plans.rules import is_adopted
from sixclear.references import NeedsChangeRequest
from sixclear.tracking import services as tracking
from sixclear.versioning import StaleEdit
from tests.factories import ProgramFactory, ResolutionFactory, TaskFactory, person

VIEWPOINT = ResolutionItemKind.VIEWPOINT
ADOPTED_ON = datetime.date(2025, 8, 14)
migration = importlib.import_module(
    "sixclear.plans.migrations.0006_resolution_status_and_program_sections")


@pytest.fixture
def draft(world):
    return services.create_resolution(
        actor=world.vh_manager, unit=world.viet_hung, number="01-NQ/ĐH",
        title="Nghị quyết Đại hội đại biểu Đảng bộ phường Việt Hưng lần thứ I",
        issuing_body="Đại hội đại biểu Đảng bộ phường Việt Hưng lần thứ I",
        term_start=2025, term_end=2030)


def items(world, resolution, titles, kind=VIEWPOINT):
    return [services.add_resolution_item(actor=world.vh_manager, resolution=resolution,
                                         kind=kind, title=title) for title in titles]


def titles(resolution, kind=VIEWPOINT):
    return list(resolution.items.filter(kind=kind).order_by("position")
                .values_list("title", flat=True))


def positions(resolution, kind=VIEWPOINT):
    return list(resolution.items.filter(kind=kind).order_by("position")
                .values_list("position", flat=True))


def adopt(world, resolution, actor=None):
    return services.update_resolution(
        actor=actor or world.vh_manager, resolution=resolution,
        expected_version=resolution.version, status=ResolutionStatus.ADOPTED,
        adopted_on=ADOPTED_ON)


def test_a_new_resolution_is_a_draft_with_its_issuing_body(draft):
    assert draft.status == ResolutionStatus.DRAFT
    assert draft.issuing_body.startswith("Đại hội")


def test_the_status_moves_forward_only(world, draft):
    adopted = adopt(world, draft)
    assert adopted.status == ResolutionStatus.ADOPTED
    with pytest.raises(ValidationError) as back:
        services.update_resolution(actor=world.vh_manager, resolution=adopted,
                                   expected_version=adopted.version,
                                   status=ResolutionStatus.DRAFT, adopted_on=None)
    assert "status" in back.value.message_dict
    adopted.refresh_from_db()
    superseded = services.update_resolution(
        actor=world.vh_manager, resolution=adopted, expected_version=adopted.version,
        status=ResolutionStatus.SUPERSEDED)
    assert superseded.status == ResolutionStatus.SUPERSEDED
    with pytest.raises(ValidationError) as again:
        services.update_resolution(actor=world.vh_manager, resolution=superseded,
                                   expected_version=superseded.version,
                                   status=ResolutionStatus.ADOPTED)
    assert "status" in again.value.message_dict


def test_adoption_needs_its_date_and_a_draft_has_none(world, draft):
    with pytest.raises(ValidationError) as undated:
        services.update_resolution(actor=world.vh_manager, resolution=draft,
                                   expected_version=draft.version,
                                   status=ResolutionStatus.ADOPTED)
    assert "adopted_on" in undated.value.message_dict
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as dated:
        services.update_resolution(actor=world.vh_manager, resolution=draft,
                                   expected_version=draft.version,
                                   status=ResolutionStatus.DRAFT, adopted_on=ADOPTED_ON)
    assert "adopted_on" in dated.value.message_dict


def test_an_adoption_date_alone_adopts_as_before(world):
    """The admin, the API and the importer gave only a date: it still means adopted."""
    resolution = services.create_resolution(
        actor=world.vh_manager, unit=world.viet_hung, number="02-NQ/ĐU", title="x",
        term_start=2025, term_end=2030, adopted_on=ADOPTED_ON)
    assert resolution.status == ResolutionStatus.ADOPTED


def target_of(world, resolution):
    return services.create_target(
        actor=world.vh_manager, unit=world.viet_hung, code="VH-NQ-01", name="Thu ngân sách",
        kind=TargetKind.ANNUAL_GROWTH, resolution=resolution, baseline_value=Decimal(1250),
        baseline_year=2025, annual_rate=Decimal(10), target_year=2030)


@pytest.mark.parametrize("final", [ResolutionStatus.ADOPTED, ResolutionStatus.SUPERSEDED])
def test_adoption_fixes_the_targets_figures_and_superseding_unlocks_nothing(world, draft, final):
    target = target_of(world, draft)
    assert not is_adopted(target)
    resolution = adopt(world, draft)
    if final == ResolutionStatus.SUPERSEDED:
        resolution = services.update_resolution(
            actor=world.vh_manager, resolution=resolution,
            expected_version=resolution.version, status=final)
    assert is_adopted(target)
    with pytest.raises(NeedsChangeRequest):
        services.update_target(actor=world.vh_manager, target=target,
                               expected_version=target.version, annual_rate=Decimal(12))


def test_items_are_numbered_edited_and_removed_while_a_draft(world, draft):
    first, second, third = items(world, draft, ["Một", "Hai", "Ba"])
    services.update_resolution_item(actor=world.vh_manager, item=second,
                                    expected_version=second.version, title="Hai (sửa)")
    services.delete_resolution_item(actor=world.vh_manager, item=first,
                                    expected_version=first.version)
    assert titles(draft) == ["Hai (sửa)", "Ba"]
    assert positions(draft) == [1, 2]  # the later ones moved up a place


def test_moving_an_item_swaps_it_with_its_neighbour(world, draft):
    first, second, third = items(world, draft, ["Một", "Hai", "Ba"])
    services.move_resolution_item(actor=world.vh_manager, item=third,
                                  expected_version=third.version, direction="up")
    assert titles(draft) == ["Một", "Ba", "Hai"]
    first.refresh_from_db()
    services.move_resolution_item(actor=world.vh_manager, item=first,
                                  expected_version=first.version, direction="up")
    assert titles(draft) == ["Một", "Ba", "Hai"]  # at the top it stays
    first.refresh_from_db()
    services.move_resolution_item(actor=world.vh_manager, item=first,
                                  expected_version=first.version, direction="down")
    assert titles(draft) == ["Ba", "Một", "Hai"]
    assert positions(draft) == [1, 2, 3]
    assert titles(draft, ResolutionItemKind.BREAKTHROUGH) == []


def test_a_stale_move_or_edit_changes_nothing(world, draft):
    first, second = items(world, draft, ["Một", "Hai"])
    services.update_resolution_item(actor=world.vh_manager, item=second,
                                    expected_version=second.version, title="Hai mới")
    with pytest.raises(StaleEdit):
        services.move_resolution_item(actor=world.vh_manager, item=second,
                                      expected_version=1, direction="up")
    with pytest.raises(StaleEdit):
        services.update_resolution_item(actor=world.vh_manager, item=second,
                                        expected_version=1, title="Hai cũ")
    assert titles(draft) == ["Một", "Hai mới"]


def test_adoption_fixes_the_items_but_the_leaders_may_still_correct_them(world, draft):
    (item,) = items(world, draft, ["Một"])
    adopt(world, draft)
    item.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.add_resolution_item(actor=world.vh_manager, resolution=draft,
                                     kind=VIEWPOINT, title="Hai")
    with pytest.raises(PermissionDenied):
        services.delete_resolution_item(actor=world.vh_manager, item=item,
                                        expected_version=item.version)
    with pytest.raises(PermissionDenied):
        services.move_resolution_item(actor=world.vh_manager, item=item,
                                      expected_version=item.version, direction="down")
    leader = person(world.viet_hung, Role.LEADER, username="vh.leader")
    services.update_resolution_item(actor=leader, item=item,
                                    expected_version=item.version, title="Một (đính chính)")
    assert titles(draft) == ["Một (đính chính)"]


def test_a_task_group_holding_tasks_is_not_removed(world, draft):
    (group,) = items(world, draft, ["Chuyển đổi số"], ResolutionItemKind.TASK_GROUP)
    TaskFactory(unit=world.viet_hung, resolution=draft, task_group=group)
    with pytest.raises(ValidationError):
        services.delete_resolution_item(actor=world.vh_manager, item=group,
                                        expected_version=group.version)
    assert titles(draft, ResolutionItemKind.TASK_GROUP) == ["Chuyển đổi số"]


@pytest.mark.parametrize("who, allowed", [
    ("hh_manager", True), ("hh_leader", True), ("province_leader", True),
    ("hh_officer", False), ("hh_viewer", False), ("anb_manager", False), ("vh_manager", False),
])
def test_managers_of_the_unit_and_those_above_write_a_resolution(world, who, allowed):
    resolution = services.create_resolution(actor=world.hh_manager, unit=world.hoa_hoi,
                                            number="01-NQ/ĐU", title="Nghị quyết",
                                            term_start=2025, term_end=2030)
    person = getattr(world, who)
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.add_resolution_item(actor=person, resolution=resolution,
                                         kind=VIEWPOINT, title="x")
        with pytest.raises(PermissionDenied):
            services.update_resolution(actor=person, resolution=resolution,
                                       expected_version=resolution.version, title="x")
        return
    item = services.add_resolution_item(actor=person, resolution=resolution, kind=VIEWPOINT,
                                        title="x")
    assert item.position == 1
    services.update_resolution(actor=person, resolution=resolution,
                               expected_version=resolution.version, title="y")


@pytest.fixture
def program(world, draft):
    return services.create_program(
        actor=world.vh_manager, unit=world.viet_hung, kind="action_program",
        number="01-CTr/ĐU", title="Chương trình hành động số 01",
        issuing_body="Ban Chấp hành Đảng bộ phường Việt Hưng", resolution=draft,
        period_start=datetime.date(2025, 9, 5), period_end=datetime.date(2030, 12, 31))


def sections_of(program):
    return list(program.sections.order_by("position").values_list("code", "position"))


def test_sections_are_appended_moved_and_removed_in_order(world, program):
    a, b, c = [services.add_program_section(actor=world.vh_manager, program=program, code=code,
                                            title=f"Phần {code}") for code in "ABC"]
    assert sections_of(program) == [("A", 1), ("B", 2), ("C", 3)]
    services.move_program_section(actor=world.vh_manager, section=c,
                                  expected_version=c.version, direction="up")
    assert sections_of(program) == [("A", 1), ("C", 2), ("B", 3)]
    a.refresh_from_db()
    services.delete_program_section(actor=world.vh_manager, section=a,
                                    expected_version=a.version)
    assert sections_of(program) == [("C", 1), ("B", 2)]


def test_targets_and_tasks_are_placed_in_one_section_of_the_program(world, draft, program):
    a, b = [services.add_program_section(actor=world.vh_manager, program=program, code=code,
                                         title=code) for code in "AB"]
    target = target_of(world, draft)
    target.programs.add(program)
    other = ProgramFactory(unit=world.viet_hung, number="02-KH/ĐU")
    target.programs.add(other)
    elsewhere = services.add_program_section(actor=world.vh_manager, program=other, title="X")
    services.place_targets_in_sections(actor=world.vh_manager, program=other,
                                       placement={target: elsewhere})
    task = TaskFactory(unit=world.viet_hung, program=program)
    program.refresh_from_db()
    tracking.arrange_program(actor=world.vh_manager, program=program,
                             expected_version=program.version,
                             targets={target: a}, tasks={task: b})
    program.refresh_from_db()
    tracking.arrange_program(actor=world.vh_manager, program=program,
                             expected_version=program.version,
                             targets={target: b}, tasks={task: b})
    assert list(target.program_sections.order_by("pk")) == [b, elsewhere]  # one per program
    task.refresh_from_db()
    assert task.program_section == b
    with pytest.raises(StaleEdit):  # someone arranged it meanwhile
        tracking.arrange_program(actor=world.vh_manager, program=program,
                                 expected_version=program.version - 1,
                                 targets={target: None}, tasks={})


def test_a_section_of_another_program_or_a_task_outside_it_is_refused(world, draft, program):
    (a,) = [services.add_program_section(actor=world.vh_manager, program=program, title="A")]
    other = ProgramFactory(unit=world.viet_hung, number="02-KH/ĐU")
    foreign = services.add_program_section(actor=world.vh_manager, program=other, title="X")
    task = TaskFactory(unit=world.viet_hung, program=other)
    program.refresh_from_db()
    with pytest.raises(ValidationError) as outside:
        tracking.arrange_program(actor=world.vh_manager, program=program,
                                 expected_version=program.version, targets={},
                                 tasks={task: a})
    assert "tasks" in outside.value.message_dict
    mine = TaskFactory(unit=world.viet_hung, program=program)
    with pytest.raises(ValidationError):
        tracking.arrange_program(actor=world.vh_manager, program=program,
                                 expected_version=program.version, targets={},
                                 tasks={mine: foreign})
    mine.refresh_from_db()
    assert mine.program_section is None


def test_a_task_moved_to_another_program_leaves_its_section(world, program):
    a = services.add_program_section(actor=world.vh_manager, program=program, title="A")
    task = TaskFactory(unit=world.viet_hung, program=program)
    program.refresh_from_db()
    tracking.arrange_program(actor=world.vh_manager, program=program,
                             expected_version=program.version, targets={}, tasks={task: a})
    task.refresh_from_db()
    tracking.update_task(actor=world.vh_manager, task=task, expected_version=task.version,
                         program=None)
    task.refresh_from_db()
    assert task.program_section is None


def test_the_migration_gives_a_dated_resolution_the_status_adopted(world):
    """Rows written before the status existed: an adoption date means adopted."""
    dated = ResolutionFactory(unit=world.hoa_hoi, adopted_on=ADOPTED_ON)
    undated = ResolutionFactory(unit=world.hoa_hoi)
    assert dated.status == undated.status == ResolutionStatus.DRAFT
    migration.status_from_adoption(apps, None)
    dated.refresh_from_db()
    undated.refresh_from_db()
    assert (dated.status, undated.status) == (ResolutionStatus.ADOPTED, ResolutionStatus.DRAFT)
