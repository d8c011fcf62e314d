"""Settings for the test suite: the real settings with jobs run immediately and fast hashing."""

import os
import tempfile

os.environ["SIXCLEAR_TESTING"] = "1"
os.environ.setdefault("SIXCLEAR_DATA_DIR", tempfile.mkdtemp(prefix="sixclear-test-"))

from sixclear.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LANGUAGE_CODE = "en"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
