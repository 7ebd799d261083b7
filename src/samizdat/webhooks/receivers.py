"""Signal receivers of the webhooks app: each queues deliveries in the change's transaction."""

from __future__ import annotations

from samizdat.discussion.models import CommentStatus
from samizdat.notifications.mail import absolute
from samizdat.webhooks.services import emit, emit_each


def comment_data(comment) -> dict:
    """A comment as webhooks see it: no email or IP address (they are the author's)."""
    entry = comment.entry
    return {
        "id": comment.pk,
        "status": comment.status,
        "author_name": comment.author_name,
        "author_url": comment.author_url,
        "body": comment.body,
        "body_html": comment.body_html,
        "parent_id": comment.parent_id,
        "created_at": comment.created_at.isoformat(),
        "url": absolute(f"{entry.get_absolute_url()}#comment-{comment.pk}") if entry else "",
        "entry": {
            "id": entry.pk,
            "type": "post" if comment.post_id else "page",
            "title": entry.display_title,
            "url": absolute(entry.get_absolute_url()),
        }
        if entry
        else None,
    }


def comment_posted(sender, comment, **kwargs):
    events = ["comment.posted"]
    if comment.status == CommentStatus.APPROVED:
        events.append("comment.approved")
    elif comment.status == CommentStatus.SPAM:
        events.append("comment.spam")
    emit_each(tuple(events), comment_data(comment))


def comments_moderated(sender, comments, status, previous_statuses=None, **kwargs):
    event = {CommentStatus.APPROVED: "comment.approved", CommentStatus.SPAM: "comment.spam"}
    if status not in event:
        return
    previous_statuses = previous_statuses or {}
    for comment in comments:
        if previous_statuses.get(comment.pk) != status:
            emit(event[status], comment_data(comment))


def comments_deleted(sender, comments, **kwargs):
    for comment in comments:
        emit("comment.deleted", {"id": comment.pk, "status": comment.status})


def post_published(sender, post, **kwargs):
    emit(
        "post.published",
        {
            "id": post.pk,
            "title": post.display_title,
            "url": absolute(post.get_absolute_url()),
            "published_at": post.published_at.isoformat(),
        },
    )
