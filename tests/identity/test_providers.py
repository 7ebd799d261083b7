"""Each provider's profile, in its documented JSON shape, maps to a commenter identity.

The token and profile endpoints are served on loopback (fake_providers.py); everything
from the login button to the callback runs through samizdat and allauth for real.
"""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from samizdat.discussion.models import Comment

WPCOM_ME = "/public-api.wordpress.com/rest/v1.1/me"
GITHUB_USER = "/api.github.com/user"
GITHUB_EMAILS = "/api.github.com/user/emails"
GOOGLE_USERINFO = "/www.googleapis.com/oauth2/v2/userinfo"
X_ME = "/api.x.com/2/users/me"
FACEBOOK_ME = "/graph.facebook.com/v21.0/me"


def wpcom_profile(**overrides):
    profile = {
        "ID": 1001000100,
        "display_name": "Mr. Test",
        "username": "test",
        "email": "test@example.com",
        "primary_blog": 415,
        "avatar_URL": "https://0.gravatar.com/avatar/a178?s=96&d=identicon&r=G",
        "profile_URL": "https://en.gravatar.com/test",
        "verified": True,
        "email_verified": True,
    }
    profile.update(overrides)
    return profile


def login(
    client,
    providers,
    social_app,
    start_login,
    finish_login,
    provider,
    profiles,
    callback_id=None,
    **app,
):
    social_app(provider, **app)
    providers.profiles.update(profiles)
    response, query = start_login(callback_id or provider)
    assert response.status_code == 302, response.content
    done = finish_login(callback_id or provider, query["state"])
    return response, query, done


def identity(client):
    return client.get("/identity/me/").json()["identity"]


@pytest.mark.django_db
class TestWordPressCom:
    def test_profile_mapping(self, client, post, providers, social_app, start_login, finish_login):
        start, query, done = login(
            client,
            providers,
            social_app,
            start_login,
            finish_login,
            "wordpress_com",
            {WPCOM_ME: wpcom_profile()},
        )
        assert (
            start["Location"].split("?")[0].endswith("/public-api.wordpress.com/oauth2/authorize")
        )
        assert query["client_id"] == "wordpress_com-client" and query["scope"] == "auth"
        assert done.status_code == 302
        assert done["Location"] == post.get_absolute_url() + "#respond"
        account = SocialAccount.objects.get(provider="wordpress_com")
        assert account.uid == "1001000100"
        assert identity(client) == {
            "provider": "wordpress_com",
            "provider_name": "WordPress.com",
            "display_name": "Mr. Test",
            "avatar_url": "https://0.gravatar.com/avatar/a178?s=96&d=identicon&r=G",
            "profile_url": "https://en.gravatar.com/test",
        }
        assert EmailAddress.objects.get(user=account.user).verified
        assert providers.token_requests[0]["code"] == "code-abc"

    @pytest.mark.parametrize("flags", [{"verified": False}, {"email_verified": False}])
    def test_email_not_trusted_unless_verified(
        self, client, providers, social_app, start_login, finish_login, flags
    ):
        login(
            client,
            providers,
            social_app,
            start_login,
            finish_login,
            "wordpress_com",
            {WPCOM_ME: wpcom_profile(**flags)},
        )
        user = SocialAccount.objects.get().user
        assert not EmailAddress.objects.filter(user=user, verified=True).exists()


@pytest.mark.django_db
class TestOtherProviders:
    def test_github(self, client, providers, social_app, start_login, finish_login):
        _, query, done = login(
            client,
            providers,
            social_app,
            start_login,
            finish_login,
            "github",
            {
                GITHUB_USER: {
                    "id": 583231,
                    "login": "octocat",
                    "name": "The Octocat",
                    "avatar_url": "https://avatars.githubusercontent.com/u/583231?v=4",
                    "html_url": "https://github.com/octocat",
                    "email": None,
                },
                GITHUB_EMAILS: [
                    {
                        "email": "octocat@github.com",
                        "verified": True,
                        "primary": True,
                        "visibility": "public",
                    }
                ],
            },
        )
        assert query["code_challenge_method"] == "S256" and query["code_challenge"]
        assert providers.token_requests[0]["code_verifier"]
        assert done.status_code == 302
        me = identity(client)
        assert me["display_name"] == "The Octocat"
        assert me["avatar_url"] == "https://avatars.githubusercontent.com/u/583231?v=4"
        assert me["profile_url"] == "https://github.com/octocat"
        assert EmailAddress.objects.get(email="octocat@github.com").verified

    def test_google(self, client, providers, social_app, start_login, finish_login):
        _, query, done = login(
            client,
            providers,
            social_app,
            start_login,
            finish_login,
            "google",
            {
                GOOGLE_USERINFO: {
                    "id": "1090",
                    "email": "ada@gmail.com",
                    "verified_email": True,
                    "name": "Ada Lovelace",
                    "given_name": "Ada",
                    "picture": "https://lh3.googleusercontent.com/a/ada",
                }
            },
        )
        assert query["code_challenge"]
        assert done.status_code == 302
        me = identity(client)
        assert me["display_name"] == "Ada Lovelace"
        assert me["avatar_url"] == "https://lh3.googleusercontent.com/a/ada"
        assert EmailAddress.objects.get(email="ada@gmail.com").verified

    def test_x_has_no_email(self, client, providers, social_app, start_login, finish_login):
        _, query, done = login(
            client,
            providers,
            social_app,
            start_login,
            finish_login,
            "twitter_oauth2",
            {
                X_ME: {
                    "data": {
                        "id": "2244994945",
                        "name": "X Dev",
                        "username": "XDevelopers",
                        "profile_image_url": "https://pbs.twimg.com/profile_images/x_normal.jpg",
                    }
                }
            },
        )
        assert query["code_challenge"]
        assert done.status_code == 302
        me = identity(client)
        assert me["display_name"] == "X Dev"
        assert me["profile_url"] == "https://x.com/XDevelopers"
        user = SocialAccount.objects.get().user
        assert not EmailAddress.objects.filter(user=user).exists() and not user.email

    def test_facebook_pins_graph_version(
        self, client, providers, social_app, start_login, finish_login
    ):
        _, _query, done = login(
            client,
            providers,
            social_app,
            start_login,
            finish_login,
            "facebook",
            {
                FACEBOOK_ME: {
                    "id": "10158",
                    "name": "Fiona Book",
                    "email": "fiona@example.com",
                    "picture": {"data": {"url": "https://graph.facebook.com/10158/picture"}},
                }
            },
        )
        assert "/v21.0/dialog/oauth" in _["Location"]
        assert done.status_code == 302
        me = identity(client)
        assert me["display_name"] == "Fiona Book"
        # Facebook does not say the address is verified: it may not link accounts.
        assert not EmailAddress.objects.filter(email="fiona@example.com", verified=True).exists()

    def test_profile_without_a_name_gets_a_usable_name(
        self, client, providers, social_app, start_login, finish_login
    ):
        login(
            client,
            providers,
            social_app,
            start_login,
            finish_login,
            "wordpress_com",
            {WPCOM_ME: wpcom_profile(display_name="", username="", email="")},
        )
        name = identity(client)["display_name"]
        assert name and "None" not in name


