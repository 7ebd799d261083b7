"""Signal receivers of the publishing app, connected in ``PublishingConfig.ready()``."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from samizdat.publishing.models import PostStatus

#: A post published longer ago than this when saved is old news (an edit, an import).
FRESH = timedelta(days=1)


def schedule_going_live(sender, instance, raw=False, **kwargs):
    """Queue the announcement of a new post for the time it goes live."""
    from samizdat.publishing.tasks import go_live

    post = instance
    if raw or post.announced_at is not None or post.password:
        return
    if post.status not in (PostStatus.PUBLISHED, PostStatus.SCHEDULED):
        return
    now = timezone.now()
    if post.published_at < now - FRESH:
        return
    if post.published_at > now:
        go_live.using(run_after=post.published_at).enqueue(post.pk)
    else:
        go_live.enqueue(post.pk)
