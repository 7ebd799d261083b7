"""Settings for the test suite: samizdat's own, with a throwaway data dir and key."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("SAMIZDAT_DATA_DIR", tempfile.mkdtemp(prefix="samizdat-test-"))

from samizdat.settings import *  # noqa: F403

# Serve static files from the apps without collectstatic.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
