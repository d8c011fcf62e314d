"""Headers and sessions (ASVS V3, V14): a strict Content-Security-Policy and a Permissions-Policy
on every page, no-store on everything a signed-in person receives, HSTS in production, sessions
that end after 30 idle minutes and 12 hours at most."""

import json
import os
import subprocess
import sys

import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.security.test_requests import fresh_rate_limits  # noqa: F401 - autouse fixture


def csp(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_every_page_carries_a_strict_policy(client, world):
    policy = csp(client.get(reverse("accounts:sign_in")))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'self'"]
    assert not [v for values in policy.values() for v in values if "unsafe" in v]


def test_pages_carry_a_permissions_policy(client, db):
    header = client.get(reverse("accounts:sign_in"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in header


def test_signed_in_pages_and_private_downloads_are_never_stored(client, world):
    client.force_login(world.hh_officer)
    for url in (reverse("tracking:my_work"), reverse("accounts:password_change")):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_api_answers_to_a_token_are_never_stored(world):
    from tests.api.conftest import token_client

    response = token_client(world.hh_officer).get(reverse("api:task-list"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_public_portal_pages_stay_cacheable_for_anonymous_visitors(client, db):
    response = client.get(reverse("portal:index"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_production_sends_hsts_csp_and_permissions_policy(tmp_path):
    """The real production settings, in a process of their own, answering one request (one
    that renders no page, so no collected static files are needed)."""
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client(HTTP_HOST='sixclear.example.org', HTTP_X_FORWARDED_PROTO='https')"
        ".get('/api/v1/tasks/'); "
        "print(json.dumps({'status': r.status_code, 'headers': dict(r.headers)}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIXCLEAR_", "DJANGO_"))}
    env.update(SIXCLEAR_ENV="production", SIXCLEAR_SECRET_KEY="s" * 60,
               SIXCLEAR_ALLOWED_HOSTS="sixclear.example.org", SIXCLEAR_DATA_DIR=str(tmp_path),
               DJANGO_SETTINGS_MODULE="sixclear.settings")
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    headers = answer["headers"]
    assert answer["status"] == 401
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]


# --- sessions ----------------------------------------------------------------------------------

def test_a_session_ends_after_thirty_idle_minutes(client, world, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(world.hh_officer)
        assert client.get(reverse("tracking:my_work")).status_code == 200
        clock.shift(25 * 60)
        assert client.get(reverse("tracking:my_work")).status_code == 200  # activity renews
        clock.shift(25 * 60)
        assert client.get(reverse("tracking:my_work")).status_code == 200
        clock.shift(31 * 60)
        response = client.get(reverse("tracking:my_work"))
    assert response.status_code == 302 and reverse("accounts:sign_in") in response.url


def test_a_session_ends_after_twelve_hours_however_active(client, world, settings):
    assert settings.SIXCLEAR_SESSION_MAX_SECONDS == 12 * 3600
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(world.hh_officer)
        for _step in range(12 * 60 // 20):
            clock.shift(20 * 60)
            client.get(reverse("tracking:my_work"))
        clock.shift(20 * 60)
        response = client.get(reverse("tracking:my_work"))
    assert response.status_code == 302 and reverse("accounts:sign_in") in response.url


def test_the_idle_timeout_is_configured_by_the_environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIXCLEAR_", "DJANGO_"))}
    env.update(SIXCLEAR_SESSION_IDLE_MINUTES="10", SIXCLEAR_SESSION_MAX_HOURS="8",
               SIXCLEAR_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", "from sixclear import settings as s; "
         "print(s.SESSION_COOKIE_AGE, s.SIXCLEAR_SESSION_MAX_SECONDS)"],
        env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["600", "28800"], result.stderr