@pytest.mark.django_db
class TestLinking:
    def test_verified_email_links_to_existing_user(
        self, client, providers, social_app, start_login, finish_login, make_user
    ):
        existing = make_user("writer", email="test@example.com")
        EmailAddress.objects.create(
            user=existing, email="test@example.com", verified=True, primary=True
        )
        login(
            client,
            providers,
            social_app,
            start_login,
            finish_login,
            "wordpress_com",
            {WPCOM_ME: wpcom_profile()},
        )
        assert SocialAccount.objects.get().user == existing

    def test_unverified_provider_email_does_not_link(
        self, client, providers, social_app, start_login, finish_login, make_user
    ):
        existing = make_user("writer", email="test@example.com")
        EmailAddress.objects.create(
            user=existing, email="test@example.com", verified=True, primary=True
        )
        login(
            client,
            providers,
            social_app,
            start_login,
            finish_login,
            "wordpress_com",
            {WPCOM_ME: wpcom_profile(verified=False)},
        )
        assert SocialAccount.objects.get().user != existing

    def test_unverified_local_email_does_not_capture(
        self, client, providers, social_app, start_login, finish_login, make_user
    ):
        squatter = make_user("squatter", email="test@example.com")
        EmailAddress.objects.create(
            user=squatter, email="test@example.com", verified=False, primary=True
        )
        login(
            client,
            providers,
            social_app,
            start_login,
            finish_login,
            "wordpress_com",
            {WPCOM_ME: wpcom_profile()},
        )
        assert SocialAccount.objects.get().user != squatter
        assert get_user_model().objects.count() == 2


@pytest.mark.django_db
class TestCommentingWithAnIdentity:
    def test_comment_records_the_identity_and_keeps_the_draft(
        self, client, post, providers, social_app, start_login, finish_login
    ):
        login(
            client,
            providers,
            social_app,
            start_login,
            finish_login,
            "wordpress_com",
            {WPCOM_ME: wpcom_profile()},
        )
        page = client.get(post.get_absolute_url()).content.decode()
        assert "My draft comment." in page  # the draft came back
        assert "You are commenting using your" in page and "Mr. Test" in page
        response = client.post("/comments/post/", {"post_id": post.pk, "body": "Signed in."})
        assert response.status_code == 302
        comment = Comment.objects.get()
        assert (comment.identity_provider, comment.identity_uid) == ("wordpress_com", "1001000100")
        assert comment.author_name == "Mr. Test"
        assert comment.author_url == "https://en.gravatar.com/test"
        assert comment.author_avatar_url.startswith("https://0.gravatar.com/")
        assert comment.author_email == "test@example.com"

    def test_moderation_rule_applies_per_identity(
        self, client, post, providers, social_app, start_login, finish_login, make_comment
    ):
        # A guest comment under the same name and email does not vouch for the identity.
        make_comment(post, author_name="Mr. Test", author_email="test@example.com")
        login(
            client,
            providers,
            social_app,
            start_login,
            finish_login,
            "wordpress_com",
            {WPCOM_ME: wpcom_profile()},
        )
        client.post("/comments/post/", {"post_id": post.pk, "body": "First as identity."})
        first = Comment.objects.get(body="First as identity.")
        assert first.status == "pending"
        first.status = "approved"
        first.save()
        Comment.objects.update(created_at=first.created_at.replace(year=2000))
        client.post("/comments/post/", {"post_id": post.pk, "body": "Second as identity."})
        assert Comment.objects.get(body="Second as identity.").status == "approved"
