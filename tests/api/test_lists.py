"""Lists: a fixed number of queries whatever their length, cursor pages, ordering, filters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import Sample, token_client

LISTS = ["units", "resolutions", "programs", "targets", "measurements", "tasks", "steps",
         "progress-reports", "change-requests", "task-statuses", "target-statuses"]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), len(response.json()["results"])


@pytest.mark.parametrize("endpoint", LISTS)
def test_a_list_costs_the_same_for_one_row_and_many(world, endpoint, settings):
    settings.SIXCLEAR_API_RATE = ""
    Sample(world)
    client = token_client(world.province_leader)
    client.get("/api/v1/units/")  # the token's first use is recorded once
    one, rows_before = count_queries(client, f"/api/v1/{endpoint}/")

    for _ in range(3):
        Sample(world)
    many, rows_after = count_queries(client, f"/api/v1/{endpoint}/")

    assert rows_after > rows_before or endpoint == "units"
    assert many == one
    assert many <= 8


def test_cursor_pages_cover_every_row_once(world, sample):
    for _ in range(4):
        Sample(world)
    client = token_client(world.hh_manager)
    seen, url = [], "/api/v1/tasks/?page_size=2&ordering=-title"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]

    assert len(seen) == len(set(seen)) == 5
    titles = [client.get(f"/api/v1/tasks/{pk}/").json()["title"] for pk in seen]
    assert titles == sorted(titles, reverse=True)


def test_a_broken_cursor_is_a_clear_404(world, sample):
    response = token_client(world.hh_manager).get("/api/v1/tasks/?cursor=garbage")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_filters_narrow_the_list(world, sample):
    other = Sample(world)
    client = token_client(world.province_leader)
    other.task.state = "draft"
    other.task.save()

    def listed(query):
        return [row["id"] for row in client.get(f"/api/v1/tasks/?{query}").json()["results"]]

    assert listed("state=draft") == [other.task.pk]
    assert listed(f"program={sample.program.pk}") == [sample.task.pk]
    assert listed(f"within={world.an_nhon_bac.pk}") == []
    assert sorted(listed(f"within={world.gia_lai.pk}")) == sorted([sample.task.pk, other.task.pk])
    assert listed(f"search={other.task.title}") == [other.task.pk]
    assert listed("status=on_track") == sorted([sample.task.pk, other.task.pk])


@pytest.mark.parametrize(("query", "field"), [
    ("state=sleeping", "state"),
    ("unit=abc", "unit"),
    ("within=0", "within"),
    ("deadline_after=31-12-2026", "deadline_after"),
])
def test_a_bad_filter_is_named(world, sample, query, field):
    response = token_client(world.hh_manager).get(f"/api/v1/tasks/?{query}")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]


def test_ordering_by_an_unlisted_field_is_ignored(world, sample):
    Sample(world)
    client = token_client(world.hh_manager)
    default = client.get("/api/v1/tasks/").json()["results"]
    odd = client.get("/api/v1/tasks/?ordering=owner__password").json()["results"]
    assert [row["id"] for row in odd] == [row["id"] for row in default]
