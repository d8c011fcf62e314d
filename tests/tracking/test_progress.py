import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sixclear.tracking import services
from sixclear.tracking.models import ReviewStatus, TaskState
from sixclear.tracking.selectors import reports_awaiting_review
from sixclear.versioning import StaleEdit
from tests.factories import TaskFactory

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def task(world):
    return TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED)


def report(world, task, **fields):
    values = {"percent": 40, "narrative": "Đã khảo sát mặt bằng cụm công nghiệp."}
    values.update(fields)
    return services.report_progress(actor=world.hh_officer, task=task, **values)


def test_owner_reports_progress_with_evidence_and_an_obstacle(world, task):
    upload = SimpleUploadedFile("biên bản khảo sát.pdf", PDF, "application/pdf")
    made = report(world, task, obstacles="Chưa giải phóng xong mặt bằng", files=[upload])
    assert made.status == ReviewStatus.SUBMITTED
    assert made.has_obstacles
    evidence = made.evidence.get()
    assert evidence.original_name == "biên_bản_khảo_sát.pdf"
    assert evidence.file.name.startswith(f"evidence/{task.pk}/")
    assert "khảo" not in evidence.file.name  # stored under a generated name


def test_another_officer_cannot_report_on_the_task(world, task):
    with pytest.raises(PermissionDenied):
        services.report_progress(actor=world.anb_officer, task=task, percent=10, narrative="x")


def test_bad_input_is_refused_with_every_reason(world, task):
    with pytest.raises(ValidationError) as failure:
        report(world, task, percent=140, narrative=" ",
               report_date=timezone.localdate() + datetime.timedelta(days=3))
    assert set(failure.value.message_dict) == {"percent", "narrative", "report_date"}
    assert not task.reports.exists()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("virus.exe", b"MZ...", "not an accepted file type"),
        ("empty.pdf", b"", "is empty"),
        ("fake.pdf", b"MZ not really a pdf", "does not contain what its name says"),
    ],
)
def test_unacceptable_evidence_is_refused_and_nothing_is_saved(world, task, name, content, reason):
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as failure:
        report(world, task, files=[upload])
    assert reason in " ".join(failure.value.messages)
    assert not task.reports.exists()


def test_oversized_evidence_is_refused(world, task, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="the limit is"):
        report(world, task, files=[SimpleUploadedFile("a.pdf", PDF)])


def test_no_progress_on_a_draft_task(world):
    draft = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer)
    with pytest.raises(ValidationError):
        report(world, draft)


def test_manager_approves_and_the_task_takes_the_percent(world, task):
    made = report(world, task)
    assert made in reports_awaiting_review(world.hh_manager)
    assert made not in reports_awaiting_review(world.hh_officer)
    assert made not in reports_awaiting_review(world.anb_manager)
    services.review_progress_report(
        actor=world.hh_manager, report=made, expected_version=made.version, approve=True
    )
    task.refresh_from_db()
    assert task.percent_complete == 40
    made.refresh_from_db()
    assert (made.status, made.reviewed_by) == (ReviewStatus.APPROVED, world.hh_manager)


def test_approving_a_full_report_completes_the_task(world, task):
    made = report(world, task, percent=100)
    services.review_progress_report(
        actor=world.hh_manager, report=made, expected_version=made.version, approve=True
    )
    task.refresh_from_db()
    assert task.state == TaskState.DONE
    assert task.completed_on == made.report_date


def test_returning_a_report_needs_a_reason(world, task):
    made = report(world, task)
    with pytest.raises(ValidationError):
        services.review_progress_report(
            actor=world.hh_manager, report=made, expected_version=made.version, approve=False
        )
    services.review_progress_report(
        actor=world.hh_manager, report=made, expected_version=made.version, approve=False,
        comment="Bổ sung biên bản.",
    )
    made.refresh_from_db()
    assert made.status == ReviewStatus.RETURNED


