"""Posting and moderating comments, and keeping posts' comment counts.

Views and the admin call these; they hold no request-handling logic of their own.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from samizdat.discussion import signals
from samizdat.discussion.app_settings import app_settings
from samizdat.discussion.models import Comment, CommentStatus
from samizdat.discussion.moderation import CommentRejected, get_moderator
from samizdat.publishing.models import Page, Post


def entry_filter(entry) -> dict:
    """Filter arguments for the comments on a post or a page."""
    return {"post": entry} if isinstance(entry, Post) else {"page": entry}


@dataclass
class CommentDraft:
    """What a reader submitted, already validated as form data."""

    body: str
    author_name: str
    author_email: str
    author_url: str = ""
    parent_id: int | None = None


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's address.

    Behind N trusted proxies (SAMIZDAT_PROXY_HOPS, e.g. 1 for nginx on the same host), the
    client is the Nth address from the right of X-Forwarded-For: the ones further left
    were written by the client and cannot be trusted.
    """
    hops = getattr(settings, "SAMIZDAT_PROXY_HOPS", 0)
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            candidate = forwarded[-hops]
            try:
                ipaddress.ip_address(candidate)
            except ValueError:
                pass
            else:
                return candidate
    return request.META.get("REMOTE_ADDR") or None


def resolve_parent(entry: Post | Page, parent_id: int | None) -> Comment | None:
    """Return the comment being replied to, attached no deeper than the maximum depth."""
    if parent_id is None:
        return None
    parent = (
        Comment.objects.filter(pk=parent_id, **entry_filter(entry), status=CommentStatus.APPROVED)
        .select_related("parent")
        .first()
    )
    if parent is None:
        raise CommentRejected(
            _(
                "The comment you were replying to is no longer available, so your comment "
                "has not been posted yet. Your text is kept: press \u201cPost Comment\u201d "
                "to post it as a new comment."
            ),
            field="parent",
        )
    return attach_point(parent)


def attach_point(parent: Comment) -> Comment:
    """Return the comment a reply to ``parent`` hangs from: no deeper than the maximum.

    A reply below the maximum depth joins its parent's siblings, as in WordPress.
    """
    while parent.depth >= app_settings.MAX_DEPTH and parent.parent_id is not None:
        parent = parent.parent
    return parent


def post_comment(
    entry: Post | Page, draft: CommentDraft, request: HttpRequest, user=None, identity=None
) -> Comment:
    """Validate, moderate and save a new comment; raise CommentRejected if refused.

    ``identity`` (a samizdat.identity CommenterIdentity) replaces the name, email and
    website a guest types with those of the account the reader logged in with.
    """
    if identity is not None:
        draft.author_name = identity.display_name
        draft.author_email = identity.email
        draft.author_url = identity.profile_url
    comment = Comment(
        **entry_filter(entry),
        body=draft.body,
        author_name=draft.author_name,
        author_email=draft.author_email,
        author_url=draft.author_url,
        user=user if user is not None and user.is_authenticated else None,
        created_at=timezone.now(),
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
    )
    if identity is not None and identity.provider != "email":
        comment.identity_provider = identity.provider
        comment.identity_uid = identity.uid
        comment.author_avatar_url = identity.avatar_url[:500]
    moderator = get_moderator()
    with transaction.atomic():
        # Lock the post (or page) row: on PostgreSQL this serializes the duplicate and flood checks
        # with the insert (SQLite's IMMEDIATE transactions already do). What moderation
        # reads is read again under the lock; the rest (the body) is not fetched twice.
        _lock_and_refresh(entry)
        setattr(comment, "post" if isinstance(entry, Post) else "page", entry)
        parent = resolve_parent(entry, draft.parent_id)
        comment.parent = parent  # Comment.save() derives the thread's root and the depth.
        moderator.allow(comment)
        comment.status = moderator.status_for(comment)
        responses = signals.comment_will_be_posted.send(
            sender=Comment, comment=comment, request=request
        )
        if any(response is False for _receiver, response in responses):
            raise CommentRejected(_("Your comment could not be accepted."))
        comment.save()  # The post_save receiver refreshes the post's count.
        if comment.parent_id is None and comment.status == CommentStatus.APPROVED:
            # The newest thread: its page follows from the count read under the lock.
            comment._page = entry.thread_count // app_settings.PER_PAGE + 1
        signals.comment_was_posted.send(sender=Comment, comment=comment, request=request)
    return comment


#: The fields of a post (or page) that deciding on a comment and placing it read, read
#: again under the lock.
_LOCKED_FIELDS = {
    Post: ("comments_open", "status", "published_at", "thread_count", "comment_count"),
    Page: ("comments_open", "published", "created_at", "thread_count", "comment_count"),
}


