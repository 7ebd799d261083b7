"""Signal receivers of the discussion app, connected in ``DiscussionConfig.ready()``."""

from samizdat.discussion.models import CommentStatus
from samizdat.discussion.services import refresh_counts_of


def count_on_save(sender, instance, raw=False, **kwargs):
    """Refresh the post's stored count when a saved comment gains or loses approval."""
    if raw:
        return
    if (instance.status == CommentStatus.APPROVED) != instance.was_approved:
        refresh_counts_of([instance])
    instance._loaded_status = instance.status


def count_on_delete(sender, instance, **kwargs):
    """Refresh the post's stored count when an approved comment is deleted."""
    if instance.status == CommentStatus.APPROVED or instance.was_approved:
        refresh_counts_of([instance])
