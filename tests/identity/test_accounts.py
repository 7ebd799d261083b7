"""Email accounts, the providers command, and avatars."""

import io
import re

import pytest
from allauth.socialaccount.models import SocialApp
from django.core import mail
from django.core.management import CommandError, call_command

from samizdat.discussion.models import Comment
from samizdat.identity.avatars import guest_avatar_url


def run(*args):
    out = io.StringIO()
    call_command("providers", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestProvidersCommand:
    def test_add_list_remove(self, client, post, django_capture_on_commit_callbacks):
        # The commands commit; here the test's transaction never does, so the page cache's
        # on-commit invalidation is run by hand.
        commit = django_capture_on_commit_callbacks
        assert "No login providers" in run("list")
        with commit(execute=True):
            assert "Callback URL" in run(
                "add", "wordpress_com", "--client-id", "123", "--secret", "s"
            )
            run("add", "github", "--client-id", "gh", "--secret", "s", "--name", "GitHub")
            run("add", "github", "--client-id", "gh2", "--secret", "s2")
        assert SocialApp.objects.get(provider="github").client_id == "gh2"
        listing = run("list")
        assert "wordpress_com" in listing and "github" in listing
        page = client.get(post.get_absolute_url()).content.decode()
        assert 'aria-label="Log in with WordPress.com"' in page
        assert 'aria-label="Log in with GitHub"' in page
        with commit(execute=True):
            assert "Removed github." in run("remove", "github")
        page = client.get(post.get_absolute_url()).content.decode()
        assert "Log in with GitHub" not in page

    def test_no_providers_no_login_choice(self, client, post):
        page = client.get(post.get_absolute_url()).content.decode()
        assert "Please log in using one of these methods" not in page

    def test_errors(self):
        with pytest.raises(CommandError, match="needs --server-url"):
            run("add", "openid_connect", "--client-id", "x", "--secret", "y")
        with pytest.raises(CommandError, match="must use https"):
            run(
                "add",
                "openid_connect",
                "--client-id",
                "x",
                "--secret",
                "y",
                "--server-url",
                "http://idp.example.org",
            )
        with pytest.raises(CommandError, match="No provider"):
            run("remove", "nothing")


@pytest.mark.django_db
class TestEmailAccounts:
    def test_sign_up_verify_log_in_and_comment(self, client, post, settings):
        settings.SAMIZDAT_IDENTITY_EMAIL_ACCOUNTS = True
        page = client.get(post.get_absolute_url()).content.decode()
        assert 'aria-label="Log in with Email"' in page
        start = client.post(
            "/identity/login/",
            {
                "provider": "email",
                "post_id": post.pk,
                "body": "Email draft",
                "next": post.get_absolute_url(),
            },
        )
        assert start["Location"].startswith("/accounts/login/?next=")
        client.post(
            "/accounts/signup/",
            {
                "email": "reader@example.org",
                "password1": "a long passphrase 42",
                "password2": "a long passphrase 42",
            },
        )
        assert len(mail.outbox) == 1
        link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)
        assert link
        client.post(link.group(0).split("testserver", 1)[1])
        client.post(
            "/accounts/login/", {"login": "reader@example.org", "password": "a long passphrase 42"}
        )
        me = client.get("/identity/me/").json()["identity"]
        assert me["provider"] == "email" and me["display_name"]
        html = client.get(post.get_absolute_url()).content.decode()
        assert "Email draft" in html
        client.post("/comments/post/", {"post_id": post.pk, "body": "By email account."})
        comment = Comment.objects.get()
        assert comment.user.email == "reader@example.org"
        assert comment.author_email == "reader@example.org"

    def test_unverified_account_cannot_log_in(self, client, settings):
        settings.SAMIZDAT_IDENTITY_EMAIL_ACCOUNTS = True
        client.post(
            "/accounts/signup/",
            {
                "email": "r@example.org",
                "password1": "a long passphrase 42",
                "password2": "a long passphrase 42",
            },
        )
        client.post(
            "/accounts/login/", {"login": "r@example.org", "password": "a long passphrase 42"}
        )
        assert client.get("/identity/me/").json()["identity"] is None

    def test_email_button_only_when_enabled(self, client, post):
        page = client.get(post.get_absolute_url()).content.decode()
        assert "Log in with Email" not in page
        response = client.post(
            "/identity/login/",
            {"provider": "email", "post_id": post.pk, "next": post.get_absolute_url()},
        )
        assert response.status_code == 404


@pytest.mark.django_db
class TestAvatars:
    def test_guest_avatars_are_local_by_default(self, client, post, make_comment):
        make_comment(post, author_name="Zed", author_email="zed@example.org")
        html = client.get(post.get_absolute_url()).content.decode()
        avatar = re.search(r'<img class="avatar" src="([^"]+)"', html).group(1)
        assert avatar.startswith("/identity/avatar/") and "zed" not in avatar
        svg = client.get(avatar.replace("&amp;", "&"))
        assert svg["Content-Type"] == "image/svg+xml" and ">Z</text>" in svg.content.decode()
        assert "gravatar" not in html

    def test_gravatar_is_a_setting(self, settings):
        settings.SAMIZDAT_IDENTITY_AVATARS = "gravatar"
        url = guest_avatar_url("Zed@Example.org ", "Zed")
        assert url.startswith("https://secure.gravatar.com/avatar/")
        assert url.split("/")[-1].startswith("ca6ab788")  # md5 of "zed@example.org"

    def test_avatar_key_does_not_reveal_the_email(self):
        url = guest_avatar_url("zed@example.org", "Zed")
        import hashlib

        md5 = hashlib.md5(b"zed@example.org", usedforsecurity=False).hexdigest()
        assert md5 not in url
