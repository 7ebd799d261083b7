"""The Content-Security-Policy: on every page, and an injected inline script is blocked."""

import pytest
from playwright.sync_api import expect

from samizdat.core.demo import ESSAY_SLUG, create_demo_site
from samizdat.publishing.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inline_script_that_got_past_the_sanitizer_does_not_run(live_server, new_page):
    create_demo_site()
    essay = Post.objects.get(slug=ESSAY_SLUG)
    # As if the sanitizer had a bug: the stored HTML carries a script.
    Post.objects.filter(pk=essay.pk).update(
        body_html=essay.body_html
        + '<script>document.title = "pwned"</script><img src=x onerror="document.title=\'pwned\'">'
    )
    from samizdat.pagecache.store import invalidate

    invalidate()
    page = new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    response = page.goto(live_server.url + essay.get_absolute_url())
    policy = response.headers["content-security-policy"]
    for directive in ("script-src 'self'", "object-src 'none'", "base-uri 'none'",
                      "frame-ancestors 'none'", "form-action 'self'"):  # fmt: skip
        assert directive in policy, policy
    page.wait_for_timeout(300)
    assert page.title() != "pwned"
    assert any("Content Security Policy" in text for text in violations), violations
    # The page's own scripts still run: the comment form's counter and token are there.
    page.get_by_role("textbox", name="Comment").click()
    expect(page.locator("input[name=form_token]")).not_to_have_value("")
