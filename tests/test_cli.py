import subprocess
import sys

import pytest

from sixclear.cli import build_parser, main


@pytest.mark.parametrize(
    "command", ["serve", "demo", "migrate", "monitor", "worker", "createadmin"]
)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as leaving:
        build_parser().parse_args([command, "--help"])
    assert leaving.value.code == 0
    assert "usage: sixclear " + command in capsys.readouterr().out


def test_the_installed_command_answers():
    result = subprocess.run([sys.executable, "-m", "sixclear.cli", "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for command in ("serve", "demo", "migrate", "worker", "createadmin"):
        assert command in result.stdout


@pytest.mark.django_db
def test_createadmin_makes_a_superuser_and_refuses_weak_passwords(django_user_model):
    from sixclear.cli import main

    with pytest.raises(SystemExit, match="Password refused"):
        main(["createadmin", "chief", "--password", "123"])
    main(["createadmin", "chief", "--password", "a long enough passphrase 2026"])
    chief = django_user_model.objects.get(username="chief")
    assert chief.is_superuser and chief.check_password("a long enough passphrase 2026")


def test_serve_runs_the_periodic_jobs_and_stops_on_sigterm(tmp_path):
    """`sixclear serve` must know every job module and stop when told to (SIGTERM)."""
    import os
    import signal
    import socket
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "SIXCLEAR_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "sixclear.settings"}
    env.pop("SIXCLEAR_TESTING", None)
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "sixclear.cli", "serve", "--migrate", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with socket.socket() as client:
                if client.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.5)
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
    assert "refresh_statuses_and_reminders" in output
    assert server.returncode is not None


@pytest.mark.django_db
def test_rollups_takes_its_own_options(capsys):
    main(["rollups", "--verify"])
    assert "Rollups match a fresh count" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["demo", "--no-such-option"])
