"""What happens to a person's work is told to them, and only to them: not to the one who acted."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sixclear.monitoring.models import Notification
from sixclear.tracking import services
from sixclear.tracking.models import TaskState
from tests.factories import TargetFactory, TaskFactory


def told(kind):
    return set(Notification.objects.filter(kind=kind)
               .values_list("recipient__username", flat=True))


@pytest.fixture
def task(world):
    return TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED)


def submitted(world, task):
    return services.report_progress(actor=world.hh_officer, task=task, percent=40,
                                    narrative="Đã khảo sát mặt bằng cụm công nghiệp.")


def test_the_reporter_is_told_their_report_was_approved(world, task):
    report = submitted(world, task)
    services.review_progress_report(actor=world.hh_manager, report=report,
                                    expected_version=report.version, approve=True)
    assert told("report_approved") == {"hh.officer"}
    assert Notification.objects.get(kind="report_approved").task == task


def test_the_reporter_is_told_each_time_their_report_is_returned(world, task):
    report = submitted(world, task)
    services.review_progress_report(actor=world.hh_manager, report=report,
                                    expected_version=report.version, approve=False,
                                    comment="Thiếu biên bản nghiệm thu")
    assert told("report_returned") == {"hh.officer"}
    assert not told("report_approved")


def test_a_manager_reporting_for_the_owner_is_the_one_told(world, task):
    report = services.report_progress(actor=world.hh_manager, task=task, percent=40,
                                      narrative="Báo cáo thay cho cán bộ.")
    services.review_progress_report(actor=world.hh_leader, report=report,
                                    expected_version=report.version, approve=True)
    assert told("report_approved") == {"hh.manager"}


def test_the_owner_is_told_a_task_was_issued_to_them(world):
    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer)
    services.issue_task(actor=world.hh_manager, task=task, expected_version=task.version)
    assert told("task_issued") == {"hh.officer"}


def test_nobody_is_told_of_what_they_did_themselves(world):
    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_manager)
    services.issue_task(actor=world.hh_manager, task=task, expected_version=task.version)
    assert not Notification.objects.exists()


def test_the_new_owner_of_an_issued_task_is_told(world, task):
    services.update_task(actor=world.hh_leader, task=task, expected_version=task.version,
                         owner=world.hh_manager)
    assert told("task_assigned") == {"hh.manager"}


def test_a_draft_changing_hands_tells_nobody_until_it_is_issued(world):
    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer)
    task = services.update_task(actor=world.hh_manager, task=task,
                                expected_version=task.version, owner=world.hh_leader)
    assert not Notification.objects.exists()
    services.issue_task(actor=world.hh_manager, task=task, expected_version=task.version)
    assert told("task_issued") == {"hh.leader"}


def test_editing_an_issued_task_without_a_new_owner_tells_nobody(world, task):
    services.update_task(actor=world.hh_leader, task=task, expected_version=task.version,
                         title="Lập quy hoạch chung xã")
    assert not Notification.objects.exists()


def test_the_reporter_of_a_value_is_told_it_was_approved_or_returned(world):
    target = TargetFactory(unit=world.hoa_hoi, responsible_person=world.hh_officer)
    value = services.record_measurement(actor=world.hh_officer, target=target, year=2026,
                                        value=Decimal("115"))
    services.review_measurement(actor=world.hh_manager, measurement=value,
                                expected_version=value.version, approve=False,
                                comment="Số liệu chưa khớp")
    assert told("value_returned") == {"hh.officer"}
    value = services.record_measurement(actor=world.hh_officer, target=target, year=2026,
                                        value=Decimal("118"))
    services.review_measurement(actor=world.hh_manager, measurement=value,
                                expected_version=value.version, approve=True)
    assert told("value_approved") == {"hh.officer"}
    assert Notification.objects.get(kind="value_approved").target == target


def test_a_refused_review_tells_nobody(world, task):
    report = submitted(world, task)
    with pytest.raises(ValidationError):  # a return needs a reason
        services.review_progress_report(actor=world.hh_manager, report=report,
                                        expected_version=report.version, approve=False)
    assert not Notification.objects.exists()
