"""Bring comments in from a Disqus export: threads matched to posts by their link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import Resolver404, resolve
from lxml import etree

from samizdat.core.markup import strip_controls
from samizdat.discussion.models import Comment, CommentFormat, CommentStatus, render_comment
from samizdat.discussion.services import refresh_comment_counts
from samizdat.interchange import bulk, signals
from samizdat.interchange.importers import ImportReport
from samizdat.interchange.models import ImportedObject, LegacyURL
from samizdat.interchange.wxr import SkipLeadingJunk, stream, xml_error
from samizdat.pagecache.store import invalidate as invalidate_pages
from samizdat.publishing.models import Post

DSQ_NS = "http://disqus.com/disqus-internals"
DSQ_ID = f"{{{DSQ_NS}}}id"


class _DryRun(Exception):
    pass


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element, name: str) -> str:
    for child in element:
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def _ref(element, name: str) -> str:
    for child in element:
        if _local(child.tag) == name:
            return child.get(DSQ_ID, "")
    return ""


def _author(element) -> dict[str, str]:
    for child in element:
        if _local(child.tag) == "author":
            return {"name": _text(child, "name"), "email": _text(child, "email")}
    return {"name": "", "email": ""}


def _date(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def post_for_link(link: str) -> Post | None:
    """Find the post a Disqus thread was on, by the path of its link."""
    path = urlsplit(link).path or "/"
    candidates = [path]
    if path.endswith("index.html"):
        candidates.append(path[: -len("index.html")])
    if not path.endswith("/"):
        candidates.append(path + "/")
    for candidate in candidates:
        legacy = LegacyURL.objects.filter(path=candidate).first()
        if legacy is not None and isinstance(legacy.target, Post):
            return legacy.target
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        if match.view_name == "publishing:post":
            post = Post.objects.filter(slug=match.kwargs["slug"]).first()
            if post is not None:
                return post
    return None


class DisqusImporter:
    def __init__(
        self,
        path: str | Path,
        *,
        recover: bool = False,
        progress: Callable[[int], None] | None = None,
    ):
        self.path = Path(path)
        self.recover = recover
        self.progress = progress or (lambda n: None)
        self.report = ImportReport()
        self.forum = ""
        self.threads: dict[str, Post | None] = {}
        self.comment_type = ContentType.objects.get_for_model(Comment)
        self.touched: set[int] = set()

    @property
    def source(self) -> str:
        return f"disqus:{self.forum or self.path.stem}"

    def run(self, dry_run: bool = False) -> ImportReport:
        self.report.dry_run = dry_run
        source = SkipLeadingJunk(self.path) if self.recover else str(self.path)
        if self.recover and source.skipped:
            self.report.add("xml", "skipped", "bytes before the XML declaration")
            self.report.notes.append(f"Skipped {source.skipped!r} before the XML declaration")
        context = stream(source, recover=self.recover)
        try:
            with transaction.atomic():
                for _event, element in context:
                    name = _local(element.tag)
                    parent = element.getparent()
                    if parent is None or _local(parent.tag) != "disqus":
                        continue
                    if name == "category":
                        self.forum = self.forum or _text(element, "forum")
                    elif name == "thread":
                        self.thread(element)
                    elif name == "post":
                        self.comment(element)
                        self.progress(1)
                    else:
                        continue
                    element.clear(keep_tail=False)
                    while element.getprevious() is not None:
                        del parent[0]
                refresh_comment_counts(self.touched)
                if dry_run:
                    raise _DryRun
                # Comments were written in bulk, without the signals that tell the page cache.
                transaction.on_commit(invalidate_pages)
                transaction.on_commit(
                    lambda: signals.import_committed.send(type(self), report=self.report)
                )
        except _DryRun:
            pass
        except etree.XMLSyntaxError as exc:
            stray = exc.position == (1, 1) and self.path.read_bytes()[:1] != b"<"
            detail = "the file does not start with '<' (stray characters before the XML)"
            raise xml_error(self.path, exc, detail if stray else "") from exc
        finally:
            if self.recover:
                source.close()
        if not dry_run:
            bulk.refresh_statistics()
        if self.recover:
            for error in context.error_log:
                self.report.add("xml", "skipped", "unreadable XML")
                self.report.notes.append(
                    f"Skipped unreadable XML at line {error.line}, column {error.column}: "
                    f"{error.message}"
                )
        return self.report

    def thread(self, element) -> None:
        thread_id = element.get(DSQ_ID, "")
        link = _text(element, "link")
        self.forum = self.forum or _text(element, "forum")
        post = post_for_link(link) if link else None
        self.threads[thread_id] = post
        if post is None:
            self.report.add("thread", "skipped", "no post at its link")
            if link:
                self.report.notes.append(f"No post for Disqus thread {thread_id}: {link}")
        else:
            self.report.add("thread", "matched")

    def comment(self, element) -> None:
        post_id = element.get(DSQ_ID, "")
        post = self.threads.get(_ref(element, "thread"))
        if post is None:
            self.report.add("comment", "skipped", "its thread has no post")
            return
        parent_ref = _ref(element, "parent")
        parent = None
        if parent_ref:
            ref = ImportedObject.objects.filter(
                source=self.source, kind="comment", external_id=parent_ref
            ).first()
            parent = Comment.objects.filter(pk=ref.object_id).first() if ref else None
            if parent is None:
                self.report.add("comment", "noted", "parent not in file: made top-level")
        deleted = _text(element, "isDeleted").lower() == "true"
        spam = _text(element, "isSpam").lower() == "true"
        status = (
            CommentStatus.TRASH
            if deleted
            else CommentStatus.SPAM
            if spam
            else CommentStatus.APPROVED
        )
        author = _author(element)
        message = _text(element, "message")
        ref = (
            ImportedObject.objects.filter(
                source=self.source, kind="comment", external_id=post_id
            ).first()
            if post_id
            else None
        )
        comment = Comment.objects.filter(pk=ref.object_id).first() if ref else None
        created = comment is None
        comment = comment or Comment()
        comment.post = post
        comment.parent = parent
        comment.root_id = (parent.root_id or parent.pk) if parent else None
        comment.depth = parent.depth + 1 if parent else 1
        message = strip_controls(message)
        comment.author_name = strip_controls(author["name"] or "Anonymous")[:200]
        comment.author_email = strip_controls(author["email"])[:254]
        comment.body = message
        comment.body_format = CommentFormat.WORDPRESS
        comment.body_html = render_comment(message, CommentFormat.WORDPRESS)
        comment.status = status
        comment.ip_address = _text(element, "ipAddress") or None
        comment.created_at = _date(_text(element, "createdAt")) or post.published_at
        comment.save()
        if post_id:
            ImportedObject.objects.update_or_create(
                source=self.source,
                kind="comment",
                external_id=post_id,
                defaults={"content_type": self.comment_type, "object_id": comment.pk},
            )
        self.touched.add(post.pk)
        self.report.add("comment", "created" if created else "updated")


def import_disqus(
    path: str | Path,
    *,
    dry_run: bool = False,
    recover: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a Disqus export; raise WxrError for a file that cannot be read."""
    return DisqusImporter(path, recover=recover, progress=progress).run(dry_run=dry_run)
