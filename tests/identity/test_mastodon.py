"""Mastodon: the reader names their server; samizdat registers itself there on first use."""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.management import call_command

from samizdat.identity.models import MastodonInstance

APPS = "/mastodon.example/api/v1/apps"
VERIFY = "/mastodon.example/api/v1/accounts/verify_credentials"
ACCOUNT = {
    "id": "109348",
    "username": "reader",
    "acct": "reader",
    "display_name": "Rea Der",
    "url": "https://mastodon.example/@reader",
    "avatar": "https://files.mastodon.example/accounts/avatars/reader.png",
}


@pytest.fixture
def mastodon(providers, db):
    call_command("providers", "add", "mastodon", stdout=io.StringIO())
    providers.post_responses[APPS] = {
        "id": "563419",
        "name": "samizdat",
        "client_id": "TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM",
        "client_secret": "ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw",
    }
    providers.profiles[VERIFY] = ACCOUNT
    return providers


def start(client, post, instance, body="Fediverse draft"):
    return client.post(
        "/identity/login/",
        {
            "provider": "mastodon",
            "mastodon_instance": instance,
            "post_id": post.pk,
            "body": body,
            "next": post.get_absolute_url(),
        },
    )


@pytest.mark.django_db
class TestMastodon:
    def test_button_asks_for_the_server(self, client, post, mastodon):
        html = client.get(post.get_absolute_url() + "?draft=kept").content.decode()
        assert 'aria-label="Log in with Mastodon"' in html
        assert 'name="mastodon_instance"' in html

    def test_register_then_log_in(self, client, post, mastodon):
        response = start(client, post, "@reader@Mastodon.Example")
        assert response.status_code == 302
        path, registration = mastodon.post_requests[0]
        assert path == APPS
        assert registration["redirect_uris"] == (
            "http://testserver/accounts/mastodon/login/callback/"
        )
        assert registration["scopes"] == "read:accounts"
        instance = MastodonInstance.objects.get()
        assert instance.domain == "mastodon.example"
        location = urlsplit(response["Location"])
        assert location.path == "/mastodon.example/oauth/authorize"
        query = {k: v[0] for k, v in parse_qs(location.query).items()}
        assert query["client_id"] == instance.client_id
        assert query["code_challenge_method"] == "S256"

        done = client.get(
            "/accounts/mastodon/login/callback/", {"code": "code-m", "state": query["state"]}
        )
        assert done.status_code == 302, done.content.decode()[:400]
        token = mastodon.token_requests[0]
        assert token["client_id"] == instance.client_id and token["code_verifier"]
        account = SocialAccount.objects.get()
        assert account.provider == "mastodon" and account.uid == "109348@mastodon.example"
        me = client.get("/identity/me/").json()["identity"]
        assert me["display_name"] == "Rea Der"
        assert me["avatar_url"] == ACCOUNT["avatar"]
        assert me["profile_url"] == "https://mastodon.example/@reader"
        assert not account.user.email
        own = client.get(post.get_absolute_url() + "?draft=kept")
        assert "Fediverse draft" in own.content.decode()

    def test_registers_once_per_server(self, client, post, mastodon):
        start(client, post, "mastodon.example")
        start(client, post, "https://mastodon.example/")
        assert len(mastodon.post_requests) == 1

    @pytest.mark.parametrize(
        "instance", ["", "localhost", "127.0.0.1", "[::1]", "not a host", "intranet.local"]
    )
    def test_bad_server_names(self, client, post, mastodon, instance):
        response = start(client, post, instance)
        assert response.status_code == 400
        assert "Type the name of your Mastodon server" in response.content.decode()
        assert not mastodon.post_requests
        own = client.get(post.get_absolute_url() + "?draft=kept")
        assert "Fediverse draft" in own.content.decode()

    def test_server_that_does_not_answer(self, client, post, mastodon):
        response = start(client, post, "nothing-here.example")
        assert response.status_code == 400
        assert "did not answer as a Mastodon server" in response.content.decode()
        assert not MastodonInstance.objects.exists()

    def test_not_offered_unless_configured(self, client, post, providers):
        response = start(client, post, "mastodon.example")
        assert response.status_code == 404

    def test_callback_without_a_login_under_way(self, client, post, mastodon):
        response = client.get(
            "/accounts/mastodon/login/callback/", {"code": "x", "state": "forged"}
        )
        assert response.status_code == 401
        assert not SocialAccount.objects.exists()

    def test_command_refuses_client_id(self, db):
        from django.core.management import CommandError

        with pytest.raises(CommandError, match="registers itself"):
            call_command("providers", "add", "mastodon", "--client-id", "x", "--secret", "y")


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.5", "::1", "169.254.1.1"])
def test_servers_on_private_addresses_are_refused(
    client, post, mastodon, settings, monkeypatch, address
):
    import socket

    settings.SAMIZDAT_IDENTITY_TEST_PROVIDER_URLS = None  # the real check, as in production
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 443))],
    )
    response = start(client, post, "sneaky.example")
    assert response.status_code == 400
    assert "not a public Mastodon server" in response.content.decode()
    assert not mastodon.post_requests and not MastodonInstance.objects.exists()
