"""POST with an Idempotency-Key: a retry replays the first response and creates nothing twice."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from sixclear.api.idempotency import purge_expired
from sixclear.api.models import IdempotencyKey
from sixclear.tracking.models import ProgressReport, Task
from tests.api.conftest import token_client


def create_task(client, unit, key, title="Nhiệm vụ từ hệ thống khác"):
    return client.post("/api/v1/tasks/", {"unit": unit.pk, "title": title}, format="json",
                       HTTP_IDEMPOTENCY_KEY=key)


def test_a_retry_replays_the_first_response_and_creates_nothing(world, sample):
    client = token_client(world.hh_manager)
    first = create_task(client, sample.unit, "k-1")
    retry = create_task(client, sample.unit, "k-1")

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert retry["Location"] == first["Location"]
    assert "Idempotent-Replayed" not in first
    assert Task.objects.filter(title="Nhiệm vụ từ hệ thống khác").count() == 1


def test_the_same_key_with_another_body_is_refused(world, sample):
    client = token_client(world.hh_manager)
    create_task(client, sample.unit, "k-2")
    response = create_task(client, sample.unit, "k-2", title="Khác")

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert "different request" in response.json()["message"]
    assert not Task.objects.filter(title="Khác").exists()


def test_keys_belong_to_one_person(world, sample):
    create_task(token_client(world.hh_manager), sample.unit, "shared")
    other = create_task(token_client(world.hh_leader), sample.unit, "shared")

    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other
    assert Task.objects.filter(title="Nhiệm vụ từ hệ thống khác").count() == 2


def test_without_a_key_each_post_creates(world, sample):
    client = token_client(world.hh_manager)
    client.post("/api/v1/tasks/", {"unit": sample.unit.pk, "title": "a"}, format="json")
    client.post("/api/v1/tasks/", {"unit": sample.unit.pk, "title": "a"}, format="json")
    assert Task.objects.filter(title="a").count() == 2


def test_a_failed_request_is_not_remembered(world, sample):
    client = token_client(world.hh_manager)
    bad = client.post("/api/v1/progress-reports/", {"task": sample.task.pk, "percent": 50,
                                                     "narrative": "  "},
                      format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.filter(key="k-3").exists()

    good = client.post("/api/v1/progress-reports/", {"task": sample.task.pk, "percent": 50,
                                                      "narrative": "Đã làm"},
                       format="json", HTTP_IDEMPOTENCY_KEY="k-4")
    again = client.post("/api/v1/progress-reports/", {"task": sample.task.pk, "percent": 50,
                                                       "narrative": "Đã làm"},
                        format="json", HTTP_IDEMPOTENCY_KEY="k-4")
    assert good.status_code == again.status_code == 201
    assert ProgressReport.objects.filter(narrative="Đã làm").count() == 1


def test_actions_are_idempotent_too(world, sample):
    client = token_client(world.hh_manager)
    url = f"/api/v1/progress-reports/{sample.report.pk}/review/"
    body = {"version": sample.report.version, "approve": True}
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="review-1")
    retry = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="review-1")
    without_key = client.post(url, body, format="json")

    assert first.status_code == retry.status_code == 200
    assert retry["Idempotent-Replayed"] == "true"
    # Without the key it is a real second attempt, refused: the report is no longer submitted.
    assert without_key.status_code == 400 and "Idempotent-Replayed" not in without_key


def test_keys_expire(world, sample, settings):
    client = token_client(world.hh_manager)
    create_task(client, sample.unit, "old")
    IdempotencyKey.objects.filter(key="old").update(
        created_at=timezone.now() - datetime.timedelta(hours=25))

    again = create_task(client, sample.unit, "old")

    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert Task.objects.filter(title="Nhiệm vụ từ hệ thống khác").count() == 2


def test_expired_keys_are_purged(world, sample):
    client = token_client(world.hh_manager)
    create_task(client, sample.unit, "a")
    create_task(client, sample.unit, "b", title="b")
    IdempotencyKey.objects.filter(key="a").update(
        created_at=timezone.now() - datetime.timedelta(days=2))

    assert purge_expired() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["b"]


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "tab\there"])
def test_a_malformed_key_is_refused(world, sample, key):
    response = create_task(token_client(world.hh_manager), sample.unit, key)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["Idempotency-Key"]
    assert not Task.objects.filter(title="Nhiệm vụ từ hệ thống khác").exists()


def test_the_database_refuses_a_second_claim_of_a_key(world):
    """Two concurrent copies both try to claim the key; the constraint lets one through and
    the other, once the first commits, replays its response (the path of any retry)."""
    IdempotencyKey.objects.create(user=world.hh_manager, key="k", fingerprint="a", status_code=201)
    with pytest.raises(IntegrityError), transaction.atomic():
        IdempotencyKey.objects.create(user=world.hh_manager, key="k", fingerprint="a",
                                      status_code=201)
