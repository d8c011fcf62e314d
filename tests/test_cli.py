import subprocess
import sys

import pytest

from sixclear.cli import build_parser


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
