"""axe-core on every reader page, at desktop and phone widths: nothing serious left."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from samizdat.core.demo import ESSAY_SLUG, create_demo_site
from samizdat.publishing.models import Category, Post, Tag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = {"serious", "critical"}


def reader_pages():
    """Every kind of reader page the demo site has."""
    essay = Post.objects.get(slug=ESSAY_SLUG)
    closed = Post.objects.filter(comments_open=False).first()
    pages = {
        "home": "/",
        "essay": essay.get_absolute_url(),
        "closed post": closed.get_absolute_url(),
        "about": "/about/",
        "search": "/?s=samizdat",
        "empty search": "/?s=zzzzqqq",
        "year": f"/{essay.published_at:%Y}/",
        "author": f"/author/{essay.author.get_username()}/",
        "not found": "/no/such/page/",
        "admin login": "/admin/login/",
    }
    from samizdat.notifications import services, tokens

    subscription = services.subscribe("reader@example.org", post=essay, kind="all")
    email = "reader@example.org"
    pages.update(
        {
            "mail: manage": f"/mail/manage/{tokens.make('manage', e=email)}/",
            "mail: confirm": f"/mail/confirm/{tokens.make('confirm', e=email)}/",
            "mail: unsubscribe": services.unsubscribe_url(subscription).split("8000", 1)[1],
            "mail: data": f"/mail/data/{tokens.make('data', e=email)}/",
            "mail: start": "/mail/",
            "mail: bad link": "/mail/confirm/forged/",
        }
    )
    if category := Category.objects.first():
        pages["category"] = category.get_absolute_url()
    if tag := Tag.objects.first():
        pages["tag"] = tag.get_absolute_url()
    return pages


def problems(page) -> list[str]:
    results = Axe().run(page, options={"resultTypes": ["violations", "incomplete"]}).response
    found = []
    for kind in ("violations", "incomplete"):
        for rule in results[kind]:
            if rule.get("impact") in SERIOUS:
                targets = [node["target"] for node in rule["nodes"]][:3]
                found.append(f"{kind}: {rule['id']} ({rule['impact']}): {targets}")
    return found


@pytest.mark.parametrize("width", [1280, 390])
def test_reader_pages_pass_axe(live_server, browser, width):
    create_demo_site()
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        report = {}
        for name, path in reader_pages().items():
            page.goto(live_server.url + path)
            if found := problems(page):
                report[name] = found
        # The comment form after a refused comment: error summary and field errors.
        page.goto(live_server.url + Post.objects.get(slug=ESSAY_SLUG).get_absolute_url())
        page.get_by_role("textbox", name="Email").fill("not an address")
        page.get_by_role("button", name="Post Comment").click()
        page.locator("#comment-form-errors").wait_for()
        if found := problems(page):
            report["refused comment"] = found
        assert not report, report
    finally:
        context.close()
