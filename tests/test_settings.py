"""Production refuses unsafe settings, and passes Django's deployment checks when set up."""

import os
import subprocess
import sys

SAFE_SECRET = "x" * 30 + "-production-secret-for-the-deploy-check-9f8e7d6c5b4a"


def run_check(**environment):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SIXCLEAR_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(environment)
    env["DJANGO_SETTINGS_MODULE"] = "sixclear.settings"
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )


def test_production_refuses_the_default_secret():
    result = run_check(SIXCLEAR_ENV="production", SIXCLEAR_ALLOWED_HOSTS="sixclear.example.org")
    assert result.returncode != 0
    assert "SIXCLEAR_SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = run_check(SIXCLEAR_ENV="production", SIXCLEAR_DEBUG="1",
                       SIXCLEAR_SECRET_KEY=SAFE_SECRET, SIXCLEAR_ALLOWED_HOSTS="a.example.org")
    assert result.returncode != 0
    assert "SIXCLEAR_DEBUG" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_check(SIXCLEAR_ENV="production", SIXCLEAR_SECRET_KEY=SAFE_SECRET)
    assert result.returncode != 0
    assert "SIXCLEAR_ALLOWED_HOSTS" in result.stderr


def test_deploy_check_passes_under_production_settings(tmp_path):
    result = run_check(SIXCLEAR_ENV="production", SIXCLEAR_SECRET_KEY=SAFE_SECRET,
                       SIXCLEAR_ALLOWED_HOSTS="sixclear.example.org",
                       SIXCLEAR_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
