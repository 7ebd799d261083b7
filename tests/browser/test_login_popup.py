"""Logging in to comment through a popup, in a real browser, against a real OIDC server."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from samizdat.core.demo import create_demo_site
from samizdat.discussion.models import Comment
from samizdat.publishing.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAFT = "A draft typed before logging in."


@pytest.fixture
def oidc_site(live_server):
    from oidc_provider_mock import User, run_server_in_thread

    alice = User(
        sub="alice",
        claims={"name": "Alice Liddell", "email": "alice@example.org", "email_verified": True},
    )
    with run_server_in_thread(user_claims=[alice]) as server:
        create_demo_site()
        call_command(
            "providers",
            "add",
            "openid_connect",
            "--client-id",
            "samizdat",
            "--secret",
            "browser-secret",
            "--id",
            "mockid",
            "--name",
            "Mock ID",
            "--server-url",
            f"http://127.0.0.1:{server.server_port}",
            stdout=io.StringIO(),
        )
        essay = Post.objects.get(slug="i-write-it-myself")
        yield live_server.url + essay.get_absolute_url()


def type_draft(page):
    page.get_by_role("textbox", name="Comment").fill(DRAFT)


def test_popup_login_keeps_draft_then_posts_as_identity(oidc_site, new_page, settings):
    settings.SAMIZDAT_COMMENTS_FLOOD_SECONDS = 0  # two comments from one address below
    page = new_page()
    page.goto(oidc_site)
    expect(page.get_by_text("Please log in using one of these methods")).to_be_visible()
    type_draft(page)
    with page.expect_popup() as opened:
        page.get_by_role("button", name="Log in with Mock ID").click()
    expect(page.locator("#login-status")).to_have_text("Connecting to Mock ID\u2026")
    popup = opened.value
    popup.get_by_placeholder("sub").fill("alice")
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Authorize").click()

    bar = page.locator("#identity-bar")
    expect(bar).to_be_visible()
    expect(bar).to_contain_text("You are commenting using your Mock ID account.")
    expect(bar.locator(".identity-name")).to_have_text("Alice Liddell")
    expect(bar.locator("img.identity-avatar")).to_have_attribute("src", re.compile(r".+"))
    expect(page.locator("#guest-fields")).to_be_hidden()
    expect(page.get_by_role("textbox", name="Comment")).to_have_value(DRAFT)
    assert page.url == oidc_site  # no reload, no navigation

    page.get_by_role("button", name="Post Comment").click()
    comment = Comment.objects.get(body=DRAFT)
    expect(page).to_have_url(re.compile(rf"#comment-{comment.pk}$"))
    shown = page.locator(f"#comment-{comment.pk}")
    expect(shown.locator(".fn")).to_have_text("Alice Liddell")
    expect(shown).to_contain_text("via")
    assert comment.identity_provider == "mockid" and comment.identity_uid == "alice"

    # Change shows the provider choice again; Log Out ends the login in place.
    page.locator(".identity-change").click()
    expect(page.locator("#login-choice")).to_be_visible()
    page.get_by_role("button", name="Log Out").click()
    expect(page.locator("#identity-bar")).to_be_hidden()
    expect(page.locator("#guest-fields")).to_be_visible()
    page.get_by_role("textbox", name="Comment").fill("Now as a guest.")
    page.get_by_role("textbox", name="Name").fill("Guest After")
    page.get_by_role("textbox", name="Email").fill("after@example.org")
    page.get_by_role("button", name="Post Comment").click()
    expect(page.locator(".comment-awaiting-moderation").last).to_be_visible()
    guest = Comment.objects.get(body="Now as a guest.")
    assert guest.identity_provider == "" and guest.author_name == "Guest After"


def test_blocked_popup_falls_back_to_full_page(oidc_site, new_page):
    page = new_page()
    page.add_init_script("window.open = function () { return null; };")
    page.goto(oidc_site)
    type_draft(page)
    page.get_by_role("button", name="Log in with Mock ID").click()
    page.get_by_placeholder("sub").fill("alice")
    page.get_by_role("button", name="Authorize").click()
    # Back at an address of the reader's own (never from the page cache), with the draft.
    expect(page).to_have_url(re.compile(r"/i-write-it-myself/\?draft=kept#respond$"))
    expect(page.locator("#identity-bar")).to_contain_text("Mock ID")
    expect(page.get_by_role("textbox", name="Comment")).to_have_value(DRAFT)


def test_denied_consent_in_popup(oidc_site, new_page):
    page = new_page()
    page.goto(oidc_site)
    type_draft(page)
    with page.expect_popup() as opened:
        page.get_by_role("button", name="Log in with Mock ID").click()
    popup = opened.value
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Deny").click()
    expect(page.locator("#login-status")).to_contain_text("was cancelled or not allowed")
    expect(page.locator("#identity-bar")).to_be_hidden()
    expect(page.get_by_role("textbox", name="Comment")).to_have_value(DRAFT)


def test_without_javascript_the_draft_survives(oidc_site, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(oidc_site)
        page.get_by_role("textbox", name="Comment").fill(DRAFT)
        # The page came from the page cache, without a token (scripts fetch one): the
        # browser's Origin header lets the first press through.
        assert page.locator("input[name=csrfmiddlewaretoken]").get_attribute("value") == ""
        page.get_by_role("button", name="Log in with Mock ID").click()
        page.get_by_placeholder("sub").fill("alice")
        page.get_by_role("button", name="Authorize").click()
        expect(page.get_by_role("textbox", name="Comment")).to_have_value(DRAFT)
        expect(page.locator("#identity-bar")).to_contain_text("You are commenting using your")
    finally:
        context.close()
