"""Posting and moderating comments, and keeping posts' comment counts.

Views and the admin call these; they hold no request-handling logic of their own.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery, Value
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
    # A reply below the maximum depth joins its parent's siblings, as in WordPress.
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
        # with the insert (SQLite's IMMEDIATE transactions already do).
        entry = type(entry).objects.select_for_update().get(pk=entry.pk)
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
        signals.comment_was_posted.send(sender=Comment, comment=comment, request=request)
    return comment


def moderate(comments: Iterable[Comment], status: str) -> int:
    """Set the status of comments, refresh the counts of their posts, and say so."""
    if status not in CommentStatus.values:
        raise ValueError(f"unknown comment status {status!r}")
    with transaction.atomic():
        changed = [comment for comment in comments if comment.status != status]
        if not changed:
            return 0
        Comment.objects.filter(pk__in=[comment.pk for comment in changed]).update(status=status)
        for comment in changed:
            comment.status = status
        post_ids = {comment.post_id for comment in changed if comment.post_id}
        refresh_counts_of(changed)
        signals.comments_moderated.send(
            sender=Comment, comments=changed, status=status, post_ids=post_ids
        )
    return len(changed)


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


def refresh_counts_of(comments: Iterable[Comment]) -> None:
    """Refresh the counts of the posts and pages these comments are on."""
    comments = list(comments)
    post_ids = {c.post_id for c in comments if c.post_id}
    page_ids = {c.page_id for c in comments if c.page_id}
    if post_ids:
        refresh_comment_counts(post_ids)
    if page_ids:
        refresh_comment_counts(page_ids, Page)


def visible_filter(pending_ids: Iterable[int] = ()) -> Q:
    """Comments a reader sees: approved ones, and their own that wait for moderation."""
    pending_ids = list(pending_ids)
    visible = Q(status=CommentStatus.APPROVED)
    if pending_ids:
        visible |= Q(status=CommentStatus.PENDING, pk__in=pending_ids)
    return visible
