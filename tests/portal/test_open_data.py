"""Open data: CSV and JSON of what is published, in a stable, documented format."""

import csv
import io
import json
from pathlib import Path

from django.urls import reverse

from sixclear.portal import opendata

DOC = Path(__file__).resolve().parents[2] / "docs" / "open-data.md"


def get_csv(client, name, **params):
    response = client.get(reverse("portal:download", args=[name, "csv"]), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_targets_csv_has_the_documented_columns_and_approved_status(client, world, vh):
    response = client.get(reverse("portal:download", args=["targets", "csv"]))
    header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == opendata.COLUMNS["targets"]
    rows = get_csv(client, "targets")
    assert [row["code"] for row in rows] == ["VH-01"]
    row = rows[0]
    assert row["latest_approved_value"] == "1150" and row["status_year"] == "2026"
    assert row["status"] in ("on_track", "behind", "off_track")
    assert row["baseline_value"] == "1000" and row["annual_rate"] == "12"
    assert row["resolution_id"] == str(vh["resolution"].pk)


def test_measurements_are_only_the_approved_ones(client, world, vh):
    rows = get_csv(client, "measurements")
    assert [(r["year"], r["period"], r["value"]) for r in rows] == [("2026", "year", "1150")]


def test_trajectory_and_tasks(client, world, vh):
    path = get_csv(client, "trajectory")
    assert [r["year"] for r in path] == [str(y) for y in range(2026, 2031)]
    assert path[0]["expected_value"] == "1120"
    tasks = get_csv(client, "tasks")
    assert [(t["code"], t["percent_complete"], t["status"]) for t in tasks] == [
        ("VH-T01", "40", "at_risk")]


def test_json_carries_the_licence_and_the_same_rows(client, world, vh):
    response = client.get(reverse("portal:download", args=["tasks", "json"]))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["columns"] == opendata.COLUMNS["tasks"]
    assert data["format_version"] == "1.0"
    assert [row["task_id"] for row in data["rows"]] == [vh["task"].pk]
    assert list(data["rows"][0]) == opendata.COLUMNS["tasks"]


def test_a_unit_filter_keeps_its_subtree(client, world, vh, hh_result):
    assert {r["code"] for r in get_csv(client, "targets")} == {"VH-01", "HH-02"}
    assert {r["code"] for r in get_csv(client, "targets", unit=world.gia_lai.pk)} == {"HH-02"}
    assert get_csv(client, "targets", unit=world.an_nhon_bac.pk) == []
    assert client.get(reverse("portal:download", args=["targets", "csv"]),
                      {"unit": "999999"}).status_code == 404
    assert client.get(reverse("portal:download", args=["people", "csv"])).status_code == 404


def test_downloads_are_publicly_cacheable_with_an_etag(client, world, vh,
                                                        django_assert_num_queries):
    url = reverse("portal:download", args=["targets", "json"])
    first = client.get(url)
    assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]
    with django_assert_num_queries(0):
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_the_format_is_documented_column_by_column():
    text = DOC.read_text(encoding="utf-8")
    assert "CC BY 4.0" in text
    for name, columns in opendata.COLUMNS.items():
        assert f"`{name}`" in text
        for column in columns:
            assert f"`{column}`" in text, (name, column)
