"""Read WordPress eXtended RSS (WXR 1.0, 1.1, 1.2) as a stream of records.

lxml's iterparse reads the file element by element and each item is cleared once
read, so memory stays flat whatever the file's size. Entities are not resolved and
the network is never used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path

from lxml import etree

WP_NAMESPACES = ("http://wordpress.org/export/", "https://wordpress.org/export/")
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
NO_DATE = "0000-00-00 00:00:00"


class WxrError(Exception):
    """The file cannot be read; the message names the line and column."""


def stream(source, recover: bool = False) -> etree.iterparse:
    """Parse an export element by element, safely: no entities, no DTD, no network."""
    return etree.iterparse(
        source,
        events=("end",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
        recover=recover,
        remove_comments=True,
    )


class SkipLeadingJunk:
    """A file read from its first "<": real exports sometimes have bytes before it (recover)."""

    def __init__(self, path: Path):
        self.handle = open(path, "rb")  # noqa: SIM115 -- closed by close()
        head = self.handle.read(4096)
        start = head.find(b"<")
        self.skipped = head[:start] if start > 0 else b""
        self.buffer = head[start:] if start >= 0 else head

    def read(self, size: int = -1) -> bytes:
        if self.buffer:
            data, self.buffer = self.buffer, b""
            return data
        return self.handle.read(size)

    def close(self) -> None:
        self.handle.close()


def xml_error(path: Path, exc: etree.XMLSyntaxError, detail: str = "") -> WxrError:
    """Describe a file that is not well-formed XML, with its line and column."""
    line, column = exc.position if exc.position else (exc.lineno, 0)
    reason = detail or exc.msg.split(", line ")[0]
    return WxrError(
        f"{path.name} is not well-formed XML at line {line}, column {column}: {reason}. "
        "Nothing was imported; fix the file or use --recover."
    )


@dataclass
class Channel:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    version: str = ""


@dataclass
class Author:
    id: str
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class Term:
    kind: str  # "category" or "tag"
    slug: str
    name: str
    parent: str = ""
    description: str = ""


@dataclass
class Comment:
    id: str
    parent_id: str
    author: str
    email: str
    url: str
    ip: str
    date: dt.datetime | None
    content: str
    approved: str
    type: str
    user_id: str
    html: str | None = None  # rendered ahead of the import, see background.py


@dataclass
class Item:
    title: str
    link: str
    guid: str
    creator: str
    content: str
    excerpt: str
    post_id: str
    date: dt.datetime | None
    name: str
    status: str
    post_type: str
    password: str
    parent: str
    menu_order: int
    comment_status: str
    attachment_url: str
    categories: list[tuple[str, str, str]] = field(default_factory=list)  # domain, slug, name
    key: str = ""  # what identifies the item across imports (id, else GUID, else link)
    comments: list[Comment] = field(default_factory=list)


@lru_cache(maxsize=1024)
def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _is_wp(ns: str) -> bool:
    return ns.startswith(WP_NAMESPACES) and not ns.endswith("/excerpt/")


@lru_cache(maxsize=512)
def _key(tag: str) -> str:
    """Return "wp:post_id", "content:encoded", "title"... for a child's full tag."""
    ns, local = _split(tag)
    if ns == CONTENT_NS:
        return f"content:{local}"
    if ns.endswith("/excerpt/"):
        return f"excerpt:{local}"
    if ns == DC_NS:
        return f"dc:{local}"
    if _is_wp(ns):
        return f"wp:{local}"
    return local


def _children(element) -> dict[str, str]:
    """Map each child's local name (wp:, content:, excerpt:, plain) to its text."""
    values: dict[str, str] = {}
    for child in element:
        tag = child.tag
        if isinstance(tag, str):
            values.setdefault(_key(tag), child.text or "")
    return values


def parse_date(gmt: str, local: str = "", rfc822: str = "") -> dt.datetime | None:
    """Prefer the _gmt field; fall back to the local time (taken as UTC) and pubDate."""
    for value in (gmt, local):
        value = (value or "").strip()
        if value and value != NO_DATE:
            try:
                # "2011-01-18 08:06:21": sliced, as strptime is slow for a million dates.
                return dt.datetime(
                    int(value[0:4]),
                    int(value[5:7]),
                    int(value[8:10]),
                    int(value[11:13]),
                    int(value[14:16]),
                    int(value[17:19]),
                    tzinfo=dt.UTC,
                )
            except ValueError:
                continue
    if rfc822 and rfc822.strip():
        try:
            parsed = parsedate_to_datetime(rfc822.strip())
        except (TypeError, ValueError):
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return None


