from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """Posts, pages, sources, archives, feeds and sitemaps."""

    name = "samizdat.publishing"
    label = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        from django.db.models.signals import post_save

        from samizdat.publishing import receivers
        from samizdat.publishing.models import Post

        post_save.connect(
            receivers.schedule_going_live, sender=Post, dispatch_uid="publishing-go-live"
        )
