"""Posting through the "Leave a Reply" form, and every bad input it must survive."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from samizdat.discussion.models import Comment, CommentStatus
from samizdat.publishing.models import PostStatus

URL = reverse("discussion:post-comment")


def assert_kept(response, *texts):
    """The form came back with an error and with what the reader typed."""
    assert response.status_code == 400
    content = response.content.decode()
    for text in texts:
        assert text in content
    assert Comment.objects.count() == 0


@pytest.mark.django_db
class TestGoodComment:
    def test_guest_comment_redirects_to_its_anchor(self, client, post, comment_data):
        response = client.post(URL, comment_data())
        comment = Comment.objects.get()
        assert response.status_code == 302
        # Held (a first comment): an address of the reader's own, never from the cache.
        assert response["Location"] == (
            f"{post.get_absolute_url()}?unapproved={comment.pk}#comment-{comment.pk}"
        )
        assert comment.author_name == "Guest Reader"
        assert comment.body_html == "<p>A thoughtful reply.</p>\n"
        assert comment.ip_address == "127.0.0.1"

    def test_first_comment_waits_and_only_its_author_sees_it(self, client, post, comment_data):
        response = client.post(URL, comment_data(body="My *first* words here."))
        comment = Comment.objects.get()
        assert comment.status == CommentStatus.PENDING
        mine = client.get(response["Location"].split("#")[0]).content.decode()
        assert "Your comment is awaiting moderation." in mine
        assert "My <em>first</em> words here." in mine
        # On the post's own address (shared by the page cache) it comes from /identity/me/.
        parts = client.get("/identity/me/", {"post_id": post.pk}).json()
        assert "My <em>first</em> words here." in parts["pending"][0]["html"]
        other = pytest.importorskip("django.test").Client()
        theirs = other.get(post.get_absolute_url()).content.decode()
        assert "My <em>first</em> words here." not in theirs
        assert "awaiting moderation" not in theirs

    def test_known_author_is_approved_at_once(self, client, post, comment_data, make_comment):
        make_comment(post, author_name="Guest Reader", author_email="guest@example.org")
        client.post(URL, comment_data(body="Second time here."))
        comment = Comment.objects.get(body="Second time here.")
        assert comment.status == CommentStatus.APPROVED
        post.refresh_from_db()
        assert post.comment_count == 2

    def test_reply_nests_under_parent(self, client, post, comment_data, make_comment):
        parent = make_comment(post)
        response = client.post(URL, comment_data(parent_id=parent.pk))
        reply = Comment.objects.get(parent=parent)
        assert reply.depth == 2 and reply.root_id == parent.pk
        assert response["Location"].endswith(f"#comment-{reply.pk}")

    def test_remember_me_prefills_the_form(self, client, post, comment_data, make_post):
        client.post(URL, comment_data(remember="on"))
        other = make_post()
        # The page's script fills the form from the reader's own small request...
        author = client.get("/identity/me/", {"post_id": other.pk}).json()["author"]
        assert author["author_name"] == "Guest Reader"
        assert author["author_email"] == "guest@example.org" and author["remember"]
        # ...and a page rendered for the reader alone has it in the form.
        page = client.get(other.get_absolute_url() + "?draft=kept").content.decode()
        assert 'value="Guest Reader"' in page and 'value="guest@example.org"' in page

    def test_not_remembered_without_consent(self, client, post, comment_data, make_post):
        client.post(URL, comment_data())
        page = client.get(make_post().get_absolute_url()).content.decode()
        assert 'value="Guest Reader"' not in page


@pytest.mark.django_db
class TestBadInput:
    def test_empty_comment(self, client, post, comment_data):
        response = client.post(URL, comment_data(body="   ", author_name="Kept Name"))
        assert_kept(response, "Please type your comment text.", 'value="Kept Name"')

    def test_guest_without_name(self, client, post, comment_data):
        response = client.post(URL, comment_data(author_name="", body="Kept words"))
        assert_kept(response, "Please enter your name.", "Kept words")

    def test_guest_without_email(self, client, post, comment_data):
        response = client.post(URL, comment_data(author_email="", body="Kept words"))
        assert_kept(response, "Please enter your email address.", "Kept words")

    def test_invalid_email(self, client, post, comment_data):
        response = client.post(URL, comment_data(author_email="not-an-email", body="Kept words"))
        assert_kept(
            response, "Please enter a valid email address.", "Kept words", 'value="not-an-email"'
        )

    def test_invalid_url(self, client, post, comment_data):
        response = client.post(URL, comment_data(author_url="http://exa mple", body="Kept words"))
        assert_kept(response, "Please enter a valid web address.", "Kept words")

    def test_comment_too_long(self, client, post, comment_data):
        body = "word " * 4001  # 20,005 characters
        response = client.post(URL, comment_data(body=body))
        assert_kept(response, "Your comment is too long: at most 20000 characters", "word word")

    def test_comment_at_the_limit_is_accepted(self, client, post, comment_data):
        response = client.post(URL, comment_data(body="x" * 20_000))
        assert response.status_code == 302

    def test_reply_to_comment_of_another_post(
        self, client, post, comment_data, make_post, make_comment
    ):
        elsewhere = make_comment(make_post())
        response = client.post(URL, comment_data(parent_id=elsewhere.pk, body="Kept reply"))
        assert response.status_code == 400
        assert (
            "The comment you were replying to is no longer available" in response.content.decode()
        )
        assert "Kept reply" in response.content.decode()
        assert Comment.objects.count() == 1

    def test_error_page_links_back_to_the_post(self, client, post, comment_data, make_comment):
        parent = make_comment(post)
        html = client.post(URL, comment_data(body="")).content.decode()
        assert f'href="{post.get_absolute_url()}?replytocom={parent.pk}#respond"' in html

    def test_reply_to_missing_parent(self, client, post, comment_data):
        response = client.post(URL, comment_data(parent_id=999_999, body="Kept reply"))
        assert_kept(
            response, "The comment you were replying to is no longer available", "Kept reply"
        )

    @pytest.mark.parametrize(
        "status", [CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.TRASH]
    )
    def test_reply_to_unapproved_parent(self, client, post, comment_data, make_comment, status):
        parent = make_comment(post, status=status)
        response = client.post(URL, comment_data(parent_id=parent.pk, body="Kept reply"))
        assert response.status_code == 400
        assert (
            "The comment you were replying to is no longer available" in response.content.decode()
        )
        assert Comment.objects.count() == 1

    def test_malformed_parent_id(self, client, post, comment_data):
        response = client.post(URL, comment_data(parent_id="abc", body="Kept reply"))
        assert_kept(response, "Kept reply")

    def test_closed_post(self, client, post, comment_data):
        post.comments_open = False
        post.save()
        response = client.post(URL, comment_data(body="Kept words"))
        assert_kept(response, "Sorry, comments are closed for this item.", "Kept words")

    @override_settings(SAMIZDAT_COMMENTS_CLOSE_AFTER_DAYS=14)
    def test_closed_after_n_days(self, client, make_post, comment_data):
        old = make_post(published_at=timezone.now() - timedelta(days=15))
        response = client.post(URL, comment_data(post_id=old.pk, body="Kept words"))
        assert_kept(response, "Sorry, comments are closed for this item.", "Kept words")
        page = client.get(old.get_absolute_url()).content.decode()
        assert "Comments are closed." in page and 'id="commentform"' not in page

    @pytest.mark.parametrize("status", [PostStatus.DRAFT, PostStatus.PRIVATE])
    def test_draft_or_private_post_is_404(self, client, make_post, comment_data, status):
        hidden = make_post(status=status)
        response = client.post(URL, comment_data(post_id=hidden.pk))
        assert response.status_code == 404
        assert Comment.objects.count() == 0

    def test_scheduled_post_not_yet_due_is_404(self, client, make_post, comment_data):
        future = make_post(
            status=PostStatus.SCHEDULED, published_at=timezone.now() + timedelta(days=1)
        )
        assert client.post(URL, comment_data(post_id=future.pk)).status_code == 404

    @pytest.mark.parametrize("post_id", ["", "abc", "999999", "9" * 30, "-1"])
    def test_missing_or_unknown_post_is_404(self, client, post, comment_data, post_id):
        assert client.post(URL, comment_data(post_id=post_id)).status_code == 404

    def test_get_is_not_allowed(self, client, post):
        assert client.get(URL).status_code == 405

    def test_double_submit_gives_one_comment_and_lands_on_it(self, client, post, comment_data):
        """A retry (the first answer lost on its way) lands on the stored comment."""
        first = client.post(URL, comment_data(body="Said once."))
        assert first.status_code == 302
        second = client.post(URL, comment_data(body="Said once."))
        assert second.status_code == 302 and second["Location"] == first["Location"]
        assert Comment.objects.count() == 1

    def test_a_retry_asking_to_be_remembered_is_remembered(self, client, post, comment_data):
        """The retry's own choices count: pressed again with "Save my name" ticked."""
        client.post(URL, comment_data(body="Said once, remembered the second time."))
        client.post(URL, comment_data(body="Said once, remembered the second time.", remember="on"))
        author = client.get("/identity/me/", {"post_id": post.pk}).json()["author"]
        assert author["author_name"] == "Guest Reader" and author["remember"]

    def test_a_duplicate_of_spam_is_still_refused(self, client, post, comment_data):
        client.post(URL, comment_data(body="Buy now."))
        Comment.objects.update(status=CommentStatus.SPAM)
        again = client.post(URL, comment_data(body="Buy now."))
        assert again.status_code == 400
        assert "Duplicate comment detected" in again.content.decode()

    def test_the_database_gone_after_the_commit_still_answers(self, client, post, comment_data):
        from unittest import mock

        from django.db import OperationalError

        with mock.patch(
            "samizdat.discussion.views.comment_url", side_effect=OperationalError("gone")
        ):
            response = client.post(URL, comment_data(body="Stored, then the link broke."))
        comment = Comment.objects.get()
        assert response.status_code == 302
        assert response["Location"] == (
            f"{post.get_absolute_url()}?unapproved={comment.pk}#comment-{comment.pk}"
        )

    def test_flood_throttle_by_ip(self, client, post, comment_data):
        assert client.post(URL, comment_data(body="One.")).status_code == 302
        response = client.post(
            URL, comment_data(body="Two.", author_name="Other", author_email="o@example.org")
        )
        assert response.status_code == 400
        assert "You are posting comments too quickly." in response.content.decode()
        assert Comment.objects.count() == 1

    def test_flood_window_passes(self, client, post, comment_data):
        assert client.post(URL, comment_data(body="One.")).status_code == 302
        Comment.objects.update(created_at=timezone.now() - timedelta(seconds=16))
        assert client.post(URL, comment_data(body="Two.")).status_code == 302

    def test_csrf_is_enforced(self, post, comment_data):
        from django.test import Client

        response = Client(enforce_csrf_checks=True).post(URL, comment_data())
        assert response.status_code == 403
        assert Comment.objects.count() == 0


