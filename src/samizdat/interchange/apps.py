from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    """Moving in from WordPress (WXR) and Disqus, and out again."""

    name = "samizdat.interchange"
    label = "interchange"
    verbose_name = "Import and export"
