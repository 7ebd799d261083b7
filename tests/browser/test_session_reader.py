"""A reader with a session is served the shared page; their own parts come from one request."""

import pytest
from playwright.sync_api import expect

from samizdat.core.demo import create_demo_site
from samizdat.discussion.models import Comment, CommentStatus
from samizdat.publishing.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pending_reply_and_remembered_name_on_the_shared_page(live_server, new_page):
    assert create_demo_site()
    essay = Post.objects.get(slug="i-write-it-myself")
    url = live_server.url + essay.get_absolute_url()
    tom = Comment.objects.get(post=essay, author_name="Tom Whitaker")

    reader = new_page()
    reader.goto(url)
    reader.get_by_role("link", name="Reply to Tom Whitaker").click()
    reader.get_by_role("textbox", name="Comment").fill("Held for the editor, in a thread.")
    reader.get_by_role("textbox", name="Name").fill("Session Reader")
    reader.get_by_role("textbox", name="Email").fill("session@example.org")
    reader.get_by_label("Save my name").check()
    reader.get_by_role("button", name="Post Comment").click()
    reply = Comment.objects.get(author_name="Session Reader")
    assert reply.status == CommentStatus.PENDING
    expect(reader.locator(f"#comment-{reply.pk}")).to_be_visible()

    # The post's own address: the page every reader is served, and their parts on it.
    requests = []
    reader.on("request", lambda request: requests.append(request.url))
    reader.goto(url)
    mine = reader.locator(f"#comment-{tom.pk} > ol.children > #comment-{reply.pk}")
    expect(mine.locator(".comment-awaiting-moderation")).to_have_text(
        "Your comment is awaiting moderation."
    )
    expect(reader.get_by_role("textbox", name="Name")).to_have_value("Session Reader")
    expect(reader.get_by_role("textbox", name="Email")).to_have_value("session@example.org")
    assert sum("/identity/me/" in address for address in requests) == 1, requests
    # The page itself was the shared one: the reply came from the small request.
    html = reader.request.get(url).text()
    assert "Held for the editor" not in html and "session@example.org" not in html

    # Another reader: neither the reply nor the name, and no request for parts.
    stranger = new_page()
    theirs = []
    stranger.on("request", lambda request: theirs.append(request.url))
    stranger.goto(url)
    expect(stranger.locator(f"#comment-{reply.pk}")).to_have_count(0)
    expect(stranger.get_by_role("textbox", name="Name")).to_have_value("")
    assert not any("/identity/me/" in address for address in theirs)
