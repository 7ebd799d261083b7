"""Pages of threaded comments, fetched in a constant number of queries.

A page holds ``PER_PAGE`` top-level comments, oldest first, with all their
replies. One query counts the top-level comments, one fetches the page's
top-level comments, and one fetches every reply in those threads (each reply
stores its thread's root), whatever the depth or size of the threads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.urls import reverse
from django.utils.functional import cached_property

from samizdat.discussion.app_settings import app_settings
from samizdat.discussion.models import Comment, CommentStatus
from samizdat.discussion.services import entry_filter, visible_filter


@dataclass
class CommentNode:
    """A comment with its displayed replies and its displayed depth."""

    comment: Comment
    depth: int
    replies: list[CommentNode] = field(default_factory=list)
    pending: bool = False


@dataclass
class CommentPage:
    nodes: list[CommentNode]
    page: Page
    max_depth: int


def toplevel_comments(post, pending_ids: Iterable[int] = (), *, all_pending: bool = False):
    return Comment.objects.filter(
        visible_filter(pending_ids, all_pending=all_pending),
        **entry_filter(post),
        parent__isnull=True,
    ).order_by("created_at", "id")


class CountedPaginator(Paginator):
    """A paginator told its count instead of running COUNT(*)."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count

    def page(self, number):
        # A page holds PER_PAGE threads even if the stored count lags behind (an entry
        # loaded before a comment was added): the count only numbers the pages.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


def comment_page(
    post, number: int = 1, pending_ids: Iterable[int] = (), *, all_pending: bool = False
) -> CommentPage:
    """Return page ``number`` of the post's threads; raise InvalidPage when out of range.

    ``all_pending``: show every comment waiting for moderation (to staff), not only the
    reader's own (``pending_ids``).
    """
    pending_ids = list(pending_ids)
    # The number of threads is stored (thread_count): counting a 100,000-comment post's
    # threads on every view would cost more than the rest of the page.
    count = post.thread_count
    if all_pending:
        count += Comment.objects.filter(
            **entry_filter(post), parent__isnull=True, status=CommentStatus.PENDING
        ).count()
    elif pending_ids:
        count += (
            Comment.objects.filter(pk__in=pending_ids, **entry_filter(post), parent__isnull=True)
            .exclude(status=CommentStatus.APPROVED)
            .count()
        )
    paginator = CountedPaginator(
        toplevel_comments(post, pending_ids, all_pending=all_pending).select_related("user"),
        app_settings.PER_PAGE,
        count=count,
        allow_empty_first_page=True,
    )
    page = paginator.page(number)
    roots = list(page.object_list)
    replies = []
    if roots:
        replies = list(
            Comment.objects.filter(
                visible_filter(pending_ids, all_pending=all_pending),
                root__in=[c.pk for c in roots],
            )
            .select_related("user")
            # Thread by thread, as the thread index stores them: no sort. Within a thread
            # a parent is older than its replies, which is all build_tree needs.
            .order_by("root_id", "created_at", "id")
        )
    return CommentPage(
        nodes=build_tree(roots, replies, app_settings.MAX_DEPTH),
        page=page,
        max_depth=app_settings.MAX_DEPTH,
    )


def build_tree(roots: list[Comment], replies: list[Comment], max_depth: int) -> list[CommentNode]:
    """Nest replies under their parents, flattening anything deeper than ``max_depth``."""
    nodes: dict[int, CommentNode] = {}
    top: list[CommentNode] = []
    for comment in roots:
        node = CommentNode(comment, 1, pending=comment.status == CommentStatus.PENDING)
        nodes[comment.pk] = node
        top.append(node)
    # Replies come oldest first, so a parent is always placed before its replies.
    for comment in replies:
        parent = nodes.get(comment.parent_id)
        if parent is None:
            # Its parent is not shown (trashed or held); hide the reply with it.
            continue
        # If the maximum depth was lowered after the reply was written, the reply joins
        # the deepest shown ancestor's replies.
        holder = parent
        while holder.depth >= max_depth and holder.comment.parent_id in nodes:
            holder = nodes[holder.comment.parent_id]
        node = CommentNode(
            comment, holder.depth + 1, pending=comment.status == CommentStatus.PENDING
        )
        nodes[comment.pk] = node
        holder.replies.append(node)
    return top


def page_of(comment: Comment) -> int:
    """Return the page number on which a comment's thread starts."""
    known = getattr(comment, "_page", None)  # set by post_comment for a new thread
    if known is not None:
        return known
    root_id = comment.root_id or comment.pk
    root = comment if root_id == comment.pk else Comment.objects.get(pk=root_id)
    before = (
        Comment.objects.filter(
            post_id=comment.post_id,
            page_id=comment.page_id,
            parent__isnull=True,
            status=CommentStatus.APPROVED,
            created_at__lte=root.created_at,
        )
        .exclude(created_at=root.created_at, id__gte=root.pk)
        .count()
    )
    return before // app_settings.PER_PAGE + 1


def comment_url(comment: Comment, page: int | None = None) -> str:
    """Return the stable URL of a comment: its post's comment page and ``#comment-ID``."""
    entry = comment.entry
    page = page_of(comment) if page is None else page
    if page > 1 and comment.post_id:
        url = reverse(
            "publishing:post-comment-page", kwargs={**entry.permalink_kwargs(), "page": page}
        )
    elif page > 1:
        url = f"{entry.get_absolute_url()}comment-page-{page}/"
    else:
        url = entry.get_absolute_url()
    return f"{url}#comment-{comment.pk}"
