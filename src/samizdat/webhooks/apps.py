from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Signed JSON to other services when comments and posts change (Standard Webhooks)."""

    name = "samizdat.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from samizdat.discussion.signals import (
            comment_was_posted,
            comments_deleted,
            comments_moderated,
        )
        from samizdat.publishing.signals import post_published
        from samizdat.webhooks import receivers

        comment_was_posted.connect(receivers.comment_posted, dispatch_uid="webhooks-posted")
        comments_moderated.connect(receivers.comments_moderated, dispatch_uid="webhooks-moderated")
        comments_deleted.connect(receivers.comments_deleted, dispatch_uid="webhooks-deleted")
        post_published.connect(receivers.post_published, dispatch_uid="webhooks-post")
