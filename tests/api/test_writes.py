"""Writes go through the services: roles (403), every bad field named (400), stale versions
(409), the six clears on issue, and messages in the caller's language."""

import pytest

from sixclear.accounts.services import remember_language
from sixclear.changes.models import ChangeStatus
from sixclear.plans.models import Program, Resolution, Target
from sixclear.tracking.models import Measurement, ProgressReport, ReviewStatus, Task, TaskState
from tests.api.conftest import days, token_client


def test_a_manager_creates_a_draft_task_with_gaps_and_sees_them_named(world, sample):
    client = token_client(world.hh_manager)
    response = client.post("/api/v1/tasks/", {
        "unit": sample.unit.pk, "title": "Lập quy hoạch chung", "targets": [sample.target.pk],
    }, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    task = Task.objects.get(pk=body["id"])
    assert task.state == TaskState.DRAFT and list(task.targets.all()) == [sample.target]
    assert body["missing_clears"] == [
        "person", "work", "deadline", "responsibility", "result", "authority"]
    assert response["Location"] == f"/api/v1/tasks/{task.pk}/"
    assert task.history.first().history_user == world.hh_manager


def test_issuing_a_task_with_gaps_names_each_missing_clear(world, sample):
    client = token_client(world.hh_manager)
    task = client.post("/api/v1/tasks/", {"unit": sample.unit.pk, "title": "Nhiệm vụ"},
                       format="json").json()

    response = client.post(f"/api/v1/tasks/{task['id']}/issue/", {"version": task["version"]},
                           format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {
        "person", "work", "deadline", "responsibility", "result", "authority"}
    assert Task.objects.get(pk=task["id"]).state == TaskState.DRAFT


def test_a_complete_draft_is_issued(world, sample):
    client = token_client(world.hh_manager)
    task = client.post("/api/v1/tasks/", {
        "unit": sample.unit.pk, "title": "Nhiệm vụ", "description": "Làm rõ",
        "owner": world.hh_officer.pk, "lead_unit": sample.unit.pk, "deadline": str(days(30)),
        "expected_result": "Báo cáo", "authority_body": "Ban Thường vụ",
    }, format="json").json()

    response = client.post(f"/api/v1/tasks/{task['id']}/issue/", {"version": task["version"]},
                           format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "issued"
    assert response.json()["version"] == task["version"] + 1


def test_bad_fields_are_each_named(world, sample):
    response = token_client(world.hh_manager).post("/api/v1/tasks/", {
        "unit": sample.unit.pk, "title": "", "deadline": "not a date", "priority": "whenever",
        "owner": 10**9,
    }, format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"title", "deadline", "priority", "owner"}
    assert "title" in response.json()["message"]


def test_service_rules_name_their_field(world, sample):
    response = token_client(world.hh_manager).post("/api/v1/tasks/", {
        "unit": sample.unit.pk, "title": "Nhiệm vụ", "start_date": str(days(10)),
        "deadline": str(days(1)), "owner": world.vh_manager.pk,
    }, format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"deadline", "owner"}


def test_a_stale_edit_answers_409_and_changes_nothing(world, sample):
    manager = token_client(world.hh_manager)
    read = manager.get(f"/api/v1/tasks/{sample.task.pk}/").json()
    first = manager.patch(f"/api/v1/tasks/{sample.task.pk}/",
                          {"version": read["version"], "title": "Tên mới"}, format="json")
    assert first.status_code == 200 and first.json()["version"] == read["version"] + 1

    second = token_client(world.hh_leader).patch(
        f"/api/v1/tasks/{sample.task.pk}/",
        {"version": read["version"], "title": "Tên khác"}, format="json")

    assert second.status_code == 409
    assert second.json()["code"] == "stale"
    assert "changed by someone else" in second.json()["message"]
    assert Task.objects.get(pk=sample.task.pk).title == "Tên mới"


def test_an_edit_needs_the_version_it_read(world, sample):
    response = token_client(world.hh_manager).patch(
        f"/api/v1/tasks/{sample.task.pk}/", {"title": "x"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["version"]


def test_put_and_delete_are_not_offered(world, sample):
    client = token_client(world.hh_manager)
    assert client.put(f"/api/v1/tasks/{sample.task.pk}/", {}, format="json").status_code == 405
    assert client.delete(f"/api/v1/tasks/{sample.task.pk}/").status_code == 405


def test_stale_target_edit_is_refused(world, sample):
    client = token_client(world.hh_manager)
    ok = client.patch(f"/api/v1/targets/{sample.target.pk}/",
                      {"version": 1, "name": "Tăng trưởng"}, format="json")
    stale = client.patch(f"/api/v1/targets/{sample.target.pk}/",
                         {"version": 1, "name": "Khác"}, format="json")

    assert ok.status_code == 200 and ok.json()["version"] == 2
    assert stale.status_code == 409
    assert Target.objects.get(pk=sample.target.pk).name == "Tăng trưởng"


def test_cancel_needs_a_leader_and_a_reason(world, sample):
    manager = token_client(world.hh_manager)
    leader = token_client(world.hh_leader)
    url = f"/api/v1/tasks/{sample.task.pk}/cancel/"

    assert manager.post(url, {"version": 1, "reason": "x"}, format="json").status_code == 403
    assert list(leader.post(url, {"version": 1, "reason": ""}, format="json").json()["fields"]) \
        == ["reason"]
    response = leader.post(url, {"version": sample.task.version, "reason": "Trùng lặp"},
                           format="json")
    assert response.status_code == 200 and response.json()["state"] == "cancelled"


def test_creating_resolutions_programs_and_targets(world, sample):
    client = token_client(world.hh_manager)
    resolution = client.post("/api/v1/resolutions/", {
        "unit": sample.unit.pk, "number": "05-NQ/ĐU", "title": "Nghị quyết",
        "term_start": 2025, "term_end": 2030}, format="json")
    program = client.post("/api/v1/programs/", {
        "unit": sample.unit.pk, "resolution": resolution.json()["id"], "kind": "plan",
        "number": "12-KH/UBND", "title": "Kế hoạch", "period_start": "2026-01-01",
        "period_end": "2026-12-31"}, format="json")
    target = client.post("/api/v1/targets/", {
        "unit": sample.unit.pk, "code": "KT-01", "name": "Thu hút dự án", "kind": "count",
        "baseline_value": "0", "baseline_year": 2025, "target_value": "10",
        "target_year": 2030, "programs": [program.json()["id"]]}, format="json")

    assert (resolution.status_code, program.status_code, target.status_code) == (201, 201, 201)
    assert Resolution.objects.filter(number="05-NQ/ĐU").exists()
    assert Program.objects.get(number="12-KH/UBND").resolution_id == resolution.json()["id"]
    assert target.json()["programs"] == [program.json()["id"]]
    assert [p["year"] for p in target.json()["trajectory"]] == [2026, 2027, 2028, 2029, 2030]


def test_target_rules_name_their_fields(world, sample):
    response = token_client(world.hh_manager).post("/api/v1/targets/", {
        "unit": sample.unit.pk, "code": "KT-02", "name": "Tăng trưởng", "kind": "growth_range",
        "baseline_value": "100", "baseline_year": 2025, "annual_rate": "12",
        "annual_rate_high": "11", "target_year": 2030}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["annual_rate_high"]


def test_progress_report_then_review_moves_the_task(world, sample):
    officer = token_client(world.hh_officer)
    report = officer.post("/api/v1/progress-reports/", {
        "task": sample.task.pk, "percent": 60, "narrative": "Hoàn thành khảo sát"},
        format="json")
    assert report.status_code == 201, report.json()
    assert report.json()["status"] == "submitted"

    own = officer.post(f"/api/v1/progress-reports/{report.json()['id']}/review/",
                       {"version": report.json()["version"], "approve": True}, format="json")
    assert own.status_code == 403

    reviewed = token_client(world.hh_manager).post(
        f"/api/v1/progress-reports/{report.json()['id']}/review/",
        {"version": report.json()["version"], "approve": True}, format="json")
    assert reviewed.status_code == 200
    assert ProgressReport.objects.get(pk=report.json()["id"]).status == ReviewStatus.APPROVED
    assert Task.objects.get(pk=sample.task.pk).percent_complete == 60


def test_returning_a_report_needs_a_comment(world, sample):
    response = token_client(world.hh_manager).post(
        f"/api/v1/progress-reports/{sample.report.pk}/review/",
        {"version": sample.report.version, "approve": False}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["comment"]


def test_measurements_are_recorded_and_reviewed(world, sample):
    created = token_client(world.hh_officer).post("/api/v1/measurements/", {
        "target": sample.target.pk, "year": 2026, "period_kind": "quarter", "period_number": 3,
        "value": "148.1"}, format="json")
    assert created.status_code == 201, created.json()

    outside = token_client(world.hh_officer).post("/api/v1/measurements/", {
        "target": sample.target.pk, "year": 2040, "period_kind": "quarter",
        "period_number": 7, "value": "1"}, format="json")
    assert outside.status_code == 400
    assert set(outside.json()["fields"]) == {"year", "period_number"}

    reviewed = token_client(world.hh_manager).post(
        f"/api/v1/measurements/{created.json()['id']}/review/",
        {"version": created.json()["version"], "approve": True}, format="json")
    assert reviewed.status_code == 200
    assert Measurement.objects.get(pk=created.json()["id"]).status == ReviewStatus.APPROVED


def test_steps_are_added_and_marked_done(world, sample):
    step = token_client(world.hh_manager).post(
        "/api/v1/steps/", {"task": sample.task.pk, "title": "Lấy ý kiến",
                           "due_date": str(days(10))}, format="json")
    assert step.status_code == 201 and step.json()["position"] == 2

    done = token_client(world.hh_officer).post(
        f"/api/v1/steps/{step.json()['id']}/done/", {"version": step.json()["version"]},
        format="json")
    assert done.status_code == 200 and done.json()["done"] is True

    again = token_client(world.hh_officer).post(
        f"/api/v1/steps/{step.json()['id']}/done/", {"version": step.json()["version"]},
        format="json")
    assert again.status_code == 409


def test_change_requests_are_asked_and_decided(world, sample):
    asked = token_client(world.hh_officer).post("/api/v1/change-requests/", {
        "kind": "result", "task": sample.task.pk,
        "proposed": {"expected_result": "Đề án được phê duyệt"}, "reason": "Đổi sản phẩm"},
        format="json")
    assert asked.status_code == 201, asked.json()

    both = token_client(world.hh_officer).post("/api/v1/change-requests/", {
        "kind": "result", "task": sample.task.pk, "target": sample.target.pk,
        "proposed": {}, "reason": "x"}, format="json")
    assert both.status_code == 400

    decided = token_client(world.hh_leader).post(
        f"/api/v1/change-requests/{asked.json()['id']}/decide/",
        {"version": asked.json()["version"], "approve": True}, format="json")
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == ChangeStatus.APPROVED
    assert Task.objects.get(pk=sample.task.pk).expected_result == "Đề án được phê duyệt"


@pytest.mark.parametrize(("language", "words"), [
    ("vi", "Nhập"), ("ar", "ال"), ("en", "Enter the value"),
])
def test_messages_follow_accept_language(world, sample, language, words):
    response = token_client(world.hh_officer).post(
        "/api/v1/measurements/", {"target": sample.target.pk, "year": 2027, "value": None},
        format="json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert "value" in response.json()["fields"]
    assert response["Content-Language"] == language


def test_a_token_speaks_its_owners_language_without_accept_language(world, sample):
    remember_language(actor=world.hh_manager, language="vi")
    response = token_client(world.hh_manager).patch(
        f"/api/v1/tasks/{sample.task.pk}/", {"version": 99, "title": "x"}, format="json")

    assert response.status_code == 409
    assert response["Content-Language"] == "vi"
    assert "changed by someone else" not in response.json()["message"]


def test_session_writes_need_the_csrf_token(world, sample):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.hh_manager)
    assert client.get(f"/api/v1/tasks/{sample.task.pk}/").status_code == 200

    response = client.post("/api/v1/tasks/", {"unit": sample.unit.pk, "title": "x"},
                           format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]
