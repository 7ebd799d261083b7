"""Logging in against real OpenID Connect servers on loopback, set up with the command.

oidc-provider-mock (PyPI) serves the happy path; it does not check PKCE, so the PKCE
test uses panva's oidc-provider (npm), which requires and verifies it.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.internal.statekit import STATES_SESSION_KEY
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.core.management import call_command

from samizdat.discussion.models import Comment

NODE_SERVER = Path(__file__).parent / "oidc_node"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def add_oidc(server_url: str, client_id: str, secret: str, provider_id: str, name: str):
    call_command(
        "providers",
        "add",
        "openid_connect",
        "--client-id",
        client_id,
        "--secret",
        secret,
        "--server-url",
        server_url,
        "--id",
        provider_id,
        "--name",
        name,
        stdout=io.StringIO(),
    )


def callback_path(location: str) -> str:
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def mock_server():
    from oidc_provider_mock import User, run_server_in_thread

    alice = User(
        sub="alice",
        claims={
            "name": "Alice Liddell",
            "email": "alice@example.org",
            "email_verified": True,
            "picture": "https://example.org/alice.png",
        },
    )
    with run_server_in_thread(user_claims=[alice]) as server:
        yield f"http://127.0.0.1:{server.server_port}"


@pytest.mark.django_db
def test_login_with_oidc_mock_then_comment(client, post, start_login, mock_server):
    add_oidc(mock_server, "samizdat", "mock-secret", "mockid", "Mock ID")
    assert SocialApp.objects.get().settings == {"server_url": mock_server}
    page = client.get(post.get_absolute_url() + "?draft=kept").content.decode()
    assert 'aria-label="Log in with Mock ID"' in page

    start, query = start_login("mockid", body="Draft before OIDC.")
    assert start["Location"].startswith(mock_server + "/oauth2/authorize")
    assert query["code_challenge_method"] == "S256"
    consent = requests.post(
        start["Location"], data={"sub": "alice"}, allow_redirects=False, timeout=10
    )
    assert consent.status_code == 302
    done = client.get(callback_path(consent.headers["Location"]))
    assert done.status_code == 302, done.content.decode()[:500]
    assert done["Location"] == post.get_absolute_url() + "#respond"

    me = client.get("/identity/me/").json()["identity"]
    assert me["provider_name"] == "Mock ID" and me["display_name"] == "Alice Liddell"
    html = client.get(post.get_absolute_url() + "?draft=kept").content.decode()
    assert "Draft before OIDC." in html
    assert "You are commenting using your" in html
    client.post("/comments/post/", {"post_id": post.pk, "body": "Posted via OIDC."})
    comment = Comment.objects.get()
    assert comment.identity_provider == "mockid" and comment.identity_uid == "alice"
    assert comment.author_name == "Alice Liddell"


@pytest.mark.django_db
def test_denied_consent_at_oidc_mock(client, post, start_login, mock_server):
    add_oidc(mock_server, "samizdat", "mock-secret", "mockid", "Mock ID")
    start, _ = start_login("mockid", body="Keep me.")
    denied = requests.post(
        start["Location"], data={"action": "deny"}, allow_redirects=False, timeout=10
    )
    # The mock leaves out the state on a denial; the reader still learns what happened.
    response = client.get(callback_path(denied.headers["Location"]))
    assert response.status_code == 401
    assert "was cancelled or not allowed" in response.content.decode()
    assert not SocialAccount.objects.exists()
    assert "Keep me." in client.get(post.get_absolute_url() + "?draft=kept").content.decode()


@pytest.fixture
def pkce_server(live_server_url_for_callbacks):
    node = shutil.which("node")
    if node is None or not (NODE_SERVER / "node_modules" / "oidc-provider").exists():
        message = "node and tests/identity/oidc_node/node_modules are needed (npm install there)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    port = free_port()
    redirect = live_server_url_for_callbacks + "/accounts/oidc/pkce/login/callback/"
    process = subprocess.Popen(
        [node, "server.mjs", str(port), redirect],
        cwd=NODE_SERVER,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(f"http://127.0.0.1:{port}/.well-known/openid-configuration", timeout=2)
                break
            except requests.ConnectionError:
                if process.poll() is not None:
                    raise AssertionError(process.stdout.read()) from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def live_server_url_for_callbacks():
    # The Django test client's host: allauth builds redirect_uri from it.
    return "http://testserver"


def authorize_at_node(url: str) -> str:
    """Follow oidc-provider's redirects (login, consent) back to samizdat's callback."""
    session = requests.Session()
    for _ in range(10):
        response = session.get(url, allow_redirects=False, timeout=10)
        assert response.status_code in (302, 303), response.text[:500]
        url = requests.compat.urljoin(url, response.headers["Location"])
        if url.startswith("http://testserver/"):
            return url
    raise AssertionError("oidc-provider did not send the browser back")


@pytest.mark.django_db
def test_pkce_is_verified_by_a_real_server(client, post, start_login, pkce_server):
    add_oidc(pkce_server, "samizdat", "pkce-test-secret", "pkce", "PKCE ID")

    # The right verifier: the login succeeds.
    start, query = start_login("pkce", body="PKCE draft.")
    assert query["code_challenge_method"] == "S256"
    done = client.get(callback_path(authorize_at_node(start["Location"])))
    assert done.status_code == 302, done.content.decode()[:500]
    assert SocialAccount.objects.get().uid == "pat"

    # A wrong verifier: the server refuses the code, and nothing is created.
    SocialAccount.objects.all().delete()
    client.post("/identity/logout/", {"post_id": post.pk, "body": "PKCE draft."})
    start, query = start_login("pkce", body="PKCE draft.")
    session = client.session
    states = session[STATES_SESSION_KEY]
    data = states[query["state"]][0]
    assert data["pkce_code_verifier"]
    data["pkce_code_verifier"] = "x" * 64
    session[STATES_SESSION_KEY] = states
    session.save()
    refused = client.get(callback_path(authorize_at_node(start["Location"])))
    assert refused.status_code == 401
    assert "reported an error" in refused.content.decode()
    assert not SocialAccount.objects.exists()
    assert "PKCE draft." in client.get(post.get_absolute_url() + "?draft=kept").content.decode()
    assert parse_qs(urlsplit(start["Location"]).query)["code_challenge"]
