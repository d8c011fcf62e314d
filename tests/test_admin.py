"""The administrator manages everything in the Django admin, translated and history-aware."""

import pytest
from django.urls import reverse

from sixclear.tracking.models import Task, TaskState
from tests.factories import TaskFactory, UserFactory

ADMIN_MODELS = ["orgs/unit", "orgs/membership", "plans/resolution", "plans/program",
                "plans/target", "tracking/task", "monitoring/monitoringpolicy",
                "meetings/obstaclepolicy"]
READ_ONLY_MODELS = ["tracking/progressreport", "tracking/measurement",
                    "monitoring/taskhealth", "monitoring/targethealth", "monitoring/notification",
                    "monitoring/monitoringrun", "changes/changerequest", "meetings/obstacle",
                    "meetings/meeting"]


@pytest.fixture
def admin_client(client, world):
    chief = UserFactory(username="chief", is_superuser=True, is_staff=True)
    client.force_login(chief)
    TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer)
    return client


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_every_list_and_add_page_opens(admin_client, model):
    assert admin_client.get(f"/admin/{model}/").status_code == 200
    assert admin_client.get(f"/admin/{model}/add/").status_code == 200


@pytest.mark.parametrize("model", READ_ONLY_MODELS)
def test_computed_records_are_listed_but_not_added_by_hand(admin_client, model):
    assert admin_client.get(f"/admin/{model}/").status_code == 200
    assert admin_client.get(f"/admin/{model}/add/").status_code == 403


def test_admin_speaks_vietnamese(admin_client):
    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="vi")
    assert "Nhiệm vụ" in page.content.decode()


def test_task_history_is_visible(admin_client):
    task = Task.objects.get()
    page = admin_client.get(reverse("admin:tracking_task_history", args=[task.pk]))
    assert page.status_code == 200


def form_data(task, **changes):
    data = {
        "unit": task.unit_id, "title": task.title, "description": task.description,
        "lead_unit": task.lead_unit_id, "deadline": task.deadline.isoformat(),
        "expected_result": task.expected_result, "authority_body": task.authority_body,
        "priority": task.priority, "state": task.state, "percent_complete": 0, "code": "",
        "expected_version": task.version, "steps-TOTAL_FORMS": 0, "steps-INITIAL_FORMS": 0,
    }
    if task.owner_id:
        data["owner"] = task.owner_id
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_admin_cannot_issue_a_task_with_gaps(admin_client):
    task = Task.objects.get()
    url = reverse("admin:tracking_task_change", args=[task.pk])
    page = admin_client.post(url, form_data(task, owner=None, state=TaskState.ISSUED))
    assert page.status_code == 200
    assert "clear person" in page.content.decode()
    assert Task.objects.get().state == TaskState.DRAFT


def test_admin_detects_a_concurrent_edit(admin_client):
    task = Task.objects.get()
    url = reverse("admin:tracking_task_change", args=[task.pk])
    stale = form_data(task, title="Một tiêu đề khác")
    assert admin_client.post(url, form_data(task)).status_code == 302
    page = admin_client.post(url, stale)
    assert "changed by someone else" in page.content.decode()
    assert Task.objects.get().title == task.title
