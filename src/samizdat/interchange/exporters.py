"""Move out: the whole site as WXR 1.2 (for WordPress) or as documented JSON.

Both are written as a stream, a post at a time, so memory stays flat.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import IO

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify
from lxml import etree

from samizdat.core.markup import strip_controls
from samizdat.discussion.models import Comment, CommentKind, CommentStatus
from samizdat.publishing import bibliography
from samizdat.publishing.models import BodyFormat, Category, Page, Post, PostStatus, Tag

WP = "http://wordpress.org/export/1.2/"
NSMAP = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": WP,
}
WP_STATUS = {
    PostStatus.PUBLISHED: "publish",
    PostStatus.SCHEDULED: "future",
    PostStatus.DRAFT: "draft",
    PostStatus.PENDING: "pending",
    PostStatus.PRIVATE: "private",
    PostStatus.TRASH: "trash",
}
WP_APPROVED = {
    CommentStatus.APPROVED: "1",
    CommentStatus.PENDING: "0",
    CommentStatus.SPAM: "spam",
    CommentStatus.TRASH: "trash",
}
JSON_VERSION = 1


def _wp(tag: str) -> str:
    return f"{{{WP}}}{tag}"


def _gmt(value: dt.datetime | None) -> str:
    if value is None:
        return "0000-00-00 00:00:00"
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _body_source(entry, base_url: str = "") -> str:
    """WordPress bodies go out as written; Markdown goes out rendered, as WordPress has none.

    The media library's images are named by full address, so the export's reader finds
    them on this site (WordPress's "download attachments" fetches them from there).
    """
    body = entry.body if entry.body_format == BodyFormat.WORDPRESS else entry.body_html
    if base_url:
        body = _LOCAL_MEDIA.sub(lambda m: m.group(1) + base_url + "/media/", body)
    return body


_LOCAL_MEDIA = re.compile(r"""((?:src|href|srcset)=["']|,\s*|\s)/media/""")


def _comment_source(comment: Comment) -> str:
    return comment.body if comment.body_format == "wordpress" else comment.body_html


def _posts() -> Iterator[Post]:
    queryset = (
        Post.objects.select_related("author")
        .prefetch_related(
            "categories",
            "tags",
            "sources",
            Prefetch("comments", queryset=Comment.objects.order_by("created_at", "id")),
        )
        .order_by("id")
    )
    # Chunks keep memory flat on large sites while prefetching per chunk.
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last)[:200])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].pk


# Every element is made with the namespace map, so that it is written with WordPress's
# own prefixes (wp:, content:, ...): some WXR readers match the prefixes, not the URIs.
def _text(parent, tag: str, value: str, cdata: bool = False) -> None:
    element = etree.SubElement(parent, tag)
    value = strip_controls(value)  # XML cannot carry them; older rows may hold some
    element.text = etree.CDATA(value) if cdata and value else value


_DECLARATION = re.compile(rb'\s+xmlns:\w+="[^"]*"')


class _WxrStream:
    """Write WXR as WordPress lays it out: namespaces declared once, one element per line.

    Each element is built on its own with the namespace map, and lxml would declare the
    namespaces again on each; the <rss> element declares them all, so they are dropped.
    WordPress's fallback (regex) parser also wants <item> and </item> on lines of their own.
    """

    def __init__(self, out: IO[bytes]):
        self.out = out

    def __enter__(self) -> _WxrStream:
        namespaces = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NSMAP.items())
        self.out.write(
            b'<?xml version="1.0" encoding="UTF-8" ?>\n'
            + f'<rss version="2.0" {namespaces}>\n<channel>\n'.encode()
        )
        return self

    def __exit__(self, *exc) -> None:
        self.out.write(b"</channel>\n</rss>\n")

    def write(self, element: etree._Element) -> None:
        xml = etree.tostring(element, encoding="UTF-8", pretty_print=True)
        head, close, rest = xml.partition(b">")
        self.out.write(_DECLARATION.sub(b"", head) + close + rest)


