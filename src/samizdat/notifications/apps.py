from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Mail: moderation mail to the writer, and readers' subscriptions to replies and posts."""

    name = "samizdat.notifications"
    label = "notifications"
    verbose_name = "Mail"

    def ready(self):
        from samizdat.discussion.signals import comment_was_posted, comments_moderated
        from samizdat.notifications import receivers
        from samizdat.publishing.signals import post_published

        comment_was_posted.connect(receivers.comment_posted, dispatch_uid="notifications-posted")
        comments_moderated.connect(
            receivers.comments_moderated, dispatch_uid="notifications-moderated"
        )
        post_published.connect(receivers.post_published, dispatch_uid="notifications-post")
