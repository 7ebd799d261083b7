"""Per-entry invalidation: a comment on post A leaves post B's kept page valid; the comment
markup kept in each worker (fragments) follows every change it shows."""

from __future__ import annotations

import pytest
from django.test import Client

from samizdat.desk.services import perform
from samizdat.discussion.models import CommentStatus
from samizdat.pagecache.store import store


@pytest.fixture
def two_posts(make_post, make_comment):
    first = make_post("Post A", body="About A.")
    second = make_post("Post B", body="About B.")
    make_comment(first, body="On A.")
    make_comment(second, body="On B.")
    return first, second


def test_a_comment_on_one_post_leaves_the_other_kept(
    cached, two_posts, make_comment, django_capture_on_commit_callbacks
):
    first, second = two_posts
    urls = [first.get_absolute_url(), second.get_absolute_url(), "/", "/comments/feed/"]
    for url in urls:
        cached.get(url)
        assert cached.get(url).hit, url
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(first, body="A second word on A.")
    assert cached.get(second.get_absolute_url()).hit, "B's page does not show A's comments"
    page = cached.get(first.get_absolute_url())
    assert not page.hit and "A second word on A." in page.text
    # The pages that list many posts' discussions follow it.
    home = cached.get("/")
    assert not home.hit and "2 comments" in home.text
    feed = cached.get("/comments/feed/")
    assert not feed.hit and "A second word on A." in feed.text


def test_moderation_in_bulk_reaches_only_the_posts_it_touched(
    cached, two_posts, staff, django_capture_on_commit_callbacks
):
    first, second = two_posts
    for post in (first, second):
        cached.get(post.get_absolute_url())
    comment = first.comments.get()
    with django_capture_on_commit_callbacks(execute=True):
        perform("spam", [comment.pk], staff)
    assert cached.get(second.get_absolute_url()).hit
    page = cached.get(first.get_absolute_url())
    assert not page.hit and "On A." not in page.text


def test_a_post_change_still_reaches_every_page(
    cached, two_posts, django_capture_on_commit_callbacks
):
    """B's page names A (previous/next post): a post's own change is the site's."""
    first, second = two_posts
    cached.get(second.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        first.title = "Post A, retitled"
        first.save()
    page = cached.get(second.get_absolute_url())
    assert not page.hit and "Post A, retitled" in page.text


@pytest.fixture
def rendered(settings, db):
    """Render pages with the page cache off: the comment fragments are the only cache."""
    settings.SAMIZDAT_PAGE_CACHE = False
    store.invalidate()
    client = Client()
    return lambda post: client.get(post.get_absolute_url()).content.decode()


def test_fragments_follow_an_edit(rendered, post, make_comment, django_capture_on_commit_callbacks):
    comment = make_comment(post, body="Before the edit.")
    assert "Before the edit." in rendered(post)
    assert "Before the edit." in rendered(post)  # now from the fragment cache
    with django_capture_on_commit_callbacks(execute=True):
        comment.body = "After the edit."
        comment.save()
    page = rendered(post)
    assert "After the edit." in page and "Before the edit." not in page


def test_fragments_follow_moderation(
    rendered, post, make_comment, staff, django_capture_on_commit_callbacks
):
    kept = make_comment(post, body="Stays.")
    reply = make_comment(post, parent=kept, body="Goes to spam.")
    assert "Goes to spam." in rendered(post)
    with django_capture_on_commit_callbacks(execute=True):
        perform("spam", [reply.pk], staff)
    page = rendered(post)
    assert "Goes to spam." not in page and "Stays." in page
    with django_capture_on_commit_callbacks(execute=True):
        perform("not_spam", [reply.pk], staff)
    assert "Goes to spam." in rendered(post)
    reply.refresh_from_db()
    assert reply.status == CommentStatus.APPROVED


def test_fragments_follow_author_changes(
    rendered, post, make_comment, make_user, django_capture_on_commit_callbacks
):
    comment = make_comment(post, author_name="Old Name", body="Signed.")
    assert "Old Name" in rendered(post)
    with django_capture_on_commit_callbacks(execute=True):
        comment.author_name = "New Name"
        comment.author_url = "https://new.example.org/"
        comment.save()
    page = rendered(post)
    assert "New Name" in page and "Old Name" not in page
    assert 'href="https://new.example.org/"' in page
    # A user's own change (their avatar, shown on their comments) is the site's.
    user = make_user("writer")
    with django_capture_on_commit_callbacks(execute=True):
        mine = make_comment(post, user=user, author_name="Writer", body="Mine.")
    assert "Mine." in rendered(post)
    with django_capture_on_commit_callbacks(execute=True):
        mine.author_avatar_url = "https://avatars.example.org/writer.png"
        mine.save()
        user.first_name = "Renamed"
        user.save()
    assert "https://avatars.example.org/writer.png" in rendered(post)


def test_fragments_follow_settings_changes(rendered, post, make_comment, settings):
    make_comment(post, author_email="reader@example.org", body="With an avatar.")
    assert "secure.gravatar.com" not in rendered(post)
    settings.SAMIZDAT_IDENTITY_AVATARS = "gravatar"
    assert "secure.gravatar.com" in rendered(post)


def test_a_readers_pending_comment_follows_an_edit(
    post, make_comment, django_capture_on_commit_callbacks
):
    """Their own parts come from /identity/me/, rendered as the page's comments are kept."""
    client = Client()
    client.post(
        "/comments/post/",
        {"post_id": post.pk, "body": "As typed.", "author_name": "Held Reader",
         "author_email": "held@example.org"},
    )  # fmt: skip
    comment = post.comments.get(author_name="Held Reader")
    assert comment.status == CommentStatus.PENDING

    def mine():
        return client.get("/identity/me/", {"post_id": post.pk}).json()["pending"][0]["html"]

    assert "As typed." in mine()
    with django_capture_on_commit_callbacks(execute=True):
        comment.body = "As edited by the moderator."
        comment.save()
    assert "As edited by the moderator." in mine() and "As typed." not in mine()
