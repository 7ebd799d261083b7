"""Bring a WordPress export into samizdat: one transaction, idempotent, with a report."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from samizdat.core.markup import strip_controls
from samizdat.discussion.models import (
    Comment,
    CommentFormat,
    CommentKind,
    CommentStatus,
    render_comment,
)
from samizdat.discussion.services import refresh_comment_counts
from samizdat.interchange import bulk, signals, wxr
from samizdat.interchange.background import BackgroundReader
from samizdat.interchange.models import ImportedObject, LegacyURL
from samizdat.pagecache.store import invalidate as invalidate_pages
from samizdat.publishing.models import BodyFormat, Category, Page, Post, PostStatus, Tag

POST_STATUS = {
    "publish": PostStatus.PUBLISHED,
    "future": PostStatus.SCHEDULED,
    "draft": PostStatus.DRAFT,
    "pending": PostStatus.PENDING,
    "private": PostStatus.PRIVATE,
    "trash": PostStatus.TRASH,
}
COMMENT_STATUS = {
    "1": CommentStatus.APPROVED,
    "approve": CommentStatus.APPROVED,
    "0": CommentStatus.PENDING,
    "hold": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
    "trash": CommentStatus.TRASH,
    "post-trashed": CommentStatus.TRASH,
}
UPDATED_COMMENT_FIELDS = (
    "parent_id",
    "root_id",
    "depth",
    "author_name",
    "author_email",
    "author_url",
    "ip_address",
    "created_at",
    "body",
    "body_format",
    "body_html",
    "status",
    "kind",
    "user_id",
)
COMMENT_BATCH = 2000  # comments written per batch: fewer statements, bounded memory
POST_BATCH = 200
WORDPRESS_FORMAT = CommentFormat.WORDPRESS
COMMENT_KIND = {
    "": CommentKind.COMMENT,
    "comment": CommentKind.COMMENT,
    "pingback": CommentKind.PINGBACK,
    "trackback": CommentKind.TRACKBACK,
}


@dataclass
class ImportReport:
    """What an import did, per kind: created, updated, skipped (with reasons)."""

    counts: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    def add(self, kind: str, action: str, reason: str = "", n: int = 1) -> None:
        self.counts[(kind, action)] += n
        if reason:
            self.reasons[(kind, reason)] += n

    def count(self, kind: str, action: str) -> int:
        return self.counts[(kind, action)]

    def rows(self) -> list[tuple[str, int, int, int, str]]:
        kinds = sorted({kind for kind, _ in self.counts} | {kind for kind, _ in self.reasons})
        rows = []
        for kind in kinds:
            why = "; ".join(f"{reason} ({n})" for (k, reason), n in sorted(self.reasons.items())
                            if k == kind)  # fmt: skip
            rows.append(
                (
                    kind,
                    self.count(kind, "created"),
                    self.count(kind, "updated"),
                    self.count(kind, "skipped"),
                    why,
                )
            )
        return rows


class _DryRun(Exception):
    pass


def render_ahead(record) -> None:
    """Render an item's comments (pure CPU work, done in the reading process)."""
    for comment in getattr(record, "comments", ()):
        comment.html = render_comment(comment.content, WORDPRESS_FORMAT)


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


