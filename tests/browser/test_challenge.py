"""ALTCHA's widget in a real browser: it answers the site's challenge, asking no one else."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from samizdat.core.demo import ESSAY_SLUG, create_demo_site
from samizdat.discussion.models import Comment
from samizdat.publishing.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def essay_url(live_server, settings):
    settings.SAMIZDAT_COMMENTS_CHALLENGE = "on"
    settings.SAMIZDAT_COMMENTS_CHALLENGE_WORK = 300
    settings.SAMIZDAT_COMMENTS_MIN_SECONDS = 0
    create_demo_site()
    return live_server.url + Post.objects.get(slug=ESSAY_SLUG).get_absolute_url()


def test_the_widget_answers_and_the_comment_passes(essay_url, new_page):
    page = new_page()
    hosts = set()
    # Every request that leaves the browser (its workers start from blob: URLs).
    page.on(
        "request",
        lambda request: (
            urlsplit(request.url).scheme in ("http", "https", "ws", "wss")
            and hosts.add(urlsplit(request.url).hostname)
        ),
    )
    page.goto(essay_url)
    page.get_by_role("textbox", name="Comment").click()  # starts the work
    page.get_by_role("textbox", name="Comment").fill("Worked out by my browser.")
    page.get_by_role("textbox", name="Name").fill("Anna Petrova")
    page.get_by_role("textbox", name="Email").fill("anna@example.org")
    answer = page.locator("input[name=altcha]")
    expect(answer).not_to_have_value("", timeout=30_000)
    page.get_by_role("button", name="Post Comment").click()
    comment = Comment.objects.get(body="Worked out by my browser.")
    expect(page).to_have_url(re.compile(rf"#comment-{comment.pk}$"))
    assert comment.moderation_reasons == []
    assert hosts == {urlsplit(essay_url).hostname}, hosts


def test_without_javascript_the_comment_waits_for_a_moderator(essay_url, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(essay_url)
        note = page.locator(".comment-form-challenge noscript p")
        expect(note).to_be_visible()
        expect(note).to_contain_text("Without JavaScript, your comment waits for a moderator")
        page.get_by_role("textbox", name="Comment").fill("No scripts here.")
        page.get_by_role("textbox", name="Name").fill("No Script")
        page.get_by_role("textbox", name="Email").fill("noscript@example.org")
        page.get_by_role("button", name="Post Comment").click()
        comment = Comment.objects.get(body="No scripts here.")
        expect(page).to_have_url(re.compile(rf"#comment-{comment.pk}$"))
        assert comment.status == "pending"
        assert comment.moderation_reasons == ["held: no proof of work (the challenge is on)"]
    finally:
        context.close()
