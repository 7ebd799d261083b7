"""Fixtures for logging in through providers against loopback servers."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialApp
from django.conf import settings

from samizdat.identity.app_settings import provider_label
from tests.identity.fake_providers import FakeProviders


@pytest.fixture(scope="session")
def fake_providers():
    server = FakeProviders(settings.FAKE_PROVIDERS_PORT).start()
    yield server
    server.stop()


@pytest.fixture
def providers(fake_providers):
    fake_providers.reset()
    return fake_providers


@pytest.fixture
def social_app(db):
    def make(provider, name="", provider_id="", settings=None):
        return SocialApp.objects.create(
            provider=provider,
            provider_id=provider_id,
            name=name or provider_label(provider),
            client_id=f"{provider}-client",
            secret=f"{provider}-secret",
            settings=settings or {},
        )

    return make


@pytest.fixture
def start_login(client, post):
    """Post the comment form's login button; return the provider redirect and its state."""

    def start(provider_id, body="My draft comment.", next_url=None, popup=False, **extra):
        response = client.post(
            "/identity/login/",
            {
                "provider": provider_id,
                "post_id": post.pk,
                "body": body,
                "next": post.get_absolute_url() if next_url is None else next_url,
                "popup": "1" if popup else "0",
                **extra,
            },
        )
        query = parse_qs(urlsplit(response.get("Location", "")).query)
        return response, {key: values[0] for key, values in query.items()}

    return start


@pytest.fixture
def finish_login(client):
    """Come back from the provider to samizdat's callback, as the browser would."""

    def finish(callback_id, state, code="code-abc", **params):
        query = {"state": state, **params}
        if code is not None:
            query["code"] = code
        return client.get(f"/accounts/{callback_id}/login/callback/", query)

    return finish
