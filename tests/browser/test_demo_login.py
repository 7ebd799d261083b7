"""`samizdat demo` shows the logins, and one runs end to end on this machine."""

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.core.test_commands import demo_server, server_env  # noqa: F401 -- fixtures

pytestmark = [pytest.mark.browser]

DRAFT = "Typed before logging in with the demo account."


def essay_url(base):
    home = urllib.request.urlopen(base + "/").read().decode()
    return base + re.search(r'href="(/\d{4}/\d{2}/\d{2}/i-write-it-myself/)"', home).group(1)


def test_demo_account_login_end_to_end(demo_server, new_page):  # noqa: F811
    base, _process = demo_server
    page = new_page()
    page.goto(essay_url(base))
    for name in ("Demo account", "WordPress.com", "X", "Facebook"):
        expect(page.get_by_role("button", name=f"Log in with {name}", exact=True)).to_be_visible()
    page.get_by_role("textbox", name="Comment").fill(DRAFT)
    with page.expect_popup() as opened:
        page.get_by_role("button", name="Log in with Demo account").click()
    expect(page.locator("#login-status")).to_have_text("Connecting to Demo account\u2026")
    popup = opened.value
    with popup.expect_event("close"):
        popup.get_by_role("button", name="demo", exact=True).click()

    bar = page.locator("#identity-bar")
    expect(bar).to_contain_text("You are commenting using your Demo account.")
    expect(bar.locator(".identity-name")).to_have_text("Demo Reader")
    expect(bar.get_by_role("button", name="Log Out")).to_be_visible()
    expect(bar.get_by_role("link", name="Change")).to_be_visible()
    expect(page.get_by_role("textbox", name="Comment")).to_have_value(DRAFT)

    page.get_by_role("button", name="Post Comment").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    comment_id = page.url.rsplit("-", 1)[1]
    shown = page.locator(f"#comment-{comment_id}")
    expect(shown.locator(".fn")).to_have_text("Demo Reader")
    expect(shown.locator(".comment-content")).to_have_text(DRAFT)
    expect(shown).to_contain_text("via")


def test_buttons_without_credentials_say_how_to_set_them_up(demo_server, new_page):  # noqa: F811
    base, _process = demo_server
    page = new_page()
    page.goto(essay_url(base))
    page.get_by_role("textbox", name="Comment").fill(DRAFT)
    with page.expect_popup() as opened:
        page.get_by_role("button", name="Log in with WordPress.com").click()
    # The popup tells the form and closes at once (perhaps before a wait could start).
    status = page.locator("#login-status")
    expect(status).to_contain_text("samizdat providers add wordpress_com")
    expect(status).to_contain_text("developer.wordpress.com/apps")
    expect(page.get_by_role("textbox", name="Comment")).to_have_value(DRAFT)
    for _ in range(50):
        if opened.value.is_closed():
            break
        page.wait_for_timeout(100)
    assert opened.value.is_closed()
