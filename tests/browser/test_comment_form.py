"""The comment form in a real browser: errors at the form, no-JS posting, limits, layout."""

import re

import pytest
from playwright.sync_api import expect

from samizdat.core.demo import ESSAY_SLUG, create_demo_site
from samizdat.discussion.models import Comment, CommentStatus
from samizdat.publishing.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def essay_url(live_server):
    create_demo_site()
    return live_server.url + Post.objects.get(slug=ESSAY_SLUG).get_absolute_url()


def test_refused_comment_lands_at_the_form_with_focus_on_the_summary(essay_url, new_page):
    page = new_page()
    page.goto(essay_url)
    page.get_by_role("textbox", name="Name").fill("Someone")
    page.get_by_role("textbox", name="Comment").fill("Kept, every word.")
    page.get_by_role("button", name="Post Comment").click()
    expect(page).to_have_url(re.compile(r"#respond$"))
    summary = page.locator("#comment-form-errors")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("^Email:"))).to_have_attribute(
        "href", "#id_author_email"
    )
    # The form is on screen, not 3,000 px below the top.
    box = summary.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]
    expect(page.get_by_role("textbox", name="Comment")).to_have_value("Kept, every word.")
    summary.get_by_role("link", name=re.compile("^Email:")).click()
    expect(page.get_by_role("textbox", name="Email")).to_be_focused()


def test_without_javascript_the_first_press_posts(essay_url, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(essay_url)
        # A shared page from the page cache: no token in the form.
        assert page.locator("input[name=csrfmiddlewaretoken]").get_attribute("value") == ""
        page.get_by_role("textbox", name="Comment").fill("Posted without scripts.")
        page.get_by_role("textbox", name="Name").fill("No Script")
        page.get_by_role("textbox", name="Email").fill("noscript@example.org")
        page.get_by_role("button", name="Post Comment").click()
        comment = Comment.objects.get(body="Posted without scripts.")
        expect(page).to_have_url(re.compile(rf"#comment-{comment.pk}$"))
        assert comment.status == CommentStatus.PENDING
        assert comment.moderation_reasons == [], "no form token without scripts: not held for it"
    finally:
        context.close()


def test_counter_near_the_limit_and_nothing_cut(essay_url, new_page, settings):
    settings.SAMIZDAT_COMMENTS_MAX_LENGTH = 100
    page = new_page()
    page.goto(essay_url)
    body = page.get_by_role("textbox", name="Comment")
    counter = page.locator("#id_body_count")
    body.fill("x" * 50)
    expect(counter).to_be_hidden()
    body.fill("x" * 90)
    expect(counter).to_have_text("10 characters left.")
    body.fill("x" * 130)  # as a paste would: nothing is cut
    expect(body).to_have_value("x" * 130)
    expect(counter).to_contain_text("30 characters over the limit of 100")


def test_cancel_reply_returns_focus_to_the_reply_link(essay_url, new_page):
    page = new_page()
    page.goto(essay_url)
    reply = page.get_by_role("link", name="Reply to Leo")
    reply.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("textbox", name="Comment")).to_be_focused()
    page.locator("#cancel-comment-reply-link").focus()
    page.keyboard.press("Enter")
    expect(reply).to_be_focused()


def test_focus_ring_on_post_comment_is_visible(essay_url, new_page):
    page = new_page()
    page.goto(essay_url)
    page.get_by_role("checkbox", name="Notify me of new posts by email.").focus()
    page.keyboard.press("Tab")
    button = page.get_by_role("button", name="Post Comment")
    expect(button).to_be_focused()
    style = button.evaluate(
        "b => { const s = getComputedStyle(b);"
        " return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    assert style[0] != "none" and float(style[1].rstrip("px")) >= 2
    assert style[2] not in ("rgb(16, 16, 16)", "rgb(31, 29, 26)")


@pytest.mark.parametrize("width", [1280, 390])
def test_long_words_and_deep_replies_fit_the_screen(live_server, browser, make_post, width):
    from samizdat.discussion.models import Comment

    post = make_post("Wide", slug="wide")
    parent = None
    for depth in range(1, 6):
        parent = Comment.objects.create(
            post=post,
            parent=parent,
            author_name=f"Reader {depth}",
            author_email=f"r{depth}@example.org",
            body=("w" * 20_000)
            if depth == 1
            else f"See https://example.org/{'very-long-path-segment-' * 12}end",
            status=CommentStatus.APPROVED,
        )
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(live_server.url + post.get_absolute_url())
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width
        deepest = page.locator(".depth-5 > .comment-body .comment-content")
        box = deepest.bounding_box()
        assert box["x"] + box["width"] <= width
        # A readable column at depth 5, even on a phone.
        assert box["width"] >= (240 if width == 390 else 400)
        link = deepest.locator("a")
        expect(link).to_have_attribute("rel", re.compile(r"\bnofollow\b.*\bugc\b"))
    finally:
        context.close()


def test_footnote_markers_keep_the_line_height(essay_url, new_page):
    page = new_page()
    page.goto(essay_url)
    heights = page.evaluate(
        """() => {
          const p = document.querySelector('.entry-content p:has(sup.footnote-ref)');
          const copy = p.cloneNode(true);
          copy.querySelectorAll('sup').forEach(s => s.replaceWith('x'));
          p.after(copy);
          return [p.getBoundingClientRect().height, copy.getBoundingClientRect().height];
        }"""
    )
    assert abs(heights[0] - heights[1]) < 1, heights


def test_spam_checks_in_the_browser(essay_url, new_page):
    """The honeypot is neither seen nor read out; the form token arrives with the CSRF token."""
    page = new_page()
    page.goto(essay_url)
    expect(page.locator("#id_contact_website")).to_be_hidden()
    assert "Leave this field empty" not in page.locator("#commentform").aria_snapshot()
    token = page.locator("input[name=form_token]")
    expect(token).to_have_value("")
    page.get_by_role("textbox", name="Comment").click()
    expect(token).not_to_have_value("")
    page.get_by_role("textbox", name="Comment").fill("Typed at a person's pace.")
    page.get_by_role("textbox", name="Name").fill("Anna Petrova")
    page.get_by_role("textbox", name="Email").fill("anna@example.org")
    page.wait_for_timeout(3200)  # the least time a person takes (SAMIZDAT_COMMENTS_MIN_SECONDS)
    page.get_by_role("button", name="Post Comment").click()
    comment = Comment.objects.get(body="Typed at a person's pace.")
    expect(page).to_have_url(re.compile(rf"#comment-{comment.pk}$"))
    assert comment.status == CommentStatus.APPROVED, comment.moderation_reasons
