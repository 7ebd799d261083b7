"""A guest replies on the demo essay in a real browser; an editor approves it."""

import re

import pytest
from playwright.sync_api import expect

from samizdat.core.demo import create_demo_site, demo_admin_login
from samizdat.discussion.models import Comment, CommentStatus
from samizdat.publishing.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guest_reply_three_deep_then_approved(live_server, new_page):
    assert create_demo_site()
    essay = Post.objects.get(slug="i-write-it-myself")
    url = live_server.url + essay.get_absolute_url()

    reader = new_page()
    reader.goto(url)
    expect(reader.locator("#comments-title")).to_have_text("5 comments")

    # Reply to Tom's reply (depth 2): the new comment sits three deep.
    tom = Comment.objects.get(post=essay, author_name="Tom Whitaker")
    assert tom.depth == 2
    reader.get_by_role("link", name="Reply to Tom Whitaker").click()
    respond = reader.locator(f"#comment-{tom.pk} > #respond")
    expect(respond).to_be_visible()
    expect(reader.locator("#cancel-comment-reply-link")).to_be_visible()
    expect(reader.locator(".reply-title-text")).to_have_text("Reply to Tom Whitaker")

    reader.get_by_role("textbox", name="Comment").fill(
        "Variants are the *history* of the text, yes."
    )
    reader.get_by_role("textbox", name="Name").fill("Guest Reader")
    reader.get_by_role("textbox", name="Email").fill("guest@example.org")
    reader.get_by_role("button", name="Post Comment").click()

    reply = Comment.objects.get(author_name="Guest Reader")
    assert reply.parent_id == tom.pk and reply.depth == 3
    assert reply.status == CommentStatus.PENDING
    expect(reader).to_have_url(re.compile(rf"#comment-{reply.pk}$"))
    mine = reader.locator(f"#comment-{tom.pk} > ol.children > #comment-{reply.pk}")
    expect(mine).to_have_class(re.compile(r"\bdepth-3\b"))
    expect(mine.locator(".comment-awaiting-moderation")).to_have_text(
        "Your comment is awaiting moderation."
    )
    expect(mine.locator(".comment-content em")).to_have_text("history")
    expect(reader.locator("#comments-title")).to_have_text("5 comments")

    # Another reader does not see it yet.
    stranger = new_page()
    stranger.goto(url)
    expect(stranger.locator(f"#comment-{reply.pk}")).to_have_count(0)

    # The editor approves it in the admin.
    username, password = demo_admin_login()
    editor = new_page()
    editor.goto(live_server.url + "/admin/login/?next=/admin/discussion/comment/")
    editor.get_by_label("Username").fill(username)
    editor.get_by_label("Password").fill(password)
    editor.get_by_role("button", name="Log in").click()
    editor.get_by_role("link", name="Pending", exact=True).click()
    editor.locator(f"input[name=_selected_action][value='{reply.pk}']").check()
    editor.locator("select[name=action]").select_option("mark_approved")
    editor.get_by_role("button", name="Go").click()
    expect(editor.locator(".messagelist")).to_contain_text("1 comment approved.")

    # Anonymous readers now see the reply and the new count.
    anonymous = new_page()
    anonymous.goto(url)
    expect(anonymous.locator("#comments-title")).to_have_text("6 comments")
    shown = anonymous.locator(f"#comment-{tom.pk} > ol.children > #comment-{reply.pk}")
    expect(shown).to_contain_text("Variants are the history of the text, yes.")
    expect(shown.locator(".comment-awaiting-moderation")).to_have_count(0)


def test_cancel_reply_puts_the_form_back(live_server, new_page):
    create_demo_site()
    essay = Post.objects.get(slug="i-write-it-myself")
    page = new_page()
    page.goto(live_server.url + essay.get_absolute_url())
    page.get_by_role("link", name="Reply to Leo").click()
    expect(page.locator("input[name=parent_id]")).not_to_have_value("")
    page.locator("#cancel-comment-reply-link").click()
    expect(page.locator("#cancel-comment-reply-link")).to_be_hidden()
    expect(page.locator("input[name=parent_id]")).to_have_value("")
    expect(page.locator(".reply-title-text")).to_have_text("Leave a Reply")
    expect(page.locator("#comments > #respond")).to_have_count(1)


def test_error_keeps_the_draft_in_the_browser(live_server, new_page):
    create_demo_site()
    essay = Post.objects.get(slug="i-write-it-myself")
    page = new_page()
    page.goto(live_server.url + essay.get_absolute_url())
    page.get_by_role("textbox", name="Comment").fill("A draft worth keeping.")
    page.get_by_role("textbox", name="Name").fill("Someone")
    page.get_by_role("button", name="Post Comment").click()
    expect(page.locator(".comment-form-author_email .field-error")).to_have_text(
        "Please enter your email address."
    )
    expect(page.get_by_role("textbox", name="Comment")).to_have_value("A draft worth keeping.")
    expect(page.get_by_role("textbox", name="Name")).to_have_value("Someone")