def test_nobody_approves_their_own_report(world, task):
    made = services.report_progress(
        actor=world.hh_manager, task=task, percent=20, narrative="Báo cáo thay."
    )
    with pytest.raises(PermissionDenied):
        services.review_progress_report(
            actor=world.hh_manager, report=made, expected_version=made.version, approve=True
        )


def test_the_approving_person_may_review(world, task):
    task.authority = world.hh_leader
    task.save()
    made = report(world, task)
    assert made in reports_awaiting_review(world.hh_leader)


def test_a_stale_review_is_refused(world, task):
    made = report(world, task)
    opened_by_leader = type(made).objects.get(pk=made.pk)
    services.review_progress_report(
        actor=world.hh_manager, report=made, expected_version=made.version, approve=True
    )
    with pytest.raises(StaleEdit):
        services.review_progress_report(
            actor=world.hh_leader, report=opened_by_leader,
            expected_version=opened_by_leader.version, approve=False,
            comment="Không đạt",
        )


def test_steps_are_added_in_order_and_checked_off(world, task):
    first = services.add_step(actor=world.hh_manager, task=task, title="Khảo sát")
    second = services.add_step(actor=world.hh_manager, task=task, title="Kêu gọi đầu tư")
    assert (first.position, second.position) == (1, 2)
    services.complete_step(actor=world.hh_officer, step=first, expected_version=first.version)
    first.refresh_from_db()
    assert first.done and first.done_on is not None
    with pytest.raises(ValidationError):
        services.add_step(actor=world.hh_manager, task=task, title="Muộn",
                          due_date=task.deadline + datetime.timedelta(days=1))


def test_concurrent_edit_of_a_task_is_detected(world, task):
    opened_version = task.version
    services.update_task(actor=world.hh_manager, task=task, expected_version=opened_version,
                         priority="high")
    with pytest.raises(StaleEdit):
        services.update_task(actor=world.hh_leader, task=task, expected_version=opened_version,
                             priority="low")
    task.refresh_from_db()
    assert task.priority == "high"


def test_cancelling_needs_a_leader_and_a_reason(world, task):
    with pytest.raises(PermissionDenied):
        services.cancel_task(actor=world.hh_manager, task=task, expected_version=task.version,
                             reason="Trùng lặp")
    services.cancel_task(actor=world.hh_leader, task=task, expected_version=task.version,
                         reason="Trùng lặp với nhiệm vụ khác")
    task.refresh_from_db()
    assert task.state == TaskState.CANCELLED
    assert task.history.first().history_change_reason == "Trùng lặp với nhiệm vụ khác"


def test_a_report_on_a_task_cancelled_meanwhile_is_refused(world, task):
    opened = type(task).objects.get(pk=task.pk)
    type(task).objects.filter(pk=task.pk).update(state=TaskState.CANCELLED)
    with pytest.raises(ValidationError):
        report(world, opened)


def test_a_non_numeric_percent_is_a_clear_error(world, task):
    with pytest.raises(ValidationError) as failure:
        report(world, task, percent="forty")
    assert "percent" in failure.value.message_dict


def test_approving_an_older_report_does_not_lower_the_percent(world, task):
    older = report(world, task, percent=30,
                   report_date=timezone.localdate() - datetime.timedelta(days=10))
    newer = report(world, task, percent=60)
    for made in (newer, older):
        services.review_progress_report(actor=world.hh_manager, report=made,
                                        expected_version=made.version, approve=True)
    task.refresh_from_db()
    assert task.percent_complete == 60


def test_steps_cannot_change_on_a_finished_task(world, task):
    step = services.add_step(actor=world.hh_manager, task=task, title="Khảo sát")
    type(task).objects.filter(pk=task.pk).update(state=TaskState.DONE)
    task.refresh_from_db()
    with pytest.raises(ValidationError):
        services.add_step(actor=world.hh_manager, task=task, title="Muộn")
    with pytest.raises(ValidationError):
        services.complete_step(actor=world.hh_officer, step=step, expected_version=step.version)
