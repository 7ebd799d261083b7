"""The comments desk in a real browser, as staff; readers see every change at once."""

import re

import pytest
from playwright.sync_api import expect

from samizdat.core.demo import ESSAY_SLUG, create_demo_site, demo_admin_login
from samizdat.discussion.models import Comment
from samizdat.publishing.models import Post
from tests.browser.test_accessibility import problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    create_demo_site()
    essay = Post.objects.get(slug=ESSAY_SLUG)
    return live_server.url, live_server.url + essay.get_absolute_url()


def log_in(browser, base, width=1280, javascript=True, height=900):
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=javascript
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    username, password = demo_admin_login()
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("Comments")
    return context, page


def reader_view(new_page, essay_url):
    """An anonymous reader's very next request."""
    page = new_page()
    page.goto(essay_url)
    return page


@pytest.fixture
def staff(browser, site):
    context, page = log_in(browser, site[0])
    yield page
    context.close()


def test_approve_with_the_keyboard(staff, site, new_page):
    base, essay = site
    pending = Comment.objects.get(author_name="New Reader")
    staff.goto(base + "/admin/desk/?status=pending")
    expect(staff.locator('[data-count="pending"]').first).to_have_text("(1)")
    staff.keyboard.press("j")
    row = staff.locator(f"#desk-comment-{pending.pk}")
    expect(row).to_have_class(re.compile(r"\bis-current\b"))
    staff.keyboard.press("a")
    expect(staff.locator(f"#desk-comment-{pending.pk}")).to_have_attribute(
        "data-status", "approved"
    )
    expect(staff.locator('[data-count="pending"]').first).to_have_text("(0)")
    expect(staff.locator("[data-pending-badge]")).to_be_hidden()
    reader = reader_view(new_page, essay)
    expect(reader.locator("#comments-title")).to_have_text("6 comments")
    expect(reader.locator(f"#comment-{pending.pk}")).to_be_visible()


def test_spam_then_undo(staff, site, new_page):
    base, essay = site
    leo = Comment.objects.get(author_name="Leo")
    staff.goto(base + "/admin/desk/")
    staff.locator(f"#desk-comment-{leo.pk}").get_by_role("button", name="Spam").click()
    expect(staff.locator(f"#desk-comment-{leo.pk}")).to_have_attribute("data-status", "spam")
    expect(staff.locator("#desk-notice")).to_contain_text("1 comment marked as spam.")
    reader = reader_view(new_page, essay)
    expect(reader.locator("#comments-title")).to_have_text("4 comments")
    expect(reader.locator(f"#comment-{leo.pk}")).to_have_count(0)

    staff.locator("#desk-notice").get_by_role("button", name="Undo").click()
    expect(staff.locator(f"#desk-comment-{leo.pk}")).to_have_attribute("data-status", "approved")
    reader = reader_view(new_page, essay)
    expect(reader.locator("#comments-title")).to_have_text("5 comments")
    expect(reader.locator(f"#comment-{leo.pk}")).to_be_visible()


def test_undo_with_z(staff, site, new_page):
    base, essay = site
    leo = Comment.objects.get(author_name="Leo")
    staff.goto(base + "/admin/desk/")
    staff.locator(f"#desk-comment-{leo.pk}").click()
    staff.keyboard.press("d")
    expect(staff.locator(f"#desk-comment-{leo.pk}")).to_have_attribute("data-status", "trash")
    staff.keyboard.press("z")
    expect(staff.locator(f"#desk-comment-{leo.pk}")).to_have_attribute("data-status", "approved")
    expect(reader_view(new_page, essay).locator("#comments-title")).to_have_text("5 comments")


