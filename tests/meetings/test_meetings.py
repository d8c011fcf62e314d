"""Meetings: scheduled with a drafted agenda ordered by impact, held through their states,
their decisions resolving obstacles, deciding changes and creating six-clears tasks."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sixclear.changes.models import ChangeStatus
from sixclear.changes.services import request_change
from sixclear.meetings import services
from sixclear.meetings.models import Decision, ItemKind, MeetingKind, MeetingState, ObstacleState
from sixclear.monitoring.models import Notification, TargetHealth, TargetStatus
from sixclear.plans.models import ProgramKind
from sixclear.tracking.models import TaskState
from tests.factories import TargetFactory, TaskFactory
from tests.meetings.conftest import TODAY, days

pytestmark = pytest.mark.django_db


def schedule(world, **fields):
    values = {"actor": world.hh_leader, "unit": world.hoa_hoi, "kind": MeetingKind.MONTHLY,
              "title": "Giao ban tháng 11", "held_on": TODAY,
              "attendees": [world.hh_manager, world.hh_officer], **fields}
    return services.schedule_meeting(**values)


def move(world, meeting, *actions):
    for action in actions:
        meeting = getattr(services, f"{action}_meeting")(
            actor=world.hh_leader, meeting=meeting, expected_version=meeting.version)
    return meeting


@pytest.fixture
def agenda_world(world, reported, task):
    """One of each: an obstacle waiting for Hòa Hội, a target off track, a task 20 days late,
    one 3 days late (routine), a change request waiting, and an obstacle waiting elsewhere."""
    target = TargetFactory(unit=world.hoa_hoi, name="Thu nhập bình quân đầu người")
    TargetHealth.objects.create(target=target, status=TargetStatus.OFF_TRACK, changed_on=TODAY,
                                gap_percent=Decimal("-12"))
    very_late = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                            start_date=days(-90), deadline=days(-20), title="Đường liên thôn")
    TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                start_date=days(-90), deadline=days(-3), title="Sửa trường mầm non")
    change = request_change(actor=world.hh_officer, task=task, kind="deadline",
                            proposed={"deadline": days(60).isoformat()}, reason="Chờ đơn giá")
    other = TaskFactory(unit=world.an_nhon_bac, owner=world.anb_officer, state=TaskState.ISSUED)
    services.raise_obstacle(actor=world.anb_officer, task=other, description="Ở phường khác")
    return {"target": target, "very_late": very_late, "change": change, "obstacle": reported}


def test_the_agenda_opens_with_obstacles_then_targets_late_tasks_and_changes(world,
                                                                           agenda_world):
    meeting = schedule(world)
    items = list(meeting.items.order_by("position"))
    assert [item.kind for item in items] == [
        ItemKind.OBSTACLE, ItemKind.TARGET, ItemKind.TASK, ItemKind.CHANGE,
        ItemKind.ROUTINE, ItemKind.ROUTINE]
    assert items[0].obstacle == agenda_world["obstacle"]
    assert items[1].target == agenda_world["target"]
    assert items[2].task == agenda_world["very_late"]
    assert items[3].change == agenda_world["change"]
    assert all(item.in_appendix for item in items[4:])
    assert meeting.state == MeetingState.DRAFT and meeting.organiser == world.hh_leader
    assert set(meeting.attendees.values_list("person__username", flat=True)) == {
        "hh.leader", "hh.manager", "hh.officer"}


def test_an_older_obstacle_comes_before_a_newer_one(world, task, time_machine):
    time_machine.move_to(days(-20))
    old = services.raise_obstacle(actor=world.hh_officer, task=task, description="Cũ")
    time_machine.move_to(days(0))
    new = services.raise_obstacle(actor=world.hh_officer, task=task, description="Mới")
    meeting = schedule(world)
    assert [item.obstacle for item in meeting.items.filter(kind="obstacle")
            .order_by("position")] == [old, new]


def test_only_managers_schedule_and_the_input_is_checked(world):
    with pytest.raises(PermissionDenied):
        schedule(world, actor=world.hh_officer)
    with pytest.raises(ValidationError) as error:
        schedule(world, title=" ", kind=MeetingKind.WORKING, attendees=[world.vh_manager])
    assert set(error.value.error_dict) == {"title", "with_unit", "attendees"}


def test_opening_invites_the_attendees(world):
    meeting = move(world, schedule(world), "open")
    assert meeting.state == MeetingState.OPEN
    invited = set(Notification.objects.filter(kind="meeting_invited")
                  .values_list("recipient__username", flat=True))
    assert invited == {"hh.manager", "hh.officer"}  # not the organiser who acted


def test_decisions_only_in_progress_and_a_closed_meeting_is_read_only(world, agenda_world):
    meeting = schedule(world)
    item = meeting.items.get(kind="obstacle")
    with pytest.raises(ValidationError):
        services.decide_item(actor=world.hh_leader, item=item, expected_version=item.version,
                             decision=Decision.NOTED)
    with pytest.raises(ValidationError):
        move(world, meeting, "start")  # a draft is opened first
    meeting = move(world, meeting, "open", "start", "close")
    item.refresh_from_db()
    with pytest.raises(ValidationError):
        services.decide_item(actor=world.hh_leader, item=item, expected_version=item.version,
                             decision=Decision.NOTED)
    with pytest.raises(ValidationError):
        services.add_item(actor=world.hh_leader, meeting=meeting, title="Thêm")
    with pytest.raises(ValidationError):
        services.redraft_agenda(actor=world.hh_leader, meeting=meeting)


def test_resolving_an_obstacle_in_the_meeting_answers_its_reporter(world, agenda_world):
    meeting = move(world, schedule(world), "open", "start")
    item = meeting.items.get(kind="obstacle")
    with pytest.raises(PermissionDenied):
        services.decide_item(actor=world.hh_officer, item=item, expected_version=item.version,
                             decision=Decision.RESOLVED, text="x")
    with pytest.raises(ValidationError) as error:
        services.decide_item(actor=world.hh_leader, item=item, expected_version=item.version,
                             decision=Decision.RESOLVED, text=" ")
    assert "text" in error.value.error_dict
    services.decide_item(actor=world.hh_leader, item=item, expected_version=item.version,
                         decision=Decision.RESOLVED, text="Áp đơn giá năm 2026 của tỉnh",
                         notes="Văn phòng soạn văn bản")
    obstacle = agenda_world["obstacle"]
    obstacle.refresh_from_db()
    assert obstacle.state == ObstacleState.RESOLVED
    assert obstacle.answer == "Áp đơn giá năm 2026 của tỉnh"
    assert Notification.objects.filter(recipient=world.hh_officer,
                                       kind="obstacle_answered").exists()
    with pytest.raises(ValidationError):  # an obstacle item takes no change decision
        services.decide_item(actor=world.hh_leader, item=item, expected_version=item.version,
                             decision=Decision.APPROVED)


def test_a_change_request_is_decided_through_its_authority(world, agenda_world):
    meeting = move(world, schedule(world), "open", "start")
    item = meeting.items.get(kind="change")
    services.decide_item(actor=world.hh_leader, item=item, expected_version=item.version,
                         decision=Decision.APPROVED, text="Đồng ý gia hạn")
    change = agenda_world["change"]
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and change.decided_by == world.hh_leader
    change.task.refresh_from_db()
    assert change.task.deadline == days(60)


def test_tasks_created_in_the_meeting_pass_the_six_clears_gate(world, agenda_world):
    meeting = move(world, schedule(world), "open", "start")
    item = meeting.items.get(kind="obstacle")
    complete, missing = services.create_item_task(
        actor=world.hh_leader, item=item, title="Trình đơn giá bồi thường",
        description="Văn phòng trình UBND xã", owner=world.hh_officer, lead_unit=world.hoa_hoi,
        deadline=days(14), expected_result="Tờ trình được ký", authority_body="UBND xã")
    assert missing == [] and complete.state == TaskState.ISSUED
    refused, missing = services.create_item_task(
        actor=world.hh_leader, item=item, title="Kiểm đếm lại", owner=world.hh_officer)
    refused.refresh_from_db()
    assert refused.state == TaskState.DRAFT
    assert [m.split(":")[0] for m in missing] == [
        "clear work", "clear deadline", "clear responsibility", "clear result",
        "clear authority"]
    meeting.refresh_from_db()
    conclusion = meeting.conclusion
    assert conclusion.kind == ProgramKind.CONCLUSION and conclusion.unit == world.hoa_hoi
    assert set(conclusion.tasks.all()) == {complete, refused}
    item.refresh_from_db()
    assert item.decision == Decision.TASKS and set(item.tasks_created.all()) == {
        complete, refused}


def test_items_not_reached_move_to_the_next_meeting_of_the_series(world, agenda_world):
    november = move(world, schedule(world), "open", "start")
    december = schedule(world, title="Giao ban tháng 12", held_on=TODAY + datetime.timedelta(30))
    note = services.add_item(actor=world.hh_leader, meeting=november, title="Phòng chống bão")
    decided = november.items.get(kind="target")
    services.decide_item(actor=world.hh_leader, item=decided, expected_version=decided.version,
                         decision=Decision.NOTED)
    move(world, november, "close")
    carried = december.items.filter(carried_from__isnull=False)
    assert {item.carried_from.meeting_id for item in carried} == {november.pk}
    kinds = set(carried.values_list("kind", flat=True))
    assert {ItemKind.OBSTACLE, ItemKind.TASK, ItemKind.CHANGE, ItemKind.OTHER} <= kinds
    assert december.items.get(carried_from=note).title == "Phòng chống bão"
    assert not december.items.filter(carried_from=decided).exists()


def test_a_meeting_scheduled_after_a_closed_one_takes_up_what_it_left(world, agenda_world):
    november = move(world, schedule(world), "open", "start")
    note = services.add_item(actor=world.hh_leader, meeting=november, title="Phòng chống bão")
    move(world, november, "close")
    december = schedule(world, title="Giao ban tháng 12", held_on=TODAY + datetime.timedelta(30))
    assert december.items.get(carried_from=note).kind == ItemKind.OTHER


def test_attendees_confirm_the_minutes(world):
    meeting = schedule(world)
    with pytest.raises(ValidationError):
        services.confirm_minutes(actor=world.hh_officer, meeting=meeting)
    meeting = move(world, meeting, "open", "start", "close")
    assert Notification.objects.filter(recipient=world.hh_officer,
                                       kind="minutes_to_confirm").exists()
    services.confirm_minutes(actor=world.hh_officer, meeting=meeting, amendment="Sửa tên")
    with pytest.raises(ValidationError):
        services.confirm_minutes(actor=world.hh_officer, meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.confirm_minutes(actor=world.hh_viewer, meeting=meeting)
    assert meeting.attendees.get(person=world.hh_officer).amendment == "Sửa tên"


def test_the_organiser_of_a_meeting_held_and_not_closed_is_reminded_once_a_week(world):
    meeting = move(world, schedule(world), "open", "start")
    assert services.remind_unclosed_meetings(days(2)) == 0
    services.remind_unclosed_meetings(days(3))
    services.remind_unclosed_meetings(days(4))
    reminders = Notification.objects.filter(recipient=world.hh_leader, kind="meeting_not_closed")
    assert reminders.count() == 1
    services.remind_unclosed_meetings(days(10))
    assert reminders.count() == 2
    move(world, meeting, "close")
    assert services.remind_unclosed_meetings(days(20)) == 0


def test_a_working_session_takes_up_what_waits_for_the_unit_it_is_with(world, reported,
                                                                       office):
    from tests.meetings.conftest import route

    route(world, reported, office)
    session = schedule(world, kind=MeetingKind.WORKING, title="Làm việc với Văn phòng",
                       with_unit=office)
    assert [item.obstacle for item in session.items.filter(kind=ItemKind.OBSTACLE)] == [
        reported]
    monthly = schedule(world)
    assert not monthly.items.filter(kind=ItemKind.OBSTACLE).exists()  # it waits for the office


def test_the_morning_job_escalates_and_reminds(world, reported, office, time_machine):
    from sixclear.meetings.tasks import escalate_obstacles_and_remind_organisers
    from tests.meetings.conftest import route

    route(world, reported, office)
    time_machine.move_to(days(8))
    escalate_obstacles_and_remind_organisers.call_local()
    escalate_obstacles_and_remind_organisers.call_local()
    reported.refresh_from_db()
    assert reported.must_act == world.hoa_hoi and reported.escalations == 1


def test_the_next_meeting_opens_with_the_conclusions_not_yet_done(world, agenda_world):
    november = move(world, schedule(world), "open", "start")
    item = november.items.get(kind="obstacle")
    concluded, _missing = services.create_item_task(
        actor=world.hh_leader, item=item, title="Trình đơn giá bồi thường",
        description="Văn phòng trình UBND xã", owner=world.hh_officer, lead_unit=world.hoa_hoi,
        deadline=days(14), expected_result="Tờ trình được ký", authority_body="UBND xã")
    move(world, november, "close")
    december = schedule(world, title="Giao ban tháng 12", held_on=days(30))
    kinds = list(december.items.order_by("position").values_list("kind", "task"))
    assert kinds[:2] == [(ItemKind.OBSTACLE, agenda_world["obstacle"].task.pk),
                         (ItemKind.CONCLUSION, concluded.pk)]
    assert not december.items.filter(kind=ItemKind.ROUTINE, task=concluded).exists()


def test_less_meeting_measures_by_month(world, agenda_world, time_machine):
    from sixclear.meetings.selectors import less_meeting_measures
    from sixclear.tracking import services as tracking

    time_machine.move_to(datetime.datetime(2026, 11, 10, 8, 0, tzinfo=datetime.UTC))
    meeting = schedule(world, held_on=datetime.date(2026, 11, 10))
    move(world, meeting, "open", "start")
    item = meeting.items.get(kind="obstacle")
    services.decide_item(actor=world.hh_leader, item=item, expected_version=item.version,
                         decision=Decision.RESOLVED, text="Áp đơn giá của tỉnh")
    task, _missing = services.create_item_task(
        actor=world.hh_leader, item=item, title="Trình đơn giá", description="Văn phòng trình",
        owner=world.hh_officer, lead_unit=world.hoa_hoi, deadline=datetime.date(2026, 11, 20),
        expected_result="Tờ trình", authority_body="UBND xã")
    other = services.raise_obstacle(actor=world.hh_officer, task=agenda_world["very_late"],
                                    description="Thiếu xe")
    time_machine.move_to(datetime.datetime(2026, 11, 10, 9, 30, tzinfo=datetime.UTC))
    meeting.refresh_from_db()
    move(world, meeting, "close")
    services.answer_obstacle(actor=world.hh_manager, obstacle=other,
                             expected_version=other.version, answer="Mượn xe", resolve=True)
    time_machine.move_to(datetime.datetime(2026, 11, 18, 8, 0, tzinfo=datetime.UTC))
    report = tracking.report_progress(actor=world.hh_officer, task=task, percent=100,
                                      narrative="Đã trình.")
    tracking.review_progress_report(actor=world.hh_manager, report=report,
                                    expected_version=report.version, approve=True)
    november, december = less_meeting_measures(world.gia_lai, today=datetime.date(2026, 12, 6),
                                               months=2)
    assert november.month == datetime.date(2026, 11, 1)
    assert december.month == datetime.date(2026, 12, 1) and december.meetings == 0
    assert november.meetings == 1 and november.average_minutes == 90
    # Of 6 items (obstacle, target, late task, change, 2 routine), the obstacle is decisive.
    assert november.decisive_percent == round(100 / meeting.items.count())
    assert (november.resolved_in_meetings, november.resolved_elsewhere) == (1, 1)
    assert november.median_days_open == 0
    assert (november.conclusions_done, november.conclusions_on_time) == (1, 1)
    assert less_meeting_measures(world.an_nhon_bac, today=datetime.date(2026, 11, 30),
                                 months=1)[0].meetings == 0
