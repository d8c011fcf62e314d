"""References through the API: a Hòa Hội manager who names another commune's unit, person,
resolution, program, task group, task or target is refused exactly as if it did not exist."""

import pytest

from sixclear.tracking.models import Task
from tests.write_path.conftest import (
    MISSING_ID,
    api,
    assert_answered_alike,
    counts,
    days,
    secrets_of,
    snapshot,
)

# field -> (attribute of the Foreign fixture, whether the field takes a list)
TASK_REFERENCES = {
    "unit": ("unit", False),
    "lead_unit": ("unit", False),
    "coordinating_units": ("unit", True),
    "owner": ("officer", False),
    "authority": ("leader", False),
    "resolution": ("resolution", False),
    "program": ("program", False),
    "task_group": ("task_group", False),
    "parent": ("task", False),
    "targets": ("target", True),
}
TASK_EDITABLE_REFERENCES = [name for name in TASK_REFERENCES if name != "unit"]

TARGET_REFERENCES = {
    "unit": ("unit", False),
    "resolution": ("resolution", False),
    "programs": ("program", True),
    "responsible_unit": ("unit", False),
    "responsible_person": ("officer", False),
}
TARGET_EDITABLE_REFERENCES = ["resolution", "responsible_unit", "responsible_person"]


def refused_alike(world, foreign, send, item, *, edited=None):
    """Send the foreign reference, then a missing one; both refused alike, nothing written."""
    many = isinstance(item, list)
    foreign_ref = [i.pk for i in item] if many else item.pk
    missing_ref = [MISSING_ID] if many else MISSING_ID
    before, row_before = counts(), edited and snapshot(edited)
    foreign_answer = send(foreign_ref)
    assert foreign_answer.status_code in (400, 404), foreign_answer.content.decode()[:1500]
    assert counts() == before
    if edited is not None:
        assert snapshot(edited) == row_before
    missing_answer = send(missing_ref)
    assert_answered_alike(
        foreign_answer, missing_answer,
        foreign_ref=[i.pk for i in item] if many else item.pk, missing_ref=MISSING_ID,
        secrets=secrets_of(item))


def foreign_item(foreign, attribute, many):
    item = getattr(foreign, attribute)
    return [item] if many else item


@pytest.mark.parametrize("field", TASK_REFERENCES)
def test_manager_cannot_point_a_new_task_at_another_communes_rows_through_the_api(
        world, home, foreign, field):
    client = api(world.hh_manager)
    attribute, many = TASK_REFERENCES[field]

    def send(ref):
        payload = {"unit": world.hoa_hoi.pk, "title": "Nhiệm vụ mới", field: ref}
        return client.post("/api/v1/tasks/", payload, format="json")

    refused_alike(world, foreign, send, foreign_item(foreign, attribute, many))


@pytest.mark.parametrize("field", TASK_EDITABLE_REFERENCES)
def test_manager_cannot_point_a_draft_task_at_another_communes_rows_through_the_api(
        world, home, foreign, field):
    client = api(world.hh_manager)
    attribute, many = TASK_REFERENCES[field]
    task = home.draft

    def send(ref):
        payload = {"version": Task.objects.get(pk=task.pk).version, field: ref}
        return client.patch(f"/api/v1/tasks/{task.pk}/", payload, format="json")

    refused_alike(world, foreign, send, foreign_item(foreign, attribute, many), edited=task)


def test_manager_cannot_point_a_task_at_another_communes_task_group_through_the_api(
        world, home, foreign):
    """The issue's first finding, on its own: Việt Hưng's task group on a Hòa Hội task."""
    response = api(world.hh_manager).post("/api/v1/tasks/", {
        "unit": world.hoa_hoi.pk, "title": "Nhiệm vụ", "task_group": foreign.task_group.pk,
    }, format="json")
    assert response.status_code == 400
    assert not Task.objects.filter(task_group=foreign.task_group).exists()


def test_a_hanoi_leader_cannot_be_made_the_approving_person_of_a_hoa_hoi_task(
        world, home, foreign):
    response = api(world.hh_manager).post("/api/v1/tasks/", {
        "unit": world.hoa_hoi.pk, "title": "Nhiệm vụ", "authority": foreign.leader.pk,
    }, format="json")
    assert response.status_code == 400
    assert not Task.objects.filter(authority=foreign.leader).exists()


@pytest.mark.parametrize("field", TARGET_REFERENCES)
def test_manager_cannot_point_a_new_target_at_another_communes_rows_through_the_api(
        world, home, foreign, field):
    client = api(world.hh_manager)
    attribute, many = TARGET_REFERENCES[field]

    def send(ref):
        payload = {"unit": world.hoa_hoi.pk, "code": "KT-MOI", "name": "Chỉ tiêu mới",
                   "kind": "count", "baseline_value": "0", "baseline_year": 2025,
                   "target_value": "10", "target_year": 2030, field: ref}
        return client.post("/api/v1/targets/", payload, format="json")

    refused_alike(world, foreign, send, foreign_item(foreign, attribute, many))


@pytest.mark.parametrize("field", TARGET_EDITABLE_REFERENCES)
def test_manager_cannot_point_a_target_at_another_communes_rows_through_the_api(
        world, home, foreign, field):
    client = api(world.hh_manager)
    attribute, many = TARGET_REFERENCES[field]
    target = home.target

    def send(ref):
        version = type(target).objects.get(pk=target.pk).version
        return client.patch(f"/api/v1/targets/{target.pk}/", {"version": version, field: ref},
                            format="json")

    refused_alike(world, foreign, send, foreign_item(foreign, attribute, many), edited=target)


def _measurement(foreign, home):
    return "/api/v1/measurements/", "target", foreign.target, {
        "year": 2026, "value": "120", "submit": False}


def _step(foreign, home):
    return "/api/v1/steps/", "task", foreign.task, {"title": "Khảo sát"}


def _report(foreign, home):
    return "/api/v1/progress-reports/", "task", foreign.task, {
        "percent": 10, "narrative": "Đã làm."}


def _task_change(foreign, home):
    return "/api/v1/change-requests/", "task", foreign.task, {
        "kind": "deadline", "proposed": {"deadline": days(90).isoformat()}, "reason": "Chờ vốn"}


def _target_change(foreign, home):
    return "/api/v1/change-requests/", "target", foreign.target, {
        "kind": "rebaseline", "proposed": {"annual_rate": "11"}, "reason": "Điều chỉnh"}


SUBJECTS = {"measurement": _measurement, "step": _step, "progress_report": _report,
            "task_change_request": _task_change, "target_change_request": _target_change}


@pytest.mark.parametrize("subject", SUBJECTS)
def test_manager_cannot_write_on_another_communes_task_or_target_through_the_api(
        world, home, foreign, subject):
    url, field, item, rest = SUBJECTS[subject](foreign, home)
    client = api(world.hh_manager)

    def send(ref):
        return client.post(url, {**rest, field: ref}, format="json")

    refused_alike(world, foreign, send, item)


def test_manager_cannot_ask_to_hand_a_task_to_a_person_of_another_commune_through_the_api(
        world, home, foreign):
    client = api(world.hh_manager)

    def send(ref):
        return client.post("/api/v1/change-requests/", {
            "kind": "owner", "task": home.issued.pk, "proposed": {"owner": str(ref)},
            "reason": "Chuyển người phụ trách"}, format="json")

    refused_alike(world, foreign, send, foreign.officer, edited=home.issued)