@pytest.mark.django_db
class TestModerationModes:
    @override_settings(SAMIZDAT_COMMENTS_MODERATION="none")
    def test_no_moderation(self, client, post, comment_data):
        client.post(URL, comment_data())
        assert Comment.objects.get().status == CommentStatus.APPROVED

    @override_settings(SAMIZDAT_COMMENTS_MODERATION="all")
    def test_every_comment_waits(self, client, post, comment_data, make_comment):
        make_comment(post, author_name="Guest Reader", author_email="guest@example.org")
        client.post(URL, comment_data(body="Again."))
        assert Comment.objects.get(body="Again.").status == CommentStatus.PENDING

    def test_previously_approved_needs_same_name_and_email(
        self, client, post, comment_data, make_comment
    ):
        make_comment(post, author_name="Someone Else", author_email="guest@example.org")
        client.post(URL, comment_data(body="Impersonation?"))
        assert Comment.objects.get(body="Impersonation?").status == CommentStatus.PENDING

    def test_staff_comment_is_approved(self, client, post, comment_data, staff):
        client.force_login(staff)
        client.post(URL, comment_data())
        comment = Comment.objects.get()
        assert comment.status == CommentStatus.APPROVED and comment.user == staff


@pytest.mark.django_db
class TestClientAddress:
    def test_remote_addr_by_default(self, client, post, comment_data):
        client.post(URL, comment_data(), HTTP_X_FORWARDED_FOR="203.0.113.9")
        assert Comment.objects.get().ip_address == "127.0.0.1"

    def test_behind_one_trusted_proxy(self, client, post, comment_data, settings):
        settings.SAMIZDAT_PROXY_HOPS = 1
        client.post(URL, comment_data(), HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9")
        # The proxy appended the real client; what the client wrote before is ignored.
        assert Comment.objects.get().ip_address == "203.0.113.9"

    def test_forged_header_is_not_an_address(self, client, post, comment_data, settings):
        settings.SAMIZDAT_PROXY_HOPS = 1
        client.post(URL, comment_data(), HTTP_X_FORWARDED_FOR="not-an-ip")
        assert Comment.objects.get().ip_address == "127.0.0.1"


@pytest.mark.django_db
class TestCommentsOnPages:
    """WordPress lets pages have comments; so does samizdat, when the page allows them."""

    @pytest.fixture
    def page(self, db):
        from samizdat.publishing.models import Page

        return Page.objects.create(title="Guestbook", comments_open=True)

    def test_page_comment(self, client, page, settings):
        settings.SAMIZDAT_COMMENTS_MODERATION = "none"
        html = client.get(page.get_absolute_url()).content.decode()
        assert "Leave a Reply" in html and f'name="page_id" value="{page.pk}"' in html
        response = client.post(
            URL,
            {
                "page_id": page.pk,
                "body": "Hello page.",
                "author_name": "Ann",
                "author_email": "ann@example.org",
            },
        )
        comment = Comment.objects.get()
        assert comment.page == page and comment.post is None
        assert response["Location"] == f"{page.get_absolute_url()}#comment-{comment.pk}"
        page.refresh_from_db()
        assert page.comment_count == 1
        assert "One comment" in client.get(page.get_absolute_url()).content.decode()

    def test_closed_page(self, client, page):
        page.comments_open = False
        page.save()
        assert "Leave a Reply" not in client.get(page.get_absolute_url()).content.decode()
        response = client.post(
            URL,
            {
                "page_id": page.pk,
                "body": "Kept words",
                "author_name": "Ann",
                "author_email": "ann@example.org",
            },
        )
        assert_kept(response, "Sorry, comments are closed for this item.", "Kept words")

    def test_unpublished_page_is_404(self, client, page):
        page.published = False
        page.save()
        response = client.post(
            URL,
            {
                "page_id": page.pk,
                "body": "x",
                "author_name": "Ann",
                "author_email": "ann@example.org",
            },
        )
        assert response.status_code == 404

    def test_comment_pages_of_a_page(self, client, page, make_comment, settings):
        settings.SAMIZDAT_COMMENTS_PER_PAGE = 2
        from samizdat.discussion.models import Comment as C

        comments = [
            C.objects.create(page=page, author_name=f"R{i}", body=f"c{i}", status="approved")
            for i in range(3)
        ]
        second = client.get(f"{page.get_absolute_url()}comment-page-2/")
        assert second.status_code == 200
        assert f'id="comment-{comments[2].pk}"' in second.content.decode()
        assert client.get(f"{page.get_absolute_url()}comment-page-3/").status_code == 404
