from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """Posts, pages, sources, archives, feeds and sitemaps."""

    name = "samizdat.publishing"
    label = "publishing"
    verbose_name = "Publishing"
