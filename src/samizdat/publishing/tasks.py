"""Publishing's background work: announcing a post when it goes live."""

from __future__ import annotations

from django.utils import timezone

from samizdat.core.background import background_task


@background_task()
def go_live(post_id: int) -> str:
    """Send ``post_published`` for a post that is now live, once; wait if it is not due."""
    from samizdat.publishing.models import Post
    from samizdat.publishing.signals import post_published

    post = Post.objects.filter(pk=post_id).first()
    if post is None or post.announced_at is not None or post.password:
        return "nothing to announce"
    if not Post.objects.live().filter(pk=post_id).exists():
        if post.published_at > timezone.now():
            # Its time moved later since this was queued: go live then.
            go_live.using(run_after=post.published_at).enqueue(post_id)
            return "not due yet"
        return "not published"
    claimed = Post.objects.filter(pk=post_id, announced_at__isnull=True).update(
        announced_at=timezone.now()
    )
    if claimed:
        post_published.send(sender=Post, post=post)
        return "announced"
    return "announced by another worker"
