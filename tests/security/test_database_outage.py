"""A database out of reach answers 503 (the API's format, or a translated page), never 500,
and the write it interrupted leaves no partial row."""

import sqlite3

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError, ProgrammingError
from django.test import Client

from sixclear.http_security import database_unavailable
from sixclear.tracking.models import ProgressReport
from tests.api.conftest import sample, token_client  # noqa: F401

CONNECTION_LOST = "server closed the connection unexpectedly"


def connection_lost(*args, **kwargs):
    raise OperationalError(CONNECTION_LOST)


def test_an_api_write_cut_by_the_database_answers_503_and_leaves_no_partial_row(
        world, sample, monkeypatch):  # noqa: F811
    before = ProgressReport.objects.count()
    # The report row is written, then the connection is lost before the transaction ends.
    monkeypatch.setattr("sixclear.upkeep.tasks_changed", connection_lost)
    response = token_client(world.hh_officer).post("/api/v1/progress-reports/", {
        "task": sample.task.pk, "percent": 60, "narrative": "Hoàn thành khảo sát"},
        format="json")
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "unavailable" and body["fields"] == {} and body["message"]
    assert response["Retry-After"] == "5"
    assert ProgressReport.objects.count() == before


def test_an_api_read_with_the_connection_closed_answers_503(world, sample, monkeypatch):  # noqa: F811
    def closed(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr("sixclear.api.views.TaskViewSet.get_queryset", closed)
    response = token_client(world.hh_officer).get("/api/v1/tasks/")
    assert response.status_code == 503 and response.json()["code"] == "unavailable"


@pytest.fixture
def unprotected():
    """A client that gets the response the server sends, not the exception."""
    return Client(raise_request_exception=False)


def test_a_page_whose_session_cannot_be_read_answers_a_translated_503(unprotected, world,
                                                                     monkeypatch):
    unprotected.force_login(world.hh_officer)
    monkeypatch.setattr(SessionStore, "load", connection_lost)
    response = unprotected.get("/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert 'lang="vi"' in page and "Tạm thời không phục vụ được" in page


def test_the_api_under_a_failing_session_still_answers_in_its_format(unprotected, world,
                                                                    monkeypatch):
    unprotected.force_login(world.hh_officer)
    monkeypatch.setattr(SessionStore, "load", connection_lost)
    response = unprotected.get("/api/v1/tasks/")
    assert response.status_code == 503 and response.json()["code"] == "unavailable"


def test_the_arabic_page_reads_right_to_left(unprotected, world, monkeypatch):
    unprotected.force_login(world.hh_officer)
    monkeypatch.setattr(SessionStore, "load", connection_lost)
    page = unprotected.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in page and 'lang="ar"' in page


def test_other_server_errors_stay_500(unprotected, world, monkeypatch):
    unprotected.force_login(world.hh_officer)

    def broken(*args, **kwargs):
        raise ProgrammingError("column does not exist")

    monkeypatch.setattr(SessionStore, "load", broken)
    assert unprotected.get("/").status_code == 500
    api = unprotected.get("/api/v1/tasks/")
    assert api.status_code == 500 and api.json()["code"] == "server_error"


def sqlite_error(text):
    try:
        raise OperationalError(text) from sqlite3.OperationalError(text)
    except OperationalError as error:
        return error


def test_which_errors_mean_the_database_is_out_of_reach():
    assert database_unavailable(OperationalError(CONNECTION_LOST))
    assert database_unavailable(InterfaceError("connection already closed"))
    assert database_unavailable(sqlite_error("database is locked"))
    assert not database_unavailable(sqlite_error("no such table: tracking_task"))
    assert not database_unavailable(ProgrammingError("syntax error"))
    assert not database_unavailable(None)
