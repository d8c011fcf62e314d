"""Cases through procedures: versions, hand-overs, the clock, and its deadlines."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm_log.models import StateLog

from sixclear.monitoring.models import Notification, NotificationKind
from sixclear.orgs.models import Role
from sixclear.procedures import selectors, services
from sixclear.procedures.models import CaseState, ClockKind, StepState
from sixclear.versioning import StaleEdit

from .helpers import PETITION_STEPS, open_case, petition_procedure

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _march_2026():
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, 0), tick=False):
        yield


def test_opening_plans_each_step_in_working_days(world):
    procedure = petition_procedure(world)
    case = open_case(world, procedure, D(2026, 3, 6))  # a Friday
    steps = selectors.case_steps(case)
    # 1 day → Mon 9; +5 → Mon 16; +2 → Wed 18.
    assert [s.due_date for s in steps] == [D(2026, 3, 9), D(2026, 3, 16), D(2026, 3, 18)]
    assert case.due_date == D(2026, 3, 18)
    assert [s.state for s in steps] == [StepState.ACTIVE, StepState.WAITING, StepState.WAITING]
    assert steps[0].handler == world.hh_officer


def test_a_case_runs_on_the_version_in_force_when_it_began(world):
    procedure = petition_procedure(world)
    shorter = [dict(step, days=1) for step in PETITION_STEPS]
    services.add_version(actor=world.hh_manager, procedure=procedure,
                         effective_from=D(2026, 3, 10), steps=shorter)
    old = open_case(world, procedure, D(2026, 3, 9), reference="A")
    new = open_case(world, procedure, D(2026, 3, 10), reference="B")
    assert old.procedure_version.number == 1 and new.procedure_version.number == 2
    assert old.due_date == D(2026, 3, 19)  # 1+5+2 working days from Monday 9
    assert new.due_date == D(2026, 3, 13)  # 3 working days from Tuesday
    # The old case keeps its steps after the new version took effect.
    assert [s.step.days for s in selectors.case_steps(old)] == [1, 5, 2]


def test_a_new_version_takes_effect_after_the_current_one(world):
    procedure = petition_procedure(world)
    with pytest.raises(ValidationError) as error:
        services.add_version(actor=world.hh_manager, procedure=procedure,
                             effective_from=D(2026, 1, 1), steps=PETITION_STEPS)
    assert "effective_from" in error.value.message_dict


def test_hand_over_moves_step_by_step_and_closes_on_time(world):
    procedure = petition_procedure(world)
    case = open_case(world, procedure, D(2026, 3, 9))
    services.hand_over(actor=world.hh_officer, case=case, expected_version=case.version,
                       to=world.hh_officer, on=D(2026, 3, 10), note="Đã vào sổ")
    services.hand_over(actor=world.hh_officer, case=case, expected_version=case.version,
                       to=world.hh_manager, on=D(2026, 3, 13))
    steps = selectors.case_steps(case)
    assert steps[0].on_time and steps[0].working_days == 1 and steps[0].done_at
    assert steps[2].handler == world.hh_manager and steps[2].state == StepState.ACTIVE
    # The third step's limit counts from the day it was received.
    assert steps[2].due_date == D(2026, 3, 17)
    # Signing is a manager's step: an officer may not hand it over.
    with pytest.raises(PermissionDenied):
        services.hand_over(actor=world.hh_officer, case=case, expected_version=case.version)
    services.hand_over(actor=world.hh_manager, case=case, expected_version=case.version,
                       on=D(2026, 3, 16))
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.on_time and case.closed_on == D(2026, 3, 16)
    transitions = StateLog.objects.filter(by=world.hh_officer).values_list("transition",
                                                                           flat=True)
    assert "hand_over" in transitions and "start" in transitions
    assert Notification.objects.filter(recipient=world.hh_manager,
                                       kind=NotificationKind.CASE_HANDED_OVER).exists()


def test_a_late_step_is_recorded_late(world):
    procedure = petition_procedure(world)
    case = open_case(world, procedure, D(2026, 3, 2))
    services.hand_over(actor=world.hh_officer, case=case, expected_version=case.version,
                       to=world.hh_officer, on=D(2026, 3, 5))  # due on the 3rd
    first = selectors.case_steps(case)[0]
    assert first.on_time is False and first.working_days == 3


def test_hand_over_names_the_next_handler_and_refuses_stale_pages(world):
    procedure = petition_procedure(world)
    case = open_case(world, procedure, D(2026, 3, 9))
    with pytest.raises(ValidationError) as error:
        services.hand_over(actor=world.hh_officer, case=case, expected_version=case.version)
    assert "to" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.hand_over(actor=world.hh_officer, case=case, expected_version=case.version,
                           to=world.anb_officer)  # another commune's officer
    assert "to" in error.value.message_dict
    with pytest.raises(StaleEdit):
        services.hand_over(actor=world.hh_officer, case=case,
                           expected_version=case.version - 1, to=world.hh_officer)


def test_suspension_pushes_every_remaining_deadline_by_the_days_suspended(world):
    procedure = petition_procedure(world)
    case = open_case(world, procedure, D(2026, 3, 9))
    before = [s.due_date for s in selectors.case_steps(case)]
    services.suspend_case(actor=world.hh_officer, case=case, expected_version=case.version,
                          reason="Chờ công dân bổ sung hồ sơ", on=D(2026, 3, 10))
    case.refresh_from_db()
    assert case.state == CaseState.SUSPENDED
    # Nothing moves on while the clock stands.
    with pytest.raises(ValidationError):
        services.hand_over(actor=world.hh_officer, case=case, expected_version=case.version,
                           to=world.hh_officer)
    case.refresh_from_db()
    assert case.version == 2
    services.resume_case(actor=world.hh_officer, case=case, expected_version=case.version,
                         on=D(2026, 3, 16))  # Tue 10 .. Fri 13: 4 working days
    case.refresh_from_db()
    suspension = case.clock_changes.get(kind=ClockKind.SUSPENSION)
    assert suspension.working_days == 4 and suspension.ended_on == D(2026, 3, 16)
    after = [s.due_date for s in selectors.case_steps(case)]
    # Each planned due date (Tue 10, Tue 17, Thu 19) moves 4 working days later.
    assert before == [D(2026, 3, 10), D(2026, 3, 17), D(2026, 3, 19)]
    assert after == [D(2026, 3, 16), D(2026, 3, 23), D(2026, 3, 25)]
    assert case.due_date == D(2026, 3, 25) and case.state == CaseState.OPEN


def test_suspension_across_tet(world):
    procedure = petition_procedure(world)
    case = open_case(world, procedure, D(2026, 2, 11))
    services.suspend_case(actor=world.hh_officer, case=case, expected_version=case.version,
                          reason="Chờ ý kiến phòng chuyên môn", on=D(2026, 2, 12))
    services.resume_case(actor=world.hh_officer, case=case, expected_version=case.version,
                         on=D(2026, 2, 24))
    # Thu 12, Fri 13, (Tết 16–20), Mon 23: 3 working days.
    assert case.clock_changes.get().working_days == 3


def test_extension_needs_a_manager_a_reason_and_days(world):
    procedure = petition_procedure(world)
    case = open_case(world, procedure, D(2026, 3, 9))
    with pytest.raises(PermissionDenied):
        services.extend_case(actor=world.hh_officer, case=case, expected_version=case.version,
                             reason="Vụ việc phức tạp", days=5)
    with pytest.raises(ValidationError) as error:
        services.extend_case(actor=world.hh_manager, case=case, expected_version=case.version,
                             reason="", days=0)
    assert set(error.value.message_dict) == {"reason", "days"}
    services.extend_case(actor=world.hh_manager, case=case, expected_version=case.version,
                         reason="Vụ việc phức tạp, cần xác minh thêm", days=5)
    case.refresh_from_db()
    assert case.due_date == D(2026, 3, 26)  # Thu 19 + 5 working days
    assert case.clock_changes.get().kind == ClockKind.EXTENSION


def test_a_suspended_case_cannot_be_extended_or_suspended_again(world):
    procedure = petition_procedure(world)
    case = open_case(world, procedure, D(2026, 3, 9))
    services.suspend_case(actor=world.hh_officer, case=case, expected_version=case.version,
                          reason="Chờ bổ sung")
    for call in (lambda: services.suspend_case(actor=world.hh_officer, case=case,
                                               expected_version=case.version, reason="x"),
                 lambda: services.extend_case(actor=world.hh_manager, case=case,
                                              expected_version=case.version, reason="x",
                                              days=1)):
        with pytest.raises(ValidationError):
            call()


def test_opening_is_checked(world):
    procedure = petition_procedure(world)
    with pytest.raises(PermissionDenied):
        open_case(world, procedure, D(2026, 3, 9), actor=world.hh_viewer)
    with pytest.raises(ValidationError) as error:
        services.open_case(actor=world.hh_officer, unit=world.hoa_hoi, procedure=procedure,
                           reference="", subject="", opened_on=D(2026, 4, 1))
    assert {"reference", "subject", "opened_on"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        open_case(world, procedure, D(2025, 12, 1))  # before version 1
    assert "opened_on" in error.value.message_dict
    # Another commune cannot open a case on Hòa Hội's procedure.
    with pytest.raises(ValidationError) as error:
        open_case(world, procedure, D(2026, 3, 9), actor=world.anb_officer,
                  unit=world.an_nhon_bac)
    assert "procedure" in error.value.message_dict


def test_a_procedure_shared_from_above_serves_the_communes(world):
    procedure = petition_procedure(world, unit=world.gia_lai, actor=world.province_leader,
                                   shared_below=True)
    case = open_case(world, procedure, D(2026, 3, 9), actor=world.anb_officer,
                     unit=world.an_nhon_bac)
    assert case.procedure_version.procedure == procedure
    assert procedure in selectors.visible_procedures(world.anb_officer)
    assert procedure not in selectors.visible_procedures(world.vh_manager)


def test_steps_are_validated(world):
    with pytest.raises(ValidationError) as error:
        petition_procedure(world, steps=[{"name": "", "role": "chief", "days": -1}])
    assert len(error.value.message_dict["steps"]) == 3
    with pytest.raises(PermissionDenied):
        services.create_procedure(actor=world.hh_officer, unit=world.hoa_hoi, code="X",
                                  name="X", effective_from=D(2026, 1, 1),
                                  steps=PETITION_STEPS)


def test_late_steps_are_told_then_escalated_once(world):
    procedure = petition_procedure(world)
    case = open_case(world, procedure, D(2026, 3, 9))  # first step due Tue 10
    assert services.remind_late_steps(D(2026, 3, 11)) == 1
    services.remind_late_steps(D(2026, 3, 11))
    late = Notification.objects.filter(kind=NotificationKind.CASE_STEP_LATE)
    assert late.count() == 1 and late.get().recipient == world.hh_officer
    assert case.reference in late.get().subject and late.get().link.endswith(f"/{case.pk}/")
    assert not Notification.objects.filter(kind=NotificationKind.CASE_STEP_ESCALATED).exists()
    services.remind_late_steps(D(2026, 3, 13))  # 3 working days late
    escalated = Notification.objects.filter(kind=NotificationKind.CASE_STEP_ESCALATED)
    assert set(escalated.values_list("recipient", flat=True)) >= {world.hh_manager.pk}
    assert Role.MANAGER


def test_recording_a_case_from_another_system(world):
    procedure = petition_procedure(world)
    case, status = services.record_case(
        actor=world.hh_officer, unit=world.hoa_hoi, procedure=procedure, reference="HS-9",
        subject="Cấp bản sao", opened_on=D(2026, 3, 2), steps_done_on=[D(2026, 3, 3)])
    assert status == "created" and case.recorded_elsewhere
    steps = selectors.case_steps(case)
    assert steps[0].done_on == D(2026, 3, 3) and steps[1].state == StepState.ACTIVE
    again, status = services.record_case(
        actor=world.hh_officer, unit=world.hoa_hoi, procedure=procedure, reference="HS-9",
        subject="Cấp bản sao", opened_on=D(2026, 3, 2),
        steps_done_on=[D(2026, 3, 3), D(2026, 3, 11), D(2026, 3, 12)])  # due on the 12th
    again.refresh_from_db()
    assert status == "updated" and again.pk == case.pk and again.state == CaseState.CLOSED
    assert again.on_time is True
    with pytest.raises(ValidationError):
        services.record_case(actor=world.hh_officer, unit=world.hoa_hoi, procedure=procedure,
                             reference="HS-9", subject="x", opened_on=D(2026, 3, 2),
                             steps_done_on=[D(2026, 3, 4)])


def test_rollups_match_a_fresh_count_and_rebuild(world):
    from django.core.management import call_command

    from sixclear.procedures import rollups
    from sixclear.procedures.models import StepMonthRollup

    procedure = petition_procedure(world)
    case = open_case(world, procedure, D(2026, 3, 2))
    for _step in range(3):
        case.refresh_from_db()
        services.hand_over(actor=world.hh_manager, case=case, expected_version=case.version,
                           to=world.hh_manager, on=D(2026, 3, 4))
    assert rollups.verify() == []
    StepMonthRollup.objects.filter(position=0).update(done=7)
    assert len(rollups.verify()) == 1
    call_command("procedures", "rollups")
    assert rollups.verify() == []
    call_command("procedures", "rollups", "--verify")
    assert StepMonthRollup.objects.get(position=0).done == 1
