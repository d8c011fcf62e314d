"""Benchmark scripts: a synthetic national data set on PostgreSQL and the measurements on it.

`python -m bench.generate` builds the data set, `python -m bench.scan` times the monitoring
scan on it; `make bench` runs both. Everything here talks to one dedicated database
(sixclear_bench by default), never to the application's own.
"""

import atexit
import datetime
import os
import shutil
import tempfile
from urllib.parse import urlsplit, urlunsplit

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/sixclear_bench"

# The data set is drawn relative to this day, and the scan is run as of it, so that figures
# are comparable from one run (and one machine) to the next.
TODAY = datetime.date(2026, 11, 23)


def database_name(url):
    return urlsplit(url).path.lstrip("/")


def server_url(url):
    """The same server, but its maintenance database, for CREATE and DROP DATABASE."""
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def setup_django(url):
    """Configure Django against the bench database. Settings read the environment at import."""
    os.environ["DATABASE_URL"] = url
    data_dir = tempfile.mkdtemp(prefix="sixclear-bench-")
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    os.environ["SIXCLEAR_DATA_DIR"] = data_dir
    os.makedirs(os.path.join(data_dir, "static"), exist_ok=True)  # whitenoise expects it
    os.environ.setdefault("SIXCLEAR_LOG_LEVEL", "WARNING")
    # Measure what production runs: DEBUG off (no query log, no template debug information).
    os.environ.setdefault("SIXCLEAR_DEBUG", "0")
    os.environ["DJANGO_SETTINGS_MODULE"] = "sixclear.settings"
    import django

    django.setup()