def write_wxr(out: IO[bytes], base_url: str) -> int:
    """Write the site as WXR 1.2 to a binary stream; return the number of items."""
    base_url = base_url.rstrip("/")
    User = get_user_model()
    count = 0
    with _WxrStream(out) as xf:
        head = etree.Element("head", nsmap=NSMAP)
        _text(head, "title", "samizdat")
        _text(head, "link", base_url + "/")
        _text(head, "description", "Exported from samizdat")
        _text(head, "pubDate", timezone.now().strftime("%a, %d %b %Y %H:%M:%S +0000"))
        _text(head, _wp("wxr_version"), "1.2")
        _text(head, _wp("base_site_url"), base_url + "/")
        _text(head, _wp("base_blog_url"), base_url + "/")
        for element in head:
            xf.write(element)
        author_ids = set(Post.objects.exclude(author=None).values_list("author_id", flat=True))
        author_ids |= set(Page.objects.exclude(author=None).values_list("author_id", flat=True))
        for user in User.objects.filter(pk__in=author_ids).order_by("pk"):
            author = etree.Element(_wp("author"), nsmap=NSMAP)
            _text(author, _wp("author_id"), str(user.pk))
            _text(author, _wp("author_login"), user.get_username(), cdata=True)
            _text(author, _wp("author_email"), user.email, cdata=True)
            _text(
                author,
                _wp("author_display_name"),
                user.get_full_name() or user.get_username(),
                cdata=True,
            )
            _text(author, _wp("author_first_name"), user.first_name, cdata=True)
            _text(author, _wp("author_last_name"), user.last_name, cdata=True)
            xf.write(author)
        for category in Category.objects.select_related("parent").order_by("pk"):
            element = etree.Element(_wp("category"), nsmap=NSMAP)
            _text(element, _wp("term_id"), str(category.pk))
            _text(element, _wp("category_nicename"), category.slug, cdata=True)
            _text(
                element,
                _wp("category_parent"),
                category.parent.slug if category.parent else "",
                cdata=True,
            )
            _text(element, _wp("cat_name"), category.name, cdata=True)
            xf.write(element)
        for tag in Tag.objects.order_by("pk"):
            element = etree.Element(_wp("tag"), nsmap=NSMAP)
            _text(element, _wp("term_id"), str(tag.pk))
            _text(element, _wp("tag_slug"), tag.slug, cdata=True)
            _text(element, _wp("tag_name"), tag.name, cdata=True)
            xf.write(element)
        # WordPress ids are one sequence for posts, pages and media: pages are moved
        # past the posts, and media keep their ids unless one is taken.
        page_offset = 10 ** len(
            str(Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
        )
        ids = _IdAllocator(
            page_offset + (Page.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
        )
        for post in _posts():
            xf.write(_post_item(post, base_url))
            for media in post.attachments:
                xf.write(
                    _attachment_item(
                        media, ids.take(media.get("id")), post.pk, base_url, post.published_at
                    )
                )
            count += 1
        for page in Page.objects.select_related("author", "parent").order_by("pk"):
            xf.write(_page_item(page, base_url, page_offset))
            for media in page.attachments:
                xf.write(
                    _attachment_item(
                        media,
                        ids.take(media.get("id")),
                        page.pk + page_offset,
                        base_url,
                        page.created_at,
                    )
                )
            count += 1
    return count


def _item(entry, base_url: str, kind: str, wp_id: int, link: str) -> etree._Element:
    item = etree.Element("item", nsmap=NSMAP)
    _text(item, "title", entry.title)
    _text(item, "link", base_url + link)
    _text(item, "guid", f"{base_url}/?{'p' if kind == 'post' else 'page_id'}={wp_id}")
    item[-1].set("isPermaLink", "false")
    _text(
        item,
        f"{{{NSMAP['dc']}}}creator",
        entry.author.get_username() if entry.author else "",
        cdata=True,
    )
    _text(item, "description", "")
    _text(item, f"{{{NSMAP['content']}}}encoded", _body_source(entry, base_url), cdata=True)
    return item


def _post_item(post: Post, base_url: str) -> etree._Element:
    item = _item(post, base_url, "post", post.pk, post.get_absolute_url())
    _text(item, f"{{{NSMAP['excerpt']}}}encoded", post.excerpt, cdata=True)
    _text(item, _wp("post_id"), str(post.pk))
    _text(
        item, _wp("post_date"), _gmt(timezone.localtime(post.published_at).replace(tzinfo=dt.UTC))
    )
    _text(item, _wp("post_date_gmt"), _gmt(post.published_at))
    _text(item, _wp("comment_status"), "open" if post.comments_open else "closed")
    _text(item, _wp("ping_status"), "closed")
    _text(item, _wp("post_name"), post.slug)
    _text(item, _wp("status"), WP_STATUS.get(post.status, "draft"))
    _text(item, _wp("post_parent"), "0")
    _text(item, _wp("menu_order"), "0")
    _text(item, _wp("post_type"), "post")
    _text(item, _wp("post_password"), post.password)
    _text(item, _wp("is_sticky"), "0")
    for category in post.categories.all():
        element = etree.SubElement(item, "category", domain="category", nicename=category.slug)
        element.text = etree.CDATA(category.name)
    for tag in post.tags.all():
        element = etree.SubElement(item, "category", domain="post_tag", nicename=tag.slug)
        element.text = etree.CDATA(tag.name)
    _comments(item, post.comments.all())
    return item


def _comments(item: etree._Element, comments) -> None:
    """Write a post's or page's comments as wp:comment elements."""
    for comment in comments:
        element = etree.SubElement(item, _wp("comment"))
        _text(element, _wp("comment_id"), str(comment.pk))
        _text(element, _wp("comment_author"), comment.author_name, cdata=True)
        _text(element, _wp("comment_author_email"), comment.author_email)
        _text(element, _wp("comment_author_url"), comment.author_url)
        _text(element, _wp("comment_author_IP"), comment.ip_address or "")
        _text(element, _wp("comment_date"), _gmt(comment.created_at))
        _text(element, _wp("comment_date_gmt"), _gmt(comment.created_at))
        _text(element, _wp("comment_content"), _comment_source(comment), cdata=True)
        _text(element, _wp("comment_approved"), WP_APPROVED.get(comment.status, "0"))
        _text(
            element,
            _wp("comment_type"),
            "comment" if comment.kind == CommentKind.COMMENT else comment.kind,
        )
        _text(element, _wp("comment_parent"), str(comment.parent_id or 0))
        _text(element, _wp("comment_user_id"), str(comment.user_id or 0))


def _page_item(page: Page, base_url: str, offset: int) -> etree._Element:
    item = _item(page, base_url, "page", page.pk + offset, page.get_absolute_url())
    _text(item, f"{{{NSMAP['excerpt']}}}encoded", "", cdata=True)
    _text(item, _wp("post_id"), str(page.pk + offset))
    _text(item, _wp("post_date"), _gmt(page.created_at))
    _text(item, _wp("post_date_gmt"), _gmt(page.created_at))
    _text(item, _wp("comment_status"), "open" if page.comments_open else "closed")
    _text(item, _wp("ping_status"), "closed")
    _text(item, _wp("post_name"), page.slug)
    _text(item, _wp("status"), "publish" if page.published else "draft")
    _text(item, _wp("post_parent"), str(page.parent_id + offset if page.parent_id else 0))
    _text(item, _wp("menu_order"), str(page.menu_order))
    _text(item, _wp("post_type"), "page")
    _text(item, _wp("post_password"), "")
    _text(item, _wp("is_sticky"), "0")
    _comments(item, page.comments.order_by("created_at", "id"))
    return item


class _IdAllocator:
    """Give media their own WordPress id when it is free, else a new one past the rest."""

    def __init__(self, above: int):
        self.used: set[int] = set()
        self.next = above + 1
        self.reserved_below = above

    def take(self, wanted) -> int:
        try:
            value = int(wanted)
        except (TypeError, ValueError):
            value = 0
        if value > self.reserved_below and value not in self.used:
            self.used.add(value)
            return value
        while self.next in self.used:
            self.next += 1
        self.used.add(self.next)
        return self.next


def _attachment_item(
    media: dict, wp_id: int, parent_id: int, base_url: str, date: dt.datetime
) -> etree._Element:
    """Media are kept as links, with their WordPress id when free ([gallery ids] names it).

    Every field WordPress writes for an attachment is present, as its importer expects.
    """
    item = etree.Element("item", nsmap=NSMAP)
    _text(item, "title", media.get("title", ""))
    url = base_url + media["url"] if media["url"].startswith("/") else media["url"]
    _text(item, "link", url)
    _text(item, "guid", url)
    item[-1].set("isPermaLink", "false")
    _text(item, f"{{{NSMAP['dc']}}}creator", "", cdata=True)
    _text(item, "description", "")
    _text(item, f"{{{NSMAP['content']}}}encoded", "", cdata=True)
    _text(item, f"{{{NSMAP['excerpt']}}}encoded", "", cdata=True)
    _text(item, _wp("post_id"), str(wp_id))
    _text(item, _wp("post_date"), _gmt(date))
    _text(item, _wp("post_date_gmt"), _gmt(date))
    _text(item, _wp("comment_status"), "closed")
    _text(item, _wp("ping_status"), "closed")
    _text(item, _wp("post_name"), slugify(media.get("title", "")) or f"media-{wp_id}")
    _text(item, _wp("status"), "inherit")
    _text(item, _wp("post_parent"), str(parent_id))
    _text(item, _wp("menu_order"), "0")
    _text(item, _wp("post_type"), "attachment")
    _text(item, _wp("post_password"), "")
    _text(item, _wp("is_sticky"), "0")
    _text(item, _wp("attachment_url"), url)
    return item


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else None


def write_json(out: IO[str], base_url: str) -> int:
    """Write the site as JSON (schema: docs/export-json.md); return the number of entries."""
    base_url = base_url.rstrip("/")
    User = get_user_model()
    head = {
        "format": "samizdat-export",
        "version": JSON_VERSION,
        "site": {"url": base_url + "/", "exported_at": _iso(timezone.now())},
        "authors": [
            {"id": u.pk, "username": u.get_username(), "email": u.email, "name": u.get_full_name()}
            for u in User.objects.order_by("pk")
        ],
        "categories": [
            {
                "slug": c.slug,
                "name": c.name,
                "description": c.description,
                "parent": c.parent.slug if c.parent else None,
            }
            for c in Category.objects.select_related("parent").order_by("pk")
        ],
        "tags": [{"slug": t.slug, "name": t.name} for t in Tag.objects.order_by("pk")],
    }
    # The header, then posts and pages one at a time: memory stays flat.
    out.write(json.dumps(head, ensure_ascii=False)[:-1] + ", ")
    out.write('"posts": [')
    count = 0
    for post in _posts():
        out.write(
            (", " if count else "") + json.dumps(_post_json(post, base_url), ensure_ascii=False)
        )
        count += 1
    out.write('], "pages": [')
    for index, page in enumerate(Page.objects.select_related("author", "parent").order_by("pk")):
        out.write(
            (", " if index else "")
            + json.dumps(
                {
                    "id": page.pk,
                    "title": page.title,
                    "slug": page.slug,
                    "path": page.path,
                    "url": base_url + page.get_absolute_url(),
                    "parent": page.parent_id,
                    "published": page.published,
                    "menu_order": page.menu_order,
                    "author": page.author_id,
                    "body": page.body,
                    "body_format": page.body_format,
                    "body_html": page.body_html,
                    "comments_open": page.comments_open,
                    "comments": [
                        _comment_json(c) for c in page.comments.order_by("created_at", "id")
                    ],
                },
                ensure_ascii=False,
            )
        )
        count += 1
    out.write("]}\n")
    return count


def _post_json(post: Post, base_url: str) -> dict:
    return {
        "id": post.pk,
        "title": post.title,
        "slug": post.slug,
        "url": base_url + post.get_absolute_url(),
        "status": post.status,
        "published_at": _iso(post.published_at),
        "author": post.author_id,
        "body": post.body,
        "body_format": post.body_format,
        "body_html": post.body_html,
        "excerpt": post.excerpt,
        "password": post.password,
        "comments_open": post.comments_open,
        "categories": [c.slug for c in post.categories.all()],
        "tags": [t.slug for t in post.tags.all()],
        "sources": [
            {
                "key": s.key,
                "type": s.kind,
                "authors": s.authors,
                "title": s.title,
                "container": s.container,
                "publisher": s.publisher,
                "place": s.place,
                "year": s.year,
                "pages": s.pages,
                "url": s.url,
                "doi": s.doi,
                "isbn": s.isbn,
                "note": s.note,
                # The same source as CSL-JSON, for reference managers.
                "csl": bibliography.csl_item(s),
            }
            for s in post.sources.all()
        ],
        "comments": [_comment_json(c) for c in post.comments.all()],
    }


def _comment_json(c: Comment) -> dict:
    return {
        "id": c.pk,
        "parent": c.parent_id,
        "status": c.status,
        "kind": c.kind,
        "created_at": _iso(c.created_at),
        "author_name": c.author_name,
        "author_email": c.author_email,
        "author_url": c.author_url,
        "ip_address": c.ip_address,
        "user": c.user_id,
        "identity": {
            "provider": c.identity_provider,
            "uid": c.identity_uid,
            "avatar_url": c.author_avatar_url,
        }
        if c.identity_provider
        else None,
        "body": c.body,
        "body_format": c.body_format,
        "body_html": c.body_html,
    }
