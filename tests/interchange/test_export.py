"""Exports: WXR 1.2 that imports again with nothing lost, and documented JSON."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from lxml import etree

from samizdat.core.markup import plain_text
from samizdat.discussion.models import Comment
from samizdat.interchange.importers import import_wxr
from samizdat.interchange.models import ImportedObject, LegacyURL
from samizdat.publishing.models import Category, Page, Post, Source, Tag
from tests.corpora import corpus_file

ROUND_TRIP = [
    "wpimporter_theme-unit-test-data.xml",
    "wpimporter_small-export.xml",
    "isso_wordpress.xml",
    "wpimporter_wxr-utf-8-challenges.xml",
]


def snapshot() -> dict:
    """Everything a round trip must keep, independent of database ids."""

    def thread(comment):
        return (
            (comment.parent.author_name, plain_text(comment.parent.body_html)[:80])
            if comment.parent
            else None
        )

    return {
        "posts": sorted(
            (
                p.title,
                p.slug,
                p.status,
                p.published_at.replace(microsecond=0),
                p.password,
                p.comments_open,
                plain_text(p.body_html),
                sorted(c.slug for c in p.categories.all()),
                sorted(t.slug for t in p.tags.all()),
            )
            for p in Post.objects.all()
        ),
        "pages": sorted(
            (p.title, p.path, p.published, plain_text(p.body_html)) for p in Page.objects.all()
        ),
        "comments": sorted(
            (
                c.entry.slug,
                c.author_name,
                c.author_email,
                c.status,
                c.kind,
                c.depth,
                c.created_at.replace(microsecond=0),
                plain_text(c.body_html),
                thread(c),
            )
            for c in Comment.objects.select_related("post", "page", "parent")
        ),
    }


def empty_database():
    Page.objects.update(parent=None)
    for model in (Comment, Source, Post, Page, Category, Tag, ImportedObject, LegacyURL):
        model.objects.all().delete()
    get_user_model().objects.all().delete()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ROUND_TRIP)
def test_wxr_round_trip_is_lossless(name, tmp_path):
    import_wxr(corpus_file(f"wxr/{name}"))
    before = snapshot()
    exported = tmp_path / "export.xml"
    call_command("export_wxr", "-o", str(exported), stderr=io.StringIO())
    empty_database()
    report = import_wxr(exported)
    assert report.count("post", "created") == len(before["posts"])
    after = snapshot()
    assert after["posts"] == before["posts"]
    assert after["pages"] == before["pages"]
    assert after["comments"] == before["comments"]


@pytest.mark.django_db
def test_markdown_posts_export_as_html(make_post, tmp_path):
    post = make_post("Native", body="Some *emphasis* and a [link](https://example.org).")
    exported = tmp_path / "export.xml"
    call_command("export_wxr", "-o", str(exported), stderr=io.StringIO())
    tree = etree.parse(str(exported))
    content = tree.find(".//{http://purl.org/rss/1.0/modules/content/}encoded").text
    assert "<em>emphasis</em>" in content
    assert tree.find(".//{http://wordpress.org/export/1.2/}wxr_version").text == "1.2"
    empty_database()
    import_wxr(exported)
    again = Post.objects.get()
    assert plain_text(again.body_html) == plain_text(post.body_html)


@pytest.mark.django_db
def test_json_export_follows_the_documented_schema(make_post, make_comment, tmp_path):
    post = make_post("With comments")
    Source.objects.create(post=post, title="A book", authors="An Author", year="1999")
    top = make_comment(post, body="Top")
    make_comment(post, parent=top, body="Reply")
    out = tmp_path / "export.json"
    call_command("export_json", "-o", str(out), stderr=io.StringIO())
    data = json.loads(out.read_text())
    assert data["format"] == "samizdat-export" and data["version"] == 1
    assert set(data) == {
        "format",
        "version",
        "site",
        "authors",
        "categories",
        "tags",
        "posts",
        "pages",
    }
    exported = data["posts"][0]
    assert exported["sources"][0]["title"] == "A book"
    comments = {c["body"]: c for c in exported["comments"]}
    assert comments["Reply"]["parent"] == comments["Top"]["id"]
    documented = (corpus_root_docs() / "export-json.md").read_text()
    for key in ("published_at", "body_format", "comments", "identity", "sources", "status"):
        assert f"`{key}`" in documented


def corpus_root_docs():
    from pathlib import Path

    return Path(__file__).resolve().parents[2] / "docs"


WP = "http://wordpress.org/export/1.2/"


@pytest.mark.django_db
def test_wxr_export_has_what_wordpress_importer_reads(tmp_path):
    """The fields and forms WordPress's importer (its SimpleXML, XML and regex parsers) needs.

    Its XML parser matches prefixed names literally ("wp:post_id"), so the prefixes must be
    WordPress's own; its regex parser reads <item> and </item> from lines of their own.
    """
    import_wxr(corpus_file("wxr/wpimporter_theme-unit-test-data.xml"))
    exported = tmp_path / "export.xml"
    call_command("export_wxr", "-o", str(exported), stderr=io.StringIO())
    root = etree.parse(str(exported)).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert {"wp", "content", "excerpt", "dc"} <= set(root.nsmap)
    assert root.nsmap["wp"] == WP
    assert root.nsmap["excerpt"] == "http://wordpress.org/export/1.2/excerpt/"
    assert root.nsmap["content"] == "http://purl.org/rss/1.0/modules/content/"
    assert root.nsmap["dc"] == "http://purl.org/dc/elements/1.1/"
    ns = {"wp": WP}
    assert root.xpath("/rss/channel/wp:wxr_version/text()", namespaces=ns) == ["1.2"]
    assert root.xpath("/rss/channel/wp:base_site_url/text()", namespaces=ns)[0].startswith("http")
    items = root.xpath("/rss/channel/item")
    media = {m["url"] for model in (Post, Page) for e in model.objects.all() for m in e.attachments}
    assert len(items) == Post.objects.count() + Page.objects.count() + len(media)
    needed = ["post_id", "post_date", "post_date_gmt", "comment_status", "post_name", "status",
              "post_parent", "menu_order", "post_type", "post_password"]  # fmt: skip
    for item in items:
        for name in ("title", "link", "guid", "{http://purl.org/dc/elements/1.1/}creator",
                     "{http://purl.org/rss/1.0/modules/content/}encoded",
                     "{http://wordpress.org/export/1.2/excerpt/}encoded"):  # fmt: skip
            assert item.find(name) is not None, name
        for name in needed:
            assert item.find(f"{{{WP}}}{name}") is not None, name
        assert int(item.findtext(f"{{{WP}}}post_id")) > 0
        for category in item.findall("category"):
            assert category.get("domain") in ("category", "post_tag")
            assert category.get("nicename")
        for comment in item.findall(f"{{{WP}}}comment"):
            assert int(comment.findtext(f"{{{WP}}}comment_id")) > 0
            assert comment.findtext(f"{{{WP}}}comment_approved") in ("1", "0", "spam", "trash")
            assert comment.findtext(f"{{{WP}}}comment_type") in ("comment", "pingback",
                                                                   "trackback", "")  # fmt: skip
            assert comment.find(f"{{{WP}}}comment_date_gmt") is not None
    post_ids = [int(i.findtext(f"{{{WP}}}post_id")) for i in items]
    assert len(post_ids) == len(set(post_ids))
    lines = exported.read_text().splitlines()
    assert sum(line.strip() == "<item>" for line in lines) == len(items)
    assert sum(line.strip() == "</item>" for line in lines) == len(items)
    assert any(line.strip() == "<wp:wxr_version>1.2</wp:wxr_version>" for line in lines)
    assert exported.read_text().count("xmlns:wp=") == 1  # declared once, on <rss>
