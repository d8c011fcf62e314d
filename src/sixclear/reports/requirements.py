"""What reports need from the machine, checked where it is used, with the Debian package named."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def require_file(path, package):
    path = Path(path)
    if not path.exists():
        raise ImproperlyConfigured(
            f"{path} is missing: install the Debian package {package} "
            f"(scripts/ensure-debian-packages {package})."
        )
    return path

