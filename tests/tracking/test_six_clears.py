import datetime

import pytest
from django.core.exceptions import PermissionDenied

from sixclear.references import NeedsChangeRequest
from sixclear.tracking import services
from sixclear.tracking.models import TaskState
from sixclear.tracking.services import SixClearsMissing


def draft(world, **fields):
    values = {
        "title": "Thu hút đầu tư vào Cụm công nghiệp Hòa Hội",
        "description": "Xúc tiến, kêu gọi nhà đầu tư thứ cấp.",
        "owner": world.hh_officer,
        "lead_unit": world.economy_office,
        "deadline": "2026-12-31",
        "expected_result": "03 dự án đầu tư được chấp thuận chủ trương",
        "authority_body": "Ban Thường vụ Đảng ủy xã",
    }
    values.update(fields)
    return services.create_task(actor=world.hh_manager, unit=world.hoa_hoi, **values)


def test_a_draft_may_have_gaps_and_says_which_clears_are_missing(world):
    task = draft(world, owner=None, expected_result="", authority_body="")
    assert task.state == TaskState.DRAFT
    assert task.missing_clears() == ["person", "result", "authority"]


def test_issuing_a_task_with_gaps_fails_naming_each_gap(world):
    task = draft(world, owner=None, deadline=None)
    with pytest.raises(SixClearsMissing) as failure:
        services.issue_task(actor=world.hh_manager, task=task, expected_version=task.version)
    assert set(failure.value.message_dict) == {"person", "deadline"}
    assert "nobody owns the task" in " ".join(failure.value.messages)
    task.refresh_from_db()
    assert task.state == TaskState.DRAFT


def test_a_six_clear_task_is_issued(world):
    task = draft(world)
    assert task.is_six_clear
    services.issue_task(actor=world.hh_manager, task=task, expected_version=task.version)
    task.refresh_from_db()
    assert task.state == TaskState.ISSUED
    assert task.issued_at is not None


def test_an_issued_task_cannot_lose_a_clear(world):
    task = draft(world)
    services.issue_task(actor=world.hh_manager, task=task, expected_version=task.version)
    with pytest.raises(SixClearsMissing):
        services.update_task(
            actor=world.hh_leader, task=task, expected_version=task.version, owner=None
        )


def test_a_manager_changes_an_issued_tasks_clears_only_through_a_change_request(world):
    task = draft(world)
    services.issue_task(actor=world.hh_manager, task=task, expected_version=task.version)
    with pytest.raises(NeedsChangeRequest) as refused:
        services.update_task(actor=world.hh_manager, task=task, expected_version=task.version,
                             deadline=datetime.date(2027, 3, 31))
    assert "change request" in str(refused.value.message_dict["deadline"])
    task.refresh_from_db()
    services.update_task(actor=world.hh_manager, task=task, expected_version=task.version,
                         title="Wording made clearer")


def test_description_counts_as_part_of_clear_work(world):
    task = draft(world, description="  ")
    assert task.missing_clears() == ["work"]


def test_an_approving_person_is_clear_authority(world):
    task = draft(world, authority_body="", authority=world.hh_leader)
    assert task.is_six_clear


def test_an_officer_cannot_create_or_issue_tasks(world):
    with pytest.raises(PermissionDenied):
        services.create_task(actor=world.hh_officer, unit=world.hoa_hoi, title="x")
    task = draft(world)
    with pytest.raises(PermissionDenied):
        services.issue_task(actor=world.hh_officer, task=task, expected_version=task.version)


def test_a_manager_cannot_create_tasks_in_a_sibling_commune(world):
    with pytest.raises(PermissionDenied):
        services.create_task(actor=world.hh_manager, unit=world.an_nhon_bac, title="x")


def test_owner_must_hold_a_role_in_the_lead_unit(world):
    with pytest.raises(Exception) as failure:
        draft(world, owner=world.anb_officer)
    assert "owner" in failure.value.message_dict


def test_deadline_cannot_precede_start(world):
    with pytest.raises(Exception) as failure:
        draft(world, start_date="2026-06-01", deadline="2026-05-01")
    assert "deadline" in failure.value.message_dict


def test_lead_unit_must_be_within_the_task_unit(world):
    with pytest.raises(Exception) as failure:
        draft(world, lead_unit=world.an_nhon_bac, owner=None)
    assert "lead_unit" in failure.value.message_dict


def test_history_keeps_who_changed_a_task(world):
    task = draft(world)
    services.issue_task(actor=world.hh_manager, task=task, expected_version=task.version)
    latest = task.history.first()
    assert latest.state == TaskState.ISSUED
    assert latest.history_user == world.hh_manager
    assert task.history.count() == 2


def test_a_task_serves_only_targets_of_its_unit_or_above(world):
    from tests.factories import TargetFactory

    own = TargetFactory(unit=world.hoa_hoi)
    province = TargetFactory(unit=world.gia_lai)
    other = TargetFactory(unit=world.an_nhon_bac)
    task = draft(world, targets=[own, province])
    assert set(task.targets.all()) == {own, province}
    with pytest.raises(Exception) as failure:
        draft(world, targets=[other])
    assert "targets" in failure.value.message_dict
