"""Every endpoint against the page's access rules: a user of the unit and a user of a superior
unit see the row; a user of a sibling commune gets 404 and an empty list; anonymous gets 401."""

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import token_client

# endpoint → the Sample attribute it serves (its id is the row's primary key)
ENDPOINTS = {
    "units": "unit",
    "resolutions": "resolution",
    "programs": "program",
    "targets": "target",
    "measurements": "measurement",
    "tasks": "task",
    "steps": "step",
    "progress-reports": "report",
    "change-requests": "change",
    "task-statuses": "task_health",
    "target-statuses": "target_health",
}


def key(row):
    return row.get("id", row.get("task", row.get("target")))


def ids(response):
    return [key(row) for row in response.json()["results"]]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_reading_follows_the_unit_tree(world, sample, endpoint):
    row = getattr(sample, ENDPOINTS[endpoint])
    urls = (f"/api/v1/{endpoint}/", f"/api/v1/{endpoint}/{row.pk}/")

    # A viewer of Hòa Hội and the leader of its province, Gia Lai, read the list and the row.
    for user in (world.hh_viewer, world.province_leader):
        listed, detail = (token_client(user).get(url) for url in urls)
        assert listed.status_code == 200 and row.pk in ids(listed), user
        assert detail.status_code == 200 and key(detail.json()) == row.pk, user

    # A user of An Nhơn Bắc, a sibling commune in Gia Lai, sees nothing of it.
    listed, detail = (token_client(world.anb_officer).get(url) for url in urls)
    assert listed.status_code == 200 and row.pk not in ids(listed)
    assert detail.status_code == 404 and detail.json()["code"] == "not_found"

    # Anonymous: 401 with the error shape and the scheme to use.
    for url in urls:
        response = APIClient().get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert set(response.json()) == {"code", "message", "fields"}


WRITES = [
    # (endpoint, body builder) — a write a sibling commune's user may not make on Hòa Hội
    ("tasks", lambda s: {"unit": s.unit.pk, "title": "Nhiệm vụ mới"}),
    ("resolutions", lambda s: {"unit": s.unit.pk, "number": "99-NQ", "title": "NQ",
                               "term_start": 2025, "term_end": 2030}),
    ("programs", lambda s: {"unit": s.unit.pk, "kind": "plan", "number": "99-KH",
                            "title": "KH", "period_start": "2026-01-01",
                            "period_end": "2026-12-31"}),
    ("targets", lambda s: {"unit": s.unit.pk, "code": "X1", "name": "X", "kind": "count",
                           "baseline_value": "0", "baseline_year": 2025, "target_value": "10",
                           "target_year": 2030}),
    ("measurements", lambda s: {"target": s.target.pk, "year": 2026, "period_kind": "quarter",
                                "period_number": 3, "value": "1"}),
    ("steps", lambda s: {"task": s.task.pk, "title": "Bước"}),
    ("progress-reports", lambda s: {"task": s.task.pk, "percent": 50, "narrative": "x"}),
    ("change-requests", lambda s: {"kind": "result", "task": s.task.pk,
                                   "proposed": {"expected_result": "y"}, "reason": "z"}),
]


@pytest.mark.parametrize(("endpoint", "body"), WRITES, ids=[w[0] for w in WRITES])
def test_a_sibling_commune_cannot_write_and_learns_nothing(world, sample, endpoint, body):
    response = token_client(world.anb_manager).post(
        f"/api/v1/{endpoint}/", body(sample), format="json")

    assert response.status_code == 400
    # The unit, task or target is named as not existing, as if it did not exist.
    (field,) = response.json()["fields"]
    assert field in ("unit", "task", "target")


@pytest.mark.parametrize(("endpoint", "body"), WRITES, ids=[w[0] for w in WRITES])
def test_anonymous_cannot_write(sample, endpoint, body):
    response = APIClient().post(f"/api/v1/{endpoint}/", body(sample), format="json")
    assert response.status_code == 401


@pytest.mark.parametrize(("endpoint", "attribute", "body"), [
    ("tasks", "task", {"version": 1, "title": "x"}),
    ("targets", "target", {"version": 1, "name": "x"}),
])
def test_a_sibling_commune_cannot_edit(world, sample, endpoint, attribute, body):
    row = getattr(sample, attribute)
    response = token_client(world.anb_manager).patch(
        f"/api/v1/{endpoint}/{row.pk}/", body, format="json")
    assert response.status_code == 404


@pytest.mark.parametrize(("endpoint", "attribute", "action", "body"), [
    ("tasks", "task", "issue", {"version": 1}),
    ("tasks", "task", "cancel", {"version": 1, "reason": "x"}),
    ("steps", "step", "done", {"version": 1}),
    ("progress-reports", "report", "review", {"version": 1, "approve": True}),
    ("measurements", "measurement", "review", {"version": 1, "approve": True}),
    ("change-requests", "change", "decide", {"version": 1, "approve": True}),
])
def test_actions_are_hidden_from_a_sibling_commune_and_refused_to_anonymous(
    world, sample, endpoint, attribute, action, body
):
    url = f"/api/v1/{endpoint}/{getattr(sample, attribute).pk}/{action}/"
    assert token_client(world.anb_manager).post(url, body, format="json").status_code == 404
    assert APIClient().post(url, body, format="json").status_code == 401


def test_a_viewer_of_the_unit_reads_but_may_not_create(world, sample):
    response = token_client(world.hh_viewer).post(
        "/api/v1/tasks/", {"unit": sample.unit.pk, "title": "Nhiệm vụ"}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "Manager" in response.json()["message"]


@pytest.mark.parametrize(("endpoint", "body"), WRITES, ids=[w[0] for w in WRITES])
def test_the_superior_unit_writes_into_its_communes(world, sample, endpoint, body):
    response = token_client(world.province_leader).post(
        f"/api/v1/{endpoint}/", body(sample), format="json")
    assert response.status_code == 201, response.json()
