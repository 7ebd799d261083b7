"""Signal receivers of the notifications app, connected in ``NotificationsConfig.ready()``.

They only queue tasks, inside the transaction that made the change: a comment's mail is
queued if and only if the comment is stored, and mail is only ever sent by the worker.
"""

from __future__ import annotations

from samizdat.core.background import enqueue_once
from samizdat.discussion.models import CommentStatus
from samizdat.notifications import tasks

#: The form's two checkboxes (rendered by the ``subscription_choices`` template tag).
FOLLOW_FIELD = "notify_comments"
POSTS_FIELD = "notify_posts"


def comment_posted(sender, comment, request, **kwargs):
    """Queue the writer's mail, readers' mail if approved, and the author's subscriptions."""
    if comment.status in (CommentStatus.PENDING, CommentStatus.APPROVED):
        tasks.mail_staff.enqueue(comment.pk)
    if comment.status == CommentStatus.APPROVED and comment.post_id:
        enqueue_once(tasks.notify_subscribers, comment.post_id)
    if comment.status != CommentStatus.SPAM and request is not None:
        _subscribe_author(comment, request)


def _subscribe_author(comment, request) -> None:
    from samizdat.notifications import services
    from samizdat.notifications.models import Subscription

    follow = request.POST.get(FOLLOW_FIELD)
    posts = request.POST.get(POSTS_FIELD)
    if not (follow or posts) or not comment.author_email:
        return
    verified = False
    if comment.user_id is not None:
        from samizdat.identity.services import current_identity

        identity = current_identity(request)
        verified = bool(identity and identity.email) and (
            services.normalize(identity.email) == services.normalize(comment.author_email)
        )
    if follow and comment.post_id:
        kind = Subscription.Kind.REPLIES if follow == "replies" else Subscription.Kind.ALL
        services.subscribe(
            comment.author_email,
            post=comment.post,
            kind=kind,
            after_comment_id=comment.pk,
            verified=verified,
        )
    if posts:
        services.subscribe(
            comment.author_email,
            kind=Subscription.Kind.POSTS,
            after_comment_id=_newest_post_id(),
            verified=verified,
        )


def _newest_post_id() -> int:
    from samizdat.publishing.models import Post

    return Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def comments_moderated(sender, comments, status, post_ids=(), previous_statuses=None, **kwargs):
    """Comments approved by a moderator now reach their post's subscribers."""
    if status != CommentStatus.APPROVED:
        return
    previous_statuses = previous_statuses or {}
    for post_id in {
        c.post_id
        for c in comments
        if c.post_id and previous_statuses.get(c.pk) != CommentStatus.APPROVED
    }:
        enqueue_once(tasks.notify_subscribers, post_id)


def post_published(sender, post, **kwargs):
    tasks.announce_post.enqueue(post.pk)
