import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sixclear.changes import services
from sixclear.changes.models import ChangeStatus
from sixclear.changes.selectors import changes_awaiting_decision, original_deadline
from sixclear.monitoring.models import Notification
from sixclear.plans.services import store_trajectory
from sixclear.tracking.models import TaskState
from sixclear.versioning import StaleEdit
from tests.factories import TargetFactory, TaskFactory, UserFactory

DEADLINE = datetime.date(2026, 12, 31)


@pytest.fixture
def task(world):
    return TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                       start_date=datetime.date(2026, 1, 1), deadline=DEADLINE)


def ask_extension(world, task, new="2027-03-31"):
    return services.request_change(actor=world.hh_officer, task=task, kind="deadline",
                                   proposed={"deadline": new},
                                   reason="Chờ phê duyệt vốn đầu tư công")


def test_owner_asks_for_an_extension_and_the_leader_approves_it(world, task):
    change = ask_extension(world, task)
    assert change in changes_awaiting_decision(world.hh_leader)
    assert change not in changes_awaiting_decision(world.hh_officer)
    assert Notification.objects.filter(recipient=world.hh_leader,
                                       kind="change_requested").exists()
    services.decide_change(actor=world.hh_leader, change=change,
                           expected_version=change.version, approve=True)
    task.refresh_from_db()
    assert task.deadline == datetime.date(2027, 3, 31)
    assert original_deadline(task) == DEADLINE.isoformat()
    latest = task.history.first()
    assert latest.history_user == world.hh_leader
    assert "approved" in latest.history_change_reason
    assert Notification.objects.filter(recipient=world.hh_officer,
                                       kind="change_approved").exists()


def test_a_rejection_needs_a_reason_and_changes_nothing(world, task):
    change = ask_extension(world, task)
    with pytest.raises(ValidationError):
        services.decide_change(actor=world.hh_leader, change=change,
                               expected_version=change.version, approve=False)
    services.decide_change(actor=world.hh_leader, change=change,
                           expected_version=change.version, approve=False,
                           comment="Phải hoàn thành trong năm 2026")
    task.refresh_from_db()
    assert task.deadline == DEADLINE
    assert change.status == ChangeStatus.REJECTED
    assert set(Notification.objects.filter(kind="change_rejected")
               .values_list("recipient__username", flat=True)) == {"hh.officer"}
    assert not Notification.objects.filter(recipient=world.hh_leader,
                                           kind__in=["change_rejected", "change_approved"])


def test_only_the_authority_or_a_leader_above_them_decides(world, task):
    task.authority = world.hh_manager
    task.save()
    change = ask_extension(world, task)
    for outsider in (world.hh_officer, world.anb_manager, world.vh_manager):
        with pytest.raises(PermissionDenied):
            services.decide_change(actor=outsider, change=change,
                                   expected_version=change.version, approve=True)
    assert change in changes_awaiting_decision(world.hh_manager)
    services.decide_change(actor=world.hh_leader, change=change,
                           expected_version=change.version, approve=True)


def test_a_leader_beside_the_approving_leader_does_not_decide(world, task):
    task.authority = world.hh_leader
    task.save()
    peer = UserFactory(username="hh.leader2")
    peer.memberships.create(unit=world.hoa_hoi, role="leader")
    change = ask_extension(world, task)
    with pytest.raises(PermissionDenied):
        services.decide_change(actor=peer, change=change, expected_version=change.version,
                               approve=True)
    services.decide_change(actor=world.province_leader, change=change,
                           expected_version=change.version, approve=True)


def test_strangers_cannot_ask(world, task):
    with pytest.raises(PermissionDenied):
        services.request_change(actor=world.anb_officer, task=task, kind="deadline",
                                proposed={"deadline": "2027-01-01"}, reason="x")


def test_bad_requests_are_refused_clearly(world, task):
    with pytest.raises(ValidationError) as failure:
        services.request_change(actor=world.hh_officer, task=task, kind="deadline",
                                proposed={"deadline": "31/03/2027"}, reason="x")
    assert "deadline" in failure.value.message_dict
    with pytest.raises(ValidationError) as failure:
        ask_extension(world, task, new="2025-01-01")
    assert "deadline" in failure.value.message_dict
    with pytest.raises(ValidationError):
        services.request_change(actor=world.hh_officer, task=task, kind="deadline",
                                proposed={"deadline": "2027-01-01"}, reason=" ")
    with pytest.raises(ValidationError):
        services.request_change(actor=world.hh_officer, task=task, kind="owner",
                                proposed={"owner": world.anb_officer.pk}, reason="x")


def test_one_pending_request_of_a_kind_at_a_time(world, task):
    ask_extension(world, task)
    with pytest.raises(ValidationError, match="already waits"):
        ask_extension(world, task, new="2027-06-30")


def test_a_changed_owner_needs_approval_too(world, task):
    colleague = world.hh_manager
    change = services.request_change(actor=world.hh_manager, task=task, kind="owner",
                                     proposed={"owner": colleague.pk}, reason="Điều động")
    services.decide_change(actor=world.hh_leader, change=change,
                           expected_version=change.version, approve=True)
    task.refresh_from_db()
    assert task.owner == colleague
    assert change.original == {"owner": world.hh_officer.pk}
    # The new owner is told the task is theirs; the requester, that the change was approved.
    told = set(Notification.objects.exclude(kind="change_requested")
               .values_list("recipient__username", "kind"))
    assert told == {("hh.manager", "task_assigned"), ("hh.manager", "change_approved")}


def test_rebaselining_a_target_recomputes_its_path(world):
    target = TargetFactory(unit=world.hoa_hoi, responsible_person=world.hh_officer)
    store_trajectory(target)
    change = services.request_change(
        actor=world.hh_officer, target=target, kind="rebaseline",
        proposed={"baseline_value": "110", "annual_rate": "20"},
        reason="Số liệu năm gốc được Cục Thống kê điều chỉnh")
    services.decide_change(actor=world.hh_leader, change=change,
                           expected_version=change.version, approve=True)
    target.refresh_from_db()
    assert (target.baseline_value, target.annual_rate) == (Decimal("110"), Decimal("20"))
    assert target.trajectory.get(year=2026).expected_value == Decimal("132.0000")
    assert Decimal(change.original["baseline_value"]) == Decimal("100")


def test_a_decision_on_a_stale_page_is_refused(world, task):
    change = ask_extension(world, task)
    opened = type(change).objects.get(pk=change.pk)
    services.decide_change(actor=world.hh_leader, change=change,
                           expected_version=change.version, approve=True)
    with pytest.raises((StaleEdit, ValidationError)):
        services.decide_change(actor=world.province_leader, change=opened,
                               expected_version=opened.version, approve=False, comment="Không")


@pytest.mark.parametrize("state", [TaskState.DRAFT, TaskState.DONE, TaskState.CANCELLED])
def test_changes_are_asked_only_for_issued_tasks(world, task, state):
    task.state = state
    task.save()
    with pytest.raises(ValidationError, match="issued"):
        ask_extension(world, task)


def test_the_approving_person_sees_the_task_they_decide(world, task):
    from sixclear.tracking.selectors import visible_tasks

    task.authority = world.vh_manager  # someone from another ward, named as the authority
    task.save()
    assert task in visible_tasks(world.vh_manager)
