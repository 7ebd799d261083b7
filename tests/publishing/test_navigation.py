"""Previous/next links under a post, the author archive, and untitled posts."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from lxml import etree
from lxml import html as lxml_html

from samizdat.interchange.importers import import_wxr
from samizdat.publishing.models import Post, PostStatus
from tests.corpora import corpus_file

WP = "http://wordpress.org/export/1.2/"


def tree(response):
    return lxml_html.fromstring(response.content)


@pytest.mark.django_db
class TestPreviousNext:
    def test_links_to_the_neighbouring_live_posts(self, client, make_post):
        now = timezone.now()
        older = make_post("Older", published_at=now - timedelta(days=3))
        middle = make_post("Middle", published_at=now - timedelta(days=2))
        make_post("Draft between", published_at=now - timedelta(days=1, hours=12),
                  status=PostStatus.DRAFT)  # fmt: skip
        newer = make_post("Newer", published_at=now - timedelta(days=1))
        page = tree(client.get(middle.get_absolute_url()))
        previous = page.xpath("//nav[@class='post-navigation']/a[@rel='prev']")[0]
        following = page.xpath("//nav[@class='post-navigation']/a[@rel='next']")[0]
        assert previous.get("href") == older.get_absolute_url()
        assert "Older" in previous.text_content()
        assert following.get("href") == newer.get_absolute_url()
        first = tree(client.get(older.get_absolute_url()))
        assert not first.xpath("//nav[@class='post-navigation']/a[@rel='prev']")


@pytest.mark.django_db
class TestAuthorArchive:
    def test_byline_links_to_the_authors_posts(self, client, make_post, make_user):
        ada = make_user("ada", first_name="Ada", last_name="Lovelace")
        mine = make_post("By Ada", author=ada)
        make_post("By nobody")
        byline = tree(client.get(mine.get_absolute_url())).xpath("//a[@rel='author']")[0]
        assert byline.get("href") == "/author/ada/"
        assert byline.text == "Ada Lovelace"
        archive = client.get("/author/ada/")
        assert archive.status_code == 200
        page = tree(archive)
        assert page.xpath("//h1")[0].text == "Author: Ada Lovelace"
        titles = [a.text for a in page.xpath("//h2[@class='entry-title']/a")]
        assert titles == ["By Ada"]

    def test_unknown_author_is_404(self, client, db):
        assert client.get("/author/nobody-here/").status_code == 404


@pytest.mark.django_db
class TestUntitled:
    def test_imported_empty_title_stays_empty_in_export(self, tmp_path):
        import_wxr(corpus_file("wxr/wpimporter_theme-unit-test-data.xml"))
        untitled = Post.objects.get(slug="edge-case-no-title")
        assert untitled.title == ""
        exported = tmp_path / "export.xml"
        call_command("export_wxr", "-o", str(exported), stderr=io.StringIO())
        root = etree.parse(str(exported)).getroot()
        for item in root.iter("item"):
            assert "untitled" not in (item.findtext("title") or "")
        item = next(
            i for i in root.iter("item") if i.findtext(f"{{{WP}}}post_name") == "edge-case-no-title"
        )
        assert item.findtext("title") in ("", None)

    def test_placeholder_only_on_screen(self, client, make_post):
        post = make_post(slug="no-title-here")
        Post.objects.filter(pk=post.pk).update(title="")
        post.refresh_from_db()
        assert post.title == ""
        assert str(post) == "(no title)"
        page = tree(client.get(post.get_absolute_url()))
        assert page.findtext(".//title").startswith("(no title)")
        listing = tree(client.get("/"))
        links = [a.text for a in listing.xpath("//h2[@class='entry-title']/a")]
        assert "(no title)" in links


@pytest.mark.django_db
def test_home_page_has_one_h1(client, make_post):
    make_post("Something")
    page = tree(client.get("/"))
    assert len(page.xpath("//h1")) == 1