def test_reply_inline(staff, site, new_page):
    base, essay = site
    leo = Comment.objects.get(author_name="Leo")
    staff.goto(base + "/admin/desk/?status=approved")
    staff.locator(f"#desk-comment-{leo.pk}").click()
    staff.keyboard.press("r")
    box = staff.locator(f"#desk-reply-{leo.pk}")
    expect(box).to_be_focused()
    box.fill("Yes: read it beside the archival work.")
    staff.locator(f"#desk-comment-{leo.pk}").get_by_role("button", name="Reply", exact=True).click()
    expect(staff.locator("#desk-notice")).to_contain_text("Reply posted.")
    reply = Comment.objects.get(body="Yes: read it beside the archival work.")
    expect(staff.locator(f"#desk-comment-{reply.pk}")).to_be_visible()
    reader = reader_view(new_page, essay)
    expect(reader.locator("#comments-title")).to_have_text("6 comments")
    expect(reader.locator(f"#comment-{leo.pk} #comment-{reply.pk}")).to_contain_text(
        "read it beside the archival work"
    )


def test_bulk_trash_three(staff, site, new_page):
    base, essay = site
    staff.goto(base + "/admin/desk/?status=approved")
    for _ in range(3):
        staff.keyboard.press("j")
        staff.keyboard.press("x")
    expect(staff.locator(".desk-select:checked")).to_have_count(3)
    staff.select_option("#bulk-action", "trash")
    staff.get_by_role("button", name="Apply").click()
    expect(staff.locator("#desk-notice")).to_contain_text("3 comments moved to the Trash.")
    expect(staff.locator('.desk-row[data-status="trash"]')).to_have_count(3)
    expect(staff.locator('[data-count="trash"]').first).to_have_text("(3)")
    reader = reader_view(new_page, essay)
    expect(reader.locator("#comments-title")).to_have_text(
        re.compile(r"^(One comment|2 comments)$")
    )
    assert Comment.objects.filter(status="trash").count() == 3


def test_act_from_the_readers_page(staff, site, new_page):
    _base, essay = site
    pending = Comment.objects.get(author_name="New Reader")
    staff.goto(essay)
    item = staff.locator(f"#comment-{pending.pk}")
    expect(item.locator(".comment-awaiting-moderation")).to_have_text("Awaiting moderation.")
    item.get_by_role("button", name="Approve").click()
    expect(staff.locator(f"#comment-{pending.pk} .comment-awaiting-moderation")).to_have_count(0)
    reader = reader_view(new_page, essay)
    expect(reader.locator("#comments-title")).to_have_text("6 comments")
    expect(reader.locator(f"#comment-{pending.pk}")).to_be_visible()
    expect(reader.locator(".staff-actions")).to_have_count(0)


@pytest.mark.parametrize("action, status, title", [
    ("Approve", "approved", "6 comments"),
    ("Spam", "spam", "5 comments"),
])  # fmt: skip
def test_without_javascript(browser, site, new_page, action, status, title):
    base, essay = site
    pending = Comment.objects.get(author_name="New Reader")
    context, page = log_in(browser, base, javascript=False)
    try:
        page.goto(base + "/admin/desk/?status=pending")
        page.locator(f"#desk-comment-{pending.pk}").get_by_role("button", name=action).click()
        expect(page.locator("#desk-notice")).to_be_visible()
        expect(page.locator("#desk-notice").get_by_role("button", name="Undo")).to_be_visible()
        pending.refresh_from_db()
        assert pending.status == status
        expect(reader_view(new_page, essay).locator("#comments-title")).to_have_text(title)
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_desk_passes_axe(browser, site, width):
    base, _essay = site
    # Tall: axe cannot judge the contrast of text the viewport cuts in two.
    context, page = log_in(browser, base, width=width, height=3000)
    try:
        report = {}
        for path in ("/admin/desk/", "/admin/desk/?status=pending", "/admin/desk/?status=spam"):
            page.goto(base + path)
            if found := problems(page):
                report[path] = found
        page.goto(base + "/admin/desk/")
        page.locator(".desk-row").first.locator("summary", has_text="Quick Edit").click()
        if found := problems(page):
            report["quick edit open"] = found
        if width == 390:
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert not report, report
    finally:
        context.close()
