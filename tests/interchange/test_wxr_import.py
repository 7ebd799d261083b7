"""Importing WordPress exports: every corpus file, counted independently from its XML."""

import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from samizdat.discussion.models import Comment, CommentKind, CommentStatus
from samizdat.interchange.importers import import_wxr
from samizdat.interchange.models import ImportedObject, LegacyURL
from samizdat.publishing.models import Page, Post, PostStatus
from tests.corpora import ROOT, corpus_file

WELL_FORMED = [
    "isso_wordpress.xml",
    "wpimporter_slashes.xml",
    "wpimporter_small-export.xml",
    "wpimporter_test-serialized-comment-meta.xml",
    "wpimporter_theme-unit-test-data.xml",
    "wpimporter_valid-wxr-1.0.xml",
    "wpimporter_valid-wxr-1.1.xml",
    "wpimporter_wxr-comprehensive.xml",
    "wpimporter_wxr-utf-8-challenges.xml",
]
MALFORMED = ["wpimporter_malformed.xml", "wpimporter_crazy-cdata.xml"]
STATUS = {"1": "approved", "0": "pending", "": "pending", "spam": "spam", "trash": "trash"}


def test_every_corpus_file_is_covered():
    names = sorted(p.name for p in (ROOT / "wxr").glob("*.xml")) if ROOT.exists() else []
    if names:
        assert names == sorted(WELL_FORMED + MALFORMED)


def expected(path: Path) -> dict:
    """Count what the file holds, straight from the XML (a whole-tree parse, test-only)."""
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))

    def local(element):
        return etree.QName(element).localname

    def child(element, name):
        for c in element:
            if isinstance(c.tag, str) and local(c) == name:
                return (c.text or "").strip()
        return ""

    posts = pages = 0
    comments: Counter = Counter()
    kinds: Counter = Counter()
    replies = 0
    for item in tree.iter("item"):
        kind, status = child(item, "post_type") or "post", child(item, "status")
        if status == "auto-draft" or kind not in ("post", "page"):
            continue
        if kind == "page":
            pages += 1
        else:
            posts += 1
        for c in item:
            if isinstance(c.tag, str) and local(c) == "comment":
                comments[STATUS[child(c, "comment_approved").lower()]] += 1
                kinds[child(c, "comment_type") or "comment"] += 1
                replies += child(c, "comment_parent") not in ("", "0")
    return {
        "posts": posts,
        "pages": pages,
        "comments": comments,
        "kinds": kinds,
        "replies": replies,
    }