class WxrImporter:
    """Import one WXR file. Use ``run()``; a malformed file raises wxr.WxrError."""

    def __init__(
        self,
        path: str | Path,
        *,
        recover: bool = False,
        progress: Callable[[int], None] | None = None,
        background: bool = True,
    ):
        self.path = Path(path)
        self.recover = recover
        self.background = background
        self.progress = progress or (lambda n: None)
        self.report = ImportReport()
        self.source = ""
        self.authors: dict[str, object] = {}  # login -> user
        self.author_ids: dict[str, object] = {}  # wp author id -> user
        self.attachments: dict[str, list[dict]] = defaultdict(list)  # parent post id -> media
        self.page_parents: dict[int, str] = {}  # page pk -> wp parent id
        self.items: dict[str, tuple[str, int]] = {}  # wp post id -> (kind, pk)
        self.touched_posts: set[int] = set()
        self.touched_pages: set[int] = set()
        # Keyed by entry: an item met twice in one file keeps its last comments only.
        self.pending: dict[tuple[type, int], tuple[Post | Page, wxr.Item]] = {}
        self.pending_legacy: dict[str, tuple[ContentType, int]] = {}
        self.refs: dict[str, dict[str, int]] = {}
        self.terms: dict[tuple[type, str], Category | Tag] = {}
        self.post_slugs: dict[str, int] | None = None
        self.pending_count = 0
        # New posts are written in batches (see flush_posts): the post, its terms, its ref.
        self.new_posts: dict[int, tuple[Post, list[int], list[int]]] = {}
        self.new_post_refs: dict[str, int] = {}
        self.post_ids = bulk.IdAllocator(Post)
        self.types = {
            model: ContentType.objects.get_for_model(model)
            for model in (Post, Page, Comment, get_user_model(), Category, Tag)
        }

    def run(self, dry_run: bool = False) -> ImportReport:
        self.report.dry_run = dry_run
        reader = wxr.WxrReader(self.path, recover=self.recover)
        if self.background:
            reader = BackgroundReader(reader, prepare=render_ahead)
        try:
            with transaction.atomic():
                for record in reader:
                    self.handle(record)
                self.finish()
                if dry_run:
                    raise _DryRun
                # Rows were written in bulk, without the signals that tell the page cache.
                transaction.on_commit(invalidate_pages)
                transaction.on_commit(
                    lambda: signals.import_committed.send(type(self), report=self.report)
                )
        except _DryRun:
            pass
        else:
            bulk.refresh_statistics()
        for problem in reader.skipped:
            self.report.add("xml", "skipped", "unreadable XML")
            self.report.notes.append(f"Skipped unreadable XML at {problem}")
        return self.report

    # Records -----------------------------------------------------------------------

    def handle(self, record) -> None:
        if isinstance(record, wxr.Channel):
            base = record.base_site_url or record.base_blog_url or record.link
            self.source = f"wxr:{base.rstrip('/')}"
        elif isinstance(record, wxr.Author):
            self.import_author(record)
        elif isinstance(record, wxr.Term):
            self.import_term(record)
        elif isinstance(record, wxr.Item):
            self.import_item(record)
            self.progress(1 + len(record.comments))

    def _refs(self, kind: str) -> dict[str, int]:
        """Ids of what earlier imports of this source brought in, loaded once per kind."""
        if kind not in self.refs:
            self.refs[kind] = dict(
                ImportedObject.objects.filter(source=self.source, kind=kind).values_list(
                    "external_id", "object_id"
                )
            )
        return self.refs[kind]

    def _ref(self, kind: str, external_id: str):
        """Return the id of the object an earlier import made for this one, if any."""
        return self._refs(kind).get(external_id)

    def _remember(self, kind: str, external_id: str, obj) -> None:
        known = self._refs(kind)
        if known.get(external_id) == obj.pk:
            return
        if external_id in known:
            ImportedObject.objects.filter(
                source=self.source, kind=kind, external_id=external_id
            ).update(object_id=obj.pk)
        else:
            ImportedObject.objects.create(
                source=self.source,
                kind=kind,
                external_id=external_id,
                content_type=self.types[type(obj)],
                object_id=obj.pk,
            )
        known[external_id] = obj.pk

    def import_author(self, author: wxr.Author) -> None:
        User = get_user_model()
        ref = self._ref("author", author.login)
        user = User.objects.filter(pk=ref).first() if ref else None
        if user is None:
            username = author.login[:150] or f"wp-author-{author.id}"
            if User.objects.filter(username=username).exists():
                username = f"{username[:140]}-wp{author.id}"
            user = User(
                username=username,
                email=author.email,
                first_name=author.first_name[:150],
                last_name=author.last_name[:150],
            )
            # Imported authors cannot log in until someone claims the account.
            user.set_unusable_password()
            user.save()
            self._remember("author", author.login, user)
            self.report.add("author", "created")
        else:
            self.report.add("author", "updated")
        if not (user.first_name or user.last_name) and author.display_name:
            user.first_name = author.display_name[:150]
            user.save(update_fields=["first_name"])
        self.authors[author.login] = user
        if author.id:
            self.author_ids[author.id] = user

    def import_term(self, term: wxr.Term) -> Category | Tag | None:
        model = Category if term.kind == "category" else Tag
        slug = slugify(term.slug or term.name, allow_unicode=True)[:200]
        if not slug:
            self.report.add(term.kind, "skipped", "no name")
            return None
        obj = model.objects.filter(slug=slug).first()
        if obj is None:
            obj = model.objects.create(
                slug=slug, name=term.name or slug, description=term.description
            )
            self.report.add(term.kind, "created")
        else:
            self.report.add(term.kind, "updated")
        if term.kind == "category" and term.parent:
            parent = Category.objects.filter(slug=slugify(term.parent, allow_unicode=True)).first()
            if parent and parent.pk != obj.pk and obj.parent_id != parent.pk:
                obj.parent = parent
                obj.save(update_fields=["parent"])
        return obj

    def import_item(self, item: wxr.Item) -> None:
        if item.post_type == "attachment":
            if item.attachment_url:
                self.attachments[item.parent].append(
                    {"id": item.post_id, "url": item.attachment_url, "title": item.title}
                )
            self.report.add("attachment", "skipped", "media kept as links, not downloaded")
            return
        if item.post_type not in ("post", "page"):
            self.report.add(item.post_type, "skipped", "not a post or page")
            return
        if item.status == "auto-draft":
            self.report.add(item.post_type, "skipped", "auto-draft")
            return
        # Hand-made or partial exports may lack an id: the GUID or link identifies the item.
        item.key = item.post_id or item.guid or item.link
        obj = self.import_post(item) if item.post_type == "post" else self.import_page(item)
        if obj is None:
            return
        self.items[item.post_id] = (item.post_type, obj.pk)
        url = obj.get_absolute_url()
        for old in {item.link, item.guid}:
            if old:
                self.legacy(_path_of(old), obj, url)
        if item.post_id:
            key = "p" if item.post_type == "post" else "page_id"
            self.legacy(f"/?{key}={item.post_id}", obj, url)
        self.import_comments(obj, item)

    def legacy(self, path: str, obj, url: str) -> None:
        """Queue an old address of ``obj`` (now at ``url``); written by flush_legacy()."""
        if not path or path == url:
            return
        self.pending_legacy[path[:1000]] = (self.types[type(obj)], obj.pk)
        if len(self.pending_legacy) >= 1000:
            self.flush_legacy()

    def flush_legacy(self) -> None:
        paths = list(self.pending_legacy)
        for start in range(0, len(paths), 500):
            LegacyURL.objects.filter(path__in=paths[start : start + 500]).delete()
        LegacyURL.objects.bulk_create(
            [
                LegacyURL(path=path, content_type=content_type, object_id=pk)
                for path, (content_type, pk) in self.pending_legacy.items()
            ],
            batch_size=500,
        )
        self.pending_legacy.clear()

    def _unique_slug(self, slug: str, wp_id: str, pk: int | None) -> str:
        """Return a post slug no other post has (the WordPress id is added on a clash)."""
        if self.post_slugs is None:
            self.post_slugs = dict(Post.objects.values_list("slug", "pk"))
        slug = slug[:190] or slugify(f"item {wp_id}")
        if self.post_slugs.get(slug, pk) != pk:
            slug = slugify(f"{slug} {wp_id or 'copy'}", allow_unicode=True)
        return slug

    def _terms(self, item: wxr.Item) -> tuple[list[Category], list[Tag]]:
        categories, tags = [], []
        for domain, slug, name in item.categories:
            kind = {"category": "category", "post_tag": "tag", "tag": "tag"}.get(domain)
            if kind is None:
                continue
            model = Category if kind == "category" else Tag
            term_slug = slugify(slug or name, allow_unicode=True)[:200]
            obj = self.terms.get((model, term_slug))
            if obj is None:
                obj = model.objects.filter(slug=term_slug).first()
                obj = obj or self.import_term(wxr.Term(kind, slug, name))
                if obj is not None:
                    self.terms[(model, term_slug)] = obj
            if obj is not None:
                (categories if kind == "category" else tags).append(obj)
        return categories, tags

    def import_post(self, item: wxr.Item) -> Post | None:
        status = POST_STATUS.get(item.status or "draft")
        if not item.status:
            # As WordPress does for a post saved without a status.
            self.report.add("post", "noted", "no status: kept as draft")
        if status is None:
            self.report.add("post", "skipped", f"status {item.status or 'empty'}")
            return None
        ref = self._ref("post", item.key) if item.key else None
        queued = self.new_posts.get(ref) if ref else None
        if queued is not None:
            post = queued[0]  # the same item twice in one file: the last one wins
        else:
            post = Post.objects.filter(pk=ref).first() if ref else None
        created = post is None
        post = post or Post(pk=self.post_ids())
        published = item.date or timezone.now()
        if status == PostStatus.PUBLISHED and published > timezone.now():
            status = PostStatus.SCHEDULED
        slug = slugify(item.name or item.title, allow_unicode=True)
        post.title = item.title[:300]
        post.slug = self._unique_slug(slug, item.post_id, post.pk)
        post.body = item.content
        post.body_format = BodyFormat.WORDPRESS
        post.excerpt = item.excerpt
        post.status = status
        post.published_at = published
        post.password = item.password[:255]
        post.comments_open = item.comment_status == "open"
        post.author = self.authors.get(item.creator)
        post.attachments = self.attachments.get(item.post_id, [])
        self.post_slugs[post.slug] = post.pk
        categories, tags = self._terms(item)
        category_ids = list(dict.fromkeys(c.pk for c in categories))
        tag_ids = list(dict.fromkeys(t.pk for t in tags))
        if created or queued is not None:
            # A new post is written with others by flush_posts(), not one save per post.
            post.render()
            post.created_at = post.updated_at = timezone.now()
            self.new_posts[post.pk] = (post, category_ids, tag_ids)
            if item.key:
                self.new_post_refs[item.key] = post.pk
                self._refs("post")[item.key] = post.pk
            if len(self.new_posts) >= POST_BATCH:
                self.flush_posts()
        else:
            post.save()
            post.categories.set(category_ids)
            post.tags.set(tag_ids)
            if item.key:
                self._remember("post", item.key, post)
        self.report.add("post", "created" if created else "updated")
        if item.status in ("pending", "trash"):
            self.report.add("post", "noted", f"{item.status} kept as {status}")
        return post

    def flush_posts(self) -> None:
        """Write the new posts queued by import_post, their terms and their refs."""
        if not self.new_posts:
            return
        posts = [post for post, _categories, _tags in self.new_posts.values()]
        bulk.insert(Post, posts)
        Post.categories.through.objects.bulk_create(
            [
                Post.categories.through(post_id=pk, category_id=category)
                for pk, (_post, categories, _tags) in self.new_posts.items()
                for category in categories
            ],
            batch_size=500,
        )
        Post.tags.through.objects.bulk_create(
            [
                Post.tags.through(post_id=pk, tag_id=tag)
                for pk, (_post, _categories, tags) in self.new_posts.items()
                for tag in tags
            ],
            batch_size=500,
        )
        now = timezone.now()
        refs = [
            bulk.Row(
                ImportedObject,
                source=self.source,
                kind="post",
                external_id=key,
                content_type_id=self.types[Post].pk,
                object_id=pk,
                imported_at=now,
            )
            for key, pk in self.new_post_refs.items()
        ]
        for ref, pk in zip(refs, bulk.allocate_ids(ImportedObject, len(refs)), strict=True):
            ref.pk = pk
        bulk.insert(ImportedObject, refs)
        self.new_posts.clear()
        self.new_post_refs.clear()

    def import_page(self, item: wxr.Item) -> Page | None:
        ref = self._ref("page", item.key) if item.key else None
        page = Page.objects.filter(pk=ref).first() if ref else None
        created = page is None
        page = page or Page()
        page.title = item.title[:300]
        slug = slugify(item.name or item.title, allow_unicode=True)
        page.slug = slug[:190] or f"page-{item.post_id}"
        page.body = item.content
        page.body_format = BodyFormat.WORDPRESS
        page.published = item.status == "publish"
        page.menu_order = item.menu_order
        page.comments_open = item.comment_status == "open"
        page.author = self.authors.get(item.creator)
        page.attachments = self.attachments.get(item.post_id, [])
        page.parent = None
        # A clash of paths (same slug at the top level) gets the WordPress id appended.
        page.path = page.slug
        if Page.objects.filter(path=page.slug).exclude(pk=page.pk).exists():
            page.slug = f"{page.slug}-{item.post_id}"
        page.save()
        if item.parent and item.parent != "0":
            self.page_parents[page.pk] = item.parent
        if item.key:
            self._remember("page", item.key, page)
        self.report.add("page", "created" if created else "updated")
        return page

    def import_comments(self, post: Post | Page, item: wxr.Item) -> None:
        """Queue an item's comments; they are written in batches across posts."""
        if not item.comments:
            return
        self.pending[(type(post), post.pk)] = (post, item)
        self.pending_count += len(item.comments)
        if self.pending_count >= COMMENT_BATCH:
            self.flush_comments()

    def flush_comments(self) -> None:
        """Write the queued comments: a few bulk statements per depth level, not per post."""
        self.flush_posts()
        if not self.pending:
            return
        keys = [f"{item.key}#{c.id}" for _post, item in self.pending.values() for c in item.comments
                if c.id]  # fmt: skip
        existing: dict[str, int] = {}
        for start in range(0, len(keys), 900):
            existing.update(
                ImportedObject.objects.filter(
                    source=self.source,
                    kind="comment",
                    external_id__in=keys[start : start + 900],
                ).values_list("external_id", "object_id")
            )
        levels: dict[int, list[tuple[str, bulk.Row, bulk.Row | None]]] = defaultdict(list)
        for post, item in self.pending.values():
            for key, comment, parent, level in self._build_comments(post, item, existing):
                levels[level].append((key, comment, parent))
        new: list[tuple[str, bulk.Row]] = []
        updated: list[bulk.Row] = []
        fresh = [comment for level in levels.values() for _key, comment, _parent in level
                 if comment.pk is None]  # fmt: skip
        for comment, pk in zip(fresh, bulk.allocate_ids(Comment, len(fresh)), strict=True):
            comment.pk = pk
            comment._samizdat_new = True
        for level in sorted(levels):
            for key, comment, parent in levels[level]:
                if parent is not None:
                    # Parents come from an earlier level: their ids and roots are known.
                    comment.parent_id = parent.pk
                    comment.root_id = parent.root_id or parent.pk
                if getattr(comment, "_samizdat_new", False):
                    new.append((key, comment))
                else:
                    updated.append(comment)
        for start in range(0, len(new), 1000):
            bulk.insert(Comment, [comment for _key, comment in new[start : start + 1000]])
        # Row by row: bulk_update's CASE statements grow too slow at this size.
        for comment in updated:
            Comment.objects.filter(pk=comment.pk).update(
                **{name: getattr(comment, name) for name in UPDATED_COMMENT_FIELDS}
            )
        now = timezone.now()
        refs = [
            bulk.Row(
                ImportedObject,
                source=self.source,
                kind="comment",
                external_id=key,
                content_type_id=self.types[Comment].pk,
                object_id=comment.pk,
                imported_at=now,
            )
            for key, comment in new
            if key
        ]
        for ref, pk in zip(refs, bulk.allocate_ids(ImportedObject, len(refs)), strict=True):
            ref.pk = pk
        for start in range(0, len(refs), 1000):
            bulk.insert(ImportedObject, refs[start : start + 1000])
        self.report.add("comment", "created", n=len(new))
        self.report.add("comment", "updated", n=len(updated))
        self.pending.clear()
        self.pending_count = 0

    def _build_comments(self, post: Post | Page, item: wxr.Item, existing: dict[str, int]):
        """Yield (key, comment, parent comment, depth) for an item's comments."""
        by_id = {c.id: c for c in item.comments if c.id}
        depth: dict[str, int] = {}

        def depth_of(comment_id: str) -> int:
            # Iterative, with a guard against cycles in hand-made files.
            chain, current = [], comment_id
            while current in by_id and current not in depth and current not in chain:
                chain.append(current)
                current = by_id[current].parent_id
            base = depth.get(current, 0)
            for offset, node in enumerate(reversed(chain), start=1):
                depth[node] = base + offset
            return depth.get(comment_id, 1)

        built: dict[str, bulk.Row] = {}
        for wc in sorted(item.comments, key=lambda c: depth_of(c.id) if c.id else 1):
            level = depth_of(wc.id) if wc.id else 1
            key = f"{item.key}#{wc.id}" if wc.id else ""
            status = COMMENT_STATUS.get(wc.approved.lower())
            if status is None:
                status = CommentStatus.PENDING
                self.report.add(
                    "comment", "noted", f"approval {wc.approved or 'empty'} held for moderation"
                )
            parent = built.get(wc.parent_id) if wc.parent_id not in ("", "0") else None
            comment = bulk.Row(Comment, existing.get(key))
            if isinstance(post, Page):
                comment.page_id = post.pk
            else:
                comment.post_id = post.pk
            comment.depth = level if parent is not None else 1
            comment.author_name = strip_controls(wc.author or "Anonymous")[:200]
            comment.author_email = strip_controls(wc.email)[:254]
            comment.author_url = strip_controls(wc.url)[:500]
            comment.ip_address = wc.ip or None
            comment.created_at = wc.date or post.published_at
            comment.body = strip_controls(wc.content)
            comment.body_format = CommentFormat.WORDPRESS
            comment.body_html = (
                strip_controls(wc.html)
                if wc.html is not None
                else render_comment(comment.body, WORDPRESS_FORMAT)
            )
            comment.status = status
            comment.kind = COMMENT_KIND.get(wc.type, CommentKind.COMMENT)
            user = self.author_ids.get(wc.user_id) if wc.user_id != "0" else None
            comment.user_id = user.pk if user is not None else None
            if wc.id:
                built[wc.id] = comment
            yield key, comment, parent, comment.depth
        if isinstance(post, Page):
            self.touched_pages.add(post.pk)
        else:
            self.touched_posts.add(post.pk)

    def finish(self) -> None:
        """Write queued comments and links; link pages to parents, media to posts; count."""
        self.flush_comments()
        self.flush_legacy()
        for page_pk, wp_parent in self.page_parents.items():
            kind, parent_pk = self.items.get(wp_parent, ("", None))
            if kind == "page" and parent_pk != page_pk:
                page = Page.objects.get(pk=page_pk)
                page.parent_id = parent_pk
                page.save()
        for wp_id, media in self.attachments.items():
            kind, pk = self.items.get(wp_id, ("", None))
            model = {"post": Post, "page": Page}.get(kind)
            if model is not None:
                obj = model.objects.get(pk=pk)
                if obj.attachments != media:
                    obj.attachments = media
                    obj.save()
        for model, touched in ((Post, self.touched_posts), (Page, self.touched_pages)):
            ids = list(touched)
            for start in range(0, len(ids), 500):
                refresh_comment_counts(ids[start : start + 500], model)


def import_wxr(
    path: str | Path,
    *,
    dry_run: bool = False,
    recover: bool = False,
    progress: Callable[[int], None] | None = None,
    background: bool = True,
) -> ImportReport:
    """Import a WordPress export file; raise wxr.WxrError for a file that cannot be read.

    ``background`` reads and renders in a second process (see background.py).
    """
    importer = WxrImporter(path, recover=recover, progress=progress, background=background)
    return importer.run(dry_run=dry_run)