def _comment(element) -> Comment:
    v = _children(element)
    return Comment(
        id=v.get("wp:comment_id", "").strip(),
        parent_id=v.get("wp:comment_parent", "0").strip() or "0",
        author=v.get("wp:comment_author", ""),
        email=v.get("wp:comment_author_email", "").strip(),
        url=v.get("wp:comment_author_url", "").strip(),
        ip=v.get("wp:comment_author_IP", "").strip(),
        date=parse_date(v.get("wp:comment_date_gmt", ""), v.get("wp:comment_date", "")),
        content=v.get("wp:comment_content", ""),
        approved=v.get("wp:comment_approved", "").strip(),
        type=v.get("wp:comment_type", "").strip(),
        user_id=v.get("wp:comment_user_id", "0").strip() or "0",
    )


def _item(element) -> Item:
    v = _children(element)
    categories = []
    comments = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        ns, local = _split(child.tag)
        if local == "category" and not ns:
            domain = child.get("domain", "category")
            name = (child.text or "").strip()
            slug = child.get("nicename") or ""
            categories.append((domain, slug, name))
        elif local == "comment" and _is_wp(ns):
            comments.append(_comment(child))
    try:
        menu_order = int(v.get("wp:menu_order", "0") or 0)
    except ValueError:
        menu_order = 0
    return Item(
        title=v.get("title", ""),
        link=v.get("link", "").strip(),
        guid=v.get("guid", "").strip(),
        creator=v.get("dc:creator", "").strip(),
        content=v.get("content:encoded", ""),
        excerpt=v.get("excerpt:encoded", ""),
        post_id=v.get("wp:post_id", "").strip(),
        date=parse_date(
            v.get("wp:post_date_gmt", ""), v.get("wp:post_date", ""), v.get("pubDate", "")
        ),
        name=v.get("wp:post_name", "").strip(),
        status=v.get("wp:status", "").strip(),
        post_type=v.get("wp:post_type", "post").strip() or "post",
        password=v.get("wp:post_password", ""),
        parent=v.get("wp:post_parent", "0").strip() or "0",
        menu_order=menu_order,
        comment_status=v.get("wp:comment_status", "open").strip(),
        attachment_url=v.get("wp:attachment_url", "").strip(),
        categories=categories,
        comments=comments,
    )


def _term(kind: str, element) -> Term:
    v = _children(element)
    if kind == "category":
        return Term(
            "category",
            v.get("wp:category_nicename", "").strip(),
            v.get("wp:cat_name", "").strip(),
            v.get("wp:category_parent", "").strip(),
            v.get("wp:category_description", ""),
        )
    return Term(
        "tag",
        v.get("wp:tag_slug", "").strip(),
        v.get("wp:tag_name", "").strip(),
        "",
        v.get("wp:tag_description", ""),
    )


class WxrReader:
    """Iterate over the records of a WXR file; ``skipped`` lists what recover mode lost."""

    def __init__(self, path: str | Path, recover: bool = False):
        self.path = Path(path)
        self.recover = recover
        self.channel = Channel()
        self.skipped: list[str] = []
        self.saw_rss = False

    def __iter__(self) -> Iterator[Channel | Author | Term | Item]:
        source = SkipLeadingJunk(self.path) if self.recover else str(self.path)
        if self.recover and source.skipped:
            self.skipped.append(f"the start: {source.skipped!r} before the XML declaration")
        context = stream(source, recover=self.recover)
        channel_sent = False
        try:
            for _event, element in context:
                if not isinstance(element.tag, str):
                    continue
                ns, local = _split(element.tag)
                parent = element.getparent()
                in_channel = parent is not None and _split(parent.tag)[1] == "channel"
                if local == "rss" and not ns:
                    self.saw_rss = True
                if not in_channel:
                    continue
                record = None
                if local == "item" and not ns:
                    if not channel_sent:
                        channel_sent = True
                        yield self.channel
                    record = _item(element)
                elif _is_wp(ns) and local == "author":
                    v = _children(element)
                    record = Author(
                        v.get("wp:author_id", "").strip(),
                        v.get("wp:author_login", "").strip(),
                        v.get("wp:author_email", "").strip(),
                        v.get("wp:author_display_name", "").strip(),
                        v.get("wp:author_first_name", "").strip(),
                        v.get("wp:author_last_name", "").strip(),
                    )
                elif _is_wp(ns) and local in ("category", "tag"):
                    record = _term(local, element)
                elif _is_wp(ns) and local == "wxr_version":
                    self.channel.version = (element.text or "").strip()
                elif (_is_wp(ns) and local in ("base_site_url", "base_blog_url")) or (
                    not ns and local in ("title", "link")
                ):
                    setattr(self.channel, local, (element.text or "").strip())
                if record is not None:
                    yield record
                    # Free what was read: the element, and siblings already handled.
                    element.clear(keep_tail=False)
                    while element.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:
            raise xml_error(self.path, exc) from exc
        finally:
            if not isinstance(source, str):
                source.close()
        if self.recover:
            self.skipped += [f"line {e.line}, column {e.column}: {e.message}"
                             for e in context.error_log]  # fmt: skip
        if not self.saw_rss and not channel_sent:
            raise WxrError(f"{self.path.name} is not a WordPress export (no <rss> channel).")
        if not channel_sent:
            yield self.channel
