"""Failed logins: a clear message, the draft kept, and no account or comment created."""

import time

import pytest
from allauth.socialaccount.internal.statekit import STATES_SESSION_KEY
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.test import Client

from samizdat.discussion.models import Comment
from tests.identity.test_providers import WPCOM_ME, wpcom_profile

DRAFT = "A careful draft that must survive."


@pytest.fixture
def wpcom(social_app, providers):
    providers.profiles[WPCOM_ME] = wpcom_profile()
    return social_app("wordpress_com")


def assert_failed_cleanly(client, post, response, message):
    html = response.content.decode()
    assert response.status_code in (400, 401), response.status_code
    assert message in html
    assert "your comment is kept" in html
    assert not SocialAccount.objects.exists()
    assert get_user_model().objects.count() == 0
    assert Comment.objects.count() == 0
    # The draft comes back on the post page.
    assert DRAFT in client.get(post.get_absolute_url() + "?draft=kept").content.decode()


@pytest.mark.django_db
class TestFailedLogins:
    def test_state_mismatch(self, client, post, wpcom, start_login, finish_login):
        start_login("wordpress_com", body=DRAFT)
        response = finish_login("wordpress_com", "not-the-state")
        assert_failed_cleanly(client, post, response, "could not be checked")

    def test_reused_state(self, client, post, wpcom, start_login, finish_login):
        _, query = start_login("wordpress_com", body=DRAFT)
        assert finish_login("wordpress_com", query["state"]).status_code == 302
        SocialAccount.objects.all().delete()
        get_user_model().objects.all().delete()
        client.post("/identity/logout/", {"post_id": post.pk, "body": DRAFT})
        response = finish_login("wordpress_com", query["state"])
        assert_failed_cleanly(client, post, response, "could not be checked")

    def test_expired_state(self, client, post, wpcom, start_login, finish_login):
        _, query = start_login("wordpress_com", body=DRAFT)
        session = client.session
        states = session[STATES_SESSION_KEY]
        for state_id, (data, _ts, provider) in list(states.items()):
            states[state_id] = [data, time.time() - 3600, provider]
        session[STATES_SESSION_KEY] = states
        session.save()
        _, fresh = start_login("wordpress_com", body=DRAFT)  # a new start collects old states
        response = finish_login("wordpress_com", query["state"])
        assert_failed_cleanly(client, post, response, "could not be checked")
        assert fresh["state"] != query["state"]

    def test_denied_consent(self, client, post, wpcom, start_login, finish_login):
        _, query = start_login("wordpress_com", body=DRAFT)
        response = finish_login("wordpress_com", query["state"], code=None, error="access_denied")
        assert_failed_cleanly(client, post, response, "was cancelled or not allowed")

    def test_provider_error(self, client, post, wpcom, providers, start_login, finish_login):
        providers.token_status = 500
        _, query = start_login("wordpress_com", body=DRAFT)
        response = finish_login("wordpress_com", query["state"])
        assert_failed_cleanly(client, post, response, "reported an error")

    def test_provider_error_in_callback(self, client, post, wpcom, start_login, finish_login):
        _, query = start_login("wordpress_com", body=DRAFT)
        response = finish_login("wordpress_com", query["state"], code=None, error="server_error")
        assert_failed_cleanly(client, post, response, "reported an error")

    @pytest.mark.parametrize(
        "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
    )
    def test_tampered_next(self, client, post, wpcom, start_login, next_url):
        response, _ = start_login("wordpress_com", body=DRAFT, next_url=next_url)
        assert "Location" not in response
        assert_failed_cleanly(client, post, response, "asked to return to another site")

    def test_unknown_provider(self, client, post, start_login):
        response, _ = start_login("nonexistent", body=DRAFT)
        assert response.status_code == 404
        assert DRAFT in client.get(post.get_absolute_url() + "?draft=kept").content.decode()


@pytest.mark.django_db
class TestStartingALogin:
    def test_get_cannot_start_a_login(self, client, wpcom):
        assert client.get("/identity/login/", {"provider": "wordpress_com"}).status_code == 405
        assert client.get("/accounts/wordpress_com/login/").status_code != 302

    def test_post_needs_a_csrf_token(self, post, wpcom):
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            "/identity/login/",
            {"provider": "wordpress_com", "post_id": post.pk, "next": post.get_absolute_url()},
        )
        assert response.status_code == 403

    def test_popup_login_ends_on_the_popup_page(
        self, client, post, wpcom, start_login, finish_login
    ):
        _, query = start_login("wordpress_com", body=DRAFT, popup=True)
        done = finish_login("wordpress_com", query["state"])
        assert done["Location"] == "/identity/popup-done/"
        page = client.get("/identity/popup-done/").content.decode()
        assert '"type": "samizdat:login"' in page and '"display_name": "Mr. Test"' in page
        assert "identity/popup.js" in page

    def test_logout_keeps_the_draft(self, client, post, wpcom, start_login, finish_login):
        _, query = start_login("wordpress_com", body=DRAFT)
        finish_login("wordpress_com", query["state"])
        client.get(post.get_absolute_url() + "?draft=kept")  # the draft is given back once...
        response = client.post(
            "/identity/logout/",
            {"post_id": post.pk, "body": "Edited draft", "next": post.get_absolute_url()},
        )
        # Back to an address of the reader's own, where the draft is given back.
        assert response["Location"] == post.get_absolute_url() + "?draft=kept#respond"
        html = client.get(post.get_absolute_url() + "?draft=kept").content.decode()
        assert "Edited draft" in html  # ...and kept again across the logout
        assert 'id="identity-bar" hidden' in html
        assert client.get("/identity/me/").json()["identity"] is None


@pytest.mark.django_db
def test_draft_from_a_page_form_is_kept(client, wpcom, finish_login):
    from samizdat.publishing.models import Page

    page = Page.objects.create(title="Guestbook", comments_open=True)
    client.post(
        "/identity/login/",
        {
            "provider": "wordpress_com",
            "page_id": page.pk,
            "body": DRAFT,
            "next": page.get_absolute_url(),
        },
    )
    response = finish_login("wordpress_com", "not-the-state")
    assert f'href="{page.get_absolute_url()}?draft=kept#respond"' in response.content.decode()
    assert DRAFT in client.get(page.get_absolute_url() + "?draft=kept").content.decode()
