"""Dates the API takes stay within 2000–2100, the years periodic reports may cover: a report
dated 1900 (or a deadline in 2150) is a typing slip or a probe, never a plan."""

import pytest

from tests.api.conftest import token_client


@pytest.mark.parametrize("day", ["1900-01-01", "1999-12-31", "2101-01-01"])
def test_a_progress_report_dated_outside_the_bounds_is_refused(world, sample, day):
    response = token_client(world.hh_officer).post("/api/v1/progress-reports/", {
        "task": sample.task.pk, "percent": 10, "narrative": "Khảo sát", "report_date": day},
        format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["report_date"]
    assert "2000" in response.json()["fields"]["report_date"][0]


def test_task_dates_are_bounded_too(world, sample):
    response = token_client(world.hh_manager).patch(f"/api/v1/tasks/{sample.task.pk}/", {
        "version": sample.task.version, "start_date": "1900-01-01", "deadline": "2150-01-01"},
        format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"start_date", "deadline"}