def _lock_and_refresh(entry: Post | Page) -> None:
    """Lock the entry's row for this transaction and refresh what moderation reads."""
    names = _LOCKED_FIELDS[type(entry)]
    row = type(entry).objects.select_for_update().filter(pk=entry.pk).values_list(*names).first()
    if row is None:
        raise CommentRejected(_("Sorry, comments are closed for this item."))
    for name, value in zip(names, row, strict=True):
        setattr(entry, name, value)


#: Statuses a comment is held in apart from the discussion; leaving one restores what it was.
SET_ASIDE = (CommentStatus.SPAM, CommentStatus.TRASH)


def moderate(comments: Iterable[Comment], status: str) -> int:
    """Set the status of comments, refresh the counts of their posts, and say so."""
    if status not in CommentStatus.values:
        raise ValueError(f"unknown comment status {status!r}")
    return set_statuses({comment: status for comment in comments})


def restore(comments: Iterable[Comment]) -> int:
    """Put spam or trashed comments back to the status they had (WordPress's Not spam/Restore)."""
    return set_statuses(
        {
            comment: comment.previous_status
            if comment.previous_status and comment.previous_status not in SET_ASIDE
            else CommentStatus.PENDING
            for comment in comments
            if comment.status in SET_ASIDE
        }
    )


def set_statuses(targets: dict[Comment, str]) -> int:
    """Give each comment its new status in a few UPDATEs; return how many changed.

    A comment going to Spam or Trash remembers the status it leaves (``previous_status``).
    Counts are refreshed once, and ``comments_moderated`` is sent once per new status.
    """
    changed = {comment: status for comment, status in targets.items() if comment.status != status}
    if not changed:
        return 0
    previous = {comment.pk: comment.status for comment in changed}
    with transaction.atomic():
        groups: dict[tuple[str, str], list[Comment]] = {}
        for comment, status in changed.items():
            groups.setdefault((comment.status, status), []).append(comment)
        for (old, new), group in groups.items():
            fields = {"status": new, "moderated_at": timezone.now()}
            if new not in SET_ASIDE:
                fields["previous_status"] = ""
            elif old not in SET_ASIDE:
                fields["previous_status"] = old
            Comment.objects.filter(pk__in=[c.pk for c in group]).update(**fields)
            for comment in group:
                for name, value in fields.items():
                    setattr(comment, name, value)
                comment._loaded_status = new
        refresh_counts_of(changed)
        by_status: dict[str, list[Comment]] = {}
        for comment, status in changed.items():
            by_status.setdefault(status, []).append(comment)
        for status, comments in by_status.items():
            signals.comments_moderated.send(
                sender=Comment,
                comments=comments,
                status=status,
                post_ids={c.post_id for c in comments if c.post_id},
                page_ids={c.page_id for c in comments if c.page_id},
                previous_statuses={c.pk: previous[c.pk] for c in comments},
            )
    return len(changed)


def edit_comment(comment: Comment, **fields: str) -> dict[str, str]:
    """Change a comment's text or author fields; return the old values (for undo)."""
    allowed = {"body", "author_name", "author_email", "author_url"}
    if not set(fields) <= allowed:
        raise ValueError(f"cannot edit {set(fields) - allowed}")
    old = {name: getattr(comment, name) for name in fields}
    for name, value in fields.items():
        setattr(comment, name, value)
    comment.save(update_fields=list(fields))
    return old


def staff_reply(parent: Comment, body: str, user) -> Comment:
    """Post a staff member's reply, approved; a pending parent is approved with it."""
    with transaction.atomic():
        if parent.status == CommentStatus.PENDING:
            moderate([parent], CommentStatus.APPROVED)
        elif parent.status != CommentStatus.APPROVED:
            raise ValueError("only approved or pending comments can be replied to")
        reply = Comment(
            post_id=parent.post_id,
            page_id=parent.page_id,
            parent=attach_point(parent),
            body=body,
            author_name=user.get_full_name() or user.get_username(),
            author_email=user.email,
            user=user,
            status=CommentStatus.APPROVED,
            created_at=timezone.now(),
        )
        reply.save()
    return reply


