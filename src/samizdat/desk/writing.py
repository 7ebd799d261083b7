"""The writer's desk: saving with revisions, autosave, conflicts, previews, preview links."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from samizdat.publishing.citations import link_sources
from samizdat.publishing.models import Post, Revision, Tag, render_body

WORDS_PER_MINUTE = 230
PREVIEW_SALT = "samizdat.desk.preview-link"
PREVIEW_DAYS = 7


def words_in(text: str) -> int:
    return len(re.findall(r"\w+(?:['\u2019-]\w+)*", text))


@dataclass
class Preview:
    html: str
    words: int
    minutes: int
    missing_alt: int = 0
    missing_keys: list = None


def preview(body: str, post: Post | None = None, sources: list | None = None) -> Preview:
    """Render the text as the published page renders it: same Markdown, same sanitizer.

    ``sources``: the editor's rows (unsaved Sources); the post's saved ones otherwise.
    """
    from samizdat.publishing.bibliography import missing_keys

    html = render_body(
        body, post.body_format if post else "markdown", post.attachments if post else ()
    )
    if sources is None:
        sources = list(post.sources.all()) if post is not None and post.pk else []
    if sources:
        html, _sources = link_sources(html, sources)
    from samizdat.media.html import missing_alt

    words = words_in(strip_tags(html))
    return Preview(
        html=str(html),
        words=words,
        minutes=max(1, round(words / WORDS_PER_MINUTE)),
        missing_alt=missing_alt(html),
        missing_keys=missing_keys(body, sources),
    )


def latest_save(post: Post) -> Revision | None:
    return (
        post.revisions.exclude(kind=Revision.Kind.AUTOSAVE).order_by("-created_at", "-id").first()
    )


class Conflict(Exception):
    """Someone saved the post since this writer opened it; nothing was overwritten."""

    def __init__(self, theirs: Revision):
        super().__init__("conflict")
        self.theirs = theirs


def save(post: Post, data: dict, user, *, base_revision: int | None, sources=None) -> Revision:
    """Save the post from the editor's data, keeping a revision; raise Conflict.

    ``base_revision`` is the saved revision the writer's page was opened on: if another
    save came since (another tab, another writer), the text is not written over.
    """
    with transaction.atomic():
        if post.pk:
            post = Post.objects.select_for_update().get(pk=post.pk)
            current = latest_save(post)
            if current is not None and current.pk != base_revision:
                raise Conflict(current)
        for field in (
            "title", "excerpt", "body", "comments_open", "status", "published_at",
            "featured_image",
        ):  # fmt: skip
            if field in data:
                setattr(post, field, data[field])
        post.slug = data.get("slug") or post.slug or ""
        if not post.slug:
            post.slug = _unique_slug(post.title)
        if post.author_id is None:
            post.author = user
        post.save()
        if "categories" in data:
            post.categories.set(data["categories"])
        if "tags" in data:
            post.tags.set(_tags(data["tags"]))
        if sources is not None:
            sources.instance = post
            sources.save()
        revision = Revision.objects.create(
            post=post, author=user, kind=Revision.Kind.SAVE,
            title=post.title, excerpt=post.excerpt, body=post.body,
        )  # fmt: skip
        # The writer's autosave is now older than what they saved.
        post.revisions.filter(kind=Revision.Kind.AUTOSAVE, author=user).delete()
    return revision


def _unique_slug(title: str) -> str:
    base = slugify(title, allow_unicode=True)[:190] or "untitled"
    slug, n = base, 2
    while Post.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _tags(names: str) -> list[Tag]:
    tags = []
    for name in {n.strip() for n in names.split(",") if n.strip()}:
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name[:200])
        tags.append(tag)
    return tags


def autosave(post: Post, user, *, title: str, excerpt: str, body: str) -> Revision:
    """Keep what the writer has typed, unsaved: one autosave per post and writer."""
    revision, _created = Revision.objects.update_or_create(
        post=post,
        author=user,
        kind=Revision.Kind.AUTOSAVE,
        defaults={"title": title, "excerpt": excerpt, "body": body, "created_at": timezone.now()},
    )
    return revision


def pending_autosave(post: Post, user) -> Revision | None:
    """The writer's autosave, if it differs from the post as saved and is newer."""
    revision = post.revisions.filter(kind=Revision.Kind.AUTOSAVE, author=user).first()
    if revision is None:
        return None
    if (revision.title, revision.excerpt, revision.body) == (post.title, post.excerpt, post.body):
        return None
    saved = latest_save(post)
    if saved is not None and saved.created_at > revision.created_at:
        return None
    return revision


def restore(revision: Revision, user) -> Revision:
    """Make an older revision the post's text again (itself kept as a new revision)."""
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=revision.post_id)
        post.title, post.excerpt, post.body = revision.title, revision.excerpt, revision.body
        post.save()
        return Revision.objects.create(
            post=post, author=user, kind=Revision.Kind.RESTORE,
            title=post.title, excerpt=post.excerpt, body=post.body,
        )  # fmt: skip


def compare(older: Revision, newer: Revision) -> str:
    """Two columns, changed lines marked (difflib's table, escaped by difflib)."""

    def lines(revision):
        return [f"# {revision.title}", "", *revision.body.splitlines()]

    return difflib.HtmlDiff(wrapcolumn=60).make_table(
        lines(older),
        lines(newer),
        fromdesc=f"{older.created_at:%Y-%m-%d %H:%M} ({older.get_kind_display()})",
        todesc=f"{newer.created_at:%Y-%m-%d %H:%M} ({newer.get_kind_display()})",
        context=True,
        numlines=3,
    )


# Preview links: a draft or scheduled post as it will appear, for anyone with the link.


def preview_link_token(post: Post) -> str:
    return signing.dumps({"p": post.pk}, salt=PREVIEW_SALT)


def post_from_preview_token(token: str) -> Post | None:
    try:
        data = signing.loads(token, salt=PREVIEW_SALT, max_age=timedelta(days=PREVIEW_DAYS))
        return Post.objects.filter(pk=int(data["p"])).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
