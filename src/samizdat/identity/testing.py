"""Point providers' endpoints at a local server, for the test suite only.

With ``SAMIZDAT_IDENTITY_TEST_PROVIDER_URLS = "http://127.0.0.1:PORT"``, a provider URL
such as ``https://api.github.com/user`` becomes ``http://127.0.0.1:PORT/api.github.com/user``,
so one loopback server can speak for every provider. Without the setting nothing changes.
Facebook reads its Graph API base from ``SOCIALACCOUNT_PROVIDERS["facebook"]["GRAPH_API_URL"]``,
which the test settings set the same way.
"""

from __future__ import annotations

import importlib
from urllib.parse import urlsplit

from samizdat.identity.app_settings import app_settings

URL_ATTRIBUTES = ("access_token_url", "authorize_url", "profile_url", "emails_url",
                  "identity_url")  # fmt: skip
ADAPTERS = {
    "allauth.socialaccount.providers.github.views": "GitHubOAuth2Adapter",
    "allauth.socialaccount.providers.google.views": "GoogleOAuth2Adapter",
    "allauth.socialaccount.providers.twitter_oauth2.views": "TwitterOAuth2Adapter",
    "samizdat.identity.providers.wordpress_com.views": "WordPressComOAuth2Adapter",
}


def rewrite(url: str, base: str) -> str:
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{base.rstrip('/')}/{parts.netloc}{parts.path}{query}"


def apply_provider_url_overrides() -> None:
    base = app_settings.TEST_PROVIDER_URLS
    if not base:
        return
    for module_name, class_name in ADAPTERS.items():
        adapter = getattr(importlib.import_module(module_name), class_name)
        for attribute in URL_ATTRIBUTES:
            url = getattr(adapter, attribute, None)
            if isinstance(url, str) and url.startswith("https://"):
                setattr(adapter, attribute, rewrite(url, base))