def delete_comments(comments: Iterable[Comment]) -> int:
    """Delete comments for good; their surviving replies move up to the nearest survivor.

    WordPress does the same: deleting a comment never takes other people's replies with it.
    """
    doomed = {comment.pk: comment for comment in comments}
    if not doomed:
        return 0
    with transaction.atomic():
        _reattach_replies(doomed)
        for chunk in _chunks(list(doomed), 500):
            # No replies point at them any more, so no cascade is needed: one DELETE a
            # chunk, not a collector and two signals per row (Empty Spam can be 100,000).
            Comment.objects.filter(pk__in=chunk)._raw_delete(Comment.objects.db)
        refresh_counts_of(doomed.values())
        signals.comments_deleted.send(
            sender=Comment,
            comments=list(doomed.values()),
            post_ids={c.post_id for c in doomed.values() if c.post_id},
            page_ids={c.page_id for c in doomed.values() if c.page_id},
        )
    return len(doomed)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _reattach_replies(doomed: dict[int, Comment]) -> None:
    """Give the surviving replies of doomed comments a surviving parent, root and depth."""
    thread_roots = {c.root_id or c.pk for c in doomed.values()}
    thread: dict[int, Comment] = {}
    for chunk in _chunks(list(thread_roots), 500):
        for comment in Comment.objects.filter(Q(pk__in=chunk) | Q(root_id__in=chunk)).order_by(
            "created_at", "id"
        ):
            thread[comment.pk] = comment
    orphans = [c for c in thread.values() if c.pk not in doomed and c.parent_id in doomed]
    if not orphans:
        return
    children: dict[int, list[Comment]] = {}
    for comment in thread.values():
        if comment.parent_id is not None:
            children.setdefault(comment.parent_id, []).append(comment)

    def survivor_above(comment: Comment) -> Comment | None:
        parent_id = comment.parent_id
        while parent_id is not None and parent_id in doomed:
            parent_id = thread[parent_id].parent_id if parent_id in thread else None
        return thread.get(parent_id) if parent_id is not None else None

    moved: list[Comment] = []

    def place(comment: Comment, parent: Comment | None) -> None:
        comment.parent_id = parent.pk if parent else None
        comment.root_id = (parent.root_id or parent.pk) if parent else None
        comment.depth = parent.depth + 1 if parent else 1
        moved.append(comment)
        for child in children.get(comment.pk, []):
            if child.pk not in doomed:
                place(child, comment)

    for orphan in orphans:
        place(orphan, survivor_above(orphan))
    Comment.objects.bulk_update(moved, ["parent", "root", "depth"], batch_size=500)
    refresh_counts_of(moved)


def refresh_comment_counts(post_ids: Iterable[int], model=Post) -> None:
    """Store each post's (or page's) counts of approved comments and threads, in one UPDATE."""
    field = "post_id" if model is Post else "page_id"

    def approved(**extra):
        return (
            Comment.objects.filter(
                **{field: OuterRef("pk")}, status=CommentStatus.APPROVED, **extra
            )
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")
        )

    model.objects.filter(pk__in=list(post_ids)).update(
        comment_count=Coalesce(Subquery(approved()), Value(0)),
        thread_count=Coalesce(Subquery(approved(parent__isnull=True)), Value(0)),
    )


def count_new_comment(comment: Comment) -> None:
    """Add one new approved comment to its post's (or page's) stored counts."""
    model, pk = (Post, comment.post_id) if comment.post_id else (Page, comment.page_id)
    top = 1 if comment.parent_id is None else 0
    model.objects.filter(pk=pk).update(
        comment_count=F("comment_count") + 1, thread_count=F("thread_count") + top
    )


def reconcile_counts(since_hours: float = 2) -> int:
    """Count again the posts and pages with comments of the last ``since_hours``; return
    how many were wrong (and are now right)."""
    since = timezone.now() - timedelta(hours=since_hours)
    recent = Comment.objects.filter(created_at__gte=since)
    fixed = 0
    for model, field in ((Post, "post_id"), (Page, "page_id")):
        ids = set(recent.exclude(**{field: None}).values_list(field, flat=True))
        if not ids:
            continue
        before = dict(model.objects.filter(pk__in=ids).values_list("pk", "comment_count"))
        refresh_comment_counts(ids, model)
        after = dict(model.objects.filter(pk__in=ids).values_list("pk", "comment_count"))
        fixed += sum(1 for pk in ids if before.get(pk) != after.get(pk))
    return fixed


def refresh_counts_of(comments: Iterable[Comment]) -> None:
    """Refresh the counts of the posts and pages these comments are on."""
    comments = list(comments)
    post_ids = {c.post_id for c in comments if c.post_id}
    page_ids = {c.page_id for c in comments if c.page_id}
    if post_ids:
        refresh_comment_counts(post_ids)
    if page_ids:
        refresh_comment_counts(page_ids, Page)


def visible_filter(pending_ids: Iterable[int] = (), *, all_pending: bool = False) -> Q:
    """Comments a reader sees: approved ones, and their own that wait for moderation.

    Staff (``all_pending``) see every comment that waits, in place.
    """
    pending_ids = list(pending_ids)
    visible = Q(status=CommentStatus.APPROVED)
    if all_pending:
        return visible | Q(status=CommentStatus.PENDING)
    if pending_ids:
        visible |= Q(status=CommentStatus.PENDING, pk__in=pending_ids)
    return visible
