from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """Anonymous readers' pages served from a cache that every change invalidates."""

    name = "samizdat.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from samizdat.pagecache import receivers

        receivers.connect()
