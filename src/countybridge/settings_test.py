"""Settings for the test suite: fixed test keys, never the developer's var/dev.env.

pytest-django imports settings before any conftest runs, so the keys must be set here, not in a fixture.
"""

import base64
import os

os.environ["COUNTYBRIDGE_ENV_FILE"] = "/nonexistent"
os.environ.setdefault("COUNTYBRIDGE_ID_KEY", base64.urlsafe_b64encode(b"k" * 32).decode())
os.environ.setdefault("COUNTYBRIDGE_HASH_KEY", "test-hash-key")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests only
