"""Signal receivers of the discussion app, connected in ``DiscussionConfig.ready()``."""

from samizdat.discussion.models import CommentStatus
from samizdat.discussion.services import count_new_comment, refresh_counts_of


def count_on_save(sender, instance, raw=False, created=False, **kwargs):
    """Keep the post's stored count when a saved comment gains or loses approval.

    A new approved comment adds one (a constant-time UPDATE in its transaction); any
    other change counts again. ``reconcile_counts`` checks the sums hourly.
    """
    if raw:
        return
    if created and instance.status == CommentStatus.APPROVED:
        count_new_comment(instance)
    elif (instance.status == CommentStatus.APPROVED) != instance.was_approved:
        refresh_counts_of([instance])
    instance._loaded_status = instance.status


def count_on_delete(sender, instance, **kwargs):
    """Refresh the post's stored count when an approved comment is deleted."""
    if instance.status == CommentStatus.APPROVED or instance.was_approved:
        refresh_counts_of([instance])
