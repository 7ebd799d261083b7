"""The mail settings, each a ``SAMIZDAT_*`` Django setting with a default."""

from urllib.parse import urlsplit

from django.conf import settings


class AppSettings:
    def _setting(self, name, default):
        return getattr(settings, name, default)

    @property
    def SITE_URL(self) -> str:
        """The site's address, for links in mail (https://... in production)."""
        return self._setting("SAMIZDAT_SITE_URL", "http://localhost:8000").rstrip("/")

    @property
    def DOMAIN(self) -> str:
        return urlsplit(self.SITE_URL).hostname or "localhost"

    @property
    def BATCH_MINUTES(self) -> float:
        """At most one mail per subscriber per post this often, listing what came since."""
        return float(self._setting("SAMIZDAT_NOTIFY_BATCH_MINUTES", 10))

    @property
    def LINK_DAYS(self) -> int:
        """Moderation and confirmation links in mail expire after this many days."""
        return int(self._setting("SAMIZDAT_MAIL_LINK_DAYS", 7))

    @property
    def CONFIRMATIONS_PER_DAY(self) -> int:
        """At most this many confirmation (or manage-link) mails to one address a day."""
        return int(self._setting("SAMIZDAT_MAIL_CONFIRMATIONS_PER_DAY", 3))


app_settings = AppSettings()
