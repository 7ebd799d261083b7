"""The writer's desk in a real browser: live preview, autosave, phone width, axe."""

import pytest
from playwright.sync_api import expect

from samizdat.core.demo import create_demo_site
from samizdat.publishing.models import Post, Revision
from tests.browser.test_accessibility import problems
from tests.browser.test_desk import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def base(live_server):
    create_demo_site()
    return live_server.url


def test_preview_follows_typing_and_autosave_keeps_it(base, browser):
    context, page = log_in(browser, base, height=2000)
    try:
        page.goto(base + "/admin/desk/write/")
        page.get_by_label("Title").fill("A new essay")
        body = page.get_by_label("Text (Markdown)")
        body.fill("Carr writes *plainly*.[^1]\n\n[^1]: Carr, 1950, pp. 129-135.\n")
        preview = page.locator("#preview")
        expect(preview.locator("em")).to_have_text("plainly")
        expect(preview.locator(".footnotes")).to_contain_text("pp. 129-135")
        expect(page.locator("#preview-title")).to_have_text("A new essay")
        expect(page.locator("#word-count")).not_to_have_text("0")
        # Autosave within 10 s makes it a draft, and the address follows.
        expect(page.locator("#autosave-status")).to_contain_text("Autosaved at", timeout=15_000)
        post = Post.objects.get(title="A new essay")
        assert page.url.endswith(f"/admin/desk/write/{post.pk}/")
        assert Revision.objects.get(post=post, kind="autosave").body.startswith("Carr writes")
        assert not problems(page), problems(page)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Saved.")).to_be_visible()
        assert Post.objects.get(pk=post.pk).body.startswith("Carr writes *plainly*")
    finally:
        context.close()


def test_it_works_on_a_phone(base, browser):
    context, page = log_in(browser, base, width=390, height=844)
    try:
        page.goto(base + "/admin/desk/write/")
        page.get_by_label("Text (Markdown)").fill("Written on a phone.")
        expect(page.locator("#preview")).to_contain_text("Written on a phone.")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
        text = page.get_by_label("Text (Markdown)").bounding_box()
        preview = page.locator("#preview").bounding_box()
        assert preview["y"] > text["y"], "stacked: the preview below the text"
        # Leaving the page autosaves (a beacon): let it land before the database goes.
        page.goto("about:blank")
        for _ in range(50):
            if Revision.objects.filter(kind="autosave").exists():
                break
            page.wait_for_timeout(100)
        assert Revision.objects.get(kind="autosave").body == "Written on a phone."
    finally:
        context.close()


def test_text_typed_after_the_session_expired_comes_back_after_logging_in(base, browser):
    from samizdat.core.demo import demo_admin_login

    context, page = log_in(browser, base, height=2000)
    try:
        page.goto(base + "/admin/desk/write/")
        page.get_by_label("Title").fill("Before the session ended")
        page.get_by_label("Text (Markdown)").fill("Words the server never got.")
        context.clear_cookies(name="sessionid")  # the session expired (the CSRF cookie lasts)
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#id_username")).to_be_visible()  # asked to log in again
        username, password = demo_admin_login()
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.get_by_role("button", name="Restore the text kept in this browser").click()
        expect(page.get_by_label("Text (Markdown)")).to_have_value("Words the server never got.")
        expect(page.get_by_label("Title")).to_have_value("Before the session ended")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Saved.")).to_be_visible()
        assert Post.objects.get(title="Before the session ended").body == (
            "Words the server never got."
        )
        page.reload()
        expect(
            page.get_by_role("button", name="Restore the text kept in this browser")
        ).to_have_count(0)
    finally:
        context.close()
