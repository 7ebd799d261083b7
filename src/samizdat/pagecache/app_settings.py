"""The page cache's settings, each a ``SAMIZDAT_PAGE_CACHE*`` Django setting with a default."""

from django.conf import settings


class AppSettings:
    prefix = "SAMIZDAT_PAGE_CACHE"

    def _setting(self, name, default):
        return getattr(settings, self.prefix + name, default)

    @property
    def ENABLED(self) -> bool:
        """Serve anonymous readers' pages from the cache (``SAMIZDAT_PAGE_CACHE=off`` stops it)."""
        return bool(self._setting("", True))

    @property
    def SECONDS(self) -> int:
        """The longest a page is kept; changes invalidate at once, this only bounds time rules
        (comments closing after N days)."""
        return int(self._setting("_SECONDS", 600))

    @property
    def CDN_SECONDS(self) -> int:
        """``s-maxage`` sent for shared pages: how long a CDN may keep them without asking."""
        return int(self._setting("_CDN_SECONDS", 0))

    @property
    def LOCAL_BYTES(self) -> int:
        """Bytes of pages each worker process keeps in memory in front of the shared store."""
        return int(self._setting("_LOCAL_MB", 32)) * 1024 * 1024

    @property
    def ALIAS(self) -> str:
        """The Django cache (``CACHES`` alias) shared by all workers and machines."""
        return self._setting("_ALIAS", "pages")

    @property
    def GENERATION_FILE(self):
        """Where workers on one machine share the site's generation when there is no Redis."""
        return self._setting("_GENERATION_FILE", settings.DATA_DIR / "pagecache.generation")

    @property
    def WAIT_SECONDS(self) -> float:
        """How long concurrent misses of one page wait for the request rendering it."""
        return float(self._setting("_WAIT_SECONDS", 5.0))


app_settings = AppSettings()
