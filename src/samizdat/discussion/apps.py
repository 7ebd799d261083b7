from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class DiscussionConfig(AppConfig):
    """Comments, threads, moderation and counts."""

    name = "samizdat.discussion"
    label = "discussion"
    verbose_name = "Discussion"

    def ready(self):
        from samizdat.discussion import receivers
        from samizdat.discussion.models import Comment

        post_save.connect(
            receivers.count_on_save, sender=Comment, dispatch_uid="comment-count-save"
        )
        post_delete.connect(
            receivers.count_on_delete, sender=Comment, dispatch_uid="comment-count-delete"
        )
