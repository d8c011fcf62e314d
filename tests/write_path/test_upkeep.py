"""Upkeep at every door: an admin edit, an import and an approved change request each update
the task's computed status and its unit's dashboard rollup in the same transaction, and
`sixclear rollups --verify` then finds no difference."""

import pytest
from django.urls import reverse

from sixclear.changes import services as changes
from sixclear.exchange.importing import import_rows
from sixclear.tracking.models import Task, TaskState
from tests.exchange.conftest import workbook_bytes
from tests.factories import TaskFactory, UserFactory
from tests.write_path.conftest import (
    browser,
    days,
    late_count,
    settle,
    task_status,
    verify_rollups,
)
from tests.write_path.test_references_admin_and_changes import admin_task_data

NEW_DEADLINE = days(30)


@pytest.fixture
def late_task(world, home):
    """An issued Hòa Hội task three days late, approved by the commune's leader."""
    task = TaskFactory(unit=world.hoa_hoi, code="NV-TRE", title="Khảo sát mặt bằng",
                       owner=world.hh_officer, authority=world.hh_leader,
                       state=TaskState.ISSUED, start_date=days(-30), deadline=days(-3))
    settle()
    assert task_status(task) == "late"
    return task


def extend_in_the_admin(client, world, task):
    client = browser(client, UserFactory(username="chief", is_superuser=True, is_staff=True))
    response = client.post(reverse("admin:tracking_task_change", args=[task.pk]),
                           admin_task_data(task, deadline=NEW_DEADLINE.isoformat()))
    assert response.status_code == 302, response.context["adminform"].form.errors


def extend_by_import(client, world, task):
    data = workbook_bytes([["Code", "Title", "Deadline"],
                           [task.code, task.title, NEW_DEADLINE]])
    outcome = import_rows(kind="tasks", unit=world.hoa_hoi, actor=world.hh_leader, data=data,
                          file_format="xlsx")
    assert outcome.error_count == 0, outcome.errors
    assert outcome.summary["updated"] == 1


def extend_by_change_request(client, world, task):
    change = changes.request_change(actor=world.hh_officer, task=task, kind="deadline",
                                    proposed={"deadline": NEW_DEADLINE.isoformat()},
                                    reason="Chờ giải phóng mặt bằng")
    changes.decide_change(actor=world.hh_leader, change=change,
                          expected_version=change.version, approve=True)


DOORS = {"admin": extend_in_the_admin, "import": extend_by_import,
         "change_request": extend_by_change_request}


@pytest.mark.parametrize("door", DOORS)
def test_extending_a_late_tasks_deadline_updates_its_status_and_the_dashboard(
        client, world, late_task, door):
    late_before = late_count(world.hoa_hoi)
    assert late_before >= 1

    DOORS[door](client, world, late_task)

    assert Task.objects.get(pk=late_task.pk).deadline == NEW_DEADLINE
    assert task_status(late_task) not in (None, "late")
    assert late_count(world.hoa_hoi) == late_before - 1
    verify_rollups()


def test_an_admin_edit_that_makes_a_task_late_counts_it_late_at_once(client, world, home):
    task = home.issued
    before = late_count(world.hoa_hoi)
    client = browser(client, UserFactory(username="chief", is_superuser=True, is_staff=True))
    response = client.post(reverse("admin:tracking_task_change", args=[task.pk]),
                           admin_task_data(task, deadline=days(-1).isoformat()))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert task_status(task) == "late"
    assert late_count(world.hoa_hoi) == before + 1
    verify_rollups()

