"""Malformed requests are refused with a clear 400 before they reach the database: NUL bytes in
the path or the query string (PostgreSQL cannot store them and answered 500), and JSON bodies
nested or sized beyond reason (100,000 "[" raised RecursionError)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.api.conftest import token_client


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("url", [
    "/portal/?q=a%00b",
    "/portal/?a%00=b",
    "/units/{unit}/dashboard/targets/?area=a%00",
    "/units/{unit}/indicators/a%00b/",
    "/tasks/?q=%00",
])
def test_a_nul_byte_in_the_path_or_query_is_a_clear_400(client, world, url):
    client.force_login(world.province_leader)
    response = client.get(url.format(unit=world.gia_lai.pk))
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()


def test_a_nul_byte_reaching_the_api_is_answered_in_its_error_format(world):
    response = token_client(world.hh_officer).get("/api/v1/tasks/?search=a%00b")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_characters"


def test_ordinary_text_in_a_query_still_works(client, world):
    assert client.get("/portal/?q=Hòa+Hội").status_code == 200


def test_a_deeply_nested_json_body_is_a_400_in_the_api_format(world):
    client = token_client(world.hh_officer)
    response = client.post(reverse("api:task-list"), b"[" * 100_000,
                           content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "parse_error" and body["message"]


def test_json_nested_past_the_limit_is_refused_even_when_python_could_parse_it(world, settings):
    client = token_client(world.hh_officer)
    body = "[" * 50 + "]" * 50
    response = client.post(reverse("api:task-list"), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_an_oversized_json_body_is_refused(world, settings):
    settings.SIXCLEAR_API_MAX_BODY_BYTES = 1000
    client = token_client(world.hh_officer)
    body = '{"title": "%s"}' % ("x" * 2000)
    response = client.post(reverse("api:task-list"), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "1000" in response.json()["message"].replace(",", "").replace(".", "")


def test_an_unexpected_error_in_the_api_keeps_the_api_format(world, monkeypatch):
    from sixclear.api import views

    def boom(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(views.TaskViewSet, "get_queryset", boom)
    response = token_client(world.hh_officer).get(reverse("api:task-list"))
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert "unexpected" not in response.content.decode()
