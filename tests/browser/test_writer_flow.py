"""Issue 13's whole flow as the writer, then as a reader, in Debian's Chromium."""

import base64
import io
import json
import re

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from samizdat.core.demo import create_demo_site
from samizdat.publishing.models import Post, PostStatus
from tests.browser.test_desk import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIBTEX = """@book{carr1950,
  author = {Carr, E. H.},
  title = {The Bolshevik Revolution 1917-1923, Volume One},
  publisher = {Macmillan},
  address = {London},
  year = {1950}
}"""


def gps_photo() -> str:
    image = Image.effect_noise((1700, 1100), 50).convert("RGB")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (59.0, 56.0, 0.0), 3: "E", 4: (30.0, 18.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return base64.b64encode(out.getvalue()).decode()


def paste_image(textarea, encoded: str) -> None:
    textarea.evaluate(
        """(el, data) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "smolny.jpg", { type: "image/jpeg" }));
            el.focus();
            el.selectionStart = el.selectionEnd = el.value.length;
            el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer,
                                                           bubbles: true, cancelable: true }));
        }""",
        encoded,
    )


def test_write_cite_illustrate_schedule_restore_publish_and_read(live_server, browser):
    create_demo_site()
    base = live_server.url
    context, page = log_in(browser, base, height=2400)
    try:
        page.on("dialog", lambda dialog: dialog.accept("The Smolny Institute"))
        page.goto(base + "/admin/desk/write/")
        page.get_by_label("Title").fill("Land and peace")
        body = page.get_by_label("Text (Markdown)")
        # A source from pasted BibTeX, cited by key in a footnote.
        page.get_by_label("Paste BibTeX or RIS").fill(BIBTEX)
        page.get_by_role("button", name="Add from BibTeX or RIS").click()
        expect(page.locator("[name='sources-0-key']")).to_have_value("carr1950")
        body.fill(
            "The decree on land came first.[^1]\n\n"
            "[^1]: As Carr shows [@carr1950, pp. 129-135].\n\n"
        )
        # An image with a GPS position, pasted into the text.
        paste_image(body, gps_photo())
        expect(body).to_have_value(re.compile(r"!\[The Smolny Institute\]\(/media/"))
        # The preview shows the citation in Chicago style, and the image.
        preview = page.locator("#preview")
        expect(preview.locator("a.citation")).to_have_text("(Carr 1950, 129\u2013135)")
        expect(preview.locator("img")).to_have_attribute("alt", "The Smolny Institute")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Saved.")).to_be_visible()
        post = Post.objects.get(title="Land and peace")
        first_body = post.body

        # A second version, then the first restored from the revisions.
        page.get_by_label("Text (Markdown)").fill(first_body + "\nA sentence to take back.\n")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Saved.")).to_be_visible()
        page.get_by_role("link", name="Revisions").click()
        expect(page.locator(".diff-table")).to_contain_text("take back")
        page.get_by_role("button", name="Restore this revision").last.click()
        expect(page.get_by_label("Text (Markdown)")).not_to_have_value(re.compile("take back"))

        # Scheduled: a time in the future with Published.
        later = timezone.localtime() + timezone.timedelta(days=1)
        page.get_by_label("Status").select_option("published")
        page.get_by_label("Publication time").fill(later.strftime("%Y-%m-%dT%H:%M"))
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Saved.")).to_be_visible()
        post.refresh_from_db()
        assert post.status == PostStatus.SCHEDULED and not post.is_live
        expect(page.get_by_label(re.compile("^Preview link"))).to_have_value(
            re.compile(r"/preview/")
        )
        # Published now.
        page.get_by_label("Publication time").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Saved.")).to_be_visible()
    finally:
        context.close()

    post = Post.objects.get(title="Land and peace")
    assert post.is_live and "take back" not in post.body
    reader = browser.new_page()
    try:
        reader.goto(base + post.get_absolute_url())
        image = reader.locator(".entry-content img")
        expect(image).to_have_attribute("width", "1700")
        expect(image).to_have_attribute("height", "1100")
        assert "640w" in image.get_attribute("srcset")
        with default_storage.open(image.get_attribute("src").removeprefix("/media/")) as stored:
            assert 0x8825 not in Image.open(stored).getexif()
        served = reader.request.get(base + image.get_attribute("src"))
        assert served.status == 200 and served.headers["content-type"] == "image/jpeg"
        citation = reader.locator("a.citation")
        expect(citation).to_have_text("(Carr 1950, 129\u2013135)")
        target = citation.get_attribute("href")
        expect(reader.locator(target)).to_contain_text(
            "Carr, E. H. 1950. The Bolshevik Revolution 1917-1923, Volume One. Macmillan."
        )
        download = reader.request.get(base + post.get_absolute_url() + "sources.json")
        (item,) = json.loads(download.body())
        assert item["id"] == "carr1950" and item["publisher"] == "Macmillan"
    finally:
        reader.close()
