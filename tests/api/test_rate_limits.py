"""Rate limits per token: each token has its own budget; 429 with Retry-After beyond it."""

from rest_framework.test import APIClient

from tests.api.conftest import token_client


def test_each_token_has_its_own_budget(world, settings):
    settings.SIXCLEAR_API_RATE = "3/minute"
    first = token_client(world.hh_manager)
    second = token_client(world.hh_manager)  # another token of the same person

    statuses = [first.get("/api/v1/units/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert second.get("/api/v1/units/").status_code == 200

    refused = first.get("/api/v1/units/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "throttled"


def test_anonymous_callers_are_limited_by_address(settings):
    """Only the schema and its docs page are open without signing in; they are limited too."""
    settings.SIXCLEAR_API_ANON_RATE = "2/minute"
    client = APIClient()
    assert [client.get("/api/v1/schema/").status_code for _ in range(3)] == [200, 200, 429]
    assert APIClient(REMOTE_ADDR="10.0.0.9").get("/api/v1/schema/").status_code == 200


def test_an_empty_rate_turns_the_limit_off(world, settings):
    settings.SIXCLEAR_API_RATE = ""
    client = token_client(world.hh_manager)
    assert {client.get("/api/v1/units/").status_code for _ in range(5)} == {200}
