"""The API says when a change needs a change request, and which fields it concerns."""

import datetime

from sixclear.tracking.models import Task, TaskState
from tests.api.conftest import token_client
from tests.factories import TaskFactory


def test_a_managers_patch_of_an_issued_deadline_points_to_a_change_request(world):
    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                       authority=world.hh_leader)
    response = token_client(world.hh_manager).patch(f"/api/v1/tasks/{task.pk}/", {
        "version": task.version, "deadline": "2030-01-31", "title": "Tên rõ hơn"},
        format="json")
    body = response.json()
    assert response.status_code == 403, body
    assert body["code"] == "change_request_required"
    assert list(body["fields"]) == ["deadline"]
    assert "change request" in body["message"]
    assert Task.objects.get(pk=task.pk).deadline == task.deadline


def test_the_approving_person_patches_it_directly(world):
    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED,
                       authority=world.hh_leader)
    response = token_client(world.hh_leader).patch(f"/api/v1/tasks/{task.pk}/", {
        "version": task.version, "deadline": "2030-01-31"}, format="json")
    assert response.status_code == 200, response.json()
    task.refresh_from_db()
    assert task.deadline == datetime.date(2030, 1, 31)
    assert task.history.first().history_change_reason
