"""The obstacle register: reported with progress or raised directly, routed, answered or
escalated, resolved; who may do what; the escalation job."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sixclear.meetings import selectors, services
from sixclear.meetings.models import Obstacle, ObstaclePolicy, ObstacleState
from sixclear.monitoring.models import Notification
from sixclear.tracking import services as tracking
from sixclear.versioning import StaleEdit
from tests.factories import TargetFactory
from tests.meetings.conftest import days, route

pytestmark = pytest.mark.django_db


def test_an_obstacle_reported_with_progress_becomes_a_record(world, reported, task):
    assert reported.state == ObstacleState.OPEN
    assert reported.unit == world.hoa_hoi and reported.task == task
    assert reported.reported_by == world.hh_officer
    assert reported.description == "Chưa có đơn giá bồi thường đất nông nghiệp"
    assert reported.report is not None and reported.must_act is None
    # The commune's managers and leaders are told that someone must route it.
    told = set(Notification.objects.filter(kind="obstacle_assigned")
               .values_list("recipient__username", flat=True))
    assert told == {"hh.manager", "hh.leader"}


def test_a_report_without_obstacles_or_a_draft_makes_none(world, task):
    tracking.report_progress(actor=world.hh_officer, task=task, percent=10, narrative="Bắt đầu.")
    tracking.report_progress(actor=world.hh_officer, task=task, percent=20, narrative="Tiếp.",
                             obstacles="Thiếu kinh phí", submit=False)
    assert not Obstacle.objects.exists()


def test_the_same_words_still_open_are_not_registered_twice(world, reported, task):
    tracking.report_progress(actor=world.hh_officer, task=task, percent=35, narrative="Tiếp.",
                             obstacles="Chưa có đơn giá bồi thường đất nông nghiệp")
    tracking.report_progress(actor=world.hh_officer, task=task, percent=36, narrative="Tiếp.",
                             obstacles="Thiếu máy đo đạc")
    assert Obstacle.objects.count() == 2


def test_raised_directly_on_a_target(world):
    target = TargetFactory(unit=world.hoa_hoi, name="Tỷ lệ hộ nghèo")
    obstacle = services.raise_obstacle(actor=world.hh_officer, target=target,
                                       description="Thiếu số liệu rà soát",
                                       help_asked="Huyện cung cấp số liệu")
    assert obstacle.target == target and obstacle.help_asked == "Huyện cung cấp số liệu"


def test_raising_needs_a_subject_words_and_a_role(world, task):
    with pytest.raises(ValidationError) as error:
        services.raise_obstacle(actor=world.hh_officer, task=task, description="  ")
    assert "description" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.raise_obstacle(actor=world.hh_officer, description="x")
    assert "blocks" in error.value.error_dict
    with pytest.raises(PermissionDenied):
        services.raise_obstacle(actor=world.hh_viewer, task=task, description="x")
    with pytest.raises(PermissionDenied):
        services.raise_obstacle(actor=world.anb_officer, task=task, description="x")
    assert not Obstacle.objects.exists()


def test_the_manager_routes_it_and_the_unit_that_must_act_is_told(world, reported, office):
    route(world, reported, office)
    reported.refresh_from_db()
    assert reported.state == ObstacleState.ASSIGNED and reported.must_act == office
    assert Notification.objects.filter(recipient=office.office_manager,
                                       kind="obstacle_assigned").exists()
    note = Notification.objects.get(recipient=office.office_manager)
    assert note.link == f"/obstacles/{reported.pk}/" and "đơn giá" in note.subject


def test_routing_is_for_the_managers_of_its_level_to_a_unit_in_reach(world, reported):
    with pytest.raises(PermissionDenied):
        route(world, reported, world.hoa_hoi, actor=world.hh_officer)
    with pytest.raises(ValidationError) as error:
        route(world, reported, world.an_nhon_bac)  # a sibling commune: not in its line
    assert "must_act" in error.value.error_dict
    with pytest.raises(StaleEdit):
        services.route_obstacle(actor=world.hh_manager, obstacle=reported, expected_version=0,
                                must_act=world.hoa_hoi)
    route(world, reported, world.gia_lai)  # the province above may be the one to solve it
    # Now it waits for the province: the commune's manager routes it no more.
    with pytest.raises(PermissionDenied):
        route(world, reported, world.hoa_hoi)


def test_answered_then_resolved_by_the_reporter(world, reported, office):
    route(world, reported, office)
    reported.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.answer_obstacle(actor=world.anb_manager, obstacle=reported,
                                 expected_version=reported.version, answer="x")
    services.answer_obstacle(actor=office.office_manager, obstacle=reported,
                             expected_version=reported.version, answer="Áp giá theo QĐ 12")
    assert reported.state == ObstacleState.ANSWERED
    assert Notification.objects.filter(recipient=world.hh_officer,
                                       kind="obstacle_answered").exists()
    services.resolve_obstacle(actor=world.hh_officer, obstacle=reported,
                              expected_version=reported.version)
    assert reported.state == ObstacleState.RESOLVED and reported.resolved_at


def test_a_resolved_obstacle_cannot_move_again(world, reported):
    services.answer_obstacle(actor=world.hh_manager, obstacle=reported,
                             expected_version=reported.version, answer="Xong", resolve=True)
    with pytest.raises(ValidationError):
        services.escalate_obstacle(actor=world.hh_manager, obstacle=reported,
                                   expected_version=reported.version)
    with pytest.raises(ValidationError):
        services.answer_obstacle(actor=world.hh_manager, obstacle=reported,
                                 expected_version=reported.version, answer="Lại")


def test_escalated_by_hand_to_the_level_above(world, reported):
    services.escalate_obstacle(actor=world.hh_manager, obstacle=reported,
                               expected_version=reported.version)
    assert reported.state == ObstacleState.ESCALATED and reported.must_act == world.gia_lai
    assert Notification.objects.filter(recipient=world.province_leader,
                                       kind="obstacle_escalated").exists()
    # Now it waits for the province: the commune's manager no longer answers it.
    with pytest.raises(PermissionDenied):
        services.answer_obstacle(actor=world.hh_manager, obstacle=reported,
                                 expected_version=reported.version, answer="x")


def test_unanswered_obstacles_climb_after_the_policy_days_once(world, reported, office,
                                                             time_machine):
    ObstaclePolicy.objects.create(unit=world.hoa_hoi, answer_within_days=5)
    route(world, reported, office)
    assert services.escalate_overdue_obstacles(days(4)) == 0
    assert services.escalate_overdue_obstacles(days(5)) == 1
    assert services.escalate_overdue_obstacles(days(5)) == 0  # idempotent
    reported.refresh_from_db()
    assert reported.must_act == world.hoa_hoi and reported.state == ObstacleState.ESCALATED
    assert reported.waiting_since == days(5) and reported.escalations == 1
    # Gia Lai has no policy of its own: the default, 7 days.
    assert services.escalate_overdue_obstacles(days(10)) == 1  # Hòa Hội's 5 days
    reported.refresh_from_db()
    assert reported.must_act == world.gia_lai
    assert services.escalate_overdue_obstacles(days(16)) == 0
    assert services.escalate_overdue_obstacles(days(17)) == 1
    reported.refresh_from_db()
    assert reported.must_act == world.country
    assert services.escalate_overdue_obstacles(days(40)) == 0  # nothing above the country


def test_an_answered_or_unrouted_obstacle_does_not_climb(world, reported, office):
    assert services.escalate_overdue_obstacles(days(30)) == 0  # waiting to be routed
    route(world, reported, office)
    reported.refresh_from_db()
    services.answer_obstacle(actor=office.office_manager, obstacle=reported,
                             expected_version=reported.version, answer="Đã trả lời")
    assert services.escalate_overdue_obstacles(days(30)) == 0


def test_figures_by_level_and_age_and_median_days_to_resolve(world, task, office,
                                                             time_machine):
    time_machine.move_to(days(-40))
    old = services.raise_obstacle(actor=world.hh_officer, task=task, description="Cũ")
    first = services.raise_obstacle(actor=world.hh_officer, task=task, description="Một")
    time_machine.move_to(days(-10))
    services.answer_obstacle(actor=world.hh_manager, obstacle=first,
                             expected_version=first.version, answer="Xong", resolve=True)
    second = services.raise_obstacle(actor=world.hh_officer, task=task, description="Hai")
    time_machine.move_to(days(-6))
    services.answer_obstacle(actor=world.hh_manager, obstacle=second,
                             expected_version=second.version, answer="Xong", resolve=True)
    recent = services.raise_obstacle(actor=world.hh_officer, task=task, description="Mới")
    route(world, recent, office)
    time_machine.move_to(days(0))
    figures = selectors.obstacle_figures(world.gia_lai)
    assert figures.rows == [("Hòa Hội", [0, 0, 1], 1), ("Văn phòng HĐND và UBND", [1, 0, 0], 1)]
    assert figures.open_total == 2 and figures.resolved == 2
    assert figures.median_days_to_resolve == 17  # 30 and 4 days
    assert old.pk
    assert selectors.obstacle_figures(world.an_nhon_bac).open_total == 0
