"""Settings for the test suite: samizdat's own, with a throwaway data dir and key."""

import os
import socket
import tempfile


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("SAMIZDAT_DATA_DIR", tempfile.mkdtemp(prefix="samizdat-test-"))

from samizdat.settings import *  # noqa: E402, F403

# Serve static files from the apps without collectstatic.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Every provider's token and profile endpoints go to one loopback server the tests start
# (tests/identity/fake_providers.py); see samizdat.identity.testing.
FAKE_PROVIDERS_PORT = int(os.environ.setdefault("SAMIZDAT_FAKE_PROVIDERS_PORT", str(_free_port())))
SAMIZDAT_IDENTITY_TEST_PROVIDER_URLS = f"http://127.0.0.1:{FAKE_PROVIDERS_PORT}"
SOCIALACCOUNT_PROVIDERS["facebook"]["GRAPH_API_URL"] = (  # noqa: F405
    f"{SAMIZDAT_IDENTITY_TEST_PROVIDER_URLS}/graph.facebook.com/{SAMIZDAT_FACEBOOK_GRAPH_VERSION}"  # noqa: F405
)

# Rate limits count in memory per test process; tests/conftest.py clears them per test.
CACHES["ratelimits"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}  # noqa: F405
# Tests that retrain say so; the rest must not start training threads.
SAMIZDAT_SPAM_AUTOTRAIN = "off"
# The tests' login providers answer on loopback over plain HTTP (a real site's are https:).
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += ["http://127.0.0.1:*", "http://localhost:*"]  # noqa: F405
