"""The writer's desk in a real browser: live preview, autosave, phone width, axe."""

import re

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


def test_paste_an_image_with_gps_and_readers_get_it_clean(base, browser, live_server):
    """An image pasted into the text is uploaded, alt asked, and shown with srcset."""
    import base64
    import io

    from django.core.files.storage import default_storage
    from PIL import Image

    image = Image.effect_noise((1800, 1200), 50).convert("RGB")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (59.0, 56.0, 0.0), 3: "E", 4: (30.0, 18.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    encoded = base64.b64encode(out.getvalue()).decode()

    context, page = log_in(browser, base, height=2000)
    try:
        page.on("dialog", lambda dialog: dialog.accept("The Smolny Institute"))
        page.goto(base + "/admin/desk/write/")
        page.get_by_label("Title").fill("With a photograph")
        body = page.get_by_label("Text (Markdown)")
        body.fill("Above the door:\n\n")
        body.evaluate(
            """(el, data) => {
                const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
                const file = new File([bytes], "smolny.jpg", { type: "image/jpeg" });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                el.focus();
                el.selectionStart = el.selectionEnd = el.value.length;
                el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer,
                                                               bubbles: true, cancelable: true }));
            }""",
            encoded,
        )
        expect(body).to_have_value(re.compile(r"!\[The Smolny Institute\]\(/media/"))
        expect(page.locator("#preview img")).to_have_attribute("alt", "The Smolny Institute")
        page.get_by_label("Status").select_option("published")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Saved.")).to_be_visible()
    finally:
        context.close()
    post = Post.objects.get(title="With a photograph")
    reader = browser.new_page()
    try:
        reader.goto(live_server.url + post.get_absolute_url())
        shown = reader.locator(".entry-content img")
        expect(shown).to_have_attribute("width", "1800")
        expect(shown).to_have_attribute("height", "1200")
        assert "640w" in shown.get_attribute("srcset")
        src = shown.get_attribute("src")
        with default_storage.open(src.removeprefix("/media/")) as stored:
            assert 0x8825 not in Image.open(stored).getexif()
        fetched = reader.request.get(live_server.url + src)
        assert fetched.status == 200 and fetched.headers["content-type"] == "image/jpeg"
    finally:
        reader.close()


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
