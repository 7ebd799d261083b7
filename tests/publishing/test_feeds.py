"""Feeds parse cleanly with feedparser; the sitemap lists every published post."""

import feedparser
import pytest
from django.urls import reverse

from samizdat.publishing.models import Page, PostStatus


@pytest.mark.django_db
class TestFeeds:
    @pytest.mark.parametrize("name", ["publishing:feed", "publishing:feed-atom"])
    def test_post_feeds(self, client, make_post, name):
        make_post("Public", body="Body with <em>HTML</em> & ampersands.")
        make_post("Draft", status=PostStatus.DRAFT)
        response = client.get(reverse(name))
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert [entry.title for entry in parsed.entries] == ["Public"]
        assert parsed.entries[0].link.startswith("http://testserver/")

    @pytest.mark.parametrize("suffix", ["feed/", "feed/atom/"])
    def test_post_comment_feeds(self, client, post, make_comment, suffix):
        make_comment(post, author_name="Ada", body="First!")
        make_comment(post, author_name="Hidden", status="pending")
        parsed = feedparser.parse(client.get(post.get_absolute_url() + suffix).content)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert [entry.title for entry in parsed.entries] == ["By: Ada"]
        assert "#comment-" in parsed.entries[0].link

    def test_site_comment_feed(self, client, post, make_comment):
        make_comment(post, author_name="Ada")
        parsed = feedparser.parse(client.get(reverse("publishing:comments-feed")).content)
        assert not parsed.bozo
        assert parsed.entries[0].title == "Comment on An essay by Ada"

    def test_feed_of_unknown_post_is_404(self, client, post):
        assert client.get(f"/2000/01/01/{post.slug}/feed/").status_code == 404


@pytest.mark.django_db
def test_sitemap_lists_every_published_post(client, make_post):
    live = [make_post() for _ in range(12)]
    draft = make_post(status=PostStatus.DRAFT)
    page = Page.objects.create(title="About")
    xml = client.get("/sitemap.xml").content.decode()
    for post in live:
        assert f"<loc>http://testserver{post.get_absolute_url()}</loc>" in xml
    assert draft.get_absolute_url() not in xml
    assert f"<loc>http://testserver{page.get_absolute_url()}</loc>" in xml
