from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class DiscussionConfig(AppConfig):
    """Comments, threads, moderation and counts."""

    name = "samizdat.discussion"
    label = "discussion"
    verbose_name = "Discussion"

    def ready(self):
        from django.db.models import CharField, EmailField
        from django.db.models.functions import Lower

        from samizdat.discussion import receivers

        # ``author_email__lower=...``: the moderation policy's case-blind, indexed lookup.
        CharField.register_lookup(Lower)
        EmailField.register_lookup(Lower)
        from samizdat.discussion.models import Comment

        post_save.connect(
            receivers.count_on_save, sender=Comment, dispatch_uid="comment-count-save"
        )
        post_delete.connect(
            receivers.count_on_delete, sender=Comment, dispatch_uid="comment-count-delete"
        )