def imported() -> dict:
    return {
        "posts": Post.objects.count(),
        "pages": Page.objects.count(),
        "comments": Counter(Comment.objects.values_list("status", flat=True)),
        "kinds": Counter(Comment.objects.values_list("kind", flat=True)),
        "replies": Comment.objects.filter(parent__isnull=False).count(),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", WELL_FORMED)
def test_corpus_file_imports_with_exact_counts(name):
    path = corpus_file(f"wxr/{name}")
    import_wxr(path)
    assert imported() == expected(path)
    # Stored counts match the approved comments.
    for entry in [*Post.objects.all(), *Page.objects.all()]:
        assert entry.comment_count == entry.comments.filter(status=CommentStatus.APPROVED).count()


@pytest.mark.django_db
@pytest.mark.parametrize("name", WELL_FORMED)
def test_reimport_is_idempotent(name):
    path = corpus_file(f"wxr/{name}")
    import_wxr(path)
    first = (imported(), ImportedObject.objects.count(), LegacyURL.objects.count())
    report = import_wxr(path)
    assert (imported(), ImportedObject.objects.count(), LegacyURL.objects.count()) == first
    assert report.count("post", "created") == 0 and report.count("comment", "created") == 0


@pytest.mark.django_db
class TestThemeUnitTest:
    """The WordPress Theme Unit Test export, with figures checked by hand against the file."""

    @pytest.fixture(autouse=True)
    def load(self):
        self.report = import_wxr(corpus_file("wxr/wpimporter_theme-unit-test-data.xml"))

    def test_pinned_counts(self):
        assert Post.objects.count() == 58
        assert Page.objects.count() == 21
        assert self.report.count("attachment", "skipped") == 37
        assert self.report.count("nav_menu_item", "skipped") == 70
        assert self.report.count("author", "created") == 2
        assert Post.objects.filter(status=PostStatus.DRAFT).count() == 1
        assert Post.objects.filter(status=PostStatus.SCHEDULED).count() == 1
        # 33 comments in the file, 5 of them on pages.
        assert Comment.objects.count() == 33
        assert Comment.objects.filter(page__isnull=False).count() == 5
        assert self.report.count("comment", "skipped") == 0

    def test_ten_deep_thread(self):
        deepest = Comment.objects.order_by("-depth").first()
        assert deepest.depth == 10
        chain = [deepest]
        while chain[-1].parent_id:
            chain.append(chain[-1].parent)
        assert len(chain) == 10 and {c.root_id for c in chain[:-1]} == {chain[-1].pk}

    def test_pingbacks_and_trackbacks(self):
        assert Comment.objects.filter(kind=CommentKind.PINGBACK).count() == 2
        assert Comment.objects.filter(kind=CommentKind.TRACKBACK).count() == 2

    def test_held_comments(self):
        # Three are held in the file; two of them are on pages.
        assert Comment.objects.filter(status=CommentStatus.PENDING).count() == 3
        assert Comment.objects.filter(status=CommentStatus.PENDING, page__isnull=False).count() == 2

    def test_page_comments_are_shown_on_the_page(self, client):
        page = Page.objects.filter(comments__status=CommentStatus.APPROVED).distinct().first()
        comment = page.comments.filter(status=CommentStatus.APPROVED).first()
        html = client.get(page.get_absolute_url()).content.decode()
        assert f'id="comment-{comment.pk}"' in html
        page.refresh_from_db()
        assert page.comment_count == page.comments.filter(status=CommentStatus.APPROVED).count()

    def test_password_protected_post(self, client):
        post = Post.objects.exclude(password="").get()
        assert post.password == "enter"
        html = client.get(post.get_absolute_url()).content.decode()
        assert "This content is password protected." in html
        assert post.body_html[:40] not in html
        response = client.post(post.get_absolute_url(), {"post_password": "enter"})
        assert response.status_code == 302
        assert (
            "This content is password protected."
            not in client.get(post.get_absolute_url()).content.decode()
        )

    def test_authors_cannot_log_in(self):
        for user in {p.author for p in Post.objects.exclude(author=None)}:
            assert not user.has_usable_password()

    def test_old_links_redirect(self, client):
        post = Post.objects.get(slug="template-sticky")
        ref = ImportedObject.objects.get(kind="post", object_id=post.pk)
        response = client.get("/", {"p": ref.external_id})
        assert response.status_code == 301
        assert response["Location"] == post.get_absolute_url()
        old = LegacyURL.objects.filter(object_id=post.pk).exclude(path__startswith="/?").first()
        assert old is not None
        response = client.get(old.path)
        assert response.status_code == 301 and response["Location"] == post.get_absolute_url()

    def test_pages_keep_their_hierarchy(self):
        assert Page.objects.filter(parent__isnull=False).exists()
        child = Page.objects.filter(parent__isnull=False).first()
        assert child.path == f"{child.parent.path}/{child.slug}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_file_stops_cleanly(name):
    path = corpus_file(f"wxr/{name}")
    with pytest.raises(CommandError, match=r"line \d+, column \d+"):
        call_command("import_wxr", str(path), stdout=io.StringIO())
    assert Post.objects.count() == 0 and Comment.objects.count() == 0
    assert ImportedObject.objects.count() == 0


@pytest.mark.django_db
def test_recover_imports_what_can_be_read():
    out = io.StringIO()
    call_command(
        "import_wxr", str(corpus_file("wxr/wpimporter_crazy-cdata.xml")), "--recover", stdout=out
    )
    assert Post.objects.count() == 1
    assert "unreadable XML" in out.getvalue()


@pytest.mark.django_db
def test_dry_run_saves_nothing():
    out = io.StringIO()
    call_command(
        "import_wxr", str(corpus_file("wxr/wpimporter_small-export.xml")), "--dry-run", stdout=out
    )
    assert Post.objects.count() == 0 and Page.objects.count() == 0
    assert "dry run" in out.getvalue() and "post" in out.getvalue()


@pytest.mark.django_db
def test_missing_file():
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_wxr", "/nonexistent/export.xml", stdout=io.StringIO())


@pytest.mark.django_db
def test_entities_are_not_resolved(tmp_path):
    """An export cannot make the importer read local files or the network (XXE)."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    wxr = tmp_path / "xxe.xml"
    wxr.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret}">]>'
        '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<item><title>Leaky</title><content:encoded>&leak;</content:encoded>"
        "<wp:post_id>1</wp:post_id><wp:status>publish</wp:status>"
        "<wp:post_type>post</wp:post_type></item></channel></rss>"
    )
    import_wxr(wxr)
    post = Post.objects.get()
    assert "TOP-SECRET" not in post.body and "TOP-SECRET" not in post.body_html


def snapshot() -> dict:
    """What an import left in the database, independent of primary keys."""
    return {
        "posts": sorted(
            Post.objects.values_list("slug", "status", "body_html", "excerpt_html", "comment_count")
        ),
        "terms": sorted(
            Post.categories.through.objects.values_list("post__slug", "category__slug")
        ),
        "comments": sorted(
            Comment.objects.values_list(
                "post__slug",
                "page__slug",
                "author_name",
                "status",
                "kind",
                "depth",
                "body_html",
                "parent__author_name",
                "created_at",
            ),
            key=repr,
        ),
        "refs": ImportedObject.objects.count(),
        "links": LegacyURL.objects.count(),
    }


@pytest.mark.django_db
def test_reading_in_a_second_process_changes_nothing():
    """The forked reader (background=True, the default) gives what one process gives."""
    path = corpus_file("wxr/wpimporter_theme-unit-test-data.xml")
    import_wxr(path, background=False)
    alone = snapshot()
    Comment.objects.all().delete()
    Post.objects.all().delete()
    Page.objects.update(parent=None)
    Page.objects.all().delete()
    ImportedObject.objects.all().delete()
    LegacyURL.objects.all().delete()
    import_wxr(path, background=True)
    assert snapshot() == alone
    assert alone["comments"] and alone["posts"]


@pytest.mark.django_db
@pytest.mark.parametrize("background", [True, False])
def test_an_item_twice_in_one_file_is_one_post(tmp_path, background):
    """A post queued for the batch insert and met again is updated, not duplicated."""

    def item(title: str) -> str:
        return (
            f"<item><title>{title}</title><content:encoded>Text</content:encoded>"
            "<wp:post_id>7</wp:post_id><wp:status>publish</wp:status>"
            "<wp:post_name>twice</wp:post_name><wp:post_type>post</wp:post_type>"
            "<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>Hi"
            "</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>"
            "</item>"
        )

    wxr = tmp_path / "twice.xml"
    wxr.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"{item('First')}{item('Second')}</channel></rss>"
    )
    import_wxr(wxr, background=background)
    post = Post.objects.get()
    assert (post.title, post.slug, post.comment_count) == ("Second", "twice", 1)
    assert Comment.objects.count() == 1
    assert ImportedObject.objects.filter(kind="post").count() == 1


@pytest.mark.django_db
def test_bytes_before_the_declaration_fail_cleanly_or_are_skipped_in_recover(tmp_path):
    """As in real exports mangled by an editor or a mail client: a stray byte first."""
    wxr = tmp_path / "junk.xml"
    wxr.write_text(
        '`<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">'
        "<channel><item><title>Kept</title><wp:post_id>3</wp:post_id>"
        "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>"
        "</channel></rss>"
    )
    with pytest.raises(CommandError, match="line 1, column"):
        call_command("import_wxr", str(wxr), stdout=io.StringIO())
    assert not Post.objects.exists()
    out = io.StringIO()
    call_command("import_wxr", str(wxr), "--recover", stdout=out)
    assert Post.objects.get().title == "Kept"
    assert "before the XML declaration" in out.getvalue()


@pytest.mark.django_db
def test_bulk_written_values_read_back_as_the_orm_wrote_them(tmp_path):
    """Rows go in through COPY (PostgreSQL) or executemany (SQLite), not the ORM's save:
    addresses, dates, text with COPY's special characters and nulls must come back as
    the ORM would have stored them."""
    import datetime as dt

    tricky = 'Tab\there, back\\slash, "quotes", \\N, newline\nand ünïcödé ✓'

    def comment(n: int, ip: str, parent: int = 0) -> str:
        return (
            f"<wp:comment><wp:comment_id>{n}</wp:comment_id>"
            "<wp:comment_author>Reader</wp:comment_author>"
            "<wp:comment_author_email>reader@example.org</wp:comment_author_email>"
            "<wp:comment_author_url>https://reader.example/</wp:comment_author_url>"
            f"<wp:comment_author_IP>{ip}</wp:comment_author_IP>"
            "<wp:comment_date_gmt>2011-02-03 04:05:06</wp:comment_date_gmt>"
            f"<wp:comment_content><![CDATA[{tricky}]]></wp:comment_content>"
            "<wp:comment_approved>1</wp:comment_approved>"
            f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
        )

    wxr = tmp_path / "values.xml"
    wxr.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<item><title>Values</title><content:encoded>Text</content:encoded>"
        "<wp:post_id>9</wp:post_id><wp:status>publish</wp:status>"
        "<wp:post_name>values</wp:post_name><wp:post_type>post</wp:post_type>"
        f"{comment(1, '192.0.2.7')}{comment(2, '2001:0db8:0000:0000::0001', parent=1)}"
        f"{comment(3, '')}</item></channel></rss>",
        encoding="utf-8",
    )
    import_wxr(wxr)
    first, blank, reply = Comment.objects.order_by("depth", "pk")
    assert (first.ip_address, reply.ip_address, blank.ip_address) == (
        "192.0.2.7",
        "2001:db8::1",  # normalized, as GenericIPAddressField stores it
        None,
    )
    assert first.body == tricky
    assert first.created_at == dt.datetime(2011, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
    assert (first.author_email, first.author_url) == (
        "reader@example.org",
        "https://reader.example/",
    )
    assert (reply.parent_id, reply.root_id, reply.depth) == (first.pk, first.pk, 2)
    assert first.moderation_reasons == Comment._meta.get_field("moderation_reasons").get_default()
    # The ORM finds them by those values, as it would rows it wrote itself.
    assert Comment.objects.filter(ip_address="2001:db8::1").get() == reply
    assert Comment.objects.filter(body__contains="\\N,").count() == 3
