"""App servers keep no state of their own: with SIXCLEAR_CACHE_URL the cache and sessions are
in Redis (sessions in the database too), and a Redis out of reach is a miss, never a 500."""

import time

import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from sixclear import redis_cache
from sixclear.redis_cache import TolerantRedisCache

SESSION_PREFIX = "django.contrib.sessions.cached_db"


def shared(url, prefix):
    return {"BACKEND": "sixclear.redis_cache.TolerantRedisCache", "LOCATION": url,
            "KEY_PREFIX": prefix, "OPTIONS": {"socket_connect_timeout": 1}}


@pytest.fixture(autouse=True)
def _nothing_resting():
    redis_cache._resting_until.clear()
    yield
    redis_cache._resting_until.clear()


def test_two_app_servers_share_one_cache(redis_url):
    url, prefix = redis_url
    first = TolerantRedisCache(url, {"KEY_PREFIX": prefix})
    second = TolerantRedisCache(url, {"KEY_PREFIX": prefix})
    first.set("figures", {"late": 3}, timeout=60)
    assert second.get("figures") == {"late": 3}
    assert first.add("counter", 0, timeout=60) and second.incr("counter") == 1
    assert first.incr("counter") == 2
    second.delete("figures")
    assert first.get("figures") is None


def test_a_cache_out_of_reach_is_a_miss_and_is_not_retried_at_once():
    cache = TolerantRedisCache("redis://127.0.0.1:9/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    assert cache.get("anything", "default") == "default"
    cache.set("anything", 1)
    assert cache.add("anything", 1) is False
    with pytest.raises(ValueError):
        cache.incr("anything")  # as for a missing key: callers then set, which is dropped
    started = time.monotonic()
    for _ in range(50):
        cache.get("anything")
    assert time.monotonic() - started < 0.5  # resting: no connection attempt meanwhile


def test_sessions_live_in_redis_and_in_the_database(client, world, settings, redis_url):
    url, prefix = redis_url
    settings.CACHES = {"default": shared(url, prefix), "portal": shared(url, f"{prefix}-portal")}
    settings.SESSION_ENGINE = "sixclear.accounts.cached_sessions"
    client.force_login(world.hh_officer)
    key = client.session.session_key
    assert caches["default"].get(SESSION_PREFIX + key) is not None
    assert client.get(reverse("tracking:my_work")).status_code == 200
    from django.contrib.sessions.models import Session
    assert Session.objects.filter(session_key=key).exists()
    # Another app server (the cache emptied, as after a Redis restart) still knows the person.
    caches["default"].delete(SESSION_PREFIX + key)
    assert client.get(reverse("tracking:my_work")).status_code == 200
    assert caches["default"].get(SESSION_PREFIX + key) is not None  # cached again


def test_signing_out_ends_the_cached_session(client, world, settings, redis_url):
    url, prefix = redis_url
    settings.CACHES = {"default": shared(url, prefix), "portal": shared(url, f"{prefix}-portal")}
    settings.SESSION_ENGINE = "sixclear.accounts.cached_sessions"
    client.force_login(world.hh_officer)
    key = client.session.session_key
    client.post(reverse("accounts:sign_out"))
    assert caches["default"].get(SESSION_PREFIX + key) is None
    client.cookies["sessionid"] = key  # the old cookie, replayed
    response = client.get(reverse("tracking:my_work"))
    assert response.status_code == 302


def test_with_redis_out_of_reach_people_stay_signed_in(client, world, settings):
    down = "redis://127.0.0.1:9/0"
    settings.CACHES = {"default": shared(down, "x"), "portal": shared(down, "x-portal")}
    settings.SESSION_ENGINE = "sixclear.accounts.cached_sessions"
    client.force_login(world.hh_officer)
    assert client.get(reverse("tracking:my_work")).status_code == 200
    assert client.get(reverse("portal:index")).status_code == 200


def test_a_forged_session_key_is_no_session(client, db, settings, redis_url):
    url, prefix = redis_url
    settings.CACHES = {"default": shared(url, prefix), "portal": shared(url, f"{prefix}-portal")}
    settings.SESSION_ENGINE = "sixclear.accounts.cached_sessions"
    client.cookies["sessionid"] = "a" * 20 + "\x00" + "b" * 11
    assert client.get(reverse("accounts:sign_in")).status_code == 200


def test_the_idle_timeout_holds_for_cached_sessions(client, world, settings, redis_url):
    """Redis keeps the cached copy by its own clock; the session's times still decide."""
    url, prefix = redis_url
    settings.CACHES = {"default": shared(url, prefix), "portal": shared(url, f"{prefix}-portal")}
    settings.SESSION_ENGINE = "sixclear.accounts.cached_sessions"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(world.hh_officer)
        assert client.get(reverse("tracking:my_work")).status_code == 200
        clock.shift(31 * 60)
        response = client.get(reverse("tracking:my_work"))
    assert response.status_code == 302 and reverse("accounts:sign_in") in response.url
